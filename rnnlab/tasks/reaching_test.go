package tasks

import (
	"math"
	"slices"
	"testing"
)

// reachRing is cos(2 pi k/n - a), k = 0..n-1, neurogym's ring code.
func reachRing(n int, a float64) []float64 {
	v := make([]float64, n)
	for k := range v {
		v[k] = math.Cos(2*math.Pi*float64(k)/float64(n) - a)
	}
	return v
}

// reachCheckTrial checks a trial against neurogym: fixation then reach,
// target channels cos(theta_k - g) in reach only, self channels 0 in the
// trial's own observations, labels int(pi) = 3 in fixation and int(g) in
// reach.
func reachCheckTrial(t *testing.T, tr *Trial, n, fix, reach int) {
	t.Helper()
	r := tr.Record.(Reaching1DTrial)
	if want := []Period{{"fixation", 0, fix}, {"reach", fix, fix + reach}}; !slices.Equal(tr.Periods, want) || tr.N != fix+reach || r.State != math.Pi {
		t.Fatalf("periods %v N %d record %+v", tr.Periods, tr.N, r)
	}
	ring := reachRing(n, r.GroundTruth)
	for s := range tr.N {
		o := tr.ObsAt(s)
		for k := range n {
			want := 0.0
			if s >= fix {
				want = ring[k]
			}
			if math.Abs(float64(o[k])-want) > 1e-6 || o[n+k] != 0 {
				t.Fatalf("step %d channel %d: %v / self %v, want %v / 0", s, k, o[k], o[n+k], want)
			}
		}
		want := 3
		if s >= fix {
			want = int(r.GroundTruth)
		}
		if tr.Labels[s] != want {
			t.Fatalf("step %d: label %d, want %d (g %v)", s, tr.Labels[s], want, r.GroundTruth)
		}
	}
}

func TestReaching1DDefaults(t *testing.T) {
	e := mustNew(t, NewReaching1D, Reaching1DConfig{Seed: 1})
	if e.Name() != "Reaching1D-v0" || e.ObsSize() != 32 || e.NumActions() != 3 || e.Dt() != 100 {
		t.Errorf("%s obs %d actions %d dt %v", e.Name(), e.ObsSize(), e.NumActions(), e.Dt())
	}
	if want := []NamedValue{{"correct", 1}, {"fail", -0.1}}; !slices.Equal(e.RewardValues(), want) {
		t.Errorf("rewards %v", e.RewardValues())
	}
	if g := e.ObsGroups(); g[0].Name != "self" || g[0].Indices[0] != 16 || g[1].Name != "target" || g[1].Indices[15] != 15 {
		t.Errorf("groups %v", g)
	}
	// neurogym: g = rng.uniform(0, 2 pi): mean pi, variance (2 pi)^2/12;
	// its integer label is j = 0..5 with probability 1/(2 pi) each and 6
	// with (2 pi - 6)/(2 pi).
	const n = 3000
	var g cAcc
	count := make([]int, 7)
	for range n {
		tr := mustTrial(t, e, nil)
		reachCheckTrial(t, tr, 16, 5, 5)
		r := tr.Record.(Reaching1DTrial)
		g.add(r.GroundTruth)
		count[int(r.GroundTruth)]++
	}
	cCheckMean(t, "target", &g, math.Pi)
	if sd, want := g.std(), 2*math.Pi/math.Sqrt(12); math.Abs(sd-want) > 0.05*want {
		t.Errorf("target std %v, want %v", sd, want)
	}
	for j, c := range count {
		p := 1 / (2 * math.Pi)
		if j == 6 {
			p = (2*math.Pi - 6) / (2 * math.Pi)
		}
		checkFreq(t, "reach label", c, n, p)
	}
}

// TestReaching1DStepAndObserve drives the agent with a fixed action
// sequence and checks the position in the self channels and the rewards
// and performance against neurogym's formulas, computed here step by step.
func TestReaching1DStepAndObserve(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Reaching1DConfig
		g    float64
	}{
		{"default", Reaching1DConfig{}, 3.9},
		{"continuous target", Reaching1DConfig{ContinuousTarget: true}, 3.9},
		{"wrap around", Reaching1DConfig{ContinuousTarget: true, Timing: Timing{"reach": Constant(8000)}}, 0.1},
		{"dim_ring 5, rewards 2/0", Reaching1DConfig{DimRing: 5, Rewards: Rewards{Correct: Ptr(2.0), Fail: Ptr(0.0)}}, 5.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustNew(t, NewReaching1D, tc.cfg)
			n := e.ObsSize() / 2
			tr := mustTrial(t, e, Override{"ground_truth": tc.g})
			reach := cSpan(t, tr, "reach")
			correct, fail := 1.0, -0.1
			if tc.cfg.Rewards.Correct != nil {
				correct, fail = 2, 0
			}
			state, perf := math.Pi, 0.0
			act := func(s int) int { return []int{1, 1, 0, 2, 1, 7, 1, 1, 1}[s%9] }
			for s := 0; s < tr.N; s++ {
				a := act(s)
				if s >= reach.Start && tc.name == "wrap around" {
					a = 1 // 70 steps of +0.05 from about pi pass 2 pi
				}
				res := e.Step(a)
				if a == 1 {
					state += 0.05
				} else if a == 2 {
					state -= 0.05
				}
				state = math.Mod(state+2*math.Pi, 2*math.Pi)
				want := 0.0
				if s >= reach.Start {
					y := float64(tr.Labels[s])
					if tc.cfg.ContinuousTarget {
						y = tc.g
					}
					d := math.Abs(state - y)
					want = math.Max(correct-math.Min(d, 2*math.Pi-d), fail)
					perf += (want - fail) / (correct - fail) / float64(reach.End-reach.Start)
				}
				if math.Abs(res.Reward-want) > 1e-9 {
					t.Fatalf("step %d: reward %v, want %v (state %v)", s, res.Reward, want, state)
				}
				if res.NewTrial != (s == tr.N-1) {
					t.Fatalf("step %d: NewTrial %v", s, res.NewTrial)
				}
				if res.NewTrial {
					if math.Abs(res.Performance-perf) > 1e-9 {
						t.Errorf("performance %v, want %v", res.Performance, perf)
					}
					// The new trial starts at pi.
					if !slices.Equal(res.Obs[n:], reachF32(reachRing(n, math.Pi))) {
						t.Errorf("new trial's self channels %v", res.Obs[n:])
					}
					break
				}
				got := tr.Record.(Reaching1DTrial).State
				if math.Abs(got-state) > 1e-9 {
					t.Fatalf("step %d: state %v, want %v", s, got, state)
				}
				if !slices.Equal(res.Obs[:n], tr.ObsAt(s + 1)[:n]) || !slices.Equal(res.Obs[n:], reachF32(reachRing(n, state))) {
					t.Fatalf("step %d: obs %v, want target %v, self at %v", s, res.Obs, tr.ObsAt(s + 1)[:n], state)
				}
			}
		})
	}
	// Hand values: g = 3.9 (label 3), always stay at pi: the reward is
	// 1 - (pi - 3) = 4 - pi per reach step (continuous: 1 - (3.9 - pi)).
	for cont, want := range map[bool]float64{false: 4 - math.Pi, true: 1 - (3.9 - math.Pi)} {
		e := mustNew(t, NewReaching1D, Reaching1DConfig{ContinuousTarget: cont})
		mustTrial(t, e, Override{"ground_truth": 3.9})
		rs, res := cRunTrial(t, e, func(int) int { return 0 })
		if wantRs := []float64{0, 0, 0, 0, 0, want, want, want, want, want}; len(rs) != 10 || math.Abs(rs[9]-want) > 1e-12 || rs[0] != 0 {
			t.Errorf("continuous %v: rewards %v, want %v", cont, rs, wantRs)
		}
		if p := (want + 0.1) / 1.1; math.Abs(res.Performance-p) > 1e-12 {
			t.Errorf("continuous %v: performance %v, want %v", cont, res.Performance, p)
		}
	}
}

func reachF32(v []float64) []float32 {
	o := make([]float32, len(v))
	for i, x := range v {
		o[i] = float32(x)
	}
	return o
}

func TestReaching1DOptions(t *testing.T) {
	e := mustNew(t, NewReaching1D, Reaching1DConfig{DimRing: 8, Dt: 50, Timing: Timing{"fixation": Constant(200)}, Seed: 2})
	if e.ObsSize() != 16 || e.NumActions() != 3 {
		t.Errorf("obs %d actions %d", e.ObsSize(), e.NumActions())
	}
	for range 300 {
		reachCheckTrial(t, mustTrial(t, e, nil), 8, 4, 10)
	}
	if first := e.Reset(); !slices.Equal(first[8:], reachF32(reachRing(8, math.Pi))) || !slices.Equal(first[:8], make([]float32, 8)) {
		t.Errorf("Reset observation %v", first)
	}
}

func TestReaching1DOverride(t *testing.T) {
	a, b := mustNew(t, NewReaching1D, Reaching1DConfig{Seed: 4}), mustNew(t, NewReaching1D, Reaching1DConfig{Seed: 4})
	tr := mustTrial(t, a, Override{"ground_truth": 1.5})
	mustTrial(t, b, nil)
	if tr.Record != (Reaching1DTrial{1.5, math.Pi}) || tr.Labels[5] != 1 {
		t.Errorf("record %+v label %d", tr.Record, tr.Labels[5])
	}
	reachCheckTrial(t, tr, 16, 5, 5)
	cCheckOverrideErrs(t, a, b, map[string]Override{
		"ground_truth = -0.1: want an angle": {"ground_truth": -0.1},
		"ground_truth = 6.3: want an angle":  {"ground_truth": 6.3},
		`unknown override "state"`:           {"state": 1},
	})
}

func TestReaching1DConfigErrors(t *testing.T) {
	for want, cfg := range map[string]Reaching1DConfig{
		"dt = -5":                      {Dt: -5},
		"dim_ring = 1":                 {DimRing: 1},
		"reward abort":                 {Rewards: Rewards{Abort: Ptr(-1.0)}},
		"rewards correct and fail are": {Rewards: Rewards{Correct: Ptr(-0.1)}},
		"reward fail = +Inf":           {Rewards: Rewards{Fail: Ptr(math.Inf(1))}},
		`unknown period "decision"`:    {Timing: Timing{"decision": Constant(100)}},
		"zero-length trial":            {Timing: Timing{"fixation": Constant(0), "reach": Constant(50)}},
	} {
		_, err := NewReaching1D(cfg)
		checkErr(t, want, err, want)
	}
}

func TestReaching1DSeedCloneAndRegistry(t *testing.T) {
	cSameSeed(t, mustNew(t, NewReaching1D, Reaching1DConfig{Seed: 8}), mustNew(t, NewReaching1D, Reaching1DConfig{Seed: 8}), mustNew(t, NewReaching1D, Reaching1DConfig{Seed: 9}))
	task, err := New(Reaching1DName, WithSeed(8), WithDt(250))
	if err != nil {
		t.Fatal(err)
	}
	task.Reset()
	task.Step(1)
	c := task.Clone()
	c.Step(1)
	if s := task.Current().Record.(Reaching1DTrial).State; math.Abs(s-(math.Pi+0.05)) > 1e-12 {
		t.Errorf("the clone's step moved the original: state %v", s)
	}
	if s := c.Current().Record.(Reaching1DTrial).State; math.Abs(s-(math.Pi+0.1)) > 1e-12 {
		t.Errorf("clone state %v", s)
	}
	reachCheckTrial(t, mustTrial(t, task, nil), 16, 2, 2)
}
