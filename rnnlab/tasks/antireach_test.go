package tasks

import (
	"math"
	"slices"
	"testing"
)

// arCheckTrial checks a trial against neurogym's formulas: periods end to
// end with the given steps, fixation 1 before the decision, stimulus
// cos(theta_k - theta_s) with theta_s = theta_g (+ pi on anti trials) in
// the stimulus period only, label g+1 in the decision period.
func arCheckTrial(t *testing.T, tr *Trial, n int, steps [4]int) {
	t.Helper()
	r := tr.Record.(AntiReachTrial)
	f, s, d := steps[0], steps[0]+steps[1], steps[0]+steps[1]+steps[2]
	want := []Period{{"fixation", 0, f}, {"stimulus", f, s}, {"delay", s, d}, {"decision", d, d + steps[3]}}
	if !slices.Equal(tr.Periods, want) || tr.N != d+steps[3] || tr.ObsSize != n+1 {
		t.Fatalf("periods %v N %d, want %v", tr.Periods, tr.N, want)
	}
	ts := 2 * math.Pi * float64(r.GroundTruth) / float64(n)
	if r.Anti {
		ts += math.Pi
	}
	for st := range tr.N {
		o := tr.ObsAt(st)
		if o[0] != float32(cBool(st < d)) {
			t.Fatalf("step %d: fixation %v", st, o[0])
		}
		for k := range n {
			want := 0.0
			if st >= f && st < s {
				want = math.Cos(2*math.Pi*float64(k)/float64(n) - ts)
			}
			if math.Abs(float64(o[1+k])-want) > 1e-6 {
				t.Fatalf("step %d channel %d: %v, want %v", st, 1+k, o[1+k], want)
			}
		}
		if wantL := cBool(st >= d) * (r.GroundTruth + 1); tr.Labels[st] != wantL {
			t.Fatalf("step %d: label %d, want %d", st, tr.Labels[st], wantL)
		}
	}
}

func TestAntiReachDefaults(t *testing.T) {
	e := mustNew(t, NewAntiReach, AntiReachConfig{Seed: 1})
	if e.Name() != "AntiReach-v0" || e.ObsSize() != 33 || e.NumActions() != 33 || e.Dt() != 100 {
		t.Errorf("%s obs %d actions %d dt %v", e.Name(), e.ObsSize(), e.NumActions(), e.Dt())
	}
	if want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}; !slices.Equal(e.RewardValues(), want) {
		t.Errorf("rewards %v", e.RewardValues())
	}
	const n = 3200
	count := make([]int, 32)
	for range n {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(AntiReachTrial)
		if !r.Anti {
			t.Fatal("default trials must be anti")
		}
		count[r.GroundTruth]++
		arCheckTrial(t, tr, 32, [4]int{5, 5, 0, 5})
		// The stimulus peaks opposite the target: channel 1 + (g+16) mod 32.
		st := tr.ObsAt(5)[1:]
		if k := slices.Index(st, slices.Max(st)); k != (r.GroundTruth+16)%32 {
			t.Fatalf("stimulus peak at %d for g %d", k, r.GroundTruth)
		}
	}
	// neurogym: rng.choice(arange(32)); chi-square, 31 df, p = 0.001: 61.10.
	chi2 := 0.0
	for _, c := range count {
		chi2 += (float64(c) - n/32.0) * (float64(c) - n/32.0) / (n / 32.0)
	}
	if chi2 > 61.10 {
		t.Errorf("ground truth counts %v: chi2 %.1f > 61.10", count, chi2)
	}
}

func TestAntiReachOptions(t *testing.T) {
	// Pro trials: the stimulus peaks at the target.
	e := mustNew(t, NewAntiReach, AntiReachConfig{Anti: Ptr(false), Seed: 2})
	for range 500 {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(AntiReachTrial)
		arCheckTrial(t, tr, 32, [4]int{5, 5, 0, 5})
		st := tr.ObsAt(5)[1:]
		if r.Anti || slices.Index(st, slices.Max(st)) != r.GroundTruth {
			t.Fatalf("pro trial %+v: peak at %d", r, slices.Index(st, slices.Max(st)))
		}
	}
	// dim_ring 8, dt 50, a 300 ms delay: 10, 10, 6, 10 steps.
	e = mustNew(t, NewAntiReach, AntiReachConfig{DimRing: 8, Dt: 50, Timing: Timing{"delay": Constant(300)}, Seed: 3})
	if e.ObsSize() != 9 || e.NumActions() != 9 {
		t.Errorf("dim_ring 8: obs %d actions %d", e.ObsSize(), e.NumActions())
	}
	seen := map[int]bool{}
	for range 400 {
		tr := mustTrial(t, e, nil)
		arCheckTrial(t, tr, 8, [4]int{10, 10, 6, 10})
		seen[tr.Record.(AntiReachTrial).GroundTruth] = true
	}
	if len(seen) != 8 {
		t.Errorf("ground truths seen %v, want all 8", seen)
	}
}

func TestAntiReachOverride(t *testing.T) {
	a, b := mustNew(t, NewAntiReach, AntiReachConfig{Seed: 4}), mustNew(t, NewAntiReach, AntiReachConfig{Seed: 4})
	tr := mustTrial(t, a, Override{"ground_truth": 7, "anti": 0})
	mustTrial(t, b, nil)
	if tr.Record != (AntiReachTrial{7, false}) || tr.Labels[10] != 8 {
		t.Fatalf("record %+v label %d", tr.Record, tr.Labels[10])
	}
	arCheckTrial(t, tr, 32, [4]int{5, 5, 0, 5})
	cCheckOverrideErrs(t, a, b, map[string]Override{
		"ground_truth = 32: want an integer in 0..31": {"ground_truth": 32},
		"anti = 0.5: want 0 (pro) or 1 (anti)":        {"anti": 0.5},
		`unknown override "coh"`:                      {"coh": 1},
	})
	pro := mustNew(t, NewAntiReach, AntiReachConfig{Anti: Ptr(false)})
	if tr := mustTrial(t, pro, Override{"anti": 1}); !tr.Record.(AntiReachTrial).Anti {
		t.Error("anti override ignored on a pro task")
	}
}

func TestAntiReachConfigErrors(t *testing.T) {
	for want, cfg := range map[string]AntiReachConfig{
		"dt = NaN":                {Dt: math.NaN()},
		"dim_ring = 1":            {DimRing: 1},
		"dim_ring = -4":           {DimRing: -4},
		`unknown period "sample"`: {Timing: Timing{"sample": Constant(100)}},
		"zero-length trial":       {Timing: Timing{"fixation": Constant(0), "stimulus": Constant(50), "decision": Uniform(0, 300)}},
		"reward abort":            {Rewards: Rewards{Abort: Ptr(math.NaN())}},
	} {
		_, err := NewAntiReach(cfg)
		checkErr(t, want, err, want)
	}
}

// TestAntiReachStep checks the default step with g forced to 3 (label 4):
// decision from step 10, trials of 15 steps.
func TestAntiReachStep(t *testing.T) {
	cCheckSteps(t, func(t *testing.T) Task { return mustNew(t, NewAntiReach, AntiReachConfig{}) }, Override{"ground_truth": 3}, []cStepCase{
		{"fixate", -1, 0, 0, 15, 0},
		{"break fixation", 2, 5, -0.1, 15, 0},
		{"respond during the stimulus", 6, 4, 0, 15, 0},
		{"correct", 12, 4, 1, 13, 1},
		{"the stimulus direction is wrong", 10, 1 + 19, 0, 11, 0},
	})
}

func TestAntiReachSeedAndRegistry(t *testing.T) {
	cSameSeed(t, mustNew(t, NewAntiReach, AntiReachConfig{Seed: 8}), mustNew(t, NewAntiReach, AntiReachConfig{Seed: 8}), mustNew(t, NewAntiReach, AntiReachConfig{Seed: 9}))
	task, err := New(AntiReachName, WithSeed(8), WithDt(250), WithConfig(&AntiReachConfig{DimRing: 4}))
	if err != nil {
		t.Fatal(err)
	}
	arCheckTrial(t, mustTrial(t, task, nil), 4, [4]int{2, 2, 0, 2})
}
