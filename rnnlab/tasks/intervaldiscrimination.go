package tasks

import (
	"fmt"
	"math"
)

// IntervalDiscriminationName is the registry id of IntervalDiscrimination.
const IntervalDiscriminationName = "IntervalDiscrimination-v0"

// IntervalDiscriminationConfig configures IntervalDiscrimination. The zero
// value is neurogym v2.2.0's defaults; every zero field means its default.
type IntervalDiscriminationConfig struct {
	// Dt is the time step in ms (default 80; must be finite and >= 0).
	Dt float64
	// Timing overrides the durations of fixation (default 300 ms), stim1
	// (uniform on [300, 600)), delay1 (uniform on [800, 1500)), stim2
	// (uniform on [300, 600)), delay2 (500) and decision (300).
	Timing Timing
	// Rewards gives the abort (-0.1), correct (+1) and fail (0) rewards.
	Rewards Rewards
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// IntervalDiscriminationTrial is the record of an IntervalDiscrimination
// trial.
type IntervalDiscriminationTrial struct {
	// Duration1 and Duration2 are the durations of the two stimuli in ms,
	// multiples of dt (drawn and floored to dt as neurogym's sample_time
	// does). Overrides must be multiples of dt, >= 0.
	Duration1, Duration2 float64
	// GroundTruth is 0 if Duration1 > Duration2 and 1 otherwise (ties
	// included); the decision label is GroundTruth+1. neurogym's
	// trial["ground_truth"] is that label, 1 or 2. Computed, not drawn.
	GroundTruth int
}

// Fields returns duration1, duration2 and ground_truth.
func (r IntervalDiscriminationTrial) Fields() []Field {
	return []Field{FloatField("duration1", r.Duration1), FloatField("duration2", r.Duration2), IntField("ground_truth", r.GroundTruth)}
}

type ivdDef struct {
	cfg     IntervalDiscriminationConfig
	timing  Timing
	rewards []NamedValue
}

// NewIntervalDiscrimination returns neurogym's IntervalDiscrimination-v0
// (Genovesio et al. 2009): two stimuli of random durations d1 and d2,
// separated by a delay, are shown on separate channels; the agent must
// report which one lasted longer.
//
// The periods fixation, stim1 (d1), delay1, stim2 (d2), delay2 and
// decision are laid end to end; with every drawn duration floored to dt,
// the default trial at dt 80 has 3 + d1/80 + delay1/80 + d2/80 + 6 + 3
// steps, d1 and d2 in {240, 320, 400, 480, 560} ms with probabilities
// 1/15, 4/15, 4/15, 4/15, 2/15. The 3 observation channels, without noise,
// are
//
//	x[0] fixation = 1 in every period except the decision, where it is 0
//	x[1] stim1    = 1 in stim1, else 0
//	x[2] stim2    = 1 in stim2, else 0
//
// The label is 0 except in the decision period, where it is 1 (choose
// "first") if d1 > d2 and 2 otherwise: equal floored durations count as
// "second longer", which makes label 2 the more frequent (about 0.62 at
// the defaults). Step is the default ChoiceStep (neurogym's abort is always
// false). neurogym ignores the keyword arguments of new_trial here; this
// port accepts overrides of duration1 and duration2.
func NewIntervalDiscrimination(cfg IntervalDiscriminationConfig) (*Env, error) {
	return newNamedEnv(IntervalDiscriminationName, newIvdDef, cfg, cfg.Seed)
}

func newIvdDef(cfg IntervalDiscriminationConfig) (*ivdDef, error) {
	var err error
	if cfg.Dt, err = resolveDt(cfg.Dt, 80); err != nil {
		return nil, err
	}
	tm, err := Timing{"fixation": Constant(300), "stim1": Uniform(300, 600), "delay1": Uniform(800, 1500),
		"stim2": Uniform(300, 600), "delay2": Constant(500), "decision": Constant(300)}.With(cfg.Timing)
	if err != nil {
		return nil, err
	}
	if tm.MinSteps(cfg.Dt, "fixation", "delay1", "delay2", "decision") == 0 {
		return nil, fmt.Errorf("timing at dt = %v ms can give a zero-length trial (stim1 and stim2 may be overridden to 0)", cfg.Dt)
	}
	cfg.Timing = tm
	d := &ivdDef{cfg: cfg, timing: tm}
	if d.cfg.Rewards, d.rewards, err = cfg.Rewards.Resolve(-0.1, 1, 0); err != nil {
		return nil, err
	}
	return d, nil
}

// Spec lays out fixation {0}, stim1 {1} and stim2 {2} channels, fixation
// {0} and choice {1, 2} actions.
func (d *ivdDef) Spec() Spec {
	return Spec{
		Name: IntervalDiscriminationName, Dt: d.cfg.Dt, Timing: d.timing, Rewards: d.rewards,
		Obs:     []Group{{"fixation", []int{0}}, {"stim1", []int{1}}, {"stim2", []int{2}}},
		Actions: []Group{{"fixation", []int{0}}, {"choice", []int{1, 2}}},
	}
}

// NewTrial draws, in neurogym's order, the two stimulus durations, then the
// other periods' durations.
func (d *ivdDef) NewTrial(b *Builder) Record {
	dt := d.cfg.Dt
	check := func(v float64) error {
		if k := math.Round(v / dt); !finite(v) || k < 0 || math.Abs(v-k*dt) > 1e-9*dt {
			return fmt.Errorf("want a multiple of dt = %v ms, >= 0", dt)
		}
		return nil
	}
	s1, s2 := b.Steps("stim1"), b.Steps("stim2")
	r := IntervalDiscriminationTrial{
		Duration1: b.Var("duration1", float64(s1)*dt, check),
		Duration2: b.Var("duration2", float64(s2)*dt, check),
	}
	if !(r.Duration1 > r.Duration2) {
		r.GroundTruth = 1
	}
	b.Periods("fixation")
	b.Period("stim1", b.End("fixation"), StepsOf(r.Duration1, dt))
	b.Periods("delay1")
	b.Period("stim2", b.End("delay1"), StepsOf(r.Duration2, dt))
	b.Periods("delay2", "decision")
	b.AddOb("fixation", 1)
	b.AddOb("stim1", 1, "stim1")
	b.AddOb("stim2", 1, "stim2")
	b.SetOb("", 0, "decision")
	b.SetChoice("choice", r.GroundTruth, "decision")
	return r
}

func init() {
	RegisterEnv(IntervalDiscriminationName, NewIntervalDiscrimination)
}
