package tasks

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// cdmModel is neurogym v2.2.0's observation (contextdecisionmaking.py) for
// a ring of 2: fixation 1 in the fixation period only; in the stimulus
// period modality m shows 0.5 + c_m/200 on the channel of its direction
// and 0.5 - c_m/200 on the other, plus noise, where the relevant modality
// (context) points at the ground truth and the other at other_choice; the
// context channel (explicit) is 1 for the whole trial; all else 0.
func cdmModel(explicit bool) taObsModel {
	return func(tr *Trial, s, ch int) (float64, bool, string) {
		r := tr.Record.(ContextDMTrial)
		dir := [2]int{r.GroundTruth, r.OtherChoice}
		if r.Context == 1 {
			dir = [2]int{r.OtherChoice, r.GroundTruth}
		}
		coh := [2]float64{r.Coh1, r.Coh2}
		switch {
		case ch == 0:
			return b2f(tr.InPeriod("fixation", s)), false, ""
		case ch >= 5:
			if !explicit {
				panic("context channel without explicit context")
			}
			return b2f(ch-5 == r.Context), false, ""
		case !tr.InPeriod("stimulus", s):
			return 0, false, ""
		}
		m, k := (ch-1)/2, (ch-1)%2
		if k == dir[m] {
			return 0.5 + coh[m]/200, true, fmt.Sprintf("mod%d toward coh %v", m+1, coh[m])
		}
		return 0.5 - coh[m]/200, true, fmt.Sprintf("mod%d away coh %v", m+1, coh[m])
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// cdmKeys lists the noisy keys of cdmModel.
func cdmKeys() []string {
	var keys []string
	for m := 1; m <= 2; m++ {
		for _, c := range []float64{5, 15, 50} {
			keys = append(keys, fmt.Sprintf("mod%d toward coh %v", m, c), fmt.Sprintf("mod%d away coh %v", m, c))
		}
	}
	return keys
}

// TestContextDMDefaults checks, over 4000 trials each for the implicit
// (default, modality 0), implicit modality 1 and explicit contexts: the
// layout (fixation 3, stimulus 7, delay floor(x/100) with x ~ Exp(600)
// truncated to [300, 3000), so P(k) = (e^{-k/6} - e^{-(k+1)/6}) /
// (e^{-1/2} - e^{-5}) for k = 3..29, decision 1), labels gt+1 in the
// decision, the observation means and noise std 0.1, the context, and
// uniform ground truths, other choices, contexts and coherences.
func TestContextDMDefaults(t *testing.T) {
	for _, cfg := range []ContextDecisionMakingConfig{{}, {ImplicitModality: 1}, {ExplicitContext: true}} {
		t.Run(fmt.Sprintf("explicit=%v,modality=%d", cfg.ExplicitContext, cfg.ImplicitModality), func(t *testing.T) {
			cfg.Seed = 11
			e := mustNew(t, NewContextDecisionMaking, cfg)
			if want := 5 + 2*int(b2f(cfg.ExplicitContext)); e.ObsSize() != want || e.NumActions() != 3 || e.Dt() != 100 {
				t.Fatalf("obs %d (want %d) actions %d dt %v", e.ObsSize(), want, e.NumActions(), e.Dt())
			}
			if want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}; !slices.Equal(e.RewardValues(), want) {
				t.Errorf("rewards %v", e.RewardValues())
			}
			const n = 4000
			gtN, otherN, ctxN, coh1N, coh2N := make([]int, 2), make([]int, 2), make([]int, 2), make([]int, 3), make([]int, 3)
			delayN := make([]int, 30)
			oc := newTaObsCheck(0.1)
			for range n {
				tr := mustTrial(t, e, nil)
				r := tr.Record.(ContextDMTrial)
				del, _ := tr.Period("delay")
				k := del.End - del.Start
				want := fmt.Sprintf("fixation[0,3) stimulus[3,10) delay[10,%d) decision[%d,%d)", 10+k, 10+k, 11+k)
				if taSpans(tr) != want || k < 3 || k > 29 {
					t.Fatalf("periods %s, want %s with 3 <= delay <= 29", taSpans(tr), want)
				}
				delayN[k]++
				gtN[r.GroundTruth]++
				otherN[r.OtherChoice]++
				ctxN[r.Context]++
				coh1N[slices.Index(contextDMCohs, r.Coh1)]++
				coh2N[slices.Index(contextDMCohs, r.Coh2)]++
				taCheckLabels(t, tr, "decision", r.GroundTruth+1)
				oc.add(t, tr, cdmModel(cfg.ExplicitContext))
			}
			z := math.Exp(-0.5) - math.Exp(-5)
			var mean, sum, ss float64 // expected mean; sample sum and sum of squares
			for k := 3; k <= 29; k++ {
				p := (math.Exp(-float64(k)/6) - math.Exp(-float64(k+1)/6)) / z
				checkFreq(t, fmt.Sprintf("delay of %d steps", k), delayN[k], n, p)
				mean += float64(k) * p
				sum += float64(k * delayN[k])
				ss += float64(k * k * delayN[k])
			}
			m := sum / n
			if se := math.Sqrt((ss/n - m*m) / n); math.Abs(m-mean) > 5*se {
				t.Errorf("mean delay %.3f steps, want %.3f ± %.3f", m, mean, 5*se)
			}
			taCheckUniform(t, "ground truth", gtN)
			taCheckUniform(t, "other choice", otherN)
			taCheckUniform(t, "coh_1", coh1N)
			taCheckUniform(t, "coh_2", coh2N)
			if cfg.ExplicitContext {
				taCheckUniform(t, "context", ctxN)
			} else if ctxN[cfg.ImplicitModality] != n {
				t.Errorf("implicit modality %d: contexts %v", cfg.ImplicitModality, ctxN)
			}
			oc.check(t, cdmKeys()...)
		})
	}
}

// TestContextDMOptions checks dt (noise std 1/sqrt(20), 15 fixation steps
// at dt 20), timing overrides, a ring of 4 (cos(theta_k - theta_d) c/200 +
// 0.5 on 4 channels per modality, 4 choices), sigma 0 and the overrides,
// context included.
func TestContextDMOptions(t *testing.T) {
	e := mustNew(t, NewContextDecisionMaking, ContextDecisionMakingConfig{Dt: 20, ExplicitContext: true, Timing: Timing{"delay": Constant(300)}})
	oc := newTaObsCheck(1 / math.Sqrt(20))
	for range 300 {
		tr := mustTrial(t, e, nil)
		if got := taSpans(tr); got != "fixation[0,15) stimulus[15,52) delay[52,67) decision[67,72)" {
			t.Fatalf("dt 20: %s", got)
		}
		oc.add(t, tr, cdmModel(true))
	}
	oc.check(t, cdmKeys()...)

	e = mustNew(t, NewContextDecisionMaking, ContextDecisionMakingConfig{DimRing: 4, Sigma: Ptr(0.0), ExplicitContext: true})
	if e.ObsSize() != 11 || e.NumActions() != 5 {
		t.Fatalf("ring of 4: obs %d actions %d, want 11 and 5", e.ObsSize(), e.NumActions())
	}
	tr := mustTrial(t, e, Override{"ground_truth": 1, "other_choice": 3, "context": 1, "coh_1": 50, "coh_2": 20})
	// Context 1: modality 2 points at choice 1 (coh 20), modality 1 at 3 (coh 50).
	want := []float32{0, 0.5, 0.25, 0.5, 0.75, 0.5, 0.6, 0.5, 0.4, 0, 1}
	if o := tr.ObsAt(5); !taNear(o, want) {
		t.Errorf("ring of 4, noise free: stimulus %v, want %v", o, want)
	}
	taCheckLabels(t, tr, "decision", 2)

	// An implicit context can be overridden, as in neurogym, but only to 0 or 1.
	e = mustNew(t, NewContextDecisionMaking, ContextDecisionMakingConfig{Sigma: Ptr(0.0)})
	tr = mustTrial(t, e, Override{"ground_truth": 0, "other_choice": 1, "context": 1, "coh_1": 5, "coh_2": 15})
	if o := tr.ObsAt(3); !taNear(o, []float32{0, 0.475, 0.525, 0.575, 0.425}) || tr.Record.(ContextDMTrial).Context != 1 {
		t.Errorf("implicit context overridden to 1: stimulus %v", o)
	}
	_, err := e.NewTrial(Override{"context": 2})
	checkErr(t, "", err, "override context = 2: want 0 or 1")
	_, err = e.NewTrial(Override{"coh": 5})
	checkErr(t, "", err, `unknown override "coh"`)
}

// TestContextDMStep checks neurogym's _step: the abort reward in the
// fixation period, ending the trial only with Abort; correct +1
// (performance 1); a wrong choice ends the trial with 0.
func TestContextDMStep(t *testing.T) {
	for _, abort := range []bool{false, true} {
		e := mustNew(t, NewContextDecisionMaking, ContextDecisionMakingConfig{Abort: abort, Rewards: Rewards{Abort: Ptr(-2.0)}})
		rew, n, res := taPlay(t, e, Override{"ground_truth": 1}, func(tr *Trial, s int) int { return 1 })
		if abort && (n != 1 || res.Reward != -2) || !abort && (rew[0] != -2 || rew[2] != -2 || rew[3] != 0 || res.Reward != 0 || res.Performance != 0) {
			t.Errorf("abort %v: break fixation, then choose 1 (wrong): rewards %v", abort, rew)
		}
		rew, _, res = taPlay(t, e, Override{"ground_truth": 1}, func(tr *Trial, s int) int {
			return 2 * int(b2f(s >= taDecisionStart(tr)))
		})
		if res.Reward != 1 || res.Performance != 1 || slices.Min(rew[:len(rew)-1]) != 0 || slices.Max(rew[:len(rew)-1]) != 0 {
			t.Errorf("abort %v: correct: rewards %v, performance %v", abort, rew, res.Performance)
		}
	}
}

// TestContextDMConfigAndRegistry checks invalid configurations (a fail
// reward, which neurogym's task does not have, included), the registry and
// seeding.
func TestContextDMConfigAndRegistry(t *testing.T) {
	for _, c := range []struct {
		cfg  ContextDecisionMakingConfig
		want string
	}{
		{ContextDecisionMakingConfig{Dt: -5}, "dt = -5"},
		{ContextDecisionMakingConfig{Sigma: Ptr(math.Inf(1))}, "sigma = +Inf"},
		{ContextDecisionMakingConfig{DimRing: 1}, "dim_ring = 1"},
		{ContextDecisionMakingConfig{ImplicitModality: 2}, "impl_context_modality must be 0 or 1"},
		{ContextDecisionMakingConfig{Rewards: Rewards{Fail: Ptr(-1.0)}}, "no fail reward"},
		{ContextDecisionMakingConfig{Timing: Timing{"delay": TruncExp(-1, 0, 0)}}, "mean -1"},
	} {
		taCheckNamedErr(t, taErrOf(NewContextDecisionMaking(c.cfg)), ContextDecisionMakingName, c.want)
	}
	if _, err := NewContextDecisionMaking(ContextDecisionMakingConfig{ExplicitContext: true, ImplicitModality: 2}); err != nil {
		t.Errorf("neurogym ignores impl_context_modality with an explicit context: %v", err)
	}
	task, err := New(ContextDecisionMakingName, WithSeed(5), WithConfig(&ContextDecisionMakingConfig{ExplicitContext: true}))
	if err != nil || task.ObsSize() != 7 {
		t.Fatalf("registry: %v", err)
	}
	taCheckSameSeed(t, func(seed uint64) Task {
		return mustNew(t, NewContextDecisionMaking, ContextDecisionMakingConfig{Seed: seed, ExplicitContext: true})
	})
}
