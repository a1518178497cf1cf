package tasks

import "fmt"

// PDMDelayResponseName is the registry id of
// PerceptualDecisionMakingDelayResponse.
const PDMDelayResponseName = "PerceptualDecisionMakingDelayResponse-v0"

// pdmDelayCohs are neurogym's coherences of the task, in percent, before
// the StimScale factor.
var pdmDelayCohs = []float64{0, 6.4, 12.8, 25.6, 51.2}

// pdmDelayTiming is neurogym's default timing of the task, in ms.
var pdmDelayTiming = Timing{
	"fixation": Constant(0), "stimulus": Constant(1150),
	"delay":    Choice(300, 500, 700, 900, 1200, 2000, 3200, 4000),
	"decision": Constant(1500),
}

// PDMDelayResponseConfig configures PerceptualDecisionMakingDelayResponse;
// the zero value is neurogym v2.2.0's defaults. Neurogym has no abort
// option for this task: breaking fixation never ends a trial.
type PDMDelayResponseConfig struct {
	// Dt is the time step in ms (default 100; must be > 0 when set).
	Dt float64
	// StimScale multiplies the coherences {0, 6.4, 12.8, 25.6, 51.2} %
	// (nil means 1; must be finite and >= 0).
	StimScale *float64
	// Sigma is the noise level before dt scaling: the stimulus noise has
	// standard deviation Sigma/sqrt(Dt) (nil means 1; must be >= 0).
	Sigma *float64
	// Timing overrides the durations of the periods fixation (default 0
	// ms), stimulus (1150), delay (a uniform choice of 300, 500, 700, 900,
	// 1200, 2000, 3200 or 4000) and decision (1500).
	Timing Timing
	// Rewards gives the rewards (defaults: abort -0.1, correct +1, fail 0).
	Rewards Rewards
	// Seed seeds the task's random number generator.
	Seed uint64
}

// PDMDelayResponseTrial is the record of a
// PerceptualDecisionMakingDelayResponse trial.
type PDMDelayResponseTrial struct {
	// GroundTruth is the stronger stimulus channel, 0 or 1, and the correct
	// choice: the label in the decision period is GroundTruth+1. Neurogym
	// numbers it 1 or 2, the action itself.
	GroundTruth int
	// Coh is the coherence in percent (StimScale included).
	Coh float64
	// Sigma is the standard deviation of the stimulus noise per step,
	// Sigma/sqrt(Dt) of the configuration unless overridden.
	Sigma float64
}

// Fields returns ground_truth, coh and sigma, all three overridable.
func (r PDMDelayResponseTrial) Fields() []Field {
	return []Field{IntField("ground_truth", r.GroundTruth), FloatField("coh", r.Coh), FloatField("sigma", r.Sigma)}
}

// pdmDelayDef is the Def of PerceptualDecisionMakingDelayResponse.
type pdmDelayDef struct {
	dt, sigmaEff float64
	cohs         []float64
	timing       Timing
	rewards      []NamedValue
}

// NewPDMDelayResponse returns neurogym's PerceptualDecisionMakingDelayResponse-v0
// (Inagaki et al. 2019): two noisy stimuli, one stronger, are shown; after
// a long random delay the network reports the stronger one, and may do so
// at any step of a long decision period.
//
// Per trial the ground truth g is uniform on {0, 1}, the coherence c
// uniform on StimScale*{0, 6.4, 12.8, 25.6, 51.2} and sigma_eff =
// Sigma/sqrt(Dt) (record fields ground_truth, coh, sigma). The three
// observation channels are
//
//	x[0]   = 1 in fixation, stimulus and delay; 0 in the decision period
//	x[1+k] = (1 + c/100)/2 for k = g, (1 - c/100)/2 for the other channel,
//	         plus sigma_eff * N(0, 1), in the stimulus period; 0 elsewhere
//
// The label is g+1 in the decision period and 0 elsewhere. Actions are 0
// (fixate), 1 and 2. The step is Env.ChoiceStep without abort: a non-zero
// action in the fixation period (0 ms by default) earns the abort reward
// and the trial goes on; in the decision period it ends the trial with the
// correct or fail reward. At the defaults and dt = 100 the trial has 11
// stimulus steps (1150 ms floored to dt), 3 to 40 delay steps and 15
// decision steps.
func NewPDMDelayResponse(cfg PDMDelayResponseConfig) (*Env, error) {
	return newNamedEnv(PDMDelayResponseName, newPDMDelayDef, cfg, cfg.Seed)
}

func newPDMDelayDef(cfg PDMDelayResponseConfig) (*pdmDelayDef, error) {
	d := &pdmDelayDef{}
	var err error
	if d.dt, err = resolveDt(cfg.Dt, 100); err != nil {
		return nil, err
	}
	if d.sigmaEff, err = resolveSigmaEff(cfg.Sigma, d.dt); err != nil {
		return nil, err
	}
	scale := 1.0
	if cfg.StimScale != nil {
		scale = *cfg.StimScale
	}
	if !finite(scale) || scale < 0 {
		return nil, fmt.Errorf("stim_scale = %v: must be finite and >= 0", scale)
	}
	for _, c := range pdmDelayCohs {
		d.cohs = append(d.cohs, c*scale)
	}
	if d.timing, err = resolveTiming(pdmDelayTiming, cfg.Timing, d.dt, "fixation", "stimulus", "delay", "decision"); err != nil {
		return nil, err
	}
	if _, d.rewards, err = cfg.Rewards.Resolve(-0.1, 1, 0); err != nil {
		return nil, err
	}
	return d, nil
}

// Spec lays out fixation {0} and stimulus {1, 2} channels, fixation {0}
// and choice {1, 2} actions, and abort, correct and fail rewards.
func (d *pdmDelayDef) Spec() Spec {
	return Spec{
		Name: PDMDelayResponseName, Dt: d.dt, Timing: d.timing, Rewards: d.rewards,
		Obs:     []Group{{"fixation", []int{0}}, {"stimulus", []int{1, 2}}},
		Actions: []Group{{"fixation", []int{0}}, {"choice", []int{1, 2}}},
	}
}

// NewTrial draws the ground truth, the coherence, the period durations and
// the stimulus noise, in neurogym's order.
func (d *pdmDelayDef) NewTrial(b *Builder) Record {
	r := PDMDelayResponseTrial{GroundTruth: b.Int("ground_truth", 2), Coh: b.Pick("coh", d.cohs)}
	r.Sigma = b.Var("sigma", d.sigmaEff, func(v float64) error {
		if !finite(v) || v < 0 {
			return fmt.Errorf("want a finite number >= 0")
		}
		return nil
	})
	b.Periods("fixation", "stimulus", "delay", "decision")
	b.AddOb("fixation", 1, "fixation", "stimulus", "delay")
	stim := []float64{(1 - r.Coh/100) / 2, (1 - r.Coh/100) / 2}
	stim[r.GroundTruth] = (1 + r.Coh/100) / 2
	b.AddObs("stimulus", stim, "stimulus")
	b.AddRandn("stimulus", 0, r.Sigma, "stimulus")
	b.SetChoice("choice", r.GroundTruth, "decision")
	return r
}

func init() {
	RegisterEnv(PDMDelayResponseName, NewPDMDelayResponse)
}
