package tasks

import (
	"math"
	"slices"
	"testing"
)

// ivdCheckTrial checks a trial against neurogym's layout: fixation, stim1
// (duration1), delay1, stim2 (duration2), delay2, decision end to end;
// fixation 1 outside the decision, stim1/stim2 channels 1 in their periods;
// label 1 + ground_truth in the decision, ground_truth 0 iff d1 > d2. fix,
// d2, dec are the constant periods' steps; it returns delay1's steps.
func ivdCheckTrial(t *testing.T, tr *Trial, dt float64, fix, d2, dec int) int {
	t.Helper()
	r := tr.Record.(IntervalDiscriminationTrial)
	if wantGT := cBool(!(r.Duration1 > r.Duration2)); r.GroundTruth != wantGT {
		t.Fatalf("record %+v: ground truth should be %d", r, wantGT)
	}
	s1, s2 := StepsOf(r.Duration1, dt), StepsOf(r.Duration2, dt)
	if float64(s1)*dt != r.Duration1 || float64(s2)*dt != r.Duration2 {
		t.Fatalf("durations %+v are not multiples of dt %v", r, dt)
	}
	d1 := cSpan(t, tr, "delay1")
	kd := d1.End - d1.Start
	b := []int{0, fix, fix + s1, fix + s1 + kd, fix + s1 + kd + s2, fix + s1 + kd + s2 + d2, fix + s1 + kd + s2 + d2 + dec}
	names := []string{"fixation", "stim1", "delay1", "stim2", "delay2", "decision"}
	var want []Period
	for i, n := range names {
		want = append(want, Period{n, b[i], b[i+1]})
	}
	if !slices.Equal(tr.Periods, want) || tr.N != b[6] {
		t.Fatalf("periods %v N %d, want %v", tr.Periods, tr.N, want)
	}
	for s := range tr.N {
		wantObs := []float32{float32(cBool(s < b[5])), float32(cBool(s >= b[1] && s < b[2])), float32(cBool(s >= b[3] && s < b[4]))}
		if !slices.Equal(tr.ObsAt(s), wantObs) {
			t.Fatalf("step %d: obs %v, want %v", s, tr.ObsAt(s), wantObs)
		}
		if wantL := cBool(s >= b[5]) * (1 + r.GroundTruth); tr.Labels[s] != wantL {
			t.Fatalf("step %d: label %d, want %d", s, tr.Labels[s], wantL)
		}
	}
	return kd
}

func TestIntervalDiscriminationDefaults(t *testing.T) {
	e := mustNew(t, NewIntervalDiscrimination, IntervalDiscriminationConfig{Seed: 1})
	if e.Name() != "IntervalDiscrimination-v0" || e.ObsSize() != 3 || e.NumActions() != 3 || e.Dt() != 80 {
		t.Errorf("%s obs %d actions %d dt %v", e.Name(), e.ObsSize(), e.NumActions(), e.Dt())
	}
	if want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}; !slices.Equal(e.RewardValues(), want) {
		t.Errorf("rewards %v", e.RewardValues())
	}
	// neurogym at dt 80: stim = 80 floor(U(300, 600)/80) in {240, ..., 560}
	// with probabilities {1, 4, 4, 4, 2}/15; delay1 = 80k, k = 10..18,
	// P(k) = 80/700 (k < 18), 60/700 (k = 18); fixation 3, delay2 6,
	// decision 3 steps; P(d1 > d2) = (1 - sum p^2)/2 = 86/225.
	const n = 4000
	pStim := map[float64]float64{240: 1. / 15, 320: 4. / 15, 400: 4. / 15, 480: 4. / 15, 560: 2. / 15}
	c1, c2, cd := map[float64]int{}, map[float64]int{}, map[int]int{}
	first := 0
	var length cAcc
	for range n {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(IntervalDiscriminationTrial)
		c1[r.Duration1]++
		c2[r.Duration2]++
		cd[ivdCheckTrial(t, tr, 80, 3, 6, 3)]++
		first += 1 - r.GroundTruth
		length.add(float64(tr.N))
	}
	for d, p := range pStim {
		checkFreq(t, "stim1 duration", c1[d], n, p)
		checkFreq(t, "stim2 duration", c2[d], n, p)
	}
	if len(c1) != 5 || len(c2) != 5 {
		t.Errorf("stimulus durations %v %v", c1, c2)
	}
	wantLen := 12.0 + 2*(240*1+320*4+400*4+480*4+560*2)/15/80
	for k := 10; k <= 18; k++ {
		p := 80.0 / 700
		if k == 18 {
			p = 60.0 / 700
		}
		checkFreq(t, "delay1 steps", cd[k], n, p)
		wantLen += float64(k) * p
	}
	checkFreq(t, "first longer", first, n, 86.0/225)
	cCheckMean(t, "trial length", &length, wantLen)
}

func TestIntervalDiscriminationOptions(t *testing.T) {
	// dt 100: stimuli in {300, 400, 500} ms, each 1/3, so P(d1 > d2) = 1/3;
	// fixation 3, delay2 5, decision 3 steps.
	e := mustNew(t, NewIntervalDiscrimination, IntervalDiscriminationConfig{Dt: 100, Seed: 2})
	const n = 2000
	first := 0
	for range n {
		tr := mustTrial(t, e, nil)
		ivdCheckTrial(t, tr, 100, 3, 5, 3)
		first += 1 - tr.Record.(IntervalDiscriminationTrial).GroundTruth
	}
	checkFreq(t, "dt 100 first longer", first, n, 1.0/3)
	// Timing overrides: stim1 600 -> 560 ms; stim2 choice(200, 1000) -> 160
	// or 960 ms; the first is longer exactly when stim2 is short.
	e = mustNew(t, NewIntervalDiscrimination, IntervalDiscriminationConfig{Seed: 3, Timing: Timing{"stim1": Constant(600),
		"stim2": Choice(200, 1000), "delay1": Constant(800), "decision": Constant(800)}})
	short := 0
	for range 1000 {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(IntervalDiscriminationTrial)
		if kd := ivdCheckTrial(t, tr, 80, 3, 6, 10); kd != 10 || r.Duration1 != 560 || (r.Duration2 == 160) != (r.GroundTruth == 0) {
			t.Fatalf("record %+v delay1 %d", r, kd)
		}
		short += 1 - r.GroundTruth
	}
	checkFreq(t, "short stim2", short, 1000, 0.5)
}

func TestIntervalDiscriminationOverride(t *testing.T) {
	a, b := mustNew(t, NewIntervalDiscrimination, IntervalDiscriminationConfig{Seed: 4}), mustNew(t, NewIntervalDiscrimination, IntervalDiscriminationConfig{Seed: 4})
	for _, tc := range []IntervalDiscriminationTrial{{400, 320, 0}, {320, 400, 1}, {480, 480, 1}, {0, 800, 1}} {
		tr := mustTrial(t, a, OverrideOf(tc))
		mustTrial(t, b, nil)
		if tr.Record != tc {
			t.Errorf("override %+v gave %+v", tc, tr.Record)
		}
		ivdCheckTrial(t, tr, 80, 3, 6, 3)
	}
	cCheckOverrideErrs(t, a, b, map[string]Override{
		"duration1 = 100: want a multiple of dt = 80 ms": {"duration1": 100},
		"duration2 = -80: want a multiple":               {"duration2": -80},
		"ground_truth = 0: computed by the task":         {"duration1": 320, "duration2": 400, "ground_truth": 0},
		`unknown override "delay1"`:                      {"delay1": 800},
	})
}

func TestIntervalDiscriminationConfigErrors(t *testing.T) {
	for want, cfg := range map[string]IntervalDiscriminationConfig{
		"dt = -80":                  {Dt: -80},
		`unknown period "stimulus"`: {Timing: Timing{"stimulus": Constant(100)}},
		"zero-length trial":         {Timing: Timing{"fixation": Constant(0), "delay1": Constant(0), "delay2": Constant(0), "decision": Constant(79)}},
		"timing of stim1":           {Timing: Timing{"stim1": Uniform(600, 300)}},
		"reward correct":            {Rewards: Rewards{Correct: Ptr(math.Inf(1))}},
	} {
		_, err := NewIntervalDiscrimination(cfg)
		checkErr(t, want, err, want)
	}
}

// TestIntervalDiscriminationStep checks the default step on a trial with
// d1 = 480 > d2 = 320 (label 1) and delay1 fixed at 800 ms: 3 + 6 + 10 + 4
// + 6 = 29 steps before the 3-step decision.
func TestIntervalDiscriminationStep(t *testing.T) {
	cCheckSteps(t, func(t *testing.T) Task {
		return mustNew(t, NewIntervalDiscrimination, IntervalDiscriminationConfig{Timing: Timing{"delay1": Constant(800)}})
	}, Override{"duration1": 480, "duration2": 320}, []cStepCase{
		{"fixate", -1, 0, 0, 32, 0},
		{"break fixation", 1, 2, -0.1, 32, 0},
		{"respond in stim1", 4, 1, 0, 32, 0},
		{"correct", 30, 1, 1, 31, 1},
		{"wrong", 29, 2, 0, 30, 0},
	})
}

func TestIntervalDiscriminationSeedAndRegistry(t *testing.T) {
	cSameSeed(t, mustNew(t, NewIntervalDiscrimination, IntervalDiscriminationConfig{Seed: 8}), mustNew(t, NewIntervalDiscrimination, IntervalDiscriminationConfig{Seed: 8}), mustNew(t, NewIntervalDiscrimination, IntervalDiscriminationConfig{Seed: 9}))
	task, err := New(IntervalDiscriminationName, WithSeed(8), WithDt(100))
	if err != nil {
		t.Fatal(err)
	}
	ivdCheckTrial(t, mustTrial(t, task, nil), 100, 3, 5, 3)
}
