package tasks

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// pdmRec returns the PerceptualDecisionMaking record of tr.
func pdmRec(tr *Trial) PDMTrial { return tr.Record.(PDMTrial) }

func TestPDMZeroConfigIsPrimerDefault(t *testing.T) {
	p := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{})
	c := p.Config()
	if c.Dt != 100 || c.DimRing != 2 || *c.Sigma != 1 || c.Abort || c.FixationOnlyInFixation {
		t.Errorf("defaults: %+v", c)
	}
	if !slices.Equal(c.Cohs, []float64{0, 6.4, 12.8, 25.6, 51.2}) {
		t.Errorf("cohs %v", c.Cohs)
	}
	tm := c.Timing
	if tm.Fixation.String() != "100" || tm.Stimulus.String() != "2000" || tm.Delay.String() != "0" || tm.Decision.String() != "100" {
		t.Errorf("timing %+v", tm)
	}
	want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}
	if !slices.Equal(p.RewardValues(), want) {
		t.Errorf("rewards %v, want %v", p.RewardValues(), want)
	}
	if p.Name() != "PerceptualDecisionMaking-v0" || p.ObsSize() != 3 || p.NumActions() != 3 || p.Dt() != 100 {
		t.Errorf("sizes: %s obs %d act %d dt %v", p.Name(), p.ObsSize(), p.NumActions(), p.Dt())
	}
	if math.Abs(p.SigmaEff()-0.1) > 1e-15 {
		t.Errorf("sigma_eff %v, want 0.1", p.SigmaEff())
	}
	if p.Current() != nil {
		t.Error("Current before the first trial should be nil")
	}
}

// TestPDMLayoutAndLabels checks, over 2000 trials per fixation mode, the
// 22-step layout at dt = 100, the label placement and the fixation channel.
func TestPDMLayoutAndLabels(t *testing.T) {
	for _, tc := range []struct {
		name    string
		onlyFix bool
		fixEnd  int // fixation channel is 1 on steps [0, fixEnd)
	}{
		{"primer", false, 21},
		{"neurogym-2025", true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{FixationOnlyInFixation: tc.onlyFix, Seed: 7})
			wantPeriods := []Period{{"fixation", 0, 1}, {"stimulus", 1, 21}, {"delay", 21, 21}, {"decision", 21, 22}}
			for n := 0; n < 2000; n++ {
				tr := mustTrial(t, p, nil)
				if tr.N != 22 || tr.ObsSize != 3 || len(tr.Obs) != 66 || len(tr.Labels) != 22 {
					t.Fatalf("trial %d: N %d obs size %d len %d/%d", n, tr.N, tr.ObsSize, len(tr.Obs), len(tr.Labels))
				}
				if !slices.Equal(tr.Periods, wantPeriods) {
					t.Fatalf("periods %v", tr.Periods)
				}
				if p.Current() != tr {
					t.Fatal("NewTrial did not make the trial current")
				}
				for s := 0; s < 22; s++ {
					want := 0
					if s == 21 {
						want = pdmRec(tr).GroundTruth + 1
					}
					if tr.Labels[s] != want {
						t.Fatalf("trial %d step %d: label %d, want %d", n, s, tr.Labels[s], want)
					}
					fix := float32(0)
					if s < tc.fixEnd {
						fix = 1
					}
					o := tr.ObsAt(s)
					if o[0] != fix {
						t.Fatalf("trial %d step %d: fixation %v, want %v", n, s, o[0], fix)
					}
					if (s == 0 || s == 21) && (o[1] != 0 || o[2] != 0) {
						t.Fatalf("trial %d step %d: stimulus %v outside the stimulus period", n, s, o[1:])
					}
				}
			}
		})
	}
}

// TestPDMStimulusStatistics checks stimulus means per condition, the
// per-step noise std and the uniformity of the condition draws.
func TestPDMStimulusStatistics(t *testing.T) {
	for _, tc := range []struct {
		dt      float64
		trials  int
		n, stim int // trial length and stimulus steps
	}{
		{100, 3000, 22, 20},
		{20, 400, 110, 100},
	} {
		p := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Dt: tc.dt, Seed: 42})
		sigma := 1 / math.Sqrt(tc.dt)
		cohs := p.Config().Cohs
		type key struct{ gt, ch, ci int }
		sum := map[key]float64{}
		cnt := map[key]int{}
		var ss float64
		var nres int
		gtCount := make([]int, 2)
		cohCount := make([]int, len(cohs))
		for n := 0; n < tc.trials; n++ {
			tr := mustTrial(t, p, nil)
			if tr.N != tc.n {
				t.Fatalf("dt %v: N = %d, want %d", tc.dt, tr.N, tc.n)
			}
			gt := pdmRec(tr).GroundTruth
			ci := slices.Index(cohs, pdmRec(tr).Coh)
			if ci < 0 || gt < 0 || gt > 1 {
				t.Fatalf("condition %+v not in the sets", tr.Record)
			}
			gtCount[gt]++
			cohCount[ci]++
			st, _ := tr.Period("stimulus")
			if st.End-st.Start != tc.stim {
				t.Fatalf("stimulus steps %d", st.End-st.Start)
			}
			for s := st.Start; s < st.End; s++ {
				for ch := 0; ch < 2; ch++ {
					v := float64(tr.ObsAt(s)[1+ch])
					k := key{gt, ch, ci}
					sum[k] += v
					cnt[k]++
					mean := 0.5 - pdmRec(tr).Coh/200
					if ch == gt {
						mean = 0.5 + pdmRec(tr).Coh/200
					}
					ss += (v - mean) * (v - mean)
					nres++
				}
			}
		}
		for k, s := range sum {
			m := s / float64(cnt[k])
			want := 0.5 - cohs[k.ci]/200
			if k.ch == k.gt {
				want = 0.5 + cohs[k.ci]/200
			}
			if se := sigma / math.Sqrt(float64(cnt[k])); math.Abs(m-want) > 5*se {
				t.Errorf("dt %v gt %d channel %d coh %v: mean %.5f, want %.5f ± %.5f", tc.dt, k.gt, k.ch, cohs[k.ci], m, want, 5*se)
			}
		}
		std := math.Sqrt(ss / float64(nres))
		if se := sigma / math.Sqrt(2*float64(nres)); math.Abs(std-sigma) > 5*se {
			t.Errorf("dt %v: noise std %.5f, want %.5f ± %.5f", tc.dt, std, sigma, 5*se)
		}
		// Chi-square against uniform; critical values at p = 0.001.
		chi2 := func(c []int) float64 {
			e := float64(tc.trials) / float64(len(c))
			x := 0.0
			for _, o := range c {
				x += (float64(o) - e) * (float64(o) - e) / e
			}
			return x
		}
		if x := chi2(gtCount); x > 10.83 {
			t.Errorf("dt %v: ground truth counts %v, chi2 %.2f > 10.83", tc.dt, gtCount, x)
		}
		if x := chi2(cohCount); x > 18.47 {
			t.Errorf("dt %v: coherence counts %v, chi2 %.2f > 18.47", tc.dt, cohCount, x)
		}
	}
}

func TestPDMNoiseFreeValues(t *testing.T) {
	p := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Sigma: Ptr(0.0), DimRing: 4})
	tr := mustTrial(t, p, Override{"ground_truth": 1, "coh": 51.2})
	// Ring of 4: theta = 0, pi/2, pi, 3pi/2; gt 1 -> cos = 0, 1, 0, -1.
	want := []float32{1, 0.5, float32(0.5 + 0.256), 0.5, float32(0.5 - 0.256)}
	for s := 1; s <= 20; s++ {
		for k, w := range want {
			if d := math.Abs(float64(tr.ObsAt(s)[k] - w)); d > 1e-6 {
				t.Fatalf("step %d channel %d: %v, want %v", s, k, tr.ObsAt(s)[k], w)
			}
		}
	}
	if tr.Labels[21] != 2 || p.NumActions() != 5 || p.ObsSize() != 5 {
		t.Errorf("label %d, actions %d, obs %d", tr.Labels[21], p.NumActions(), p.ObsSize())
	}
}

func TestPDMOverride(t *testing.T) {
	a := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Seed: 3})
	b := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Seed: 3})
	for n := 0; n < 200; n++ {
		gt, coh := n%2, []float64{0, 51.2, 3.3}[n%3]
		tr := mustTrial(t, a, Override{"ground_truth": float64(gt), "coh": coh})
		if pdmRec(tr).GroundTruth != gt || pdmRec(tr).Coh != coh || tr.Labels[21] != gt+1 {
			t.Fatalf("override not applied: %+v label %d", tr.Record, tr.Labels[21])
		}
		mustTrial(t, b, nil)
	}
	// Overrides consume the same draws: the streams stay in step.
	ta, tb := mustTrial(t, a, nil), mustTrial(t, b, nil)
	if ta.Record != tb.Record || !slices.Equal(ta.Obs, tb.Obs) {
		t.Error("overrides changed the random stream")
	}
	// A bad override is an error naming it, and leaves the task unchanged.
	cur := a.Current()
	for ov, want := range map[string]string{
		"ground_truth=2":   "override ground_truth = 2: want an integer in 0..1",
		"ground_truth=0.5": "override ground_truth = 0.5: want an integer in 0..1",
		"coh=NaN":          "override coh = NaN: want a finite number",
		"cho=1":            `unknown override "cho"; valid: ground_truth, coh`,
	} {
		o, err := ParseOverride(ov)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.NewTrial(o); err == nil || err.Error() != "PerceptualDecisionMaking-v0: "+want {
			t.Errorf("override %s: error %v, want %q", ov, err, want)
		}
	}
	ta, tb = mustTrial(t, a, nil), mustTrial(t, b, nil)
	if a.Current() == cur || ta.Record != tb.Record || !slices.Equal(ta.Obs, tb.Obs) {
		t.Error("a rejected override changed the random stream")
	}
}

func TestPDMSeedAndClone(t *testing.T) {
	a := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Seed: 11})
	b := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{})
	b.Seed(11)
	c := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Seed: 12})
	for n := 0; n < 5; n++ {
		ta, tb := mustTrial(t, a, nil), mustTrial(t, b, nil)
		if !slices.Equal(ta.Obs, tb.Obs) || ta.Record != tb.Record {
			t.Fatal("same seed gave different trials")
		}
		if slices.Equal(ta.Obs, mustTrial(t, c, nil).Obs) {
			t.Fatal("different seeds gave the same trial")
		}
	}
	a.Step(0)
	cl := a.Clone().(*PerceptualDecisionMaking)
	if cl.StepIndex() != 1 || !slices.Equal(cl.Current().Obs, a.Current().Obs) || cl.Current() == a.Current() {
		t.Fatal("clone did not copy the current trial deeply")
	}
	tc := mustTrial(t, cl, nil)
	mustTrial(t, cl, nil)
	cl.Seed(99)
	ta := mustTrial(t, a, nil)
	if !slices.Equal(tc.Obs, ta.Obs) {
		t.Error("clone does not continue the same random stream")
	}
	if a.Config().Dt != 100 || a.StepIndex() != 0 {
		t.Error("clone changed the original")
	}
}

func TestPDMConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  PerceptualDecisionMakingConfig
		want string
	}{
		{"negative dt", PerceptualDecisionMakingConfig{Dt: -1}, "dt"},
		{"NaN dt", PerceptualDecisionMakingConfig{Dt: math.NaN()}, "dt"},
		{"dim ring 1", PerceptualDecisionMakingConfig{DimRing: 1}, "dim_ring"},
		{"dim ring -3", PerceptualDecisionMakingConfig{DimRing: -3}, "dim_ring"},
		{"empty cohs", PerceptualDecisionMakingConfig{Cohs: []float64{}}, "cohs is empty"},
		{"negative coh", PerceptualDecisionMakingConfig{Cohs: []float64{12.8, -1}}, "coherence -1"},
		{"negative sigma", PerceptualDecisionMakingConfig{Sigma: Ptr(-0.5)}, "sigma"},
		{"unknown timing kind", PerceptualDecisionMakingConfig{Timing: PDMTiming{Stimulus: Duration{Kind: 42}}}, "unknown duration kind"},
		{"negative duration", PerceptualDecisionMakingConfig{Timing: PDMTiming{Delay: Constant(-100)}}, "timing of delay"},
		{"empty choice", PerceptualDecisionMakingConfig{Timing: PDMTiming{Fixation: Choice()}}, "no values"},
		{"uniform min > max", PerceptualDecisionMakingConfig{Timing: PDMTiming{Fixation: Uniform(300, 200)}}, "min > max"},
		{"truncexp mean 0", PerceptualDecisionMakingConfig{Timing: PDMTiming{Fixation: TruncExp(0, 0, 100)}}, "mean"},
		{"zero-length trial", PerceptualDecisionMakingConfig{Timing: PDMTiming{Fixation: Constant(0), Stimulus: Constant(0), Decision: Constant(99)}}, "zero-length"},
		{"maybe zero-length", PerceptualDecisionMakingConfig{Timing: PDMTiming{Fixation: Constant(0), Stimulus: Uniform(0, 500), Decision: Constant(0)}}, "zero-length"},
		{"infinite reward", PerceptualDecisionMakingConfig{Rewards: Rewards{Correct: Ptr(math.Inf(1))}}, "reward correct"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewPerceptualDecisionMaking(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestPDMTimingKinds checks random period durations inside trials.
func TestPDMTimingKinds(t *testing.T) {
	// EI_RNN's timing at dt = 20: 50 ms floors to 2 steps.
	p := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Dt: 20, Seed: 5, Timing: PDMTiming{
		Fixation: Choice(50, 100, 200, 400),
		Stimulus: Choice(100, 200, 400, 800),
		Delay:    Uniform(0, 300),
		Decision: TruncExp(100, 40, 200),
	}})
	fixSeen := map[int]int{}
	stimSeen := map[int]int{}
	for n := 0; n < 2000; n++ {
		tr := mustTrial(t, p, nil)
		fix, _ := tr.Period("fixation")
		st, _ := tr.Period("stimulus")
		de, _ := tr.Period("delay")
		dc, _ := tr.Period("decision")
		fixSeen[fix.End-fix.Start]++
		stimSeen[st.End-st.Start]++
		if fix.Start != 0 || st.Start != fix.End || de.Start != st.End || dc.Start != de.End || dc.End != tr.N {
			t.Fatalf("periods not end to end: %v, N %d", tr.Periods, tr.N)
		}
		if d := de.End - de.Start; d < 0 || d > 14 {
			t.Fatalf("delay %d steps outside [0, 14]", d)
		}
		if d := dc.End - dc.Start; d < 2 || d > 9 {
			t.Fatalf("decision %d steps outside [2, 9]", d)
		}
		for s := 0; s < tr.N; s++ {
			want := 0
			if s >= dc.Start {
				want = pdmRec(tr).GroundTruth + 1
			}
			if tr.Labels[s] != want {
				t.Fatalf("label %d at step %d, want %d", tr.Labels[s], s, want)
			}
			if fixOn := tr.ObsAt(s)[0] == 1; fixOn != (s < dc.Start) {
				t.Fatalf("fixation channel %v at step %d (decision starts %d)", tr.ObsAt(s)[0], s, dc.Start)
			}
		}
	}
	for _, tc := range []struct {
		seen map[int]int
		want []int
	}{{fixSeen, []int{2, 5, 10, 20}}, {stimSeen, []int{5, 10, 20, 40}}} {
		for _, w := range tc.want {
			if c := tc.seen[w]; c < 400 || c > 600 {
				t.Errorf("duration %d steps seen %d times of 2000, want about 500 (%v)", w, c, tc.seen)
			}
		}
		if len(tc.seen) != 4 {
			t.Errorf("unexpected durations %v", tc.seen)
		}
	}
}

// TestPDMStep checks the reward table and trial boundaries.
func TestPDMStep(t *testing.T) {
	for _, tc := range []struct {
		name     string
		abort    bool
		at       int // step index of the tested action (others are 0)
		action   int // gt is forced to 1 (label 2)
		reward   float64
		ends     bool
		perf     float64
		stepsRun int // steps until the trial ends
	}{
		{"fixate in fixation", false, 0, 0, 0, false, 0, 22},
		{"break fixation", false, 0, 1, -0.1, false, 0, 22},
		{"break fixation with abort", true, 0, 2, -0.1, true, 0, 1},
		{"choose during stimulus", false, 5, 2, 0, false, 0, 22},
		{"correct", false, 21, 2, 1, true, 1, 22},
		{"wrong", false, 21, 1, 0, true, 0, 22},
		{"out-of-range action is wrong", false, 21, 7, 0, true, 0, 22},
		{"fixate in decision", false, 21, 0, 0, true, 0, 22},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Abort: tc.abort})
			tr := mustTrial(t, p, Override{"ground_truth": 1})
			for s := 0; ; s++ {
				a := 0
				if s == tc.at {
					a = tc.action
				}
				res := p.Step(a)
				if res.Label != tr.Labels[s] {
					t.Fatalf("step %d: label %d, want %d", s, res.Label, tr.Labels[s])
				}
				if s == tc.at && res.Reward != tc.reward {
					t.Errorf("step %d: reward %v, want %v", s, res.Reward, tc.reward)
				}
				if s != tc.at && res.Reward != 0 {
					t.Errorf("step %d: reward %v for fixating", s, res.Reward)
				}
				if res.NewTrial {
					if s+1 != tc.stepsRun {
						t.Fatalf("trial ended after %d steps, want %d", s+1, tc.stepsRun)
					}
					if res.Performance != tc.perf {
						t.Errorf("performance %v, want %v", res.Performance, tc.perf)
					}
					if p.Current() == tr || p.StepIndex() != 0 || res.Trial != p.Current().Record {
						t.Error("no new trial after the trial end")
					}
					if !slices.Equal(res.Obs, p.Current().ObsAt(0)) {
						t.Error("Obs is not the new trial's first observation")
					}
					break
				}
				if !slices.Equal(res.Obs, tr.ObsAt(s+1)) {
					t.Fatalf("step %d: Obs is not the next observation", s)
				}
				if s+1 >= tc.stepsRun {
					t.Fatalf("no trial end after %d steps", s+1)
				}
			}
		})
	}
}

// TestPDMTrialsLastNSteps runs many fixating trials with random timing:
// each lasts exactly its N steps.
func TestPDMTrialsLastNSteps(t *testing.T) {
	p := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Dt: 20, Timing: PDMTiming{Stimulus: Uniform(100, 900)}})
	first := p.Reset()
	if !slices.Equal(first, p.Current().ObsAt(0)) || p.StepIndex() != 0 || p.NumTrials() != 1 {
		t.Fatal("Reset did not start at step 0 of a new trial")
	}
	for n := 0; n < 300; n++ {
		tr := p.Current()
		for s := 0; s < tr.N; s++ {
			res := p.Step(0)
			if res.NewTrial != (s == tr.N-1) {
				t.Fatalf("trial %d (N %d): NewTrial %v at step %d", n, tr.N, res.NewTrial, s)
			}
		}
	}
	if p.NumTrials() != 301 {
		t.Errorf("NumTrials %d, want 301", p.NumTrials())
	}
	q := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{})
	q.Step(0) // Step without a trial starts one
	if q.Current() == nil || q.StepIndex() != 1 {
		t.Error("Step without a current trial did not Reset")
	}
}
