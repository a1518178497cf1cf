package tasks

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// msModel is neurogym's observation (multisensory.py) for a ring of 2:
// fixation 1 in fixation and stimulus; in the stimulus period modality 1
// shows 0.5 ± c p/200 and modality 2 0.5 ± c (1-p)/200 (+ toward the
// ground truth, - on the other channel), and noise on every channel, the
// fixation channel included; all zero in the decision.
func msModel(tr *Trial, s, ch int) (float64, bool, string) {
	r := tr.Record.(MultiSensoryTrial)
	stim := tr.InPeriod("stimulus", s)
	switch {
	case tr.InPeriod("decision", s):
		return 0, false, ""
	case ch == 0:
		return 1, stim, "fixation channel"
	case !stim:
		return 0, false, ""
	}
	m, k := (ch-1)/2, (ch-1)%2
	c := r.Coh * r.CohProp
	if m == 1 {
		c = r.Coh * (1 - r.CohProp)
	}
	if k == r.GroundTruth {
		return 0.5 + c/200, true, fmt.Sprintf("mod%d toward", m+1)
	}
	return 0.5 - c/200, true, fmt.Sprintf("mod%d away", m+1)
}

// TestMultiSensoryDefaults checks over 4000 trials the layout (3+7+1 = 11
// steps at dt 100), labels gt+1 in the decision, the observation means and
// noise std 0.1, uniform ground truths and coherences {5, 15, 50}, and
// coh_prop uniform on [0, 1) (mean 1/2 within 5 SE, and a quarter of the
// trials in each quarter of the interval).
func TestMultiSensoryDefaults(t *testing.T) {
	e := mustNew(t, NewMultiSensoryIntegration, MultiSensoryIntegrationConfig{Seed: 1})
	if e.ObsSize() != 5 || e.NumActions() != 3 || e.Dt() != 100 {
		t.Fatalf("obs %d actions %d dt %v", e.ObsSize(), e.NumActions(), e.Dt())
	}
	if want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}; !slices.Equal(e.RewardValues(), want) {
		t.Errorf("rewards %v", e.RewardValues())
	}
	const n = 4000
	gtN, cohN, quarterN := make([]int, 2), make([]int, 3), make([]int, 4)
	oc := newTaObsCheck(0.1)
	var sum float64
	for range n {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(MultiSensoryTrial)
		if got := taSpans(tr); got != "fixation[0,3) stimulus[3,10) decision[10,11)" {
			t.Fatalf("periods %s", got)
		}
		if r.CohProp < 0 || r.CohProp >= 1 {
			t.Fatalf("coh_prop %v outside [0, 1)", r.CohProp)
		}
		gtN[r.GroundTruth]++
		cohN[slices.Index(contextDMCohs, r.Coh)]++
		quarterN[int(4*r.CohProp)]++
		sum += r.CohProp
		taCheckLabels(t, tr, "decision", r.GroundTruth+1)
		oc.add(t, tr, msModel)
	}
	taCheckUniform(t, "ground truth", gtN)
	taCheckUniform(t, "coherence", cohN)
	taCheckUniform(t, "coh_prop quarter", quarterN)
	if se := 1 / math.Sqrt(12*n); math.Abs(sum/n-0.5) > 5*se {
		t.Errorf("mean coh_prop %.4f, want 0.5 ± %.4f", sum/n, 5*se)
	}
	oc.check(t, "fixation channel", "mod1 toward", "mod1 away", "mod2 toward", "mod2 away")
}

// TestMultiSensoryOptions checks dt (noise std 1/sqrt(50), 22 steps at dt
// 50), timing overrides, a ring of 3 and the overrides.
func TestMultiSensoryOptions(t *testing.T) {
	e := mustNew(t, NewMultiSensoryIntegration, MultiSensoryIntegrationConfig{Dt: 50})
	oc := newTaObsCheck(1 / math.Sqrt(50))
	for range 500 {
		tr := mustTrial(t, e, nil)
		if got := taSpans(tr); got != "fixation[0,6) stimulus[6,21) decision[21,23)" {
			t.Fatalf("dt 50: %s", got)
		}
		oc.add(t, tr, msModel)
	}
	oc.check(t, "fixation channel", "mod1 toward", "mod1 away", "mod2 toward", "mod2 away")

	e = mustNew(t, NewMultiSensoryIntegration, MultiSensoryIntegrationConfig{DimRing: 3, Sigma: Ptr(0.0), Timing: Timing{"stimulus": Constant(200)}})
	if e.ObsSize() != 7 || e.NumActions() != 4 {
		t.Fatalf("ring of 3: obs %d actions %d, want 7 and 4", e.ObsSize(), e.NumActions())
	}
	tr := mustTrial(t, e, Override{"ground_truth": 2, "coh": 50, "coh_prop": 0.8})
	// theta = 0, 2pi/3, 4pi/3; toward choice 2: cos = -1/2, -1/2, 1; modality 1
	// has coherence 40, modality 2 has 10.
	want := []float32{1, 0.4, 0.4, 0.7, 0.475, 0.475, 0.55}
	if o := tr.ObsAt(3); taSpans(tr) != "fixation[0,3) stimulus[3,5) decision[5,6)" || !taNear(o, want) {
		t.Errorf("ring of 3, noise free: %s, stimulus %v, want %v", taSpans(tr), o, want)
	}
	taCheckLabels(t, tr, "decision", 3)
	if r := tr.Record.(MultiSensoryTrial); r != (MultiSensoryTrial{2, 50, 0.8}) {
		t.Errorf("override: record %+v", r)
	}
	_, err := e.NewTrial(Override{"ground_truth": 3})
	checkErr(t, "", err, "override ground_truth = 3")
	_, err = e.NewTrial(Override{"coh_prop": math.NaN()})
	checkErr(t, "", err, "override coh_prop = NaN")
}

// TestMultiSensoryStep checks neurogym's _step: the abort reward in the
// fixation period without ending the trial, nothing during the stimulus,
// correct +1 (performance 1), a wrong choice 0 and the end of the trial.
func TestMultiSensoryStep(t *testing.T) {
	e := mustNew(t, NewMultiSensoryIntegration, MultiSensoryIntegrationConfig{Rewards: Rewards{Correct: Ptr(3.0)}})
	for gt := range 2 {
		ov := Override{"ground_truth": float64(gt)}
		rew, n, res := taPlay(t, e, ov, func(tr *Trial, s int) int { return 1 + gt })
		if n != 11 || res.Reward != 3 || res.Performance != 1 || !slices.Equal(rew[:10], []float64{-0.1, -0.1, -0.1, 0, 0, 0, 0, 0, 0, 0}) {
			t.Errorf("gt %d, correct: rewards %v, performance %v", gt, rew, res.Performance)
		}
		rew, n, res = taPlay(t, e, ov, func(tr *Trial, s int) int { return 2 - gt })
		if n != 11 || res.Reward != 0 || res.Performance != 0 {
			t.Errorf("gt %d, wrong: rewards %v, performance %v", gt, rew, res.Performance)
		}
	}
}

// TestMultiSensoryConfigAndRegistry checks invalid configurations, the
// registry and seeding.
func TestMultiSensoryConfigAndRegistry(t *testing.T) {
	for _, c := range []struct {
		cfg  MultiSensoryIntegrationConfig
		want string
	}{
		{MultiSensoryIntegrationConfig{Dt: math.Inf(1)}, "dt = +Inf"},
		{MultiSensoryIntegrationConfig{Sigma: Ptr(-0.5)}, "sigma = -0.5"},
		{MultiSensoryIntegrationConfig{DimRing: -1}, "dim_ring = -1"},
		{MultiSensoryIntegrationConfig{Rewards: Rewards{Fail: Ptr(0.0)}}, "no fail reward"},
		{MultiSensoryIntegrationConfig{Timing: Timing{"delay": Constant(100)}}, `unknown period "delay"`},
		{MultiSensoryIntegrationConfig{Timing: Timing{"fixation": Constant(0), "stimulus": Constant(0), "decision": Constant(99)}}, "zero-length trial"},
	} {
		taCheckNamedErr(t, taErrOf(NewMultiSensoryIntegration(c.cfg)), MultiSensoryIntegrationName, c.want)
	}
	task, err := New(MultiSensoryIntegrationName, WithDt(10), WithSeed(2))
	if err != nil {
		t.Fatal(err)
	}
	if tr := mustTrial(t, task, nil); tr.N != 115 {
		t.Errorf("registry dt 10: N %d, want 115", tr.N)
	}
	taCheckSameSeed(t, func(seed uint64) Task {
		return mustNew(t, NewMultiSensoryIntegration, MultiSensoryIntegrationConfig{Seed: seed})
	})
}
