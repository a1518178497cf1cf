package tasks

import (
	"errors"
	"fmt"
)

// MultiSensoryIntegrationName is the registry id of MultiSensoryIntegration.
const MultiSensoryIntegrationName = "MultiSensoryIntegration-v0"

// multiSensoryTiming is neurogym's default timing of
// MultiSensoryIntegration, in ms.
var multiSensoryTiming = Timing{"fixation": Constant(300), "stimulus": Constant(750), "decision": Constant(100)}

// MultiSensoryIntegrationConfig configures MultiSensoryIntegration; the
// zero value is neurogym v2.2.0's defaults. Neurogym has no abort option
// for this task: breaking fixation never ends a trial.
type MultiSensoryIntegrationConfig struct {
	// Dt is the time step in ms (default 100; must be > 0 when set).
	Dt float64
	// DimRing is the number of choices and of stimulus channels per
	// modality (default 2; must be >= 2 when set).
	DimRing int
	// Sigma is the noise level before dt scaling: the noise has standard
	// deviation Sigma/sqrt(Dt) (nil means 1; must be >= 0).
	Sigma *float64
	// Timing overrides the durations of fixation (default 300 ms),
	// stimulus (750) and decision (100).
	Timing Timing
	// Rewards gives the abort (-0.1) and correct (+1) rewards. A wrong
	// choice earns 0: Fail must be nil.
	Rewards Rewards
	// Seed seeds the task's random number generator.
	Seed uint64
}

// MultiSensoryTrial is the record of a MultiSensoryIntegration trial.
type MultiSensoryTrial struct {
	// GroundTruth is the direction both modalities point at and the
	// correct choice: the label in the decision period is GroundTruth+1.
	GroundTruth int
	// Coh is the total coherence in percent.
	Coh float64
	// CohProp is the share of Coh given to modality 1 (the rest goes to
	// modality 2), uniform on [0, 1).
	CohProp float64
}

// Fields returns ground_truth, coh and coh_prop, all overridable.
func (r MultiSensoryTrial) Fields() []Field {
	return []Field{IntField("ground_truth", r.GroundTruth), FloatField("coh", r.Coh), FloatField("coh_prop", r.CohProp)}
}

// multiSensoryDef is the Def of MultiSensoryIntegration.
type multiSensoryDef struct {
	n            int
	dt, sigmaEff float64
	timing       Timing
	rewards      []NamedValue
}

// NewMultiSensoryIntegration returns neurogym's MultiSensoryIntegration-v0:
// two modalities show ring stimuli pointing the same way, the coherence
// split between them; the network reports the direction.
//
// Per trial the ground truth g is uniform on 0..R-1 (R = DimRing), the
// coherence c uniform on {5, 15, 50} % and the proportion p uniform on
// [0, 1). With s_k(c) = cos(theta_k - theta_g) c/200 + 0.5, theta_k = 2 pi
// k/R, the 1+2R channels are
//
//	x[0]     = 1 in fixation and stimulus, 0 in the decision period
//	x[1+k]   = s_k(c p) in the stimulus period, 0 elsewhere
//	x[1+R+k] = s_k(c (1-p)) in the stimulus period, 0 elsewhere
//
// plus sigma_eff N(0, 1), sigma_eff = Sigma/sqrt(Dt), on every channel,
// the fixation channel included, in the stimulus period (neurogym adds it
// to all channels). The label is g+1 in the decision period, 0 elsewhere.
// The step is Env.ChoiceStep without abort and with a fail reward of 0.
// At the defaults and dt = 100 a trial has 3+7+1 = 11 steps.
func NewMultiSensoryIntegration(cfg MultiSensoryIntegrationConfig) (*Env, error) {
	return newNamedEnv(MultiSensoryIntegrationName, newMultiSensoryDef, cfg, cfg.Seed)
}

func newMultiSensoryDef(cfg MultiSensoryIntegrationConfig) (*multiSensoryDef, error) {
	d := &multiSensoryDef{n: cfg.DimRing}
	var err error
	if d.dt, err = resolveDt(cfg.Dt, 100); err != nil {
		return nil, err
	}
	if d.sigmaEff, err = resolveSigmaEff(cfg.Sigma, d.dt); err != nil {
		return nil, err
	}
	switch {
	case d.n == 0:
		d.n = 2
	case d.n < 2:
		return nil, fmt.Errorf("dim_ring = %d: need at least 2 choices", d.n)
	case d.n > MaxDimRing:
		return nil, fmt.Errorf("dim_ring = %d: at most %d", d.n, MaxDimRing)
	}
	if d.timing, err = resolveTiming(multiSensoryTiming, cfg.Timing, d.dt, "fixation", "stimulus", "decision"); err != nil {
		return nil, err
	}
	if _, d.rewards, err = resolveRewardsNoFail(cfg.Rewards); err != nil {
		return nil, err
	}
	return d, nil
}

// Spec lays out fixation {0}, stimulus_mod1 {1..R} and stimulus_mod2
// {R+1..2R} channels, fixation {0} and choice {1..R} actions, and abort,
// correct and fail (0) rewards.
func (d *multiSensoryDef) Spec() Spec {
	return Spec{
		Name: MultiSensoryIntegrationName, Dt: d.dt, Timing: d.timing, Rewards: d.rewards,
		Obs:     []Group{{"fixation", []int{0}}, {"stimulus_mod1", seq(1, d.n)}, {"stimulus_mod2", seq(1+d.n, d.n)}},
		Actions: []Group{{"fixation", []int{0}}, {"choice", seq(1, d.n)}},
	}
}

// NewTrial draws the ground truth, the coherence, its split, the period
// durations and the noise, in neurogym's order.
func (d *multiSensoryDef) NewTrial(b *Builder) Record {
	r := MultiSensoryTrial{GroundTruth: b.Int("ground_truth", d.n), Coh: b.Pick("coh", contextDMCohs)}
	r.CohProp = b.Var("coh_prop", b.Rng.Float64(), func(v float64) error {
		if !finite(v) {
			return errors.New("want a finite number")
		}
		return nil
	})
	b.Periods("fixation", "stimulus", "decision")
	b.AddOb("fixation", 1, "fixation", "stimulus")
	b.AddObs("stimulus_mod1", ringCohMeans(d.n, r.GroundTruth, r.Coh*r.CohProp), "stimulus")
	b.AddObs("stimulus_mod2", ringCohMeans(d.n, r.GroundTruth, r.Coh*(1-r.CohProp)), "stimulus")
	b.AddRandn("", 0, d.sigmaEff, "stimulus")
	b.SetChoice("choice", r.GroundTruth, "decision")
	return r
}

func init() {
	RegisterEnv(MultiSensoryIntegrationName, NewMultiSensoryIntegration)
}
