package tasks

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// pdmDelayModel is neurogym's observation of the task (perceptualdecisionmaking.py,
// PerceptualDecisionMakingDelayResponse._new_trial): [1, 0, 0] in fixation
// and delay, 1 and (1 ± coh/100)/2 + noise in the stimulus, 0 in decision.
func pdmDelayModel(tr *Trial, s, ch int) (float64, bool, string) {
	r := tr.Record.(PDMDelayResponseTrial)
	switch {
	case tr.InPeriod("decision", s):
		return 0, false, ""
	case ch == 0:
		return 1, false, ""
	case !tr.InPeriod("stimulus", s):
		return 0, false, ""
	case ch == 1+r.GroundTruth:
		return (1 + r.Coh/100) / 2, true, fmt.Sprintf("coh %v, correct channel", r.Coh)
	}
	return (1 - r.Coh/100) / 2, true, fmt.Sprintf("coh %v, other channel", r.Coh)
}

// TestPDMDelayDefaults checks, over 4000 trials at neurogym's defaults, the
// layout (fixation 0, stimulus floor(1150/100) = 11, delay uniform on
// {3,5,7,9,12,20,32,40}, decision 15 steps), labels gt+1 in the decision,
// the observation means and the noise std 1/sqrt(100) per condition and
// channel, and uniform ground truths, coherences and delays.
func TestPDMDelayDefaults(t *testing.T) {
	e := mustNew(t, NewPDMDelayResponse, PDMDelayResponseConfig{Seed: 1})
	if e.ObsSize() != 3 || e.NumActions() != 3 || e.Dt() != 100 {
		t.Fatalf("obs %d actions %d dt %v", e.ObsSize(), e.NumActions(), e.Dt())
	}
	if want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}; !slices.Equal(e.RewardValues(), want) {
		t.Errorf("rewards %v", e.RewardValues())
	}
	delays := []int{3, 5, 7, 9, 12, 20, 32, 40}
	cohs := []float64{0, 6.4, 12.8, 25.6, 51.2}
	gtN, cohN, delayN := make([]int, 2), make([]int, 5), make([]int, 8)
	oc := newTaObsCheck(0.1)
	for range 4000 {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(PDMDelayResponseTrial)
		del, _ := tr.Period("delay")
		k := slices.Index(delays, del.End-del.Start)
		want := fmt.Sprintf("fixation[0,0) stimulus[0,11) delay[11,%d) decision[%d,%d)", del.End, del.End, del.End+15)
		if k < 0 || taSpans(tr) != want || tr.N != del.End+15 {
			t.Fatalf("periods %s (N %d), want %s with a delay in %v", taSpans(tr), tr.N, want, delays)
		}
		if r.Sigma != 0.1 {
			t.Fatalf("record sigma %v, want 0.1", r.Sigma)
		}
		gtN[r.GroundTruth]++
		cohN[slices.Index(cohs, r.Coh)]++
		delayN[k]++
		taCheckLabels(t, tr, "decision", r.GroundTruth+1)
		oc.add(t, tr, pdmDelayModel)
	}
	taCheckUniform(t, "ground truth", gtN)
	taCheckUniform(t, "coherence", cohN)
	taCheckUniform(t, "delay", delayN)
	var keys []string
	for _, c := range cohs {
		keys = append(keys, fmt.Sprintf("coh %v, correct channel", c), fmt.Sprintf("coh %v, other channel", c))
	}
	oc.check(t, keys...)
}

// TestPDMDelayOptions checks dt, timing, sigma and stim_scale: at dt 50 the
// stimulus has 23 steps, the decision 30 and the noise std 1/sqrt(50);
// stim_scale multiplies the coherences; sigma 0 and the sigma override
// remove the noise.
func TestPDMDelayOptions(t *testing.T) {
	e := mustNew(t, NewPDMDelayResponse, PDMDelayResponseConfig{Dt: 50, Seed: 2})
	oc := newTaObsCheck(1 / math.Sqrt(50))
	for range 500 {
		tr := mustTrial(t, e, nil)
		del, _ := tr.Period("delay")
		if st, _ := tr.Period("stimulus"); st.End != 23 || tr.N-del.End != 30 || !slices.Contains([]int{6, 10, 14, 18, 24, 40, 64, 80}, del.End-del.Start) {
			t.Fatalf("dt 50: periods %s", taSpans(tr))
		}
		oc.add(t, tr, pdmDelayModel)
	}
	oc.check(t)

	e = mustNew(t, NewPDMDelayResponse, PDMDelayResponseConfig{Timing: Timing{"fixation": Constant(300), "delay": Constant(500)}})
	if tr := mustTrial(t, e, nil); taSpans(tr) != "fixation[0,3) stimulus[3,14) delay[14,19) decision[19,34)" {
		t.Errorf("timing override: %s", taSpans(tr))
	}

	e = mustNew(t, NewPDMDelayResponse, PDMDelayResponseConfig{StimScale: Ptr(0.5), Sigma: Ptr(0.0)})
	seen := map[float64]bool{}
	for range 200 {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(PDMDelayResponseTrial)
		seen[r.Coh] = true
		oc := newTaObsCheck(0)
		oc.add(t, tr, pdmDelayModel) // exact values: fails on any noise
		if r.Sigma != 0 {
			t.Fatalf("sigma 0: record sigma %v", r.Sigma)
		}
	}
	if want := []float64{0, 3.2, 6.4, 12.8, 25.6}; !slices.Equal(taFloatKeys(seen), want) {
		t.Errorf("stim_scale 0.5: coherences %v, want %v", taFloatKeys(seen), want)
	}

	// Overrides: ground truth, coherence and the per-trial sigma.
	e = mustNew(t, NewPDMDelayResponse, PDMDelayResponseConfig{})
	tr := mustTrial(t, e, Override{"ground_truth": 1, "coh": 40, "sigma": 0})
	if r := tr.Record.(PDMDelayResponseTrial); r != (PDMDelayResponseTrial{1, 40, 0}) {
		t.Errorf("override: record %+v", r)
	}
	if o := tr.ObsAt(0); o[0] != 1 || o[1] != 0.3 || o[2] != 0.7 {
		t.Errorf("override gt 1, coh 40, no noise: stimulus %v, want [1 0.3 0.7]", o)
	}
	taCheckLabels(t, tr, "decision", 2)
	_, err := e.NewTrial(Override{"ground_truth": 2})
	checkErr(t, "", err, "ground_truth = 2")
	_, err = e.NewTrial(Override{"sigma": -1})
	checkErr(t, "", err, "sigma = -1")
	_, err = e.NewTrial(Override{"delay": 1})
	checkErr(t, "", err, `unknown override "delay"`)
}

func taFloatKeys(m map[float64]bool) []float64 {
	var k []float64
	for v := range m {
		k = append(k, v)
	}
	slices.Sort(k)
	return k
}

// TestPDMDelayStep checks neurogym's _step: no reward and no end outside
// fixation and decision, abort reward without ending the trial in a
// fixation period, correct (+1, performance 1) and wrong (0) choices ending
// the trial, and a trial of all-fixate actions lasting its N steps.
func TestPDMDelayStep(t *testing.T) {
	e := mustNew(t, NewPDMDelayResponse, PDMDelayResponseConfig{Timing: Timing{"fixation": Constant(200)}, Rewards: Rewards{Correct: Ptr(2.0)}})
	for gt := range 2 {
		ov := Override{"ground_truth": float64(gt)}
		// Break fixation at every step before the decision, then choose.
		rew, n, res := taPlay(t, e, ov, func(tr *Trial, s int) int {
			if s < taDecisionStart(tr) {
				return 1
			}
			return 1 + gt
		})
		if res.Reward != 2 || res.Performance != 1 || rew[0] != -0.1 || rew[1] != -0.1 || slices.Max(rew[2:n-1]) != 0 || slices.Min(rew[2:n-1]) != 0 {
			t.Errorf("gt %d, correct: rewards %v, performance %v", gt, rew, res.Performance)
		}
		rew, _, res = taPlay(t, e, ov, func(tr *Trial, s int) int {
			if s < taDecisionStart(tr) {
				return 0
			}
			return 2 - gt
		})
		if res.Reward != 0 || res.Performance != 0 || slices.Max(rew) != 0 {
			t.Errorf("gt %d, wrong: rewards %v, performance %v", gt, rew, res.Performance)
		}
		var N int
		rew, n, res = taPlay(t, e, ov, func(tr *Trial, s int) int { N = tr.N; return 0 })
		if n != N || res.Performance != 0 || slices.Max(rew) != 0 || slices.Min(rew) != 0 {
			t.Errorf("gt %d, fixate: ended after %d of %d steps, rewards %v", gt, n, N, rew)
		}
	}
}

// TestPDMDelayConfigAndRegistry checks invalid configurations, the registry
// and seeding.
func TestPDMDelayConfigAndRegistry(t *testing.T) {
	for _, c := range []struct {
		cfg  PDMDelayResponseConfig
		want string
	}{
		{PDMDelayResponseConfig{Dt: -1}, "dt = -1"},
		{PDMDelayResponseConfig{Sigma: Ptr(-1.0)}, "sigma = -1"},
		{PDMDelayResponseConfig{StimScale: Ptr(math.NaN())}, "stim_scale = NaN"},
		{PDMDelayResponseConfig{StimScale: Ptr(-2.0)}, "stim_scale = -2"},
		{PDMDelayResponseConfig{Timing: Timing{"go": Constant(1)}}, `unknown period "go"`},
		{PDMDelayResponseConfig{Timing: Timing{"stimulus": Constant(0), "delay": Constant(0), "decision": Constant(50)}}, "zero-length trial"},
		{PDMDelayResponseConfig{Rewards: Rewards{Fail: Ptr(math.Inf(1))}}, "reward fail = +Inf"},
	} {
		taCheckNamedErr(t, taErrOf(NewPDMDelayResponse(c.cfg)), PDMDelayResponseName, c.want)
	}
	task, err := New(PDMDelayResponseName, WithDt(20), WithSeed(5), WithConfig(PDMDelayResponseConfig{Sigma: Ptr(2.0)}))
	if err != nil {
		t.Fatal(err)
	}
	if tr := mustTrial(t, task, nil); task.Dt() != 20 || tr.Record.(PDMDelayResponseTrial).Sigma != 2/math.Sqrt(20) {
		t.Errorf("registry options: dt %v, record %+v", task.Dt(), tr.Record)
	}
	checkErr(t, "", taErrOf(New(PDMDelayResponseName, WithConfig(3))), "config of type int")
	taCheckSameSeed(t, func(seed uint64) Task { return mustNew(t, NewPDMDelayResponse, PDMDelayResponseConfig{Seed: seed}) })
}
