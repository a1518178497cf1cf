package tasks

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// toyRec is the record of toyDef.
type toyRec struct {
	Side int
	Gain float64
	Pos  int // changed by stepDef during the trial
}

func (r toyRec) Fields() []Field {
	return []Field{IntField("ground_truth", r.Side), FloatField("gain", r.Gain), IntField("pos", r.Pos)}
}

// toyDef has overlapping periods and three channel groups; its NewTrial is
// given per test.
type toyDef struct {
	newTrial func(b *Builder) Record
}

func (d toyDef) Spec() Spec {
	return Spec{
		Name: "Toy-v0", Dt: 10,
		Obs:     []Group{{"fixation", []int{0}}, {"ring", []int{1, 2, 3}}, {"extra", []int{4}}},
		Actions: []Group{{"fixation", []int{0}}, {"choice", []int{1, 2}}},
		Rewards: []NamedValue{{"abort", -1}, {"correct", 2}, {"fail", -3}},
		Timing:  Timing{"a": Constant(30), "b": Constant(25), "c": Constant(10)},
	}
}

func (d toyDef) NewTrial(b *Builder) Record { return d.newTrial(b) }

func newToy(t *testing.T, def Def) *Env {
	t.Helper()
	e, err := NewEnv(def, 1)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestBuilderLayout(t *testing.T) {
	e := newToy(t, toyDef{func(b *Builder) Record {
		r := toyRec{Side: b.Int("ground_truth", 2), Gain: b.Pick("gain", []float64{0.5})}
		b.Periods("a", "b")                               // [0, 3), [3, 5)
		b.Period("late", b.End("a")+1, 4)                 // [4, 8): overlaps b, sets N
		b.Period("empty", 2, b.Steps("c")-1)              // [2, 2)
		b.AddOb("fixation", 1)                            // whole trial
		b.SetOb("fixation", 0, "late")                    // then off from step 4
		b.AddObs("ring", []float64{1, 2, 3}, "b", "late") // twice on step 4
		b.AddOb("", r.Gain, "a")                          // every channel
		b.AddOb("extra", 7, "empty")                      // no step
		b.SetChoice("choice", r.Side, "late")
		b.SetLabel(9, "empty")
		if v := b.ViewOb("b"); len(v) != 10 || v[6] != 2 { // step 4, channel 1
			panic("ViewOb")
		}
		return r
	}})
	tr := mustTrial(t, e, Override{"ground_truth": 1, "gain": 2})
	want := []Period{{"a", 0, 3}, {"b", 3, 5}, {"late", 4, 8}, {"empty", 2, 2}}
	if !slices.Equal(tr.Periods, want) || tr.N != 8 || tr.ObsSize != 5 {
		t.Fatalf("periods %v, N %d, obs size %d", tr.Periods, tr.N, tr.ObsSize)
	}
	rows := [][]float32{
		{3, 2, 2, 2, 2}, {3, 2, 2, 2, 2}, {3, 2, 2, 2, 2},
		{1, 1, 2, 3, 0}, {0, 2, 4, 6, 0}, {0, 1, 2, 3, 0}, {0, 1, 2, 3, 0}, {0, 1, 2, 3, 0},
	}
	for s, w := range rows {
		if !slices.Equal(tr.ObsAt(s), w) {
			t.Errorf("step %d: obs %v, want %v", s, tr.ObsAt(s), w)
		}
	}
	if !slices.Equal(tr.Labels, []int{0, 0, 0, 0, 2, 2, 2, 2}) {
		t.Errorf("labels %v", tr.Labels)
	}
	if !tr.InPeriod("b", 4) || !tr.InPeriod("late", 4) || tr.InPeriod("b", 5) || tr.InPeriod("empty", 2) || tr.InPeriod("nope", 0) {
		t.Error("InPeriod is wrong on overlapping or empty periods")
	}
	if tr.Record != (toyRec{1, 2, 0}) {
		t.Errorf("record %+v", tr.Record)
	}
}

// TestBuilderAddRandn checks the draw order (step by step, channel by
// channel in the group's order) and the exact float arithmetic.
func TestBuilderAddRandn(t *testing.T) {
	e := newToy(t, toyDef{func(b *Builder) Record {
		b.Periods("a", "b")
		b.AddOb("ring", 0.3)
		b.AddRandn("ring", 0.5, 0.2, "b")
		return toyRec{}
	}})
	tr := mustTrial(t, e, nil)
	rng := rand.New(rand.NewPCG(1, 1^0x9e3779b97f4a7c15))
	for s := 0; s < 5; s++ {
		for _, c := range []int{1, 2, 3} {
			want := float32(0.3)
			if s >= 3 {
				want = float32(float64(float32(0.3)) + 0.5 + rng.NormFloat64()*0.2)
			}
			if got := tr.ObsAt(s)[c]; got != want {
				t.Fatalf("step %d channel %d: %v, want %v", s, c, got, want)
			}
		}
	}
}

func TestBuilderPanicsOnTaskBugs(t *testing.T) {
	for name, f := range map[string]func(b *Builder){
		"unknown group":         func(b *Builder) { b.Periods("a"); b.AddOb("stimulus", 1) },
		"unknown period":        func(b *Builder) { b.Periods("a"); b.AddOb("ring", 1, "decision") },
		"no timing":             func(b *Builder) { b.Periods("decision") },
		"period after obs":      func(b *Builder) { b.Periods("a"); b.SetLabel(1); b.Periods("b") },
		"period twice":          func(b *Builder) { b.Periods("a", "a") },
		"wrong length":          func(b *Builder) { b.Periods("a"); b.AddObs("ring", []float64{1, 2}) },
		"choice outside group":  func(b *Builder) { b.Periods("a"); b.SetChoice("choice", 2) },
		"zero-length trial":     func(b *Builder) { b.Period("a", 0, 0) },
		"infinite timeout":      func(b *Builder) { b.SetTimeoutReward(math.Inf(-1)) },
		"negative period start": func(b *Builder) { b.Period("a", -1, 2) },
	} {
		t.Run(name, func(t *testing.T) {
			e := newToy(t, toyDef{func(b *Builder) Record { f(b); return toyRec{} }})
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "Toy-v0") {
					t.Errorf("panic %v, want one naming the task", r)
				}
			}()
			e.NewTrial(nil)
		})
	}
}

// stepDef adds its own step and observation hook to toyDef: action 1 moves
// the position in the record, action 2 ends the trial with performance
// 0.5; the observation's extra channel shows the position.
type stepDef struct{ toyDef }

func (stepDef) Step(e *Env, action int) Outcome {
	r := e.Current().Record.(toyRec)
	switch action {
	case 1:
		r.Pos++
		e.Current().Record = r
	case 2:
		e.SetPerformance(0.5)
		return Outcome{Reward: e.Reward("correct"), EndTrial: true}
	}
	return Outcome{}
}

func (stepDef) Observe(e *Env, obs []float32) {
	obs[4] = float32(e.Current().Record.(toyRec).Pos)
}

func TestEnvCustomStepAndBookkeeping(t *testing.T) {
	e := newToy(t, stepDef{toyDef{func(b *Builder) Record {
		b.Periods("a", "b")
		b.AddRandn("ring", 0, 1)
		b.SetPerformance(0.25)
		b.SetTimeoutReward(-7)
		return toyRec{Side: b.Int("ground_truth", 2)}
	}}})
	if obs := e.Reset(); len(obs) != 5 || obs[4] != 0 || e.NumTrials() != 1 {
		t.Fatalf("Reset: %v, %d trials", obs, e.NumTrials())
	}
	first := e.Current()
	if &e.ObsNow()[0] != &first.Obs[0] {
		t.Error("ObsNow is not a view of step 0")
	}
	res := e.Step(1)
	if res.Obs[4] != 1 || res.NewTrial || first.ObsAt(1)[4] != 0 || e.Performance() != 0.25 {
		t.Fatalf("step 1: %+v; trial obs %v", res, first.ObsAt(1))
	}
	c := e.CloneEnv()
	e.Step(1)
	if c.Current().Record.(toyRec).Pos != 1 || e.Current().Record.(toyRec).Pos != 2 {
		t.Error("the clone shares the record")
	}
	for s := 2; s < 4; s++ {
		if res = e.Step(0); res.NewTrial || res.Reward != 0 {
			t.Fatalf("step %d: %+v", s, res)
		}
	}
	if res = e.Step(0); !res.NewTrial || res.Reward != -7 || res.Performance != 0.25 || res.Trial != e.Current().Record {
		t.Fatalf("timeout: %+v", res)
	}
	second := e.Current()
	if res = e.Step(2); !res.NewTrial || res.Reward != 2 || res.Performance != 0.5 || e.NumTrials() != 3 {
		t.Fatalf("ending step: %+v", res)
	}
	// The clone goes on from where it was, with the same random stream.
	cres := c.Step(0)
	if cres.Obs[4] != 1 || c.StepIndex() != 2 {
		t.Errorf("clone: %+v at step %d", cres, c.StepIndex())
	}
	c.Step(0)
	c.Step(0)
	if res := c.Step(0); !res.NewTrial || res.Reward != -7 || !slices.Equal(c.Current().Obs, second.Obs) {
		t.Errorf("clone: %+v, its next trial differs from the original's", res)
	}
}

func TestEnvDefaultStep(t *testing.T) {
	def := toyDef{func(b *Builder) Record {
		b.Periods("a")
		b.Period("fixation", 0, 1)
		b.Period("decision", 2, 1)
		b.SetChoice("choice", 0, "decision")
		return toyRec{}
	}}
	for _, tc := range []struct {
		actions []int
		reward  float64
		ended   int // step index of the trial end
		perf    float64
	}{
		{[]int{0, 0, 1}, 2, 2, 1},
		{[]int{0, 1, 2}, -3, 2, 0}, // choosing outside the decision period costs nothing
		{[]int{1, 0, 0}, 0, 2, 0},  // abort -1 on step 0, then a timeout
	} {
		e := newToy(t, def)
		e.Reset()
		total := 0.0
		for s, a := range tc.actions {
			res := e.Step(a)
			total += res.Reward
			if res.NewTrial != (s == tc.ended) {
				t.Fatalf("%v: NewTrial %v at step %d", tc.actions, res.NewTrial, s)
			}
			if res.NewTrial && (res.Reward != tc.reward || res.Performance != tc.perf) {
				t.Errorf("%v: reward %v performance %v", tc.actions, res.Reward, res.Performance)
			}
		}
		if tc.actions[0] == 1 && total != -1 {
			t.Errorf("abort: total reward %v, want -1", total)
		}
	}
}

func TestOverrideErrorsLeaveTheEnvUnchanged(t *testing.T) {
	def := toyDef{func(b *Builder) Record {
		r := toyRec{Side: b.Int("ground_truth", 2)}
		r.Gain = b.Var("gain", b.Rng.Float64(), func(v float64) error {
			if v <= 0 {
				return errorString("want a gain > 0")
			}
			return nil
		})
		b.Periods("a")
		b.AddRandn("", 0, 1)
		return r
	}}
	a, b := newToy(t, def), newToy(t, def)
	for ov, want := range map[string]string{
		"gain=-1":               "Toy-v0: override gain = -1: want a gain > 0",
		"ground_truth=-1":       "Toy-v0: override ground_truth = -1: want an integer in 0..1",
		"side=1,ground_truth=0": `Toy-v0: unknown override "side"; valid: ground_truth, gain`,
	} {
		o, err := ParseOverride(ov)
		if err != nil {
			t.Fatal(err)
		}
		if tr, err := a.NewTrial(o); tr != nil || err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %q", ov, err, want)
		}
	}
	if a.Current() != nil || a.NumTrials() != 0 {
		t.Error("a rejected override made a trial")
	}
	ta, tb := mustTrial(t, a, Override{"gain": 3}), mustTrial(t, b, nil)
	if ta.Record.(toyRec).Gain != 3 || ta.Record.(toyRec).Side != tb.Record.(toyRec).Side || !slices.Equal(ta.Obs, tb.Obs) {
		t.Error("overrides changed the random stream")
	}
	if r := mustTrial(t, a, OverrideOf(ta.Record)).Record; r != ta.Record {
		t.Errorf("OverrideOf does not reproduce the record: %+v, want %+v", r, ta.Record)
	}
	// pos is computed (0), not drawn: only its own value is accepted.
	want := "Toy-v0: override pos = 1: computed by the task (0 here), not drawn; valid: ground_truth, gain"
	if _, err := a.NewTrial(Override{"pos": 1}); err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func TestNewEnvErrors(t *testing.T) {
	ok := toyDef{}.Spec()
	for want, edit := range map[string]func(s *Spec){
		"dt = 0 ms":                func(s *Spec) { s.Dt = 0 },
		"dt = NaN":                 func(s *Spec) { s.Dt = math.NaN() },
		`observation group "ring"`: func(s *Spec) { s.Obs[1].Indices = nil },
		`action group "fixation"`:  func(s *Spec) { s.Actions[1].Name = "fixation" },
		"negative index -1":        func(s *Spec) { s.Obs[2].Indices = []int{-1} },
		"no action groups":         func(s *Spec) { s.Actions = nil },
		"needs abort, correct":     func(s *Spec) { s.Rewards = s.Rewards[1:] },
		"reward fail = +Inf":       func(s *Spec) { s.Rewards[2].Value = math.Inf(1) },
		"timing of b":              func(s *Spec) { s.Timing["b"] = Duration{} },
		"timing of c: uniform":     func(s *Spec) { s.Timing["c"] = Uniform(3, 2) },
		"Spec without a name":      func(s *Spec) { s.Name = "" },
	} {
		s := ok
		s.Obs, s.Actions, s.Rewards = cloneGroups(ok.Obs), cloneGroups(ok.Actions), slices.Clone(ok.Rewards)
		s.Timing, _ = ok.Timing.With(nil)
		edit(&s)
		if _, err := NewEnv(specDef{s}, 0); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want one containing %q", err, want)
		}
	}
	if _, err := NewEnv(nil, 0); err == nil {
		t.Error("nil Def accepted")
	}
	e := newToy(t, toyDef{})
	if e.ObsSize() != 5 || e.NumActions() != 3 || e.Name() != "Toy-v0" || e.Dt() != 10 {
		t.Errorf("sizes %d %d %s %v", e.ObsSize(), e.NumActions(), e.Name(), e.Dt())
	}
	g := e.ObsGroups()
	g[0].Indices[0] = 9
	if e.ObsGroups()[0].Indices[0] != 0 {
		t.Error("ObsGroups shares memory with the Env")
	}
}

// specDef is a Def with a given Spec.
type specDef struct{ s Spec }

func (d specDef) Spec() Spec               { return d.s }
func (d specDef) NewTrial(*Builder) Record { return toyRec{} }

func TestColumnsAndParseOverride(t *testing.T) {
	recs := []Record{PDMTrial{1, 12.8}, toyRec{0, 0.5, 3}, nil}
	cols := Columns(recs)
	var names []string
	for _, c := range cols {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"ground_truth", "coh", "gain", "pos"}) || !cols[0].Discrete || cols[1].Discrete {
		t.Fatalf("columns %+v", cols)
	}
	if cols[0].Values[1] != 0 || cols[1].Values[0] != 12.8 || !math.IsNaN(cols[1].Values[1]) || !math.IsNaN(cols[0].Values[2]) {
		t.Errorf("values %+v", cols)
	}
	if g, ok := GroundTruth(recs[0]); g != 1 || !ok {
		t.Errorf("GroundTruth %d %v", g, ok)
	}
	if _, ok := Lookup(nil, "coh"); ok {
		t.Error("Lookup on a nil record")
	}
	for _, bad := range []string{"coh", "=1", "coh=x", "coh=1,coh=2"} {
		if _, err := ParseOverride(bad); err == nil {
			t.Errorf("ParseOverride(%q) accepted", bad)
		}
	}
	if ov, err := ParseOverride(" ground_truth = 1 , coh=25.6,"); err != nil || len(ov) != 2 || ov["coh"] != 25.6 {
		t.Errorf("ParseOverride: %v %v", ov, err)
	}
}

func TestTimingWithAndFunc(t *testing.T) {
	def := Timing{"fixation": Constant(100), "stimulus": Choice(1, 2)}
	tm, err := def.With(Timing{"stimulus": Func(func(r *rand.Rand) float64 { return 200 + 100*r.Float64() })})
	if err != nil {
		t.Fatal(err)
	}
	if tm["fixation"].String() != "100" || tm["stimulus"].Kind != DurationFunc || def["stimulus"].Kind != DurationChoice {
		t.Errorf("With: %v (defaults %v)", tm, def)
	}
	if v := tm["stimulus"].Sample(rand.New(rand.NewPCG(1, 2))); v < 200 || v >= 300 {
		t.Errorf("func duration %v", v)
	}
	if tm.MinSteps(50, "fixation", "stimulus") != 2 {
		t.Errorf("MinSteps %d", tm.MinSteps(50, "fixation", "stimulus"))
	}
	for want, user := range map[string]Timing{
		`unknown period "go"; periods: fixation, stimulus`: {"go": Constant(1)},
		"timing of stimulus: func duration: nil function":  {"stimulus": Func(nil)},
		"timing of fixation: constant duration -1":         {"fixation": Constant(-1)},
	} {
		if _, err := def.With(user); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
}

func TestConfigOf(t *testing.T) {
	cfg := PerceptualDecisionMakingConfig{DimRing: 3}
	for _, c := range []any{cfg, &cfg} {
		if got, err := ConfigOf[PerceptualDecisionMakingConfig]("X", Options{Config: c}); err != nil || got.DimRing != 3 {
			t.Errorf("%T: %+v %v", c, got, err)
		}
	}
	if got, err := ConfigOf[PerceptualDecisionMakingConfig]("X", Options{}); err != nil || got.DimRing != 0 {
		t.Errorf("nil: %+v %v", got, err)
	}
	for _, c := range []any{3, (*PerceptualDecisionMakingConfig)(nil)} {
		if _, err := ConfigOf[PerceptualDecisionMakingConfig]("X", Options{Config: c}); err == nil || !strings.HasPrefix(err.Error(), "X: config of type") {
			t.Errorf("%T: error %v", c, err)
		}
	}
}
