package tasks

import (
	"fmt"
	"math/rand/v2"
)

// Scheduler picks the task of each trial of a Schedule: neurogym's
// schedules (neurogym/utils/scheduler.py, v2.2.0). A scheduler keeps the
// index i of the current task, a count of trials within the current block
// and its own random number generator. Next advances it by one trial and
// returns the new i.
//
// The four schedules of neurogym, for n tasks:
//
//	SequentialSchedule       i -> (i+1) mod n at every trial
//	RandomSchedule           i -> uniform over the other n-1 tasks (never
//	                         the same task twice in a row; always 0 if n = 1)
//	SequentialBlockSchedule  stays on i for Sizes[i] trials, then i+1 mod n
//	RandomBlockSchedule      stays on i for Sizes[i] trials, then a task
//	                         drawn uniformly from the other n-1
//
// After Reset (i = 0, count = 0) the first Next returns 1 for
// SequentialSchedule (0 if n = 1), a task other than 0 for RandomSchedule,
// and 0, beginning its first block, for the block schedules.
type Scheduler interface {
	// Init prepares the scheduler for n tasks and resets it; it rejects an
	// n it cannot serve (block schedules need one size per task).
	Init(n int) error
	// Reset sets i and the counts to 0 (neurogym's reset); the random
	// generator is not touched.
	Reset()
	// Next advances by one trial and returns the index of its task.
	Next() int
	// SetCurrent makes task i the current one without touching the count
	// (neurogym's ScheduleEnvs.set_i).
	SetCurrent(i int)
	// Seed reseeds the random generator.
	Seed(seed uint64)
	// Clone returns an independent copy, random state included.
	Clone() Scheduler
}

// scheduleState is the state shared by the four schedules.
type scheduleState struct {
	n, i, count, total int
	pcg                *rand.PCG
	rng                *rand.Rand
}

func (s *scheduleState) init(n int, sizes []int) error {
	if n < 1 {
		return fmt.Errorf("schedule of %d tasks: need at least 1", n)
	}
	if sizes != nil {
		if len(sizes) != n {
			return fmt.Errorf("block schedule: %d block sizes for %d tasks: need one per task", len(sizes), n)
		}
		for k, b := range sizes {
			if b < 1 {
				return fmt.Errorf("block schedule: block size %d of task %d: must be >= 1", b, k)
			}
		}
	}
	s.n = n
	s.Reset()
	if s.pcg == nil {
		s.Seed(0)
	}
	return nil
}

// Reset sets the current task and the counts to 0.
func (s *scheduleState) Reset() { s.i, s.count, s.total = 0, 0, 0 }

// SetCurrent makes task i current.
func (s *scheduleState) SetCurrent(i int) { s.i = i }

// Seed reseeds the random generator (a PCG seeded with seed and
// seed^0x2545f4914f6cdd1d).
func (s *scheduleState) Seed(seed uint64) {
	s.pcg = rand.NewPCG(seed, seed^0x2545f4914f6cdd1d)
	s.rng = rand.New(s.pcg)
}

// Total returns the number of calls to Next since the last Reset.
func (s *scheduleState) Total() int { return s.total }

func (s scheduleState) clone() scheduleState {
	if s.pcg != nil {
		p := *s.pcg
		s.pcg = &p
		s.rng = rand.New(s.pcg)
	}
	return s
}

// other draws a task uniformly among all but the current one (0 if n = 1).
func (s *scheduleState) other() int {
	if s.n <= 1 {
		return 0
	}
	j := s.rng.IntN(s.n - 1)
	if j >= s.i {
		j++
	}
	return j
}

// SequentialSchedule cycles through the tasks, one trial each.
type SequentialSchedule struct{ scheduleState }

// RandomSchedule draws each trial's task uniformly among the tasks other
// than the previous one.
type RandomSchedule struct{ scheduleState }

// SequentialBlockSchedule gives task k Sizes[k] trials in a row, cycling
// through the tasks in order.
type SequentialBlockSchedule struct {
	scheduleState
	Sizes []int
}

// RandomBlockSchedule gives task k Sizes[k] trials in a row, then moves to
// a task drawn uniformly among the others.
type RandomBlockSchedule struct {
	scheduleState
	Sizes []int
}

// Sequential returns a SequentialSchedule (neurogym's SequentialSchedule).
func Sequential() *SequentialSchedule { return &SequentialSchedule{} }

// Random returns a RandomSchedule (neurogym's RandomSchedule).
func Random() *RandomSchedule { return &RandomSchedule{} }

// SequentialBlock returns a SequentialBlockSchedule with one block size per
// task (neurogym's SequentialBlockSchedule).
func SequentialBlock(sizes ...int) *SequentialBlockSchedule {
	return &SequentialBlockSchedule{Sizes: append([]int(nil), sizes...)}
}

// RandomBlock returns a RandomBlockSchedule with one block size per task
// (neurogym's RandomBlockSchedule).
func RandomBlock(sizes ...int) *RandomBlockSchedule {
	return &RandomBlockSchedule{Sizes: append([]int(nil), sizes...)}
}

// Init prepares the schedule for n >= 1 tasks.
func (s *SequentialSchedule) Init(n int) error { return s.init(n, nil) }

// Init prepares the schedule for n >= 1 tasks.
func (s *RandomSchedule) Init(n int) error { return s.init(n, nil) }

// Init prepares the schedule for n tasks; Sizes must hold n sizes >= 1.
func (s *SequentialBlockSchedule) Init(n int) error { return s.init(n, s.Sizes) }

// Init prepares the schedule for n tasks; Sizes must hold n sizes >= 1.
func (s *RandomBlockSchedule) Init(n int) error { return s.init(n, s.Sizes) }

// Next moves to the next task, i+1 mod n.
func (s *SequentialSchedule) Next() int {
	s.count = 1
	s.i = (s.i + 1) % s.n
	s.total++
	return s.i
}

// Next moves to a task other than the current one, drawn uniformly.
func (s *RandomSchedule) Next() int {
	s.i = s.other()
	s.total++
	return s.i
}

// Next stays on the current task until its block is full, then moves on
// to the next one in order.
func (s *SequentialBlockSchedule) Next() int {
	if s.count < s.Sizes[s.i] {
		s.count++
	} else {
		s.count = 1
		s.i = (s.i + 1) % s.n
	}
	s.total++
	return s.i
}

// Next stays on the current task until its block is full, then moves to
// a task other than the current one, drawn uniformly.
func (s *RandomBlockSchedule) Next() int {
	if s.count < s.Sizes[s.i] {
		s.count++
	} else {
		s.count = 1
		s.i = s.other()
	}
	s.total++
	return s.i
}

// Clone returns an independent copy.
func (s *SequentialSchedule) Clone() Scheduler { return &SequentialSchedule{s.clone()} }

// Clone returns an independent copy.
func (s *RandomSchedule) Clone() Scheduler { return &RandomSchedule{s.clone()} }

// Clone returns an independent copy.
func (s *SequentialBlockSchedule) Clone() Scheduler {
	return &SequentialBlockSchedule{s.clone(), append([]int(nil), s.Sizes...)}
}

// Clone returns an independent copy.
func (s *RandomBlockSchedule) Clone() Scheduler {
	return &RandomBlockSchedule{s.clone(), append([]int(nil), s.Sizes...)}
}
