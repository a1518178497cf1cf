package tasks

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// pdwLayout checks the period layout (fixation, stimulus, delay, decision
// end to end, pre_sure from the end of the stimulus on wager trials only),
// the noise-free channels and the labels; it returns the stimulus period.
func pdwLayout(t *testing.T, tr *Trial, decSteps int) Period {
	t.Helper()
	r := tr.Record.(PostDecisionWagerTrial)
	fix, st, de, dc := cSpan(t, tr, "fixation"), cSpan(t, tr, "stimulus"), cSpan(t, tr, "delay"), cSpan(t, tr, "decision")
	ps, hasPre := tr.Period("pre_sure")
	if fix.Start != 0 || st.Start != fix.End || de.Start != st.End || dc.Start != de.End || dc.End-dc.Start != decSteps ||
		hasPre != r.Wager || (hasPre && ps.Start != st.End) || tr.N != max(dc.End, ps.End) {
		t.Fatalf("periods %v N %d for %+v", tr.Periods, tr.N, r)
	}
	for s := range tr.N {
		o := tr.ObsAt(s)
		inStim := s >= st.Start && s < st.End
		if wantL := cBool(s >= dc.Start && s < dc.End) * (1 + r.GroundTruth); tr.Labels[s] != wantL {
			t.Fatalf("step %d: label %d, want %d", s, tr.Labels[s], wantL)
		}
		if inStim {
			continue // noisy; see the statistics
		}
		sure := cBool(r.Wager && s >= de.Start && !(s >= ps.Start && s < ps.End))
		want := []float32{float32(cBool(s < de.End)), 0, 0, float32(sure)}
		if !slices.Equal(o, want) {
			t.Fatalf("step %d: obs %v, want %v (%+v, %v)", s, o, want, r, tr.Periods)
		}
	}
	return st
}

// truncExpStepProbs returns P(floor(X/dt) = j) for X exponential with the
// given mean truncated to [lo, hi), for j = floor(lo/dt) .. : the floored
// duration neurogym's sample_time gives.
func truncExpStepProbs(mean, lo, hi, dt float64) map[int]float64 {
	z := math.Exp(-lo/mean) - math.Exp(-hi/mean)
	p := map[int]float64{}
	for j := int(lo / dt); float64(j)*dt < hi; j++ {
		a, b := math.Max(float64(j)*dt, lo), math.Min(float64(j+1)*dt, hi)
		p[j] = (math.Exp(-a/mean) - math.Exp(-b/mean)) / z
	}
	return p
}

func TestPostDecisionWagerDefaults(t *testing.T) {
	e := mustNew(t, NewPostDecisionWager, PostDecisionWagerConfig{Seed: 1})
	if e.Name() != "PostDecisionWager-v0" || e.ObsSize() != 4 || e.NumActions() != 4 || e.Dt() != 100 {
		t.Errorf("%s obs %d actions %d dt %v", e.Name(), e.ObsSize(), e.NumActions(), e.Dt())
	}
	if want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}, {"sure", 0.7}}; !slices.Equal(e.RewardValues(), want) {
		t.Errorf("rewards %v", e.RewardValues())
	}
	const n = 4000
	wager, gt := 0, 0
	cohs := map[float64]int{}
	stimSteps, delaySteps, preSteps := map[int]int{}, map[int]int{}, map[int]int{}
	// Stimulus channel means per (ground truth, channel, coh): neurogym's
	// cos(theta_k - theta_g) coh/200 + 0.5 with theta = (0, pi); fixation
	// mean 1 and sure mean 0 during the stimulus; noise std 1/sqrt(100).
	means := map[string]*cAcc{}
	acc := func(k string) *cAcc {
		if means[k] == nil {
			means[k] = &cAcc{}
		}
		return means[k]
	}
	var resid [4]cAcc
	for range n {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(PostDecisionWagerTrial)
		wager += cBool(r.Wager)
		gt += r.GroundTruth
		cohs[r.Coh]++
		st := pdwLayout(t, tr, 1)
		de := cSpan(t, tr, "delay")
		stimSteps[st.End-st.Start]++
		delaySteps[de.End-de.Start]++
		if ps, ok := tr.Period("pre_sure"); ok {
			preSteps[ps.End-ps.Start]++
		}
		if tr.N != 2+st.End-st.Start+de.End-de.Start {
			t.Fatalf("N %d", tr.N)
		}
		want := []float64{1, 0.5 + r.Coh/200, 0.5 - r.Coh/200, 0}
		if r.GroundTruth == 1 {
			want[1], want[2] = want[2], want[1]
		}
		for s := st.Start; s < st.End; s++ {
			for ch, w := range want {
				v := float64(tr.ObsAt(s)[ch])
				acc(fmt.Sprintf("gt %d channel %d coh %v", r.GroundTruth, ch, r.Coh)).add(v)
				resid[ch].add(v - w)
			}
		}
	}
	checkFreq(t, "wager", wager, n, 0.5)
	checkFreq(t, "ground truth 1", gt, n, 0.5)
	for _, c := range PostDecisionWagerCohs {
		checkFreq(t, fmt.Sprint("coh ", c), cohs[c], n, 1.0/6)
	}
	for k, a := range means {
		var g, ch int
		var coh float64
		fmt.Sscanf(k, "gt %d channel %d coh %v", &g, &ch, &coh)
		want := []float64{1, 0.5 + coh/200, 0.5 - coh/200, 0}
		if g == 1 {
			want[1], want[2] = want[2], want[1]
		}
		cCheckMean(t, k, a, want[ch])
	}
	for ch := range resid {
		cCheckStd(t, fmt.Sprint("noise channel ", ch), &resid[ch], 0.1)
		cCheckMean(t, fmt.Sprint("noise channel ", ch), &resid[ch], 0)
	}
	for what, c := range map[string]struct {
		seen map[int]int
		p    map[int]float64
		n    int
	}{
		"stimulus steps": {stimSteps, truncExpStepProbs(180, 100, 900, 100), n},
		"delay steps":    {delaySteps, truncExpStepProbs(1350, 1200, 1800, 100), n},
		"pre_sure steps": {preSteps, map[int]float64{5: 0.4, 6: 0.4, 7: 0.2}, wager},
	} {
		for j, p := range c.p {
			checkFreq(t, fmt.Sprint(what, " ", j), c.seen[j], c.n, p)
		}
		for j := range c.seen {
			if _, ok := c.p[j]; !ok {
				t.Errorf("%s: impossible value %d", what, j)
			}
		}
	}
}

func TestPostDecisionWagerOptions(t *testing.T) {
	// sigma 0: exact stimulus values; dt 50 doubles every step count.
	e := mustNew(t, NewPostDecisionWager, PostDecisionWagerConfig{Sigma: Ptr(0.0), Dt: 50, Seed: 2})
	for range 300 {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(PostDecisionWagerTrial)
		st := pdwLayout(t, tr, 2)
		if st.End-st.Start < 2 || st.End-st.Start > 17 {
			t.Fatalf("stimulus %v at dt 50", st)
		}
		for s := st.Start; s < st.End; s++ {
			want := []float32{1, float32(0.5 + r.Coh/200), float32(0.5 - r.Coh/200), 0}
			if r.GroundTruth == 1 {
				want[1], want[2] = want[2], want[1]
			}
			if !slices.Equal(tr.ObsAt(s), want) {
				t.Fatalf("step %d: %v, want %v", s, tr.ObsAt(s), want)
			}
		}
	}
	// sigma 2 at dt 50: noise std 2/sqrt(50); timing overrides apply.
	e = mustNew(t, NewPostDecisionWager, PostDecisionWagerConfig{Sigma: Ptr(2.0), Dt: 50, Seed: 3, Timing: Timing{
		"stimulus": Constant(1000), "delay": Constant(1000), "pre_sure": Constant(300), "decision": Constant(200)}})
	var fix cAcc
	for range 300 {
		tr := mustTrial(t, e, Override{"wager": 1})
		st := pdwLayout(t, tr, 4)
		if st != (Period{"stimulus", 2, 22}) || tr.N != 46 || cSpan(t, tr, "pre_sure") != (Period{"pre_sure", 22, 28}) {
			t.Fatalf("periods %v", tr.Periods)
		}
		for s := st.Start; s < st.End; s++ {
			fix.add(float64(tr.ObsAt(s)[0]))
		}
	}
	cCheckMean(t, "fixation in stimulus", &fix, 1)
	cCheckStd(t, "fixation in stimulus", &fix, 2/math.Sqrt(50))
}

func TestPostDecisionWagerOverride(t *testing.T) {
	a, b := mustNew(t, NewPostDecisionWager, PostDecisionWagerConfig{Seed: 4}), mustNew(t, NewPostDecisionWager, PostDecisionWagerConfig{Seed: 4})
	for _, rec := range []PostDecisionWagerTrial{{true, 1, 51.2}, {false, 0, 3.2}, {true, 0, 7}} {
		tr := mustTrial(t, a, OverrideOf(rec))
		mustTrial(t, b, nil)
		if tr.Record != rec {
			t.Errorf("override %+v gave %+v", rec, tr.Record)
		}
		pdwLayout(t, tr, 1)
	}
	cCheckOverrideErrs(t, a, b, map[string]Override{
		"wager = 2: want 0 or 1":                    {"wager": 2},
		"ground_truth = 2: want an integer in 0..1": {"ground_truth": 2},
		"coh = +Inf: want a finite number":          {"coh": math.Inf(1)},
		`unknown override "sure"`:                   {"sure": 1},
	})
}

func TestPostDecisionWagerConfigErrors(t *testing.T) {
	for want, cfg := range map[string]PostDecisionWagerConfig{
		"dt = -1":                      {Dt: -1},
		"sigma = -1":                   {Sigma: Ptr(-1.0)},
		`unknown period "target"`:      {Timing: Timing{"target": Constant(0)}},
		"zero-length trial":            {Timing: Timing{"fixation": Constant(0), "stimulus": Constant(0), "delay": Constant(0), "decision": Constant(50)}},
		"timing of delay":              {Timing: Timing{"delay": TruncExp(-1, 0, 0)}},
		"rewards correct and fail are": {Rewards: Rewards{Correct: Ptr(0.0)}},
		"reward fail = NaN":            {Rewards: Rewards{Fail: Ptr(math.NaN())}},
	} {
		_, err := NewPostDecisionWager(cfg)
		checkErr(t, want, err, want)
	}
}

// TestPostDecisionWagerStep checks neurogym's step on trials with fixed
// timing (stimulus 300, delay 1200, pre_sure 500: decision at step 16 of
// 17), including its comparison of the action with ground_truth.
func TestPostDecisionWagerStep(t *testing.T) {
	tm := Timing{"stimulus": Constant(300), "delay": Constant(1200), "pre_sure": Constant(500)}
	for _, tc := range []struct {
		name         string
		cfg          PostDecisionWagerConfig
		wager, gt    int
		at, action   int
		reward, perf float64
		steps        int
	}{
		{"fixate", PostDecisionWagerConfig{}, 1, 1, -1, 0, 0, 0, 17},
		{"break fixation", PostDecisionWagerConfig{}, 1, 1, 0, 2, -0.1, 0, 17},
		{"respond in the delay", PostDecisionWagerConfig{}, 1, 1, 8, 3, 0, 0, 17},
		{"action 1, g 1: correct (neurogym)", PostDecisionWagerConfig{}, 0, 1, 16, 1, 1, 1, 17},
		{"action 2 = label, g 1: fail (neurogym)", PostDecisionWagerConfig{}, 0, 1, 16, 2, 0, 0, 17},
		{"action 1 = label, g 0: fail (neurogym)", PostDecisionWagerConfig{}, 0, 0, 16, 1, 0, 0, 17},
		{"sure on a wager trial", PostDecisionWagerConfig{}, 1, 0, 16, 3, 0.7, 0.7, 17},
		{"sure without wager", PostDecisionWagerConfig{}, 0, 0, 16, 3, -0.1, 0, 17},
		{"sure, rewards 2/-1", PostDecisionWagerConfig{Rewards: Rewards{Correct: Ptr(2.0), Fail: Ptr(-1.0)}}, 1, 0, 16, 3, 1.4, 0.8, 17},
		{"by label: action 2, g 1", PostDecisionWagerConfig{RewardByLabel: true}, 0, 1, 16, 2, 1, 1, 17},
		{"by label: action 1, g 1", PostDecisionWagerConfig{RewardByLabel: true}, 0, 1, 16, 1, 0, 0, 17},
		{"by label: action 1, g 0", PostDecisionWagerConfig{RewardByLabel: true}, 1, 0, 16, 1, 1, 1, 17},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Timing = tm
			e := mustNew(t, NewPostDecisionWager, tc.cfg)
			tr := mustTrial(t, e, Override{"wager": float64(tc.wager), "ground_truth": float64(tc.gt)})
			if dc := cSpan(t, tr, "decision"); dc != (Period{"decision", 16, 17}) {
				t.Fatalf("decision %v", dc)
			}
			rs, res := cRunTrial(t, e, func(s int) int { return cBool(s == tc.at) * tc.action })
			if len(rs) != tc.steps || math.Abs(res.Performance-tc.perf) > 1e-12 {
				t.Errorf("ended after %d steps, performance %v; want %d, %v", len(rs), res.Performance, tc.steps, tc.perf)
			}
			for s, r := range rs {
				if want := float64(cBool(s == tc.at)) * tc.reward; math.Abs(r-want) > 1e-12 {
					t.Errorf("step %d: reward %v, want %v", s, r, want)
				}
			}
		})
	}
}

func TestPostDecisionWagerSeedAndRegistry(t *testing.T) {
	cSameSeed(t, mustNew(t, NewPostDecisionWager, PostDecisionWagerConfig{Seed: 8}), mustNew(t, NewPostDecisionWager, PostDecisionWagerConfig{Seed: 8}), mustNew(t, NewPostDecisionWager, PostDecisionWagerConfig{Seed: 9}))
	task, err := New(PostDecisionWagerName, WithSeed(8), WithDt(20))
	if err != nil {
		t.Fatal(err)
	}
	pdwLayout(t, mustTrial(t, task, nil), 5)
}
