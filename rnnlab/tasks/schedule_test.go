package tasks

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// draws returns n successive Next values of a fresh copy of s set up for
// k tasks and seeded with seed.
func draws(t *testing.T, s Scheduler, k, n int, seed uint64) []int {
	t.Helper()
	s = s.Clone()
	if err := s.Init(k); err != nil {
		t.Fatal(err)
	}
	s.Seed(seed)
	out := make([]int, n)
	for j := range out {
		out[j] = s.Next()
	}
	return out
}

// runs splits a sequence into runs of equal values: value and length.
func runs(seq []int) (vals, lens []int) {
	for j, v := range seq {
		if j == 0 || v != seq[j-1] {
			vals, lens = append(vals, v), append(lens, 0)
		}
		lens[len(lens)-1]++
	}
	return vals, lens
}

// TestSequentialSchedules checks neurogym's deterministic rules
// (utils/scheduler.py): SequentialSchedule increments i before returning
// it, so from i = 0 it gives 1, 2, 0, ...; SequentialBlockSchedule fills
// block i (count < block_lens[i]) before moving to i+1.
func TestSequentialSchedules(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    Scheduler
		k    int
		want []int
	}{
		{"sequential 3", Sequential(), 3, []int{1, 2, 0, 1, 2, 0, 1}},
		{"sequential 1", Sequential(), 1, []int{0, 0, 0}},
		{"sequential block 2,3,1", SequentialBlock(2, 3, 1), 3, []int{0, 0, 1, 1, 1, 2, 0, 0, 1, 1, 1, 2, 0}},
		{"sequential block 1", SequentialBlock(4), 1, []int{0, 0, 0, 0, 0, 0}},
		{"random 1", Random(), 1, []int{0, 0, 0}},
		{"random block 1", RandomBlock(2), 1, []int{0, 0, 0, 0, 0}},
	} {
		if got := draws(t, tc.s, tc.k, len(tc.want), 1); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestRandomSchedules checks, over 30000 draws, neurogym's random rules:
// RandomSchedule draws i uniformly from the n-1 tasks other than the
// previous one (rng.choice of js != i), starting from i = 0;
// RandomBlockSchedule keeps task i for block_lens[i] trials, then moves to
// one of the others uniformly. Transition frequencies are within 5
// binomial standard errors of 1/(n-1).
func TestRandomSchedules(t *testing.T) {
	const n, k = 30000, 4
	sizes := []int{2, 5, 1, 3}
	for _, tc := range []struct {
		name  string
		s     Scheduler
		block func(i int) int
	}{
		{"random", Random(), func(int) int { return 1 }},
		{"random block", RandomBlock(sizes...), func(i int) int { return sizes[i] }},
	} {
		seq := draws(t, tc.s, k, n, 7)
		vals, lens := runs(seq)
		if tc.name == "random" && vals[0] == 0 {
			t.Errorf("random: first task 0, but neurogym excludes the initial i = 0")
		}
		if tc.name == "random block" && vals[0] != 0 {
			t.Errorf("random block: first task %d, want 0", vals[0])
		}
		trans := make([][]int, k)
		for i := range trans {
			trans[i] = make([]int, k)
		}
		for j, v := range vals {
			if j < len(vals)-1 && lens[j] != tc.block(v) {
				t.Fatalf("%s: run %d of task %d has %d trials, want %d", tc.name, j, v, lens[j], tc.block(v))
			}
			if j > 0 {
				trans[vals[j-1]][v]++
			}
		}
		for i := range k {
			tot := 0
			for _, c := range trans[i] {
				tot += c
			}
			for j, c := range trans[i] {
				if i == j {
					continue // equal neighbouring runs would have merged; checked by the run lengths
				}
				p := 1.0 / (k - 1)
				se := math.Sqrt(p * (1 - p) / float64(tot))
				if f := float64(c) / float64(tot); math.Abs(f-p) > 5*se {
					t.Errorf("%s: transition %d->%d frequency %.4f, want %.4f ± %.4f", tc.name, i, j, f, p, 5*se)
				}
			}
		}
		if tc.name == "random" && len(vals) != n {
			t.Errorf("random: %d runs in %d draws: a task repeated", len(vals), n)
		}
		// Same seed, same draws; another seed, others; Clone continues alike.
		if !slices.Equal(draws(t, tc.s, k, 200, 7), seq[:200]) {
			t.Errorf("%s: same seed gave other draws", tc.name)
		}
		if slices.Equal(draws(t, tc.s, k, 200, 8), seq[:200]) {
			t.Errorf("%s: seeds 7 and 8 gave the same draws", tc.name)
		}
		s := tc.s.Clone()
		s.Init(k)
		s.Seed(3)
		for range 17 {
			s.Next()
		}
		c := s.Clone()
		for j := range 100 {
			if a, b := s.Next(), c.Next(); a != b {
				t.Fatalf("%s: clone differs at draw %d: %d vs %d", tc.name, j, a, b)
			}
		}
	}
}

func TestSchedulerInitErrors(t *testing.T) {
	for _, tc := range []struct {
		s    Scheduler
		n    int
		want string
	}{
		{Sequential(), 0, "need at least 1"},
		{Random(), -1, "need at least 1"},
		{SequentialBlock(1, 2), 3, "2 block sizes for 3 tasks"},
		{RandomBlock(1, 2, 3), 2, "3 block sizes for 2 tasks"},
		{SequentialBlock(1, 0, 2), 3, "block size 0 of task 1"},
		{RandomBlock(-2), 1, "block size -2 of task 0"},
	} {
		err := tc.s.Init(tc.n)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%T %v with %d tasks: error %v, want %q", tc.s, tc.s, tc.n, err, tc.want)
		}
	}
}

// threePDM returns three PerceptualDecisionMaking variants with 3 channels
// and 3 actions at dt 100, told apart by their trial lengths: the default
// (N = 22), a noise-free one with coherence 51.2 and a 500 ms stimulus
// (N = 7), and one with a 1000 ms stimulus (N = 12).
func threePDM(t *testing.T) ([]Task, []int) {
	a := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{})
	b := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Cohs: []float64{51.2}, Sigma: Ptr(0.0), Timing: PDMTiming{Stimulus: Constant(500)}})
	c := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Timing: PDMTiming{Stimulus: Constant(1000)}})
	return []Task{a, b, c}, []int{22, 7, 12}
}

func newSchedule(t *testing.T, ts []Task, s Scheduler, rule bool) *Schedule {
	t.Helper()
	sc, err := NewSchedule(ts, s, rule)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// taskSeq draws n trials and returns their tasks, checking that each trial
// has its task's length and, with the rule input, its one-hot rule.
func taskSeq(t *testing.T, s *Schedule, n int, lens []int) []int {
	t.Helper()
	var seq []int
	for range n {
		tr := mustTrial(t, s, nil)
		k := tr.Record.(ScheduleTrial).Task
		if k != s.CurrentTask() || tr.N != lens[k] {
			t.Fatalf("trial of task %d (current %d) has %d steps, want %d", k, s.CurrentTask(), tr.N, lens[k])
		}
		seq = append(seq, k)
	}
	return seq
}

// TestScheduleOrder checks the order of tasks of ScheduleEnvs (wrappers/
// block.py): reset takes the scheduler's first value after its reset, then
// resets every other task through the schedule (set_i(k), one schedule()
// call each), then set_i(first); each new_trial takes next_i_env and calls
// schedule() for the following one.
func TestScheduleOrder(t *testing.T) {
	ts, lens := threePDM(t)
	for _, tc := range []struct {
		name string
		s    Scheduler
		want []int
	}{
		// Sequential: first = 1; resets of 0 and 2 leave i at 1 again.
		{"sequential", Sequential(), []int{1, 2, 0, 1, 2, 0, 1}},
		// Blocks 2,3,1: first = 0 (count 1); resetting 1 makes count 2
		// (< 3), resetting 2 moves to i = 0 with count 1; so block 0 is
		// whole here, then the regular blocks.
		{"sequential block", SequentialBlock(2, 3, 1), []int{0, 0, 1, 1, 1, 2, 0, 0, 1}},
		// Blocks 2,3,4: first 0 (count 1); reset of 1 gives count 2 < 3;
		// reset of 2 count 3 < 4; set_i(0): count 3 >= 2 ends block 0 at
		// once.
		{"sequential block short", SequentialBlock(2, 3, 4), []int{0, 1, 1, 1, 2, 2, 2, 2, 0, 0}},
	} {
		s := newSchedule(t, ts, tc.s, false)
		s.Seed(5)
		if got := taskSeq(t, s, len(tc.want), lens); !slices.Equal(got, tc.want) {
			t.Errorf("%s: tasks %v, want %v", tc.name, got, tc.want)
		}
		s.Reset()
		if s.CurrentTask() != tc.want[0] {
			t.Errorf("%s: Reset starts with task %d, want %d", tc.name, s.CurrentTask(), tc.want[0])
		}
		if got := taskSeq(t, s, len(tc.want)-1, lens); !slices.Equal(got, tc.want[1:]) {
			t.Errorf("%s: after Reset %v, want %v", tc.name, got, tc.want[1:])
		}
	}
	// Random over 3 tasks: never task 0 first, never twice in a row, each
	// task a third of the trials (within 5 SE).
	s := newSchedule(t, ts, Random(), true)
	firsts := make([]int, 3)
	for seed := range uint64(300) {
		s.Seed(seed)
		firsts[taskSeq(t, s, 1, lens)[0]]++
	}
	if firsts[0] != 0 || firsts[1] == 0 || firsts[2] == 0 {
		t.Errorf("random: first tasks %v, want never 0", firsts)
	}
	s.Seed(1)
	seq := taskSeq(t, s, 6000, lens)
	cnt := make([]int, 3)
	for j, k := range seq {
		if j > 0 && k == seq[j-1] {
			t.Fatalf("random: task %d twice in a row at trial %d", k, j)
		}
		cnt[k]++
	}
	for k, c := range cnt {
		p, n := 1.0/3, float64(len(seq))
		if f := float64(c) / n; math.Abs(f-p) > 5*math.Sqrt(p*(1-p)/n) {
			t.Errorf("random: task %d frequency %.4f, want 1/3", k, f)
		}
	}
}

// TestScheduleRuleInput checks the trials: the inner trial's observations
// followed by the one-hot rule of its task at every step (neurogym's
// env_ob[:, i_env] = 1), its labels and periods, and its record.
func TestScheduleRuleInput(t *testing.T) {
	ts, _ := threePDM(t)
	s := newSchedule(t, ts, RandomBlock(2, 1, 3), true)
	s.Seed(11)
	ref := make([]Task, 3) // the inner tasks, seeded as Seed seeds them
	for k, in := range s.Tasks() {
		ref[k] = in.Clone()
	}
	if s.ObsSize() != 6 || s.NumActions() != 3 || s.Dt() != 100 {
		t.Fatalf("sizes %d %d %v", s.ObsSize(), s.NumActions(), s.Dt())
	}
	want := []Group{{"fixation", []int{0}}, {"stimulus", []int{1, 2}}, {"rule", []int{3, 4, 5}}}
	if g := s.ObsGroups(); len(g) != 3 || g[2].Name != "rule" || !slices.Equal(g[2].Indices, want[2].Indices) || g[1].Name != "stimulus" {
		t.Errorf("obs groups %v, want %v", g, want)
	}
	for range 300 {
		tr := mustTrial(t, s, nil)
		r := tr.Record.(ScheduleTrial)
		in := mustTrial(t, ref[r.Task], nil)
		if tr.ObsSize != 6 || tr.N != in.N || !slices.Equal(tr.Labels, in.Labels) || !slices.Equal(tr.Periods, in.Periods) || r.Inner != in.Record {
			t.Fatalf("trial of task %d differs from the task's own: %+v vs %+v", r.Task, tr.Record, in.Record)
		}
		for st := range tr.N {
			row := tr.ObsAt(st)
			if !slices.Equal(row[:3], in.ObsAt(st)) {
				t.Fatalf("step %d: observation %v, task's %v", st, row[:3], in.ObsAt(st))
			}
			for k := range 3 {
				if w := float32(b2f(k == r.Task)); row[3+k] != w {
					t.Fatalf("task %d step %d: rule %v", r.Task, st, row[3:])
				}
			}
		}
		if v, _ := Lookup(r, "task"); int(v) != r.Task || r.Fields()[0].Name != "task" {
			t.Fatalf("fields %v", r.Fields())
		}
		if g, ok := GroundTruth(r); !ok || g != in.Record.(PDMTrial).GroundTruth {
			t.Fatal("ground_truth not passed through")
		}
	}
	// Without the rule input the observation is the task's.
	s2 := newSchedule(t, ts, Sequential(), false)
	if tr := mustTrial(t, s2, nil); s2.ObsSize() != 3 || tr.ObsSize != 3 || len(s2.ObsGroups()) != 2 {
		t.Errorf("no rule input: obs size %d, groups %v", s2.ObsSize(), s2.ObsGroups())
	}
}

// TestScheduleDataset builds a Dataset over a random schedule with the rule
// input: every batch equals the trials that clone i of the schedule, seeded
// with Seed+i, draws back to back, and at every step the rule channel is
// the one-hot of the task of the trial the step belongs to.
func TestScheduleDataset(t *testing.T) {
	ts, lens := threePDM(t)
	s := newSchedule(t, ts, Random(), true)
	cfg := DatasetConfig{BatchSize: 4, SeqLen: 50, CacheLen: 400, Seed: 3}
	ds, err := NewDataset(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ds2, _ := NewDataset(s, cfg)
	cfg.Seed = 4
	ds3, _ := NewDataset(s, cfg)
	const nb = 12 // 600 steps: crosses a cache refill (CacheLen 450)
	var batches []*Batch
	same, other := true, true
	for range nb {
		b := ds.Next()
		b2, b3 := ds2.Next(), ds3.Next()
		same = same && slices.Equal(b.Inputs, b2.Inputs) && slices.Equal(b.Labels, b2.Labels)
		other = other && slices.Equal(b.Inputs, b3.Inputs)
		batches = append(batches, b)
	}
	if !same {
		t.Error("same seed, different batches")
	}
	if other {
		t.Error("seeds 3 and 4 gave the same batches")
	}
	cache := ds.CacheLen()
	if cache != 450 {
		t.Fatalf("cache length %d, want (1+400/50)*50 = 450", cache)
	}
	for i := range cfg.BatchSize {
		env := s.Clone()
		env.Seed(3 + uint64(i))
		var obs [][]float32
		var labels []int
		var task []int
		// The reference stream: caches of CacheLen rows, each filled with
		// trials back to back, the last one cut at the cache end.
		for p := 0; p < 2*cache; {
			tr := mustTrial(t, env, nil)
			k := tr.Record.(ScheduleTrial).Task
			if tr.N != lens[k] {
				t.Fatalf("trial length %d for task %d", tr.N, k)
			}
			n := min(tr.N, cache-p%cache)
			for st := range n {
				obs = append(obs, tr.ObsAt(st))
				labels = append(labels, tr.Labels[st])
				task = append(task, k)
			}
			p += n
		}
		// A cache of 450 rows serves rows 0..399 (8 batches), then refills.
		for bi, b := range batches {
			for st := range b.T {
				p := (bi/8)*cache + (bi%8)*50 + st
				got := b.Inputs[(st*b.B+i)*6 : (st*b.B+i+1)*6]
				if !slices.Equal(got, obs[p]) || int(b.Labels[st*b.B+i]) != labels[p] {
					t.Fatalf("row %d batch %d step %d: %v label %d, want %v label %d", i, bi, st, got, b.Labels[st*b.B+i], obs[p], labels[p])
				}
				for k := range 3 {
					if got[3+k] != float32(b2f(k == task[p])) {
						t.Fatalf("row %d batch %d step %d: rule %v for task %d", i, bi, st, got[3:], task[p])
					}
				}
			}
		}
	}
}

// TestScheduleOverride forces the task and the inner task's fields; the
// scheduled sequence goes on unchanged and a bad override changes nothing.
func TestScheduleOverride(t *testing.T) {
	ts, lens := threePDM(t)
	s := newSchedule(t, ts, Sequential(), true)
	s.Seed(2)
	ref := s.Clone().(*Schedule)
	tr := mustTrial(t, s, Override{"task": 2, "ground_truth": 1, "coh": 25.6})
	r := tr.Record.(ScheduleTrial)
	if r.Task != 2 || r.Inner != (PDMTrial{1, 25.6}) || tr.N != lens[2] || tr.ObsAt(0)[5] != 1 {
		t.Errorf("forced trial %+v, N %d, rule %v", r, tr.N, tr.ObsAt(0)[3:])
	}
	mustTrial(t, ref, nil)
	if s.NextTask() != ref.NextTask() || s.NextTask() != 2 {
		t.Errorf("next task %d after a forced trial, %d without (want 2)", s.NextTask(), ref.NextTask())
	}
	for _, tc := range []struct {
		ov   Override
		want string
	}{
		{Override{"task": 3}, "override task = 3: want an integer in 0..2"},
		{Override{"task": 0.5}, "override task = 0.5"},
		{Override{"task": -1}, "override task = -1"},
		{Override{"side": 1}, `schedule task 2: PerceptualDecisionMaking-v0: unknown override "side"`},
		{Override{"task": 1, "coh": math.NaN()}, "schedule task 1: PerceptualDecisionMaking-v0: override coh = NaN"},
	} {
		before := s.Clone().(*Schedule)
		_, err := s.NewTrial(tc.ov)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("override %v: error %v, want %q", tc.ov, err, tc.want)
		}
		a, b := mustTrial(t, s, nil), mustTrial(t, before, nil)
		if a.Record != b.Record || !slices.Equal(a.Obs, b.Obs) {
			t.Fatalf("override %v changed the schedule: %v vs %v", tc.ov, a.Record, b.Record)
		}
	}
	// OverrideOf a record reproduces it on another schedule.
	other := newSchedule(t, ts, Random(), true)
	for range 50 {
		rec := mustTrial(t, s, nil).Record
		if got := mustTrial(t, other, OverrideOf(rec)).Record; got != rec {
			t.Fatalf("OverrideOf(%v) gave %v", rec, got)
		}
	}
}

func TestScheduleErrors(t *testing.T) {
	ts, _ := threePDM(t)
	ring3 := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{DimRing: 3})
	dt50 := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Dt: 50})
	for _, tc := range []struct {
		ts   []Task
		s    Scheduler
		want string
	}{
		{nil, Sequential(), "schedule: no tasks"},
		{ts, nil, "schedule: nil scheduler"},
		{[]Task{ts[0], nil}, Sequential(), "task 1 is nil"},
		{[]Task{ts[0], ts[1], ring3}, Sequential(), "task 2 PerceptualDecisionMaking-v0 has 4 observation channels, 4 actions, dt 100 ms; task 0 PerceptualDecisionMaking-v0 has 3, 3, 100 ms"},
		{[]Task{ts[0], dt50}, Random(), "task 1 PerceptualDecisionMaking-v0 has 3 observation channels, 3 actions, dt 50 ms"},
		{ts, SequentialBlock(1, 2), "schedule: block schedule: 2 block sizes for 3 tasks"},
		{ts, RandomBlock(1, 0, 2), "block size 0 of task 1"},
	} {
		_, err := NewSchedule(tc.ts, tc.s, true)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
}

// TestScheduleStep plays trials: rewards and labels are the inner task's,
// a trial end switches to the task picked when the trial began, and the
// returned observations carry that task's rule.
func TestScheduleStep(t *testing.T) {
	ts, lens := threePDM(t)
	s := newSchedule(t, ts, Random(), true)
	s.Seed(9)
	obs := s.Reset()
	if !slices.Equal(obs, s.Current().ObsAt(0)) || obs[3+s.CurrentTask()] != 1 {
		t.Fatalf("Reset obs %v, trial's %v", obs, s.Current().ObsAt(0))
	}
	c := s.Clone()
	for trial := range 200 {
		tr, k, next := s.Current(), s.CurrentTask(), s.NextTask()
		gt, _ := GroundTruth(tr.Record)
		choice := gt + 1
		if trial%2 == 1 {
			choice = 2 - gt // wrong
		}
		for st := 0; ; st++ {
			a := 0
			if st == tr.N-1 {
				a = choice
			}
			res := s.Step(a)
			if res.Label != tr.Labels[st] {
				t.Fatalf("label %d, want %d", res.Label, tr.Labels[st])
			}
			if st < tr.N-1 {
				if res.NewTrial || res.Reward != 0 || !slices.Equal(res.Obs, tr.ObsAt(st+1)) {
					t.Fatalf("trial %d step %d: %+v", trial, st, res)
				}
				continue
			}
			wantR := 1 - float64(trial%2)
			if !res.NewTrial || res.Reward != wantR || res.Performance != wantR {
				t.Fatalf("trial %d of task %d: end %v reward %v perf %v, want reward %v", trial, k, res.NewTrial, res.Reward, res.Performance, wantR)
			}
			cur := s.Current()
			if s.CurrentTask() != next || res.Trial != cur.Record || res.Trial.(ScheduleTrial).Task != next || cur.N != lens[next] {
				t.Fatalf("trial %d: new task %d, record %v, want task %d", trial, s.CurrentTask(), res.Trial, next)
			}
			if !slices.Equal(res.Obs, cur.ObsAt(0)) || res.Obs[3+next] != 1 {
				t.Fatalf("new trial's first obs %v, trial's %v", res.Obs, cur.ObsAt(0))
			}
			if next == k {
				t.Fatal("random schedule repeated a task")
			}
			break
		}
	}
	// A clone steps as the original does.
	for j := range 60 {
		cl := c.Clone()
		a, b := c.Step(j%3), cl.Step(j%3)
		if !slices.Equal(a.Obs, b.Obs) || a.Reward != b.Reward || a.Trial != b.Trial {
			t.Fatal("clone diverged")
		}
	}
	// Abort on break of fixation is the inner task's (PDM: reward -0.1).
	s.Reset()
	if res := s.Step(1); res.Reward != -0.1 || res.NewTrial {
		t.Errorf("break fixation: %+v", res)
	}
}

// TestScheduleRollout records a rollout (plot_env data) of a schedule: the
// trials' records carry their task, each step's rule channel matches it,
// and the groups and rewards are there for the plot.
func TestScheduleRollout(t *testing.T) {
	ts, lens := threePDM(t)
	s := newSchedule(t, ts, Sequential(), true)
	s.Seed(0)
	rec, err := Rollout(s, RolloutConfig{Trials: 6, Seed: 1, Policy: func([]float32) int { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Trials) != 6 || rec.ObsSize != 6 || rec.ObsGroups[len(rec.ObsGroups)-1].Name != "rule" || len(rec.ActionGroups) != 2 {
		t.Fatalf("rollout: %d trials, obs %d, groups %v %v", len(rec.Trials), rec.ObsSize, rec.ObsGroups, rec.ActionGroups)
	}
	if rec.TaskName != "Schedule(PerceptualDecisionMaking-v0, PerceptualDecisionMaking-v0, PerceptualDecisionMaking-v0)" &&
		rec.TaskName != "Schedule(3 tasks)" {
		t.Errorf("name %q", rec.TaskName)
	}
	for j, r := range rec.Trials {
		k := r.(ScheduleTrial).Task
		if k != []int{1, 2, 0, 1, 2, 0}[j] {
			t.Errorf("trial %d of task %d", j, k)
		}
		end := rec.NumSteps
		if j+1 < len(rec.TrialStarts) {
			end = rec.TrialStarts[j+1]
		}
		if end-rec.TrialStarts[j] != lens[k] {
			t.Errorf("trial %d lasts %d steps, task %d has %d", j, end-rec.TrialStarts[j], k, lens[k])
		}
		for st := rec.TrialStarts[j]; st < end; st++ {
			if o := rec.ObsAt(st); o[3+k] != 1 || o[3]+o[4]+o[5] != 1 {
				t.Fatalf("step %d: rule %v for task %d", st, o[3:], k)
			}
		}
	}
	cols := Columns(rec.Trials)
	if cols[0].Name != "task" || !cols[0].Discrete || cols[1].Name != "ground_truth" {
		t.Errorf("columns %v", cols)
	}
	if !slices.Equal(rec.RewardValues, []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}) {
		t.Errorf("rewards %v", rec.RewardValues)
	}
}

// observedDef is a toy task whose Observer marks channel 2 with 7 in every
// observation handed to an agent.
type observedDef struct{}

func (observedDef) Spec() Spec {
	return Spec{
		Name: "Observed-v0", Dt: 100, Timing: Timing{"fixation": Constant(200), "decision": Constant(100)},
		Obs:     []Group{{"fixation", []int{0}}, {"stimulus", []int{1, 2}}},
		Actions: []Group{{"fixation", []int{0}}, {"choice", []int{1, 2}}},
		Rewards: []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}},
	}
}

func (observedDef) NewTrial(b *Builder) Record {
	r := PDMTrial{GroundTruth: b.Int("ground_truth", 2)}
	b.Periods("fixation", "decision")
	b.SetChoice("choice", r.GroundTruth, "decision")
	return r
}

func (observedDef) Observe(e *Env, obs []float32) { obs[2] = 7 }

// TestScheduleNested checks the trial starts inside a schedule: a task's
// Observer applies to a new trial's first observation, and an inner
// schedule goes on with its own sequence (it is not reset at every trial),
// on the Step path as with NewTrial.
func TestScheduleNested(t *testing.T) {
	ts, _ := threePDM(t)
	obsEnv, err := NewEnv(observedDef{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	inner := newSchedule(t, []Task{ts[0], ts[1], ts[2]}, Sequential(), false)
	outer := newSchedule(t, []Task{inner, obsEnv}, SequentialBlock(3, 2), true)
	outer.Seed(1)
	// Tasks of the NewTrial path: outer 0 (blocks of 3 after the first,
	// see TestScheduleOrder), inner 1, 2, 0, 1, ... on its own trials.
	var want [][2]int
	c := outer.Clone().(*Schedule)
	for range 20 {
		r := mustTrial(t, c, nil).Record.(ScheduleTrial)
		in := -1
		if r.Task == 0 {
			in = r.Inner.(ScheduleTrial).Task
		}
		want = append(want, [2]int{r.Task, in})
	}
	var got [][2]int
	add := func(rec Record) {
		r := rec.(ScheduleTrial)
		in := -1
		if r.Task == 0 {
			in = r.Inner.(ScheduleTrial).Task
		}
		got = append(got, [2]int{r.Task, in})
	}
	outer.Reset()
	add(outer.Current().Record)
	for len(got) < 20 {
		res := outer.Step(0)
		if res.NewTrial {
			add(res.Trial)
		}
		if outer.CurrentTask() == 1 && res.Obs[2] != 7 {
			t.Fatalf("observer not applied: %v (new trial %v)", res.Obs, res.NewTrial)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Step path tasks %v,\nNewTrial path %v", got, want)
	}
	innerSeq := []int{}
	for _, g := range got {
		if g[0] == 0 {
			innerSeq = append(innerSeq, g[1])
		}
	}
	for j, k := range innerSeq {
		if k != []int{1, 2, 0}[j%3] {
			t.Fatalf("inner schedule tasks %v, want 1, 2, 0, ...", innerSeq)
		}
	}
}
