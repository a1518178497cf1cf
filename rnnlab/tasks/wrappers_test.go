package tasks

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// TestNoiseStatistics checks neurogym's Noise (wrappers/noise.py): obs +=
// rng.normal(0, std_noise) on every channel at every step, std_noise used
// as is (no dt). The wrapped task seeded alike draws the same clean trials
// (the noise has its own generator), so noisy - clean is the noise: its
// mean per channel is 0 and its std 0.3, within 5 standard errors, in
// every period, including the fixation channel in the decision period.
func TestNoiseStatistics(t *testing.T) {
	const std = 0.3
	pdm := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Dt: 50})
	w, err := NewNoise(pdm, std)
	if err != nil {
		t.Fatal(err)
	}
	w.Seed(4)
	clean := pdm.Clone()
	clean.Seed(4)
	type key struct {
		period string
		ch     int
	}
	sum, ss, cnt := map[key]float64{}, map[key]float64{}, map[key]int{}
	for range 2000 {
		tr := mustTrial(t, w, nil)
		in := mustTrial(t, clean, nil)
		if tr.Record != in.Record || tr.N != in.N || !slices.Equal(tr.Labels, in.Labels) {
			t.Fatal("the noisy trial is not the wrapped task's")
		}
		for _, p := range tr.Periods {
			for st := p.Start; st < p.End; st++ {
				for c := range 3 {
					d := float64(tr.ObsAt(st)[c]) - float64(in.ObsAt(st)[c])
					k := key{p.Name, c}
					sum[k] += d
					ss[k] += d * d
					cnt[k]++
				}
			}
		}
	}
	if len(cnt) != 9 {
		t.Fatalf("periods/channels seen: %v", cnt)
	}
	for k, n := range cnt {
		m := sum[k] / float64(n)
		sd := math.Sqrt(ss[k]/float64(n) - m*m)
		if se := std / math.Sqrt(float64(n)); math.Abs(m) > 5*se {
			t.Errorf("%v: noise mean %.5f, want 0 ± %.5f", k, m, 5*se)
		}
		if se := std / math.Sqrt(2*float64(n)); math.Abs(sd-std) > 5*se {
			t.Errorf("%v: noise std %.5f, want %v ± %.5f", k, sd, std, 5*se)
		}
	}
}

// TestNoiseStep checks that Reset and Step return the current trial's
// noisy rows, across trial boundaries, with the wrapped task's rewards;
// that the same seed gives the same noise and a clone the same future; and
// that std 0 changes nothing.
func TestNoiseStep(t *testing.T) {
	pdm := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{})
	w, _ := NewNoise(pdm, 0.5)
	w.Seed(1)
	obs := w.Reset()
	if !slices.Equal(obs, w.Current().ObsAt(0)) {
		t.Fatal("Reset obs is not the trial's first row")
	}
	tr, st := w.Current(), 0
	ref := pdm.Clone()
	ref.Seed(1)
	ref.Reset()
	for j := range 300 {
		var res StepResult
		if j == 150 {
			c := w.Clone()
			res = w.Step(j % 3)
			if b := c.Step(j % 3); !slices.Equal(res.Obs, b.Obs) {
				t.Fatal("clone diverged")
			}
		} else {
			res = w.Step(j % 3)
		}
		rr := ref.Step(j % 3)
		if res.Reward != rr.Reward || res.NewTrial != rr.NewTrial || res.Label != rr.Label {
			t.Fatalf("step %d: %+v, wrapped task %+v", j, res, rr)
		}
		st++
		if res.NewTrial {
			tr, st = w.Current(), 0
			if res.Trial != tr.Record {
				t.Fatal("new trial's record")
			}
		}
		if !slices.Equal(res.Obs, tr.ObsAt(st)) {
			t.Fatalf("step %d: obs %v, trial row %v", j, res.Obs, tr.ObsAt(st))
		}
		if slices.Equal(res.Obs, rr.Obs) {
			t.Fatalf("step %d: no noise", j)
		}
	}
	w2, _ := NewNoise(pdm, 0.5)
	w2.Seed(1)
	w.Seed(1)
	if a, b := mustTrial(t, w, nil), mustTrial(t, w2, nil); !slices.Equal(a.Obs, b.Obs) {
		t.Error("same seed, different noise")
	}
	w0, _ := NewNoise(pdm, 0)
	w0.Seed(6)
	ref.Seed(6)
	if a, b := mustTrial(t, w0, nil), mustTrial(t, ref, nil); !slices.Equal(a.Obs, b.Obs) {
		t.Error("std 0 changed the observations")
	}
	// The supervised Dataset sees the noise.
	d0, _ := NewDataset(ref, DatasetConfig{BatchSize: 2, SeqLen: 100, Seed: 1})
	d1, _ := NewDataset(w, DatasetConfig{BatchSize: 2, SeqLen: 100, Seed: 1})
	b0, b1 := d0.Next(), d1.Next()
	var ss float64
	for j := range b0.Inputs {
		d := float64(b1.Inputs[j] - b0.Inputs[j])
		ss += d * d
	}
	if sd := math.Sqrt(ss / float64(len(b0.Inputs))); math.Abs(sd-0.5) > 5*0.5/math.Sqrt(2*float64(len(b0.Inputs))) || !slices.Equal(b0.Labels, b1.Labels) {
		t.Errorf("dataset noise std %v, want 0.5", sd)
	}
	for _, bad := range []float64{-0.1, math.NaN(), math.Inf(1)} {
		if _, err := NewNoise(pdm, bad); err == nil || !strings.Contains(err.Error(), "std") {
			t.Errorf("std %v: error %v", bad, err)
		}
	}
	if _, err := NewNoise(nil, 0.1); err == nil {
		t.Error("nil task accepted")
	}
}

// TestPassActionReward checks neurogym's PassAction and PassReward
// (wrappers/pass_action.py, pass_reward.py): after step(a) the observation
// is the wrapped task's with a (or the step's reward) appended, also
// across trial boundaries; the channel is 0 after Reset and in NewTrial's
// trials (hence in Dataset batches).
func TestPassActionReward(t *testing.T) {
	pdm := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{})
	pa, _ := NewPassAction(pdm)
	pr, _ := NewPassReward(pdm)
	for _, tc := range []struct {
		w      Task
		name   string
		reward bool
	}{{pa, "action", false}, {pr, "reward", true}} {
		w := tc.w
		w.Seed(2)
		ref := pdm.CloneEnv()
		ref.Seed(2)
		if w.ObsSize() != 4 || w.NumActions() != 3 || w.Name() != pdm.Name() {
			t.Fatalf("%s: sizes %d %d %s", tc.name, w.ObsSize(), w.NumActions(), w.Name())
		}
		g := w.(GroupedTask).ObsGroups()
		if last := g[len(g)-1]; last.Name != tc.name || !slices.Equal(last.Indices, []int{3}) {
			t.Errorf("groups %v", g)
		}
		obs, robs := w.Reset(), ref.Reset()
		if !slices.Equal(obs, append(robs, 0)) {
			t.Fatalf("%s: Reset obs %v, want %v and 0", tc.name, obs, robs)
		}
		// Break fixation (-0.1), fixate, then at the decision (step 21)
		// choose right (+1) or wrong (0); actions 0..2 elsewhere.
		rewards, fails := map[float64]bool{}, 0
		for j := range 200 {
			gt, _ := GroundTruth(ref.Current().Record)
			a := []int{1, 0, 2}[j%3]
			if ref.StepIndex() == 21 {
				a = 1 + gt
				if j%44 == 21 { // every other trial (trials last 22 steps)
					a = 2 - gt
				}
			}
			res, rr := w.Step(a), ref.Step(a)
			want := float32(a)
			if tc.reward {
				want = float32(rr.Reward)
			}
			rewards[rr.Reward] = true
			if rr.NewTrial && rr.Reward == 0 {
				fails++
			}
			if !slices.Equal(res.Obs, append(rr.Obs, want)) || res.Reward != rr.Reward || res.NewTrial != rr.NewTrial {
				t.Fatalf("%s step %d: obs %v reward %v, want %v + %v", tc.name, j, res.Obs, res.Reward, rr.Obs, want)
			}
			if res.NewTrial && res.Trial != w.Current().Record {
				t.Fatal("record of the new trial")
			}
		}
		if len(rewards) != 3 || fails == 0 {
			t.Errorf("rewards seen %v and %d fails, want -0.1, 0, 1 and fails", rewards, fails)
		}
		tr, rt := mustTrial(t, w, nil), mustTrial(t, ref, nil)
		for st := range tr.N {
			if !slices.Equal(tr.ObsAt(st), append(slices.Clone(rt.ObsAt(st)), 0)) {
				t.Fatalf("%s: NewTrial row %d %v", tc.name, st, tr.ObsAt(st))
			}
		}
		ds, _ := NewDataset(w, DatasetConfig{BatchSize: 3, SeqLen: 40})
		b := ds.Next()
		for j := 3; j < len(b.Inputs); j += 4 {
			if b.Inputs[j] != 0 {
				t.Fatalf("%s: dataset channel %v", tc.name, b.Inputs[j])
			}
		}
		c := w.Clone()
		if a, b := w.Step(1), c.Step(1); !slices.Equal(a.Obs, b.Obs) {
			t.Errorf("%s: clone diverged", tc.name)
		}
	}
	if _, err := NewPassAction(nil); err == nil {
		t.Error("nil task accepted")
	}
	if _, err := NewPassReward(nil); err == nil {
		t.Error("nil task accepted")
	}
}

// TestWrappedSchedule stacks the wrappers on a schedule with the rule
// input, as a multi-task RL set-up would: sizes add up and a rollout runs.
func TestWrappedSchedule(t *testing.T) {
	ts, _ := threePDM(t)
	s := newSchedule(t, ts, RandomBlock(2, 2, 2), true)
	n, _ := NewNoise(s, 0.1)
	pa, _ := NewPassAction(n)
	pr, _ := NewPassReward(pa)
	pr.Seed(3)
	if pr.ObsSize() != 8 {
		t.Fatalf("obs size %d, want 3 + 3 rule + 2", pr.ObsSize())
	}
	rec, err := Rollout(pr, RolloutConfig{Trials: 5, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, g := range rec.ObsGroups {
		names = append(names, g.Name)
	}
	if !slices.Equal(names, []string{"fixation", "stimulus", "rule", "action", "reward"}) {
		t.Errorf("groups %v", names)
	}
	for j := 1; j < rec.NumSteps; j++ {
		if o := rec.ObsAt(j); o[6] != float32(rec.Actions[j-1]) || o[7] != float32(rec.Rewards[j-1]) {
			t.Fatalf("step %d: passed %v %v, previous action %d reward %v", j, o[6], o[7], rec.Actions[j-1], rec.Rewards[j-1])
		}
	}
	if _, ok := rec.Trials[0].(ScheduleTrial); !ok {
		t.Errorf("record %T", rec.Trials[0])
	}
}
