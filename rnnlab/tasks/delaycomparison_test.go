package tasks

import (
	"math"
	"slices"
	"testing"
)

// dcModel is neurogym's observation (delaycomparison.py): the fixation
// channel 1 in every period but the decision, the stimulus channel
// represent(v) = (1 + (v-vmin)/(vmax-vmin))/2 in stimulus1 (v1) and
// stimulus2 (v2), noise on both channels in both stimulus periods, and all
// zero in the decision. vmin, vmax are those of the default pairs, 10, 34.
func dcModel(vmin, vmax float64) taObsModel {
	rep := func(v float64) float64 { return (1 + (v-vmin)/(vmax-vmin)) / 2 }
	return func(tr *Trial, s, ch int) (float64, bool, string) {
		r := tr.Record.(DelayComparisonTrial)
		noisy := tr.InPeriod("stimulus1", s) || tr.InPeriod("stimulus2", s)
		switch {
		case tr.InPeriod("decision", s):
			return 0, false, ""
		case ch == 0:
			return 1, noisy, "fixation channel"
		case tr.InPeriod("stimulus1", s):
			return rep(r.V1), true, "stimulus1"
		case tr.InPeriod("stimulus2", s):
			return rep(r.V2), true, "stimulus2"
		}
		return 0, false, ""
	}
}

// TestDelayComparisonDefaults checks over 3000 trials neurogym v2.2.0's
// fixed layout (5+5+10+5+1 = 26 steps at dt 100), labels gt+1 in the
// decision, the observation means and noise std 0.1 on both channels in
// the stimulus periods, uniform ground truths and pairs, and that label 1
// means "first larger" with the default pairs.
func TestDelayComparisonDefaults(t *testing.T) {
	e := mustNew(t, NewDelayComparison, DelayComparisonConfig{Seed: 1})
	if e.ObsSize() != 2 || e.NumActions() != 3 || e.Dt() != 100 {
		t.Fatalf("obs %d actions %d dt %v", e.ObsSize(), e.NumActions(), e.Dt())
	}
	if want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}; !slices.Equal(e.RewardValues(), want) {
		t.Errorf("rewards %v", e.RewardValues())
	}
	gtN, pairN := make([]int, 2), make([]int, 5)
	oc := newTaObsCheck(0.1)
	for range 3000 {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(DelayComparisonTrial)
		if got := taSpans(tr); got != "fixation[0,5) stimulus1[5,10) delay[10,20) stimulus2[20,25) decision[25,26)" {
			t.Fatalf("periods %s", got)
		}
		p := DefaultVPairs[r.VPair]
		if (r.GroundTruth == 0) != (r.V1 > r.V2) || !(r.V1 == p[0] && r.V2 == p[1] || r.V1 == p[1] && r.V2 == p[0]) {
			t.Fatalf("record %+v: v1, v2 do not follow the pair %v and ground truth", r, p)
		}
		gtN[r.GroundTruth]++
		pairN[r.VPair]++
		taCheckLabels(t, tr, "decision", r.GroundTruth+1)
		oc.add(t, tr, dcModel(10, 34))
	}
	taCheckUniform(t, "ground truth", gtN)
	taCheckUniform(t, "pair", pairN)
	oc.check(t, "fixation channel", "stimulus1", "stimulus2")
}

// TestDelayComparisonOptions checks dt (52 steps at dt 50, noise std
// 1/sqrt(50)), timing overrides (the pre-2020 fixation U(1500, 3000): 15 to
// 29 steps, uniform), custom pairs (rescaled to their own range), sigma 0
// and overrides of ground truth and pair.
func TestDelayComparisonOptions(t *testing.T) {
	e := mustNew(t, NewDelayComparison, DelayComparisonConfig{Dt: 50})
	oc := newTaObsCheck(1 / math.Sqrt(50))
	for range 500 {
		tr := mustTrial(t, e, nil)
		if tr.N != 52 {
			t.Fatalf("dt 50: %s", taSpans(tr))
		}
		oc.add(t, tr, dcModel(10, 34))
	}
	oc.check(t, "fixation channel", "stimulus1", "stimulus2")

	e = mustNew(t, NewDelayComparison, DelayComparisonConfig{Timing: Timing{"fixation": Uniform(1500, 3000)}, Seed: 3})
	fixN := make([]int, 15)
	for range 3000 {
		tr := mustTrial(t, e, nil)
		f, _ := tr.Period("fixation")
		if f.End < 15 || f.End > 29 || tr.N != f.End+21 {
			t.Fatalf("fixation U(1500, 3000): %s", taSpans(tr))
		}
		fixN[f.End-15]++
	}
	taCheckUniform(t, "fixation steps", fixN)

	e = mustNew(t, NewDelayComparison, DelayComparisonConfig{VPairs: [][2]float64{{1, 3}, {2, 3}}, Sigma: Ptr(0.0)})
	for range 200 {
		newTaObsCheck(0).add(t, mustTrial(t, e, nil), dcModel(1, 3)) // exact values
	}
	tr := mustTrial(t, e, Override{"ground_truth": 0, "vpair": 0})
	if r := tr.Record.(DelayComparisonTrial); r != (DelayComparisonTrial{0, 0, 1, 3}) || tr.ObsAt(5)[1] != 0.5 || tr.ObsAt(20)[1] != 1 {
		t.Errorf("pair (1, 3), gt 0: record %+v, stimulus %v then %v, want 0.5 then 1", r, tr.ObsAt(5), tr.ObsAt(20))
	}
	tr = mustTrial(t, e, Override{"ground_truth": 1, "vpair": 1, "v1": 3})
	if r := tr.Record.(DelayComparisonTrial); r != (DelayComparisonTrial{1, 1, 3, 2}) || tr.ObsAt(5)[1] != 1 || tr.ObsAt(20)[1] != 0.75 {
		t.Errorf("pair (2, 3), gt 1: record %+v, stimulus %v then %v, want 1 then 0.75", r, tr.ObsAt(5), tr.ObsAt(20))
	}
	taCheckLabels(t, tr, "decision", 2)
	_, err := e.NewTrial(Override{"vpair": 2})
	checkErr(t, "", err, "vpair = 2")
	_, err = e.NewTrial(Override{"ground_truth": 0, "vpair": 0, "v2": 1})
	checkErr(t, "", err, "override v2 = 1: computed by the task")
}

// TestDelayComparisonStep checks neurogym's _step: the abort reward in the
// fixation period without ending the trial (abort is always off), nothing
// in the other periods, correct +1 (performance 1), wrong 0, and a trial of
// all-fixate actions lasting its 26 steps with no reward.
func TestDelayComparisonStep(t *testing.T) {
	e := mustNew(t, NewDelayComparison, DelayComparisonConfig{Rewards: Rewards{Abort: Ptr(-1.0), Fail: Ptr(-0.5)}})
	for gt := range 2 {
		ov := Override{"ground_truth": float64(gt)}
		rew, n, res := taPlay(t, e, ov, func(tr *Trial, s int) int {
			if s < 25 {
				return 1
			}
			return 1 + gt
		})
		if n != 26 || res.Reward != 1 || res.Performance != 1 || slices.Max(rew[:5]) != -1 || slices.Min(rew[:5]) != -1 ||
			slices.Max(rew[5:25]) != 0 || slices.Min(rew[5:25]) != 0 {
			t.Errorf("gt %d, correct: rewards %v, performance %v", gt, rew, res.Performance)
		}
		_, _, res = taPlay(t, e, ov, func(tr *Trial, s int) int { return 2 - gt })
		if res.Reward != -0.5 || res.Performance != 0 {
			t.Errorf("gt %d, wrong: reward %v, performance %v", gt, res.Reward, res.Performance)
		}
		rew, n, res = taPlay(t, e, ov, func(tr *Trial, s int) int { return 0 })
		if n != 26 || res.Performance != 0 || slices.Max(rew) != 0 || slices.Min(rew) != 0 {
			t.Errorf("gt %d, fixate: %d steps, rewards %v", gt, n, rew)
		}
	}
}

// TestDelayComparisonConfigAndRegistry checks invalid configurations, the
// registry and seeding.
func TestDelayComparisonConfigAndRegistry(t *testing.T) {
	for _, c := range []struct {
		cfg  DelayComparisonConfig
		want string
	}{
		{DelayComparisonConfig{Dt: math.NaN()}, "dt = NaN"},
		{DelayComparisonConfig{Sigma: Ptr(-1.0)}, "sigma = -1"},
		{DelayComparisonConfig{VPairs: [][2]float64{}}, "vpairs is empty"},
		{DelayComparisonConfig{VPairs: [][2]float64{{5, 5}}}, "all values equal"},
		{DelayComparisonConfig{VPairs: [][2]float64{{1, math.Inf(1)}}}, "must be finite"},
		{DelayComparisonConfig{Timing: Timing{"stimulus": Constant(100)}}, `unknown period "stimulus"`},
		{DelayComparisonConfig{Timing: Timing{"delay": Uniform(3, 1)}}, "min > max"},
		{DelayComparisonConfig{Rewards: Rewards{Correct: Ptr(math.NaN())}}, "reward correct = NaN"},
	} {
		taCheckNamedErr(t, taErrOf(NewDelayComparison(c.cfg)), DelayComparisonName, c.want)
	}
	task, err := New(DelayComparisonName, WithDt(20), WithSeed(5))
	if err != nil {
		t.Fatal(err)
	}
	if tr := mustTrial(t, task, nil); task.Dt() != 20 || tr.N != 130 {
		t.Errorf("registry dt 20: dt %v, N %d, want 130", task.Dt(), tr.N)
	}
	taCheckSameSeed(t, func(seed uint64) Task { return mustNew(t, NewDelayComparison, DelayComparisonConfig{Seed: seed}) })
}
