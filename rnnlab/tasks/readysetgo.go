package tasks

import (
	"fmt"
	"math"
)

// ReadySetGoName is the registry id of ReadySetGo.
const ReadySetGoName = "ReadySetGo-v0"

// ReadySetGoConfig configures ReadySetGo. The zero value is neurogym
// v2.2.0's defaults; every zero field means its default.
type ReadySetGoConfig struct {
	// Dt is the time step in ms (default 80; must be finite and >= 0).
	Dt float64
	// Timing overrides the durations of the periods fixation (default 100
	// ms), ready (83), measure (uniform on [800, 1500); neurogym's callable
	// timing, which a Func duration also expresses) and set (83). The
	// production period is not timed: it lasts 2 x production ms.
	Timing Timing
	// Rewards gives the abort (-0.1), correct (+1) and fail (0) rewards.
	Rewards Rewards
	// Gain scales the interval to produce: production = Gain x measure
	// (default 1; must be finite and > 0).
	Gain float64
	// ProdMargin sets the tolerance of the response time, ProdMargin x
	// production + 25 ms. Nil means 0.2; must be finite and >= 0.
	ProdMargin *float64
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// ReadySetGoTrial is the record of a ReadySetGo trial. It has no
// ground_truth: the task is a timed go, not a choice.
type ReadySetGoTrial struct {
	// Measure is the Ready-Set interval in ms, a multiple of dt (drawn
	// from the measure timing and floored to dt, as neurogym's
	// sample_time does). An override must be a positive multiple of dt.
	Measure float64
	// Gain is the config's Gain unless overridden (> 0).
	Gain float64
	// Production is Measure x Gain in ms, the interval to produce after
	// the end of the measure period (computed, not drawn).
	Production float64
}

// Fields returns measure, gain and production.
func (r ReadySetGoTrial) Fields() []Field {
	return []Field{FloatField("measure", r.Measure), FloatField("gain", r.Gain), FloatField("production", r.Production)}
}

// rsgDef is the resolved definition of ReadySetGo.
type rsgDef struct {
	cfg     ReadySetGoConfig
	timing  Timing
	rewards []NamedValue
}

// NewReadySetGo returns neurogym's ReadySetGo-v0 (Remington et al. 2018):
// two brief flashes, Ready and Set, are separated by the measure interval
// m; the agent must then respond ("go", action 1) m x gain after the set
// cue.
//
// With F the fixation period (steps [0, f)), the periods are ready
// [f, f+r), measure [f, f+M) (it overlaps ready: both start after
// fixation), set [f+M, f+M+s) and production [f+M+s, N), of
// floor(2 x production / dt) steps; N = f+M+s+floor(2 p/dt) (at least
// f+r). The 3 observation channels are
//
//	x[0] fixation = 1 everywhere except in production, where it is 0
//	x[1] ready    = 1 in the ready period, else 0
//	x[2] set      = 1 in the set period, else 0
//
// with no noise. The label is 0 except at the single step
// production start + floor(production/dt), where it is 1 (go). At the
// defaults (dt 80: fixation, ready and set 1 step, measure m = 80 k ms with
// k in 10..18) a trial has N = 2 + 3k steps and the go label at step 2+2k.
//
// Step (neurogym's own): in the fixation period any action other than 0
// gives the abort reward (the trial goes on: neurogym's abort is always
// false). In the production period action 1 ends the trial; with t_prod =
// (t - end of measure) x dt ms the time since the end of the measure
// period and eps = |t_prod - production|, the reward is fail if eps >
// ProdMargin x production + 25, else correct x max((1 - eps/threshold)^1.5,
// 0.1) with performance 1. Because t_prod counts from the end of measure,
// not of set, the go label's step has eps = dt and the best reward falls
// one step earlier; this is neurogym's behaviour. Any other step gives 0.
func NewReadySetGo(cfg ReadySetGoConfig) (*Env, error) {
	return newNamedEnv(ReadySetGoName, newRSGDef, cfg, cfg.Seed)
}

func newRSGDef(cfg ReadySetGoConfig) (*rsgDef, error) {
	var err error
	if cfg.Dt, err = resolveDt(cfg.Dt, 80); err != nil {
		return nil, err
	}
	switch {
	case !finite(cfg.Gain) || cfg.Gain < 0:
		return nil, fmt.Errorf("gain = %v: must be finite and > 0 (0 means the default 1)", cfg.Gain)
	case cfg.Gain == 0:
		cfg.Gain = 1
	}
	if cfg.ProdMargin == nil {
		cfg.ProdMargin = Ptr(0.2)
	} else if m := *cfg.ProdMargin; !finite(m) || m < 0 {
		return nil, fmt.Errorf("prod_margin = %v: must be finite and >= 0", m)
	} else {
		cfg.ProdMargin = Ptr(m)
	}
	tm, err := Timing{"fixation": Constant(100), "ready": Constant(83), "measure": Uniform(800, 1500),
		"set": Constant(83)}.With(cfg.Timing)
	if err != nil {
		return nil, err
	}
	cfg.Timing = tm
	if m := tm["measure"]; m.Kind != DurationFunc && 2*float64(StepsOf(m.MinMs(), cfg.Dt))*cfg.Dt*cfg.Gain < cfg.Dt {
		return nil, fmt.Errorf("timing of measure %v at dt = %v ms and gain %v: the production period can be shorter than one step", m, cfg.Dt, cfg.Gain)
	}
	d := &rsgDef{cfg: cfg, timing: tm}
	if d.cfg.Rewards, d.rewards, err = cfg.Rewards.Resolve(-0.1, 1, 0); err != nil {
		return nil, err
	}
	return d, nil
}

// Spec lays out the fixation {0}, ready {1} and set {2} channels and the
// fixation {0} and go {1} actions.
func (d *rsgDef) Spec() Spec {
	return Spec{
		Name: ReadySetGoName, Dt: d.cfg.Dt, Timing: d.timing, Rewards: d.rewards,
		Obs:     []Group{{"fixation", []int{0}}, {"ready", []int{1}}, {"set", []int{2}}},
		Actions: []Group{{"fixation", []int{0}}, {"go", []int{1}}},
	}
}

// NewTrial draws, in neurogym's order, the measure interval, then the
// durations of fixation, ready and set.
func (d *rsgDef) NewTrial(b *Builder) Record {
	dt := d.cfg.Dt
	r := ReadySetGoTrial{Measure: float64(b.Steps("measure")) * dt}
	r.Measure = b.Var("measure", r.Measure, func(v float64) error {
		if k := math.Round(v / dt); !finite(v) || k < 1 || math.Abs(v-k*dt) > 1e-9*dt {
			return fmt.Errorf("want a positive multiple of dt = %v ms", dt)
		}
		return nil
	})
	r.Gain = b.Var("gain", d.cfg.Gain, func(v float64) error {
		if !finite(v) || v <= 0 {
			return fmt.Errorf("want a finite gain > 0")
		}
		return nil
	})
	r.Production = r.Measure * r.Gain
	b.Periods("fixation", "ready")
	b.Period("measure", b.End("fixation"), StepsOf(r.Measure, dt))
	b.Period("set", b.End("measure"), b.Steps("set"))
	b.Period("production", b.End("set"), StepsOf(2*r.Production, dt))
	b.AddOb("fixation", 1)
	b.SetOb("fixation", 0, "production")
	b.AddOb("ready", 1, "ready")
	b.AddOb("set", 1, "set")
	if s, e := b.Span("production"); s+StepsOf(r.Production, dt) < e {
		b.Trial().Labels[s+StepsOf(r.Production, dt)] = 1
	}
	return r
}

// Step is neurogym's ReadySetGo step (see NewReadySetGo).
func (d *rsgDef) Step(e *Env, action int) Outcome {
	var o Outcome
	if e.InPeriod("fixation") && action != 0 {
		o.Reward = e.Reward("abort")
	}
	if e.InPeriod("production") && action == 1 {
		o.EndTrial = true
		r := e.Current().Record.(ReadySetGoTrial)
		m, _ := e.Current().Period("measure")
		eps := math.Abs(float64(e.StepIndex()-m.End)*d.cfg.Dt - r.Production)
		thr := *d.cfg.ProdMargin*r.Production + 25
		if eps > thr {
			o.Reward = e.Reward("fail")
		} else {
			o.Reward = math.Max(math.Pow(1-eps/thr, 1.5), 0.1) * e.Reward("correct")
			e.SetPerformance(1)
		}
	}
	return o
}

func init() {
	RegisterEnv(ReadySetGoName, NewReadySetGo)
}
