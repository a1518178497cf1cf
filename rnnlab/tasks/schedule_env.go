package tasks

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Schedule is a Task made of several tasks, one per trial, the task of each
// trial picked by a Scheduler: neurogym's ScheduleEnvs wrapper
// (neurogym/wrappers/block.py, v2.2.0, unchanged at HEAD), for multi-task
// training. The tasks must share ObsSize, NumActions and Dt.
//
// With the rule input on, N = number of tasks channels are appended to the
// observation (the group "rule"): for a trial of task k, channel ObsSize+k
// is 1 at every step of the trial and the other rule channels are 0, as
// neurogym sets env_ob[:, i_env] = 1 over the whole trial. ObsSize is then
// the tasks' ObsSize + N.
//
// Trials are ScheduleTrial records: the task index (field "task") and the
// inner task's record; Periods and Labels are the inner trial's.
//
// The order of tasks follows ScheduleEnvs. Reset (and Seed, NewSchedule,
// which leave the schedule as Reset does, without drawing a trial) reset
// the scheduler, take its first Next as the first trial's task f, then, as
// neurogym resets every other task k in turn through the schedule, set the
// scheduler's task to k and advance it once, and finally set it to f. Each
// later trial (NewTrial, or Step when a trial ends) takes the next task,
// chosen by the scheduler's Next when the previous trial began. Hence
// SequentialSchedule runs 1, 2, ..., N-1, 0, 1, ...; RandomSchedule never
// starts with task 0; and the block schedules start with task 0, the first
// block possibly shorter than Sizes[0] because the other tasks' resets
// advanced the block count (for Sizes 2, 3 the first block of task 0 has
// 1 trial, then blocks of 3, 2, 3, ...).
//
// Step and Reset act on the current trial's task. When a trial ends, Step
// returns the first observation of the next task's new trial. A task's own
// Step starts its next trial when its trial ends; that trial is kept and
// played when the schedule comes back to the task, so no trial is drawn
// in vain and an inner schedule keeps its order. A task with no such trial
// (after Reset, Seed or NewTrial) starts one as its Step would (any Task
// not of this package is Reset). (At a trial end neurogym returns row 0 of
// the finished task's observation array, not the new trial's first
// observation.) PassAction and PassReward belong around the Schedule:
// inside it, a trial's first observation carries the action or reward of
// its task's own last step, or 0.
//
// Deviations from neurogym: tasks with different Dt are rejected (neurogym
// lets env.dt follow the current task; a network has one time step), and
// neurogym's supervised Dataset, which resets its envs before batching,
// skips the reset trial, while ours starts with it.
type Schedule struct {
	tasks     []Task
	sched     Scheduler
	rule      bool
	obs       int // the tasks' ObsSize
	cur, next int // task of the current trial (-1 if none) and of the next
	src       *Trial
	// pending[k] is the first observation of the trial task k drew itself
	// when its last trial ended, not yet played (nil if none).
	pending [][]float32
	tr      *Trial
}

var _ GroupedTask = (*Schedule)(nil)

// ScheduleTrial is the record of a Schedule trial: the index of its task
// (field "task", first) followed by the task's own record fields.
type ScheduleTrial struct {
	// Task is the index of the trial's task in the schedule.
	Task int
	// Inner is the task's record of the trial.
	Inner Record
}

// Fields returns task, then the inner record's fields.
func (r ScheduleTrial) Fields() []Field {
	f := []Field{IntField("task", r.Task)}
	if r.Inner != nil {
		f = append(f, r.Inner.Fields()...)
	}
	return f
}

// NewSchedule returns a Schedule of clones of ts (ts is not used
// afterwards), picked by a clone of sched, with the one-hot rule input if
// ruleInput. The tasks keep their random state; Seed reseeds everything
// from one seed (as Dataset does).
func NewSchedule(ts []Task, sched Scheduler, ruleInput bool) (*Schedule, error) {
	if len(ts) == 0 {
		return nil, errors.New("schedule: no tasks")
	}
	if sched == nil {
		return nil, errors.New("schedule: nil scheduler")
	}
	for k, t := range ts {
		if t == nil {
			return nil, fmt.Errorf("schedule: task %d is nil", k)
		}
		t0 := ts[0]
		if t.ObsSize() != t0.ObsSize() || t.NumActions() != t0.NumActions() || t.Dt() != t0.Dt() {
			return nil, fmt.Errorf("schedule: task %d %s has %d observation channels, %d actions, dt %v ms; task 0 %s has %d, %d, %v ms: tasks must share all three",
				k, t.Name(), t.ObsSize(), t.NumActions(), t.Dt(), t0.Name(), t0.ObsSize(), t0.NumActions(), t0.Dt())
		}
	}
	s := &Schedule{sched: sched.Clone(), rule: ruleInput, obs: ts[0].ObsSize()}
	if err := s.sched.Init(len(ts)); err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	for _, t := range ts {
		s.tasks = append(s.tasks, t.Clone())
	}
	s.restart()
	return s, nil
}

// restart is neurogym's ScheduleEnvs.reset without the trials: it leaves
// the scheduler as that reset does and the next trial's task in s.next.
func (s *Schedule) restart() {
	s.sched.Reset()
	first := s.sched.Next()
	for k := range s.tasks {
		if k != first {
			s.sched.SetCurrent(k)
			s.sched.Next()
		}
	}
	s.sched.SetCurrent(first)
	s.cur, s.next, s.src, s.tr = -1, first, nil, nil
	s.pending = make([][]float32, len(s.tasks))
}

// begin makes task k's current trial the schedule's and picks the next task.
func (s *Schedule) begin(k int) {
	s.cur, s.src = k, nil
	s.next = s.sched.Next()
}

// Name returns "Schedule(name0, name1, ...)", or "Schedule(N tasks)" when
// the names take more than 70 characters.
func (s *Schedule) Name() string {
	names := make([]string, len(s.tasks))
	for k, t := range s.tasks {
		names[k] = t.Name()
	}
	if n := strings.Join(names, ", "); len(n) <= 70 {
		return "Schedule(" + n + ")"
	}
	return fmt.Sprintf("Schedule(%d tasks)", len(s.tasks))
}

// Dt returns the tasks' time step in ms.
func (s *Schedule) Dt() float64 { return s.tasks[0].Dt() }

// ObsSize returns the tasks' ObsSize, plus the number of tasks with the
// rule input.
func (s *Schedule) ObsSize() int {
	if s.rule {
		return s.obs + len(s.tasks)
	}
	return s.obs
}

// NumActions returns the tasks' number of actions.
func (s *Schedule) NumActions() int { return s.tasks[0].NumActions() }

// Tasks returns the schedule's tasks (live, not copies).
func (s *Schedule) Tasks() []Task { return slices.Clone(s.tasks) }

// CurrentTask returns the index of the current trial's task (-1 before the
// first trial).
func (s *Schedule) CurrentTask() int { return s.cur }

// NextTask returns the index of the task of the next trial (unless an
// override forces another).
func (s *Schedule) NextTask() int { return s.next }

// ObsGroups returns task 0's observation groups (if it names them) and the
// group "rule" of the rule channels.
func (s *Schedule) ObsGroups() []Group {
	var gs []Group
	if g, ok := s.tasks[0].(GroupedTask); ok {
		gs = g.ObsGroups()
	}
	if s.rule {
		gs = append(gs, Group{"rule", seq(s.obs, len(s.tasks))})
	}
	return gs
}

// ActionGroups returns task 0's action groups (nil if it names none).
func (s *Schedule) ActionGroups() []Group {
	if g, ok := s.tasks[0].(GroupedTask); ok {
		return g.ActionGroups()
	}
	return nil
}

// RewardValues lists the tasks' named rewards, each distinct name and
// value once, in order of appearance.
func (s *Schedule) RewardValues() []NamedValue {
	var vs []NamedValue
	for _, t := range s.tasks {
		for _, v := range t.RewardValues() {
			if !slices.Contains(vs, v) {
				vs = append(vs, v)
			}
		}
	}
	return vs
}

// Seed seeds the scheduler and then task 0, 1, ... with successive draws of
// a PCG seeded with seed, forgets the current trial and restarts the
// schedule as Reset does.
func (s *Schedule) Seed(seed uint64) {
	g := rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))
	s.sched.Seed(g.Uint64())
	for _, t := range s.tasks {
		t.Seed(g.Uint64())
	}
	s.restart()
}

// NewTrial draws the next trial from the next task, or from the task
// forced by the override "task" (an index 0..N-1; the scheduled sequence
// goes on unchanged). The other override fields go to that task's
// NewTrial. An invalid override is an error that changes nothing.
func (s *Schedule) NewTrial(ov Override) (*Trial, error) {
	k := s.next
	if v, ok := ov["task"]; ok {
		if v != math.Trunc(v) || v < 0 || v >= float64(len(s.tasks)) {
			return nil, fmt.Errorf("schedule: override task = %v: want an integer in 0..%d", v, len(s.tasks)-1)
		}
		k = int(v)
		ov = copyOverride(ov)
		delete(ov, "task")
	}
	if _, err := s.tasks[k].NewTrial(ov); err != nil {
		return nil, fmt.Errorf("schedule task %d: %w (the schedule adds task)", k, err)
	}
	s.pending[k] = nil
	s.begin(k)
	return s.Current(), nil
}

// copyOverride returns a copy of ov.
func copyOverride(ov Override) Override {
	c := make(Override, len(ov))
	for k, v := range ov {
		c[k] = v
	}
	return c
}

// Current returns the current trial: the current task's trial with the
// rule channels and a ScheduleTrial record (nil before the first trial).
func (s *Schedule) Current() *Trial {
	if s.cur < 0 {
		return nil
	}
	in := s.tasks[s.cur].Current()
	if in == nil {
		return nil
	}
	if in != s.src {
		s.src, s.tr = in, in.Clone()
		if s.rule {
			n, no, nt := in.N, s.obs, len(s.tasks)
			s.tr.ObsSize = no + nt
			s.tr.Obs = make([]float32, n*(no+nt))
			for t := range n {
				row := s.tr.ObsAt(t)
				copy(row, in.ObsAt(t))
				row[no+s.cur] = 1
			}
		}
	}
	s.tr.Record = ScheduleTrial{s.cur, in.Record} // a Stepper may update it
	return s.tr
}

// withRule returns obs with the rule channels of task k appended.
func (s *Schedule) withRule(obs []float32, k int) []float32 {
	if !s.rule {
		return obs
	}
	o := make([]float32, s.obs+len(s.tasks))
	copy(o, obs)
	o[s.obs+k] = 1
	return o
}

// Reset restarts the schedule (see Schedule), draws the first trial with
// its task's Reset and returns its first observation.
func (s *Schedule) Reset() []float32 {
	s.restart()
	k := s.next
	obs := s.tasks[k].Reset()
	s.begin(k)
	return s.withRule(obs, k)
}

// Step acts on the current trial's task (calling Reset first if there is
// no current trial). When the trial ends, the next task draws a trial and
// its first observation and record are returned.
func (s *Schedule) Step(action int) StepResult {
	if s.Current() == nil {
		s.Reset()
	}
	res := s.tasks[s.cur].Step(action)
	if res.NewTrial {
		s.pending[s.cur] = res.Obs
		res.Obs = s.startTrial()
		res.Trial = s.Current().Record
	} else {
		res.Obs = s.withRule(res.Obs, s.cur)
	}
	return res
}

// startTrial makes the next task's pending trial current, or has it start
// one as its Step would at a trial end, and returns the trial's first
// observation, rule appended.
func (s *Schedule) startTrial() []float32 {
	k := s.next
	obs := s.pending[k]
	if obs == nil {
		obs = startTrial(s.tasks[k])
	}
	s.pending[k] = nil
	s.begin(k)
	return s.withRule(obs, k)
}

// trialStarter is implemented by this package's tasks and wrappers:
// startTrial draws a new trial, as Step does at a trial end, and returns
// its first observation as Step would (through an Env's Observer).
type trialStarter interface{ startTrial() []float32 }

// startTrial starts a new trial of t: with its startTrial if it has one,
// else with Reset.
func startTrial(t Task) []float32 {
	if s, ok := t.(trialStarter); ok {
		return s.startTrial()
	}
	return t.Reset()
}

// startTrial draws a new trial and returns its observed first row.
func (e *Env) startTrial() []float32 {
	e.mustNewTrial()
	return e.observe()
}

// Clone returns an independent copy: tasks, scheduler and current trial.
func (s *Schedule) Clone() Task {
	c := *s
	c.sched = s.sched.Clone()
	c.tasks = make([]Task, len(s.tasks))
	for k, t := range s.tasks {
		c.tasks[k] = t.Clone()
	}
	c.src, c.tr = nil, nil
	c.pending = slices.Clone(s.pending) // rows are never written
	return &c
}
