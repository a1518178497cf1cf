package tasks

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// PerceptualDecisionMakingName is the registry id of PerceptualDecisionMaking.
const PerceptualDecisionMakingName = "PerceptualDecisionMaking-v0"

// DefaultCohs are the default coherences of PerceptualDecisionMaking, in percent.
var DefaultCohs = []float64{0, 6.4, 12.8, 25.6, 51.2}

// PDMTiming holds the duration of each period of PerceptualDecisionMaking.
// A zero Duration means the period's default: fixation 100 ms, stimulus
// 2000 ms, delay 0 ms, decision 100 ms.
type PDMTiming struct {
	Fixation, Stimulus, Delay, Decision Duration
}

// pdmDefaultTiming is neurogym's default timing.
var pdmDefaultTiming = Timing{"fixation": Constant(100), "stimulus": Constant(2000), "delay": Constant(0), "decision": Constant(100)}

// PerceptualDecisionMakingConfig configures PerceptualDecisionMaking. The
// zero value is the primer's task (neurogym's defaults with the 2021
// fixation input); every zero field means its default.
type PerceptualDecisionMakingConfig struct {
	// Dt is the time step in ms (default 100; must not be negative).
	Dt float64
	// DimRing is the number of choices and stimulus channels (default 2;
	// must be >= 2 when set).
	DimRing int
	// Cohs is the set of coherences in percent, drawn uniformly per trial.
	// Nil means DefaultCohs; a non-nil empty slice is an error, as are
	// negative or non-finite values.
	Cohs []float64
	// Sigma is the noise level before dt scaling: the stimulus noise has
	// standard deviation Sigma/sqrt(Dt). Nil means 1; use Ptr(0.0) for
	// noise-free stimuli. Must be >= 0.
	Sigma *float64
	// Timing gives the period durations (zero fields are the defaults).
	Timing PDMTiming
	// Rewards gives the reward values (nil fields are the defaults).
	Rewards Rewards
	// Abort makes breaking fixation during the fixation period end the
	// trial (default false).
	Abort bool
	// FixationOnlyInFixation selects neurogym's newer (2025) fixation input:
	// the fixation channel is 1 only in the fixation period. The default
	// (false) is the primer's behaviour: 1 during fixation, stimulus and
	// delay, 0 only in the decision period.
	FixationOnlyInFixation bool
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// PDMTrial is the record of a PerceptualDecisionMaking trial.
type PDMTrial struct {
	// GroundTruth is the correct choice, 0..DimRing-1; the label in the
	// decision period is GroundTruth+1.
	GroundTruth int
	// Coh is the coherence in percent.
	Coh float64
}

// Fields returns ground_truth and coh.
func (r PDMTrial) Fields() []Field {
	return []Field{IntField("ground_truth", r.GroundTruth), FloatField("coh", r.Coh)}
}

// PerceptualDecisionMaking is neurogym's PerceptualDecisionMaking-v0, the
// primer's two-alternative forced choice task: after a fixation period, two
// noisy stimulus channels are shown, one with a higher mean; after an
// optional delay the network must report which one, in the decision period.
//
// Observations have 1+DimRing channels: channel 0 is the fixation cue,
// channels 1..DimRing the stimulus. Actions are 0 (fixate) and k+1 (choose
// k). Trials are PDMTrial records; overrides take ground_truth and coh. See
// the package documentation for the observation model.
type PerceptualDecisionMaking struct {
	*Env
	def *pdmDef
}

// pdmDef is the Def of PerceptualDecisionMaking.
type pdmDef struct {
	cfg      PerceptualDecisionMakingConfig // resolved
	timing   Timing
	rewards  []NamedValue
	sigmaEff float64
}

// NewPerceptualDecisionMaking validates cfg, fills its defaults and returns
// the task, seeded with cfg.Seed.
func NewPerceptualDecisionMaking(cfg PerceptualDecisionMakingConfig) (*PerceptualDecisionMaking, error) {
	d, err := newPDMDef(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", PerceptualDecisionMakingName, err)
	}
	env, err := NewEnv(d, d.cfg.Seed)
	if err != nil {
		return nil, err
	}
	return &PerceptualDecisionMaking{env, d}, nil
}

// newPDMDef fills the defaults into a copy of cfg and validates it.
func newPDMDef(cfg PerceptualDecisionMakingConfig) (*pdmDef, error) {
	r := cfg.clone()
	var err error
	if r.Dt, err = resolveDt(r.Dt, 100); err != nil {
		return nil, err
	}
	switch {
	case r.DimRing == 0:
		r.DimRing = 2
	case r.DimRing < 2:
		return nil, fmt.Errorf("dim_ring = %d: need at least 2 choices", r.DimRing)
	case r.DimRing > MaxDimRing:
		return nil, fmt.Errorf("dim_ring = %d: at most %d", r.DimRing, MaxDimRing)
	}
	switch {
	case cfg.Cohs == nil:
		r.Cohs = slices.Clone(DefaultCohs)
	case len(r.Cohs) == 0:
		return nil, errors.New("cohs is empty: give at least one coherence (nil means the default set)")
	}
	for _, c := range r.Cohs {
		if !finite(c) || c < 0 {
			return nil, fmt.Errorf("coherence %v: must be finite and >= 0", c)
		}
	}
	sigma, err := resolveSigma(r.Sigma)
	if err != nil {
		return nil, err
	}
	r.Sigma = Ptr(sigma)
	t := &r.Timing
	tm, err := resolveTiming(pdmDefaultTiming, Timing{"fixation": t.Fixation, "stimulus": t.Stimulus, "delay": t.Delay, "decision": t.Decision},
		r.Dt, "fixation", "stimulus", "delay", "decision")
	if err != nil {
		return nil, err
	}
	*t = PDMTiming{tm["fixation"], tm["stimulus"], tm["delay"], tm["decision"]}
	var rewards []NamedValue
	if r.Rewards, rewards, err = r.Rewards.Resolve(-0.1, 1, 0); err != nil {
		return nil, err
	}
	return &pdmDef{cfg: r, timing: tm, rewards: rewards, sigmaEff: sigma / math.Sqrt(r.Dt)}, nil
}

// clone deep-copies the slices and pointers of cfg.
func (cfg PerceptualDecisionMakingConfig) clone() PerceptualDecisionMakingConfig {
	c := cfg
	c.Cohs = slices.Clone(c.Cohs)
	cp := func(f *float64) *float64 {
		if f == nil {
			return nil
		}
		return Ptr(*f)
	}
	c.Sigma = cp(c.Sigma)
	c.Rewards = Rewards{Abort: cp(c.Rewards.Abort), Correct: cp(c.Rewards.Correct), Fail: cp(c.Rewards.Fail)}
	t := &c.Timing
	t.Fixation, t.Stimulus, t.Delay, t.Decision = t.Fixation.clone(), t.Stimulus.clone(), t.Delay.clone(), t.Decision.clone()
	return c
}

// Spec lays out fixation {0} and stimulus {1..DimRing} channels, fixation
// {0} and choice {1..DimRing} actions, and abort, correct and fail rewards.
func (d *pdmDef) Spec() Spec {
	n := d.cfg.DimRing
	return Spec{
		Name: PerceptualDecisionMakingName, Dt: d.cfg.Dt,
		Obs:     []Group{{"fixation", []int{0}}, {"stimulus", seq(1, n)}},
		Actions: []Group{{"fixation", []int{0}}, {"choice", seq(1, n)}},
		Rewards: d.rewards, Timing: d.timing, Abort: d.cfg.Abort,
	}
}

// NewTrial draws, in neurogym's order, the ground truth, the coherence, the
// durations of fixation, stimulus, delay and decision, and the stimulus
// noise step by step.
func (d *pdmDef) NewTrial(b *Builder) Record {
	c := &d.cfg
	r := PDMTrial{GroundTruth: b.Int("ground_truth", c.DimRing), Coh: b.Pick("coh", c.Cohs)}
	b.Periods("fixation", "stimulus", "delay", "decision")
	if c.FixationOnlyInFixation {
		b.AddOb("fixation", 1, "fixation")
	} else {
		b.AddOb("fixation", 1, "fixation", "stimulus", "delay")
	}
	b.AddObs("stimulus", ringCohMeans(c.DimRing, r.GroundTruth, r.Coh), "stimulus")
	b.AddRandn("stimulus", 0, d.sigmaEff, "stimulus")
	b.SetChoice("choice", r.GroundTruth, "decision")
	return r
}

// Config returns the resolved configuration, defaults filled in.
func (p *PerceptualDecisionMaking) Config() PerceptualDecisionMakingConfig { return p.def.cfg.clone() }

// SigmaEff is the standard deviation of the stimulus noise per step,
// Sigma/sqrt(Dt).
func (p *PerceptualDecisionMaking) SigmaEff() float64 { return p.def.sigmaEff }

// Clone returns an independent copy, random state and current trial
// included (see Env.Clone).
func (p *PerceptualDecisionMaking) Clone() Task {
	return &PerceptualDecisionMaking{p.CloneEnv(), p.def}
}

func init() {
	RegisterEnv(PerceptualDecisionMakingName, NewPerceptualDecisionMaking)
}
