package tasks

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// rsgCheckTrial checks one trial against neurogym's layout: fixation and
// ready from 0, measure after fixation, set after measure, production of
// floor(2 production/dt) steps after set; fixation channel 1 outside
// production, ready and set channels 1 in their periods; a single go label
// at production start + floor(production/dt).
func rsgCheckTrial(t *testing.T, tr *Trial, dt float64, fix, ready, set int) {
	t.Helper()
	r := tr.Record.(ReadySetGoTrial)
	if r.Production != r.Measure*r.Gain {
		t.Fatalf("production %v != measure %v x gain %v", r.Production, r.Measure, r.Gain)
	}
	m := StepsOf(r.Measure, dt)
	p := StepsOf(2*r.Production, dt)
	want := []Period{{"fixation", 0, fix}, {"ready", fix, fix + ready}, {"measure", fix, fix + m},
		{"set", fix + m, fix + m + set}, {"production", fix + m + set, fix + m + set + p}}
	if !slices.Equal(tr.Periods, want) || tr.N != max(fix+ready, fix+m+set+p) {
		t.Fatalf("periods %v N %d, want %v", tr.Periods, tr.N, want)
	}
	goAt := fix + m + set + StepsOf(r.Production, dt)
	for s := range tr.N {
		o := tr.ObsAt(s)
		inProd := s >= fix+m+set
		wantObs := []float32{1, 0, 0}
		if inProd {
			wantObs[0] = 0
		}
		if s >= fix && s < fix+ready {
			wantObs[1] = 1
		}
		if s >= fix+m && s < fix+m+set {
			wantObs[2] = 1
		}
		if !slices.Equal(o, wantObs) {
			t.Fatalf("step %d: obs %v, want %v (%v)", s, o, wantObs, tr.Periods)
		}
		if wantL := cBool(s == goAt); tr.Labels[s] != wantL {
			t.Fatalf("step %d: label %d, want %d (go at %d)", s, tr.Labels[s], wantL, goAt)
		}
	}
}

func TestReadySetGoDefaults(t *testing.T) {
	e := mustNew(t, NewReadySetGo, ReadySetGoConfig{Seed: 1})
	if e.Name() != "ReadySetGo-v0" || e.ObsSize() != 3 || e.NumActions() != 2 || e.Dt() != 80 {
		t.Errorf("%s obs %d actions %d dt %v", e.Name(), e.ObsSize(), e.NumActions(), e.Dt())
	}
	if want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}; !slices.Equal(e.RewardValues(), want) {
		t.Errorf("rewards %v", e.RewardValues())
	}
	// neurogym: measure = floor(U(800, 1500)/80)*80 = 80k, k = 10..18, with
	// P(k) = 80/700 for k < 18 and 60/700 for k = 18; fixation, ready and
	// set floor to 1 step, so N = 2 + 3k and the go label is at 2 + 2k.
	const n = 3000
	count := map[int]int{}
	var prod cAcc
	for range n {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(ReadySetGoTrial)
		k := int(r.Measure / 80)
		if r.Measure != float64(80*k) || k < 10 || k > 18 || r.Gain != 1 {
			t.Fatalf("record %+v", r)
		}
		count[k]++
		prod.add(r.Production)
		rsgCheckTrial(t, tr, 80, 1, 1, 1)
		if tr.N != 2+3*k || tr.Labels[2+2*k] != 1 {
			t.Fatalf("k %d: N %d", k, tr.N)
		}
	}
	for k := 10; k <= 18; k++ {
		p := 80.0 / 700
		if k == 18 {
			p = 60.0 / 700
		}
		checkFreq(t, "measure k", count[k], n, p)
	}
	// E[80 floor(U/80)] = sum 80k P(k).
	want := 0.0
	for k := 10; k <= 18; k++ {
		w := 80.0
		if k == 18 {
			w = 60
		}
		want += 80 * float64(k) * w / 700
	}
	cCheckMean(t, "production", &prod, want)
}

// TestReadySetGoOptions checks dt, gain, timing overrides (constant and a
// Func, neurogym's callable timing) and the layout they give.
func TestReadySetGoOptions(t *testing.T) {
	// dt 20: fixation floor(100/20) = 5, ready and set floor(83/20) = 4;
	// measure = 20 floor(U/20) in 800..1480.
	e := mustNew(t, NewReadySetGo, ReadySetGoConfig{Dt: 20, Seed: 2})
	var m cAcc
	for range 2000 {
		tr := mustTrial(t, e, nil)
		rsgCheckTrial(t, tr, 20, 5, 4, 4)
		m.add(tr.Record.(ReadySetGoTrial).Measure)
	}
	// E[20 floor(U/20)] = E[U] - 10 for U uniform on [800, 1500) (whole bins).
	cCheckMean(t, "dt 20 measure", &m, 1140)
	// Gain 1.5: production 1.5 m, floor(3m/dt) production steps.
	e = mustNew(t, NewReadySetGo, ReadySetGoConfig{Gain: 1.5, Seed: 3})
	for range 500 {
		tr := mustTrial(t, e, nil)
		r := tr.Record.(ReadySetGoTrial)
		if r.Gain != 1.5 || r.Production != 1.5*r.Measure {
			t.Fatalf("record %+v", r)
		}
		rsgCheckTrial(t, tr, 80, 1, 1, 1)
	}
	// Timing: a constant measure floors to dt; a Func draws from the task's
	// generator; fixation 400 gives 5 steps.
	e = mustNew(t, NewReadySetGo, ReadySetGoConfig{Timing: Timing{"measure": Constant(1000), "fixation": Constant(400)}})
	tr := mustTrial(t, e, nil)
	if r := tr.Record.(ReadySetGoTrial); r.Measure != 960 {
		t.Errorf("measure %v, want 960", r.Measure)
	}
	rsgCheckTrial(t, tr, 80, 5, 1, 1)
	f := Func(func(rng *rand.Rand) float64 { return 800 + 400*float64(rng.IntN(2)) })
	e = mustNew(t, NewReadySetGo, ReadySetGoConfig{Timing: Timing{"measure": f}, Seed: 4})
	seen := map[float64]int{}
	for range 400 {
		tr := mustTrial(t, e, nil)
		rsgCheckTrial(t, tr, 80, 1, 1, 1)
		seen[tr.Record.(ReadySetGoTrial).Measure]++
	}
	if len(seen) != 2 || seen[800] == 0 || seen[1200] == 0 {
		t.Errorf("Func measures %v, want 800 and 1200", seen)
	}
}

func TestReadySetGoOverride(t *testing.T) {
	a, b := mustNew(t, NewReadySetGo, ReadySetGoConfig{Seed: 5}), mustNew(t, NewReadySetGo, ReadySetGoConfig{Seed: 5})
	tr := mustTrial(t, a, Override{"measure": 1040, "gain": 2})
	mustTrial(t, b, nil)
	if r := tr.Record.(ReadySetGoTrial); r != (ReadySetGoTrial{1040, 2, 2080}) {
		t.Fatalf("record %+v", r)
	}
	rsgCheckTrial(t, tr, 80, 1, 1, 1)
	tr = mustTrial(t, a, OverrideOf(ReadySetGoTrial{880, 1, 880}))
	mustTrial(t, b, nil)
	if tr.Record != (ReadySetGoTrial{880, 1, 880}) {
		t.Errorf("OverrideOf did not reproduce the record: %+v", tr.Record)
	}
	for ov, want := range map[string]Override{
		"measure = 1000: want a positive multiple of dt": {"measure": 1000},
		"measure = 0: want a positive multiple":          {"measure": 0},
		"gain = 0: want a finite gain > 0":               {"gain": 0},
		"production = 5: computed by the task":           {"production": 5},
		`unknown override "ground_truth"`:                {"ground_truth": 1},
	} {
		_, err := a.NewTrial(want)
		checkErr(t, "override", err, ov)
	}
	if ta, tb := mustTrial(t, a, nil), mustTrial(t, b, nil); ta.Record != tb.Record {
		t.Error("overrides shifted the random stream")
	}
}

func TestReadySetGoConfigErrors(t *testing.T) {
	for want, cfg := range map[string]ReadySetGoConfig{
		"dt = -1":                     {Dt: -1},
		"gain = -2":                   {Gain: -2},
		"gain = NaN":                  {Gain: math.NaN()},
		"prod_margin = -0.1":          {ProdMargin: Ptr(-0.1)},
		`unknown period "production"`: {Timing: Timing{"production": Constant(100)}},
		"timing of measure 30":        {Timing: Timing{"measure": Constant(30)}},
		"timing of set":               {Timing: Timing{"set": Constant(-1)}},
		"reward fail":                 {Rewards: Rewards{Fail: Ptr(math.Inf(-1))}},
	} {
		_, err := NewReadySetGo(cfg)
		checkErr(t, want, err, want)
	}
}

// TestReadySetGoStep checks neurogym's reward: with measure 800 (k = 10),
// end of measure at step 11, the go label at step 22; a go at step s has
// t_prod = (s-11)*80, eps = |t_prod - 800|, threshold 0.2*800+25 = 185.
func TestReadySetGoStep(t *testing.T) {
	thr := 185.0
	for _, tc := range []struct {
		name   string
		cfg    ReadySetGoConfig
		at     int
		action int
		reward float64
		steps  int // steps until the trial ends
		perf   float64
	}{
		{"fixate throughout", ReadySetGoConfig{}, -1, 0, 0, 32, 0},
		{"break fixation", ReadySetGoConfig{}, 0, 1, -0.1, 32, 0},
		{"go during measure", ReadySetGoConfig{}, 5, 1, 0, 32, 0},
		{"go during set", ReadySetGoConfig{}, 11, 1, 0, 32, 0},
		{"go at the label step", ReadySetGoConfig{}, 22, 1, math.Pow(1-80/thr, 1.5), 23, 1},
		{"go at t_prod = production", ReadySetGoConfig{}, 21, 1, 1, 22, 1},
		{"go late, floor 0.1", ReadySetGoConfig{}, 23, 1, 0.1, 24, 1},
		{"go too late", ReadySetGoConfig{}, 24, 1, 0, 25, 0},
		{"go too early", ReadySetGoConfig{}, 12, 1, 0, 13, 0},
		{"correct 2 scales", ReadySetGoConfig{Rewards: Rewards{Correct: Ptr(2.0)}}, 22, 1, 2 * math.Pow(1-80/thr, 1.5), 23, 1},
		{"prod_margin 0: threshold 25", ReadySetGoConfig{ProdMargin: Ptr(0.0)}, 22, 1, 0, 23, 0},
		{"prod_margin 0, exact", ReadySetGoConfig{ProdMargin: Ptr(0.0)}, 21, 1, 1, 22, 1},
		{"fail -1", ReadySetGoConfig{Rewards: Rewards{Fail: Ptr(-1.0)}}, 24, 1, -1, 25, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustNew(t, NewReadySetGo, tc.cfg)
			tr := mustTrial(t, e, Override{"measure": 800})
			if tr.N != 32 || tr.Labels[22] != 1 {
				t.Fatalf("N %d", tr.N)
			}
			rs, res := cRunTrial(t, e, func(s int) int { return cBool(s == tc.at) * tc.action })
			if len(rs) != tc.steps || res.Performance != tc.perf {
				t.Errorf("ended after %d steps with performance %v, want %d, %v", len(rs), res.Performance, tc.steps, tc.perf)
			}
			for s, r := range rs {
				want := 0.0
				if s == tc.at {
					want = tc.reward
				}
				if math.Abs(r-want) > 1e-12 {
					t.Errorf("step %d: reward %v, want %v", s, r, want)
				}
			}
		})
	}
}

func TestReadySetGoSeedAndRegistry(t *testing.T) {
	cSameSeed(t, mustNew(t, NewReadySetGo, ReadySetGoConfig{Seed: 8}), mustNew(t, NewReadySetGo, ReadySetGoConfig{Seed: 8}), mustNew(t, NewReadySetGo, ReadySetGoConfig{Seed: 9}))
	task, err := New(ReadySetGoName, WithSeed(8), WithDt(40), WithConfig(ReadySetGoConfig{Gain: 2}))
	if err != nil {
		t.Fatal(err)
	}
	tr := mustTrial(t, task, nil)
	if r := tr.Record.(ReadySetGoTrial); task.Dt() != 40 || r.Gain != 2 {
		t.Errorf("registry: dt %v record %+v", task.Dt(), r)
	}
	rsgCheckTrial(t, tr, 40, 2, 2, 2)
	if _, err := New(ReadySetGoName, WithConfig(PerceptualDecisionMakingConfig{})); err == nil {
		t.Error("a config of the wrong type was accepted")
	}
}
