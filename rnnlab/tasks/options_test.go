package tasks

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// optTestInner is nested in optTestConfig.
type optTestInner struct {
	Gain  float64
	Count *int
}

// optTestEmbedded is embedded in optTestConfig: its fields are flattened.
type optTestEmbedded struct {
	Flat int
}

// optTestConfig has a field of every kind SetOption handles.
type optTestConfig struct {
	optTestEmbedded
	DimRing    int
	Seed       uint64
	Sigma      *float64
	Cohs       []float64
	Labels     []string
	Abort      bool
	Mode       string
	Tagged     float64 `json:"renamed"`
	Hidden     float64 `json:"-"`
	ITIMs      float64
	Inner      optTestInner
	Ptr        *optTestInner
	Timing     Timing
	Gains      map[string]float64
	Stim       Duration
	Fn         func() float64
	unexported int
}

func TestSetOptionKinds(t *testing.T) {
	shared := Timing{"fixation": Constant(50)}
	inner := &optTestInner{Gain: 7}
	cfg := optTestConfig{Timing: shared, Ptr: inner}
	for _, kv := range [][2]string{
		{"flat", "4"}, {"dim_ring", "3"}, {"DimRing", "5"}, {"seed", "18446744073709551615"},
		{"sigma", "0"}, {"cohs", "0, 6.4,12.8"}, {"labels", "a,b"}, {"abort", "true"},
		{"mode", "fast"}, {"renamed", "2.5"}, {"iti_ms", "300"}, {"inner.gain", "1.5"},
		{"inner.count", "9"}, {"ptr.gain", "8"}, {"timing.stimulus", "choice(100,200)"},
		{"timing.fixation", "uniform(10,20)"}, {"gains.left", "0.5"}, {"stim", "truncexp(300,100)"},
	} {
		if err := SetOption(&cfg, kv[0], kv[1]); err != nil {
			t.Fatalf("SetOption(%s=%s): %v", kv[0], kv[1], err)
		}
	}
	want := optTestConfig{
		optTestEmbedded: optTestEmbedded{4}, DimRing: 5, Seed: math.MaxUint64, Sigma: Ptr(0.0),
		Cohs: []float64{0, 6.4, 12.8}, Labels: []string{"a", "b"}, Abort: true, Mode: "fast",
		Tagged: 2.5, ITIMs: 300, Inner: optTestInner{1.5, Ptr(9)}, Ptr: &optTestInner{Gain: 8},
		Timing: Timing{"stimulus": Choice(100, 200), "fixation": Uniform(10, 20)},
		Gains:  map[string]float64{"left": 0.5}, Stim: TruncExp(300, 100, 0),
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("got  %+v\nwant %+v", cfg, want)
	}
	if shared["fixation"].Value != 50 || len(shared) != 1 || inner.Gain != 7 {
		t.Errorf("SetOption modified a map or struct shared with the caller: %v, %v", shared, inner)
	}
	if err := SetOption(&cfg, "cohs", ""); err != nil || cfg.Cohs == nil || len(cfg.Cohs) != 0 {
		t.Errorf("empty list: %v, %#v", err, cfg.Cohs)
	}
}

func TestSetOptionErrors(t *testing.T) {
	for _, c := range []struct{ key, value, msg string }{
		{"nope", "1", `unknown option "nope"; options: flat, dim_ring, seed, sigma, cohs, labels, abort, mode, renamed, iti_ms, inner.gain, inner.count, ptr.gain, ptr.count, timing.<period>, gains.<key>, stim`},
		{"hidden", "1", "unknown option"},
		{"fn", "1", "unknown option"},
		{"unexported", "1", "unknown option"},
		{"inner", "1", "unknown option"},
		{"timing", "100", "unknown option"},
		{"timing.a.b", "100", "unknown option"},
		{"inner.gain.x", "1", "unknown option"},
		{"dim_ring", "2.5", `option dim_ring: "2.5" is not an integer (64-bit)`},
		{"seed", "-1", `option seed: "-1" is not a non-negative integer`},
		{"sigma", "abc", `option sigma: "abc" is not a finite number`},
		{"sigma", "NaN", `is not a finite number`},
		{"cohs", "1,x", `option cohs: "1,x" is not a list of numbers (comma-separated`},
		{"abort", "maybe", `option abort: "maybe" is not a bool`},
		{"timing.delay", "soon", `option timing.delay: duration "soon"`},
		{"timing.delay", "-5", `must be finite and >= 0`},
		{"gains.x", "y", `option gains.x: "y" is not a finite number`},
	} {
		cfg := optTestConfig{DimRing: 2}
		err := SetOption(&cfg, c.key, c.value)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("SetOption(%s=%s) = %v, want %q", c.key, c.value, err, c.msg)
		}
		if !reflect.DeepEqual(cfg, optTestConfig{DimRing: 2}) {
			t.Errorf("SetOption(%s=%s) failed but changed the config: %+v", c.key, c.value, cfg)
		}
	}
	if err := SetOption(optTestConfig{}, "dim_ring", "1"); err == nil {
		t.Error("SetOption on a non-pointer should fail")
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{"DimRing": "dim_ring", "Dt": "dt", "ITIMs": "iti_ms",
		"FixationOnlyInFixation": "fixation_only_in_fixation", "Dim2Ring": "dim2_ring", "HTTP": "http"} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestNewWithSettingsPDM(t *testing.T) {
	task, err := NewWithSettings(PerceptualDecisionMakingName, []string{
		"dim_ring=3", "cohs=12.8,51.2", "sigma=0", "timing.stimulus=500", "timing.delay=choice(0,200)",
		"rewards.correct=2", "abort=true", "fixation_only_in_fixation=true",
	}, WithDt(20), WithSeed(4))
	if err != nil {
		t.Fatal(err)
	}
	c := task.(*PerceptualDecisionMaking).Config()
	if c.DimRing != 3 || !slices.Equal(c.Cohs, []float64{12.8, 51.2}) || *c.Sigma != 0 || c.Timing.Stimulus.String() != "500" ||
		c.Timing.Delay.String() != "choice(0,200)" || *c.Rewards.Correct != 2 || !c.Abort || !c.FixationOnlyInFixation ||
		c.Dt != 20 || c.Seed != 4 || c.Timing.Fixation.String() != "100" {
		t.Errorf("config %+v", c)
	}
	// Settings apply on top of a given config.
	task, err = NewWithSettings(PerceptualDecisionMakingName, []string{"dim_ring=4"},
		WithConfig(&PerceptualDecisionMakingConfig{Cohs: []float64{3}}))
	if c := task.(*PerceptualDecisionMaking).Config(); err != nil || c.DimRing != 4 || !slices.Equal(c.Cohs, []float64{3}) {
		t.Errorf("settings over a config: %v, %+v", err, c)
	}
	for _, c := range []struct {
		settings []string
		msg      string
	}{
		{[]string{"bogus=1"}, `PerceptualDecisionMaking-v0: unknown option "bogus"; options: dt, dim_ring, cohs, sigma, timing.fixation, timing.stimulus, timing.delay, timing.decision, rewards.abort, rewards.correct, rewards.fail, abort, fixation_only_in_fixation, seed`},
		{[]string{"dim_ring=x"}, `PerceptualDecisionMaking-v0: option dim_ring: "x" is not an integer`},
		{[]string{"dim_ring=1"}, "dim_ring = 1: need at least 2 choices"},
		{[]string{"cohs="}, "cohs is empty"},
		{[]string{"sigma=-1"}, "sigma = -1"},
		{[]string{"dim_ring"}, `setting "dim_ring": want key=value`},
		{[]string{"dim_ring=3", "DimRing=4"}, "option DimRing set twice"},
		{[]string{"timing.bogus=3"}, `unknown option "timing.bogus"`},
	} {
		_, err := NewWithSettings(PerceptualDecisionMakingName, c.settings)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v: error %v, want %q", c.settings, err, c.msg)
		}
	}
	if _, err := NewWithSettings("NoSuch-v0", []string{"a=1"}); err == nil || !strings.Contains(err.Error(), "known tasks: ") {
		t.Errorf("unknown task: %v", err)
	}
	if _, err := NewWithSettings(PerceptualDecisionMakingName, []string{"dim_ring=3"}, WithConfig(3)); err == nil || !strings.Contains(err.Error(), "config of type int") {
		t.Errorf("wrong config type: %v", err)
	}
}

func TestNoOptions(t *testing.T) {
	const name = "OptionlessTest-v0"
	Register(name, func(o Options) (Task, error) { return NewEnv(optionlessDef{}, 0) })
	t.Cleanup(func() { // keep the registry as other tests expect it
		registryMu.Lock()
		delete(registry, name)
		registryMu.Unlock()
	})
	_, err := NewWithSettings(name, []string{"a=1"})
	if !errors.Is(err, ErrNoOptions) || !strings.Contains(err.Error(), name+" exposes no options") {
		t.Errorf("NewWithSettings: %v", err)
	}
	if _, err := TaskOptions(name); !errors.Is(err, ErrNoOptions) {
		t.Errorf("TaskOptions: %v", err)
	}
	if task, err := NewWithSettings(name, nil); err != nil || task.Name() != name {
		t.Errorf("no settings: %v", err)
	}
}

type optionlessDef struct{}

func (optionlessDef) Spec() Spec {
	return Spec{Name: "OptionlessTest-v0", Dt: 100, Timing: Timing{"decision": Constant(100)},
		Obs: []Group{{"fixation", []int{0}}}, Actions: []Group{{"fixation", []int{0}}, {"choice", []int{1}}},
		Rewards: []NamedValue{{"abort", 0}, {"correct", 1}, {"fail", 0}}}
}

func (optionlessDef) NewTrial(b *Builder) Record {
	b.Periods("decision")
	return PDMTrial{}
}

func TestTaskOptionsPDM(t *testing.T) {
	opts, err := TaskOptions(PerceptualDecisionMakingName)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, o := range opts {
		got[o.Key] = o.Type + "=" + o.Default
	}
	for k, v := range map[string]string{"dt": "number=100", "dim_ring": "int=2", "cohs": "list of numbers=0,6.4,12.8,25.6,51.2",
		"sigma": "number=1", "timing.stimulus": "duration=2000", "timing.delay": "duration=0", "rewards.abort": "number=-0.1",
		"abort": "bool=false", "seed": "uint=0"} {
		if got[k] != v {
			t.Errorf("option %s: %q, want %q", k, got[k], v)
		}
	}
}

// TestEveryTaskOptionsRoundTrip sets, for every registered task exposing
// options, each option to its listed default: the task must accept it.
func TestEveryTaskOptionsRoundTrip(t *testing.T) {
	for _, name := range Names() {
		opts, err := TaskOptions(name)
		if errors.Is(err, ErrNoOptions) {
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, o := range opts {
			if o.Default == "" || strings.Contains(o.Key, "<") {
				continue
			}
			if _, err := NewWithSettings(name, []string{o.Key + "=" + o.Default}); err != nil {
				t.Errorf("%s: setting the listed default %s=%s: %v", name, o.Key, o.Default, err)
			}
		}
		_, err = NewWithSettings(name, []string{"no_such_option=1"})
		if err == nil || !strings.Contains(err.Error(), "no_such_option") || !strings.Contains(err.Error(), "options: ") {
			t.Errorf("%s: unknown option error %v", name, err)
		}
	}
}
