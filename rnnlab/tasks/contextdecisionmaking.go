package tasks

import (
	"errors"
	"fmt"
)

// ContextDecisionMakingName is the registry id of ContextDecisionMaking.
const ContextDecisionMakingName = "ContextDecisionMaking-v0"

// contextDMCohs are neurogym's coherences of ContextDecisionMaking and
// MultiSensoryIntegration, in percent (not configurable in neurogym).
var contextDMCohs = []float64{5, 15, 50}

// contextDMTiming is neurogym's default timing of ContextDecisionMaking,
// in ms.
var contextDMTiming = Timing{
	"fixation": Constant(300), "stimulus": Constant(750),
	"delay": TruncExp(600, 300, 3000), "decision": Constant(100),
}

// ContextDecisionMakingConfig configures ContextDecisionMaking; the zero
// value is neurogym v2.2.0's defaults (implicit context, modality 0).
type ContextDecisionMakingConfig struct {
	// Dt is the time step in ms (default 100; must be > 0 when set).
	Dt float64
	// ExplicitContext draws the context (the relevant modality) per trial
	// and shows it on two extra channels (neurogym's use_expl_context).
	// When false the context is always ImplicitModality and not shown.
	ExplicitContext bool
	// ImplicitModality is the fixed relevant modality, 0 or 1, when
	// ExplicitContext is false (neurogym's impl_context_modality; default
	// 0). It is ignored, as in neurogym, when ExplicitContext is true.
	ImplicitModality int
	// DimRing is the number of choices and of stimulus channels per
	// modality (default 2; must be >= 2 when set).
	DimRing int
	// Sigma is the noise level before dt scaling: the stimulus noise has
	// standard deviation Sigma/sqrt(Dt) (nil means 1; must be >= 0).
	Sigma *float64
	// Timing overrides the durations of fixation (default 300 ms),
	// stimulus (750), delay (truncated exponential, mean 600, on [300,
	// 3000)) and decision (100).
	Timing Timing
	// Rewards gives the abort (-0.1) and correct (+1) rewards. A wrong
	// choice earns 0: Fail must be nil.
	Rewards Rewards
	// Abort makes breaking fixation in the fixation period end the trial.
	Abort bool
	// Seed seeds the task's random number generator.
	Seed uint64
}

// ContextDMTrial is the record of a ContextDecisionMaking trial. Choices
// are numbered from 0 here and from 1 in neurogym.
type ContextDMTrial struct {
	// GroundTruth is the direction of the relevant modality's stimulus and
	// the correct choice: the label in the decision period is GroundTruth+1.
	GroundTruth int
	// OtherChoice is the direction of the irrelevant modality's stimulus.
	OtherChoice int
	// Context is the relevant modality, 0 or 1.
	Context int
	// Coh1 and Coh2 are the coherences (percent) of modalities 1 and 2.
	Coh1, Coh2 float64
}

// Fields returns ground_truth, other_choice, context, coh_1 and coh_2, all
// overridable (context may be overridden to either modality even with an
// implicit context, as in neurogym).
func (r ContextDMTrial) Fields() []Field {
	return []Field{IntField("ground_truth", r.GroundTruth), IntField("other_choice", r.OtherChoice),
		IntField("context", r.Context), FloatField("coh_1", r.Coh1), FloatField("coh_2", r.Coh2)}
}

// contextDMDef is the Def of ContextDecisionMaking.
type contextDMDef struct {
	cfg          ContextDecisionMakingConfig // resolved
	dt, sigmaEff float64
	timing       Timing
	rewards      []NamedValue
}

// NewContextDecisionMaking returns neurogym's ContextDecisionMaking-v0
// (Mante et al. 2013): two modalities each show a ring stimulus; the
// network must report the direction of the relevant one, given by the
// context, and ignore the other.
//
// Per trial the ground truth g and the other choice o are uniform on
// 0..R-1 (R = DimRing), the context m uniform on {0, 1} (explicit) or
// ImplicitModality, and the coherences c1, c2 uniform on {5, 15, 50} %.
// Modality m+1 points at g and the other modality at o. With the ring
// stimulus s_k(d, c) = cos(theta_k - theta_d) c/200 + 0.5, theta_k = 2 pi
// k/R, the 1+2R channels (+2 with an explicit context) are
//
//	x[0]        = 1 in the fixation period only (neurogym since May 2025;
//	              before, 1 in every period but the decision)
//	x[1+k]      = s_k(d1, c1) + sigma_eff N(0,1) in the stimulus period
//	x[1+R+k]    = s_k(d2, c2) + sigma_eff N(0,1) in the stimulus period
//	x[1+2R+m]   = 1 for the whole trial (explicit context only)
//
// with (d1, d2) = (g, o) if m = 0, (o, g) if m = 1, sigma_eff =
// Sigma/sqrt(Dt), and 0 elsewhere. The label is g+1 in the decision period
// and 0 elsewhere. The step is Env.ChoiceStep with a fail reward of 0.
// The delay is drawn from the task's own generator (neurogym's TruncExp
// uses an unseeded one of its own).
func NewContextDecisionMaking(cfg ContextDecisionMakingConfig) (*Env, error) {
	return newNamedEnv(ContextDecisionMakingName, newContextDMDef, cfg, cfg.Seed)
}

func newContextDMDef(cfg ContextDecisionMakingConfig) (*contextDMDef, error) {
	d := &contextDMDef{cfg: cfg}
	var err error
	if d.dt, err = resolveDt(cfg.Dt, 100); err != nil {
		return nil, err
	}
	if d.sigmaEff, err = resolveSigmaEff(cfg.Sigma, d.dt); err != nil {
		return nil, err
	}
	switch {
	case cfg.DimRing == 0:
		d.cfg.DimRing = 2
	case cfg.DimRing < 2:
		return nil, fmt.Errorf("dim_ring = %d: need at least 2 choices", cfg.DimRing)
	case cfg.DimRing > MaxDimRing:
		return nil, fmt.Errorf("dim_ring = %d: at most %d", cfg.DimRing, MaxDimRing)
	}
	if !cfg.ExplicitContext && cfg.ImplicitModality != 0 && cfg.ImplicitModality != 1 {
		return nil, errors.New("impl_context_modality must be 0 or 1 with an implicit context")
	}
	if d.timing, err = resolveTiming(contextDMTiming, cfg.Timing, d.dt, "fixation", "stimulus", "delay", "decision"); err != nil {
		return nil, err
	}
	if _, d.rewards, err = resolveRewardsNoFail(cfg.Rewards); err != nil {
		return nil, err
	}
	return d, nil
}

// Spec lays out fixation {0}, stimulus_mod1 {1..R}, stimulus_mod2
// {R+1..2R} and, with an explicit context, context1 {2R+1} and context2
// {2R+2} channels (neurogym names each stimulus channel, stim<k>_mod<m>);
// fixation {0} and choice {1..R} actions; abort, correct and fail (0)
// rewards.
func (d *contextDMDef) Spec() Spec {
	n := d.cfg.DimRing
	obs := []Group{{"fixation", []int{0}}, {"stimulus_mod1", seq(1, n)}, {"stimulus_mod2", seq(1+n, n)}}
	if d.cfg.ExplicitContext {
		obs = append(obs, Group{"context1", []int{1 + 2*n}}, Group{"context2", []int{2 + 2*n}})
	}
	return Spec{
		Name: ContextDecisionMakingName, Dt: d.dt, Timing: d.timing, Rewards: d.rewards, Abort: d.cfg.Abort,
		Obs: obs, Actions: []Group{{"fixation", []int{0}}, {"choice", seq(1, n)}},
	}
}

// NewTrial draws the ground truth, the other choice, the context, the two
// coherences, the period durations and the noise, in neurogym's order.
func (d *contextDMDef) NewTrial(b *Builder) Record {
	n := d.cfg.DimRing
	r := ContextDMTrial{GroundTruth: b.Int("ground_truth", n), OtherChoice: b.Int("other_choice", n)}
	if d.cfg.ExplicitContext {
		r.Context = b.Int("context", 2)
	} else {
		r.Context = int(b.Var("context", float64(d.cfg.ImplicitModality), func(v float64) error {
			if v != 0 && v != 1 {
				return errors.New("want 0 or 1")
			}
			return nil
		}))
	}
	r.Coh1, r.Coh2 = b.Pick("coh_1", contextDMCohs), b.Pick("coh_2", contextDMCohs)
	d1, d2 := r.GroundTruth, r.OtherChoice
	if r.Context == 1 {
		d1, d2 = d2, d1
	}
	b.Periods("fixation", "stimulus", "delay", "decision")
	b.AddOb("fixation", 1, "fixation")
	b.AddObs("stimulus_mod1", ringCohMeans(n, d1, r.Coh1), "stimulus")
	b.AddObs("stimulus_mod2", ringCohMeans(n, d2, r.Coh2), "stimulus")
	b.AddRandn("stimulus_mod1", 0, d.sigmaEff, "stimulus")
	b.AddRandn("stimulus_mod2", 0, d.sigmaEff, "stimulus")
	if d.cfg.ExplicitContext {
		b.AddOb(fmt.Sprintf("context%d", r.Context+1), 1)
	}
	b.SetChoice("choice", r.GroundTruth, "decision")
	return r
}

func init() {
	RegisterEnv(ContextDecisionMakingName, NewContextDecisionMaking)
}
