package tasks

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// DelayComparisonName is the registry id of DelayComparison.
const DelayComparisonName = "DelayComparison-v0"

// DefaultVPairs are neurogym's stimulus pairs of DelayComparison (vibration
// frequencies in Hz, as in Romo's task), the larger value first.
var DefaultVPairs = [][2]float64{{18, 10}, {22, 14}, {26, 18}, {30, 22}, {34, 26}}

// delayComparisonTiming is neurogym v2.2.0's default timing, in ms. (Before
// 2020 the fixation was uniform on 1500-3000 ms; v2.2.0 has 500.)
var delayComparisonTiming = Timing{
	"fixation": Constant(500), "stimulus1": Constant(500), "delay": Constant(1000),
	"stimulus2": Constant(500), "decision": Constant(100),
}

// DelayComparisonConfig configures DelayComparison; the zero value is
// neurogym v2.2.0's defaults. Neurogym has no abort option for this task:
// breaking fixation never ends a trial.
type DelayComparisonConfig struct {
	// Dt is the time step in ms (default 100; must be > 0 when set).
	Dt float64
	// VPairs are the stimulus pairs, one drawn uniformly per trial (nil
	// means DefaultVPairs; a non-nil empty list is an error, as are
	// non-finite values or pairs whose values are all equal).
	VPairs [][2]float64
	// Sigma is the noise level before dt scaling: the noise has standard
	// deviation Sigma/sqrt(Dt) (nil means 1; must be >= 0).
	Sigma *float64
	// Timing overrides the durations of fixation (default 500 ms),
	// stimulus1 (500), delay (1000), stimulus2 (500) and decision (100).
	Timing Timing
	// Rewards gives the rewards (defaults: abort -0.1, correct +1, fail 0).
	Rewards Rewards
	// Seed seeds the task's random number generator.
	Seed uint64
}

// DelayComparisonTrial is the record of a DelayComparison trial.
type DelayComparisonTrial struct {
	// GroundTruth is 0 when the pair is shown in its order (v1, v2) =
	// (a, b), 1 when swapped to (b, a); the label in the decision period
	// is GroundTruth+1. With the default pairs (larger value first) label
	// 1 means "the first stimulus was larger" and 2 "the second". Neurogym
	// numbers it 1 or 2.
	GroundTruth int
	// VPair is the index of the pair in VPairs (neurogym's "vpair" holds
	// the pair itself).
	VPair int
	// V1 and V2 are the values shown first and second (computed from the
	// pair and the ground truth).
	V1, V2 float64
}

// Fields returns ground_truth, vpair, v1 and v2; v1 and v2 are computed,
// not drawn.
func (r DelayComparisonTrial) Fields() []Field {
	return []Field{IntField("ground_truth", r.GroundTruth), IntField("vpair", r.VPair),
		FloatField("v1", r.V1), FloatField("v2", r.V2)}
}

// delayComparisonDef is the Def of DelayComparison.
type delayComparisonDef struct {
	dt, sigmaEff float64
	vpairs       [][2]float64
	vmin, vmax   float64
	timing       Timing
	rewards      []NamedValue
}

// NewDelayComparison returns neurogym's DelayComparison-v0, Romo's
// parametric working memory task: two scalar stimuli separated by a delay,
// then report which was larger.
//
// Per trial the ground truth g is uniform on {0, 1} and the pair (a, b)
// uniform on VPairs; (v1, v2) = (a, b) if g = 0, (b, a) if g = 1. A value v
// is shown as rep(v) = (1 + (v - vmin)/(vmax - vmin))/2, in [0.5, 1], with
// vmin and vmax over all values of VPairs. The two channels are
//
//	x[0] = 1 in every period but the decision period, where it is 0
//	x[1] = rep(v1) in stimulus1, rep(v2) in stimulus2, 0 elsewhere
//
// plus sigma_eff * N(0, 1), sigma_eff = Sigma/sqrt(Dt), on both channels,
// the fixation channel included, in stimulus1 and stimulus2 (neurogym adds
// the noise to all channels). The label is g+1 in the decision period and
// 0 elsewhere. The step is Env.ChoiceStep without abort. At the defaults
// and dt = 100 a trial has 5+5+10+5+1 = 26 steps.
func NewDelayComparison(cfg DelayComparisonConfig) (*Env, error) {
	return newNamedEnv(DelayComparisonName, newDelayComparisonDef, cfg, cfg.Seed)
}

func newDelayComparisonDef(cfg DelayComparisonConfig) (*delayComparisonDef, error) {
	d := &delayComparisonDef{vpairs: slices.Clone(cfg.VPairs)}
	var err error
	if d.dt, err = resolveDt(cfg.Dt, 100); err != nil {
		return nil, err
	}
	if d.sigmaEff, err = resolveSigmaEff(cfg.Sigma, d.dt); err != nil {
		return nil, err
	}
	switch {
	case cfg.VPairs == nil:
		d.vpairs = slices.Clone(DefaultVPairs)
	case len(cfg.VPairs) == 0:
		return nil, errors.New("vpairs is empty: give at least one pair (nil means the default pairs)")
	}
	d.vmin, d.vmax = math.Inf(1), math.Inf(-1)
	for _, p := range d.vpairs {
		for _, v := range p {
			if !finite(v) {
				return nil, fmt.Errorf("vpair %v: values must be finite", p)
			}
			d.vmin, d.vmax = min(d.vmin, v), max(d.vmax, v)
		}
	}
	if d.vmin == d.vmax {
		return nil, fmt.Errorf("vpairs %v: all values equal, cannot scale them to [0.5, 1]", d.vpairs)
	}
	if d.timing, err = resolveTiming(delayComparisonTiming, cfg.Timing, d.dt,
		"fixation", "stimulus1", "delay", "stimulus2", "decision"); err != nil {
		return nil, err
	}
	if _, d.rewards, err = cfg.Rewards.Resolve(-0.1, 1, 0); err != nil {
		return nil, err
	}
	return d, nil
}

// represent maps v to (1 + (v-vmin)/(vmax-vmin))/2.
func (d *delayComparisonDef) represent(v float64) float64 {
	return (1 + (v-d.vmin)/(d.vmax-d.vmin)) / 2
}

// Spec lays out fixation {0} and stimulus {1} channels, fixation {0} and
// choice {1, 2} actions, and abort, correct and fail rewards.
func (d *delayComparisonDef) Spec() Spec {
	return Spec{
		Name: DelayComparisonName, Dt: d.dt, Timing: d.timing, Rewards: d.rewards,
		Obs:     []Group{{"fixation", []int{0}}, {"stimulus", []int{1}}},
		Actions: []Group{{"fixation", []int{0}}, {"choice", []int{1, 2}}},
	}
}

// NewTrial draws the ground truth, the pair, the period durations and the
// noise, in neurogym's order.
func (d *delayComparisonDef) NewTrial(b *Builder) Record {
	r := DelayComparisonTrial{GroundTruth: b.Int("ground_truth", 2), VPair: b.Int("vpair", len(d.vpairs))}
	r.V1, r.V2 = d.vpairs[r.VPair][0], d.vpairs[r.VPair][1]
	if r.GroundTruth == 1 {
		r.V1, r.V2 = r.V2, r.V1
	}
	b.Periods("fixation", "stimulus1", "delay", "stimulus2", "decision")
	b.AddOb("fixation", 1, "fixation", "stimulus1", "delay", "stimulus2")
	b.AddOb("stimulus", d.represent(r.V1), "stimulus1")
	b.AddOb("stimulus", d.represent(r.V2), "stimulus2")
	b.AddRandn("", 0, d.sigmaEff, "stimulus1", "stimulus2")
	b.SetChoice("choice", r.GroundTruth, "decision")
	return r
}

func init() {
	RegisterEnv(DelayComparisonName, NewDelayComparison)
}
