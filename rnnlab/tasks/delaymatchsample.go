package tasks

import (
	"fmt"
	"math"
)

// DelayMatchSampleName is the registry id of DelayMatchSample.
const DelayMatchSampleName = "DelayMatchSample-v0"

// dmsDefaultTiming is neurogym's default timing of DelayMatchSample (ms).
var dmsDefaultTiming = Timing{"fixation": Constant(300), "sample": Constant(500),
	"delay": Constant(1000), "test": Constant(500), "decision": Constant(900)}

// DelayMatchSampleConfig configures DelayMatchSample. The zero value is
// neurogym's defaults; every zero field means its default.
type DelayMatchSampleConfig struct {
	// Dt is the time step in ms (default 100; must not be negative).
	Dt float64
	// DimRing is the number of stimulus channels, the preferred angles
	// theta_k = 2 pi k / DimRing (default 2; must be >= 1 when set).
	DimRing int
	// Sigma is the noise level before dt scaling (nil means 1; >= 0): the
	// stimulus noise has standard deviation Sigma/sqrt(Dt).
	Sigma *float64
	// Timing overrides the durations of the periods fixation (default 300
	// ms), sample (500), delay (1000), test (500) and decision (900).
	Timing Timing
	// Rewards gives the rewards (defaults: abort -0.1, correct +1, fail 0).
	Rewards Rewards
	// Abort makes breaking fixation in the fixation period end the trial
	// (neurogym's abort attribute, default false).
	Abort bool
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// DMSTrial is the record of a DelayMatchSample trial.
type DMSTrial struct {
	// GroundTruth is the correct choice: 0 match, 1 non-match (neurogym's
	// ground_truth 1 and 2); the decision label is GroundTruth+1.
	GroundTruth int
	// SampleTheta is the sample's angle in radians, one of the theta_k.
	SampleTheta float64
	// TestTheta is the test's angle: SampleTheta on match trials, else
	// SampleTheta + pi modulo 2 pi. It is computed, not drawn.
	TestTheta float64
}

// Fields returns ground_truth, sample_theta and test_theta.
func (r DMSTrial) Fields() []Field {
	return []Field{IntField("ground_truth", r.GroundTruth), FloatField("sample_theta", r.SampleTheta),
		FloatField("test_theta", r.TestTheta)}
}

// dmsDef is the Def of DelayMatchSample.
type dmsDef struct {
	dt, sigmaEff float64
	theta        []float64 // preferred angles theta_k
	timing       Timing
	rewards      []NamedValue
	abort        bool
}

// NewDelayMatchSample returns neurogym's DelayMatchSample-v0 (delayed
// match-to-sample, Miller et al. 1996), seeded with cfg.Seed.
//
// Per trial the ground truth g (0 match, 1 non-match) and then the sample
// angle s, one of the R = DimRing angles theta_k = 2 pi k / R, are drawn
// uniformly; the test angle is u = s if g = 0, else (s + pi) mod 2 pi. The
// periods fixation, sample, delay, test and decision follow one another.
// With sigma_eff = Sigma/sqrt(Dt) and xi i.i.d. standard normal, the
// observation (1+R channels: fixation, stimulus) is
//
//	x_t[0]   = 1 in every period but the decision, where it is 0
//	x_t[1+k] = cos(theta_k - s)/2 + 1/2 + sigma_eff xi_{t,k}   in the sample period
//	x_t[1+k] = cos(theta_k - u)/2 + 1/2 + sigma_eff xi_{t,k}   in the test period
//	x_t[1+k] = 0                                              otherwise
//
// The label is g+1 in the decision period and 0 elsewhere. Actions are
// fixation 0, match 1 and non-match 2; the step is Env.ChoiceStep with the
// decision period. At the defaults a trial has 3+5+10+5+9 = 32 steps.
// Records are DMSTrial; overrides take ground_truth and sample_theta.
func NewDelayMatchSample(cfg DelayMatchSampleConfig) (*Env, error) {
	return newNamedEnv(DelayMatchSampleName, newDMSDef, cfg, cfg.Seed)
}

func newDMSDef(cfg DelayMatchSampleConfig) (*dmsDef, error) {
	d := &dmsDef{abort: cfg.Abort}
	var err error
	if d.dt, err = resolveDt(cfg.Dt, 100); err != nil {
		return nil, err
	}
	r := cfg.DimRing
	switch {
	case r == 0:
		r = 2
	case r < 1:
		return nil, fmt.Errorf("dim_ring = %d: need at least 1 stimulus channel", r)
	case r > MaxDimRing:
		return nil, fmt.Errorf("dim_ring = %d: at most %d", r, MaxDimRing)
	}
	for k := range r { // numpy's linspace(0, 2 pi, r+1)[:-1]
		d.theta = append(d.theta, float64(k)*(2*math.Pi/float64(r)))
	}
	if d.sigmaEff, err = resolveSigmaEff(cfg.Sigma, d.dt); err != nil {
		return nil, err
	}
	if d.timing, err = resolveTiming(dmsDefaultTiming, cfg.Timing, d.dt, "fixation", "sample", "delay", "test", "decision"); err != nil {
		return nil, err
	}
	_, d.rewards, err = cfg.Rewards.Resolve(-0.1, 1, 0)
	return d, err
}

// Spec lays out fixation {0} and stimulus {1..R} channels, the actions
// fixation 0, match 1, non-match 2, and abort, correct and fail rewards.
func (d *dmsDef) Spec() Spec {
	return Spec{
		Name: DelayMatchSampleName, Dt: d.dt, Timing: d.timing, Rewards: d.rewards, Abort: d.abort,
		Obs:     []Group{{"fixation", []int{0}}, {"stimulus", seq(1, len(d.theta))}},
		Actions: []Group{{"fixation", []int{0}}, {"match", []int{1}}, {"non-match", []int{2}}},
	}
}

// NewTrial draws, in neurogym's order, the ground truth, the sample angle,
// the period durations and the noise of the sample and test periods.
func (d *dmsDef) NewTrial(b *Builder) Record {
	r := DMSTrial{GroundTruth: b.Int("ground_truth", 2), SampleTheta: b.Pick("sample_theta", d.theta)}
	r.TestTheta = r.SampleTheta
	if r.GroundTruth == 1 {
		r.TestTheta = wmMod2Pi(r.SampleTheta + math.Pi)
	}
	b.Periods("fixation", "sample", "delay", "test", "decision")
	b.AddOb("fixation", 1)
	b.SetOb("fixation", 0, "decision")
	b.AddObs("stimulus", ringHalfCos(d.theta, r.SampleTheta), "sample")
	b.AddObs("stimulus", ringHalfCos(d.theta, r.TestTheta), "test")
	b.AddRandn("stimulus", 0, d.sigmaEff, "sample", "test")
	b.SetLabel(r.GroundTruth+1, "decision")
	return r
}

// wmMod2Pi returns x modulo 2 pi in [0, 2 pi), as numpy's mod.
func wmMod2Pi(x float64) float64 {
	m := math.Mod(x, 2*math.Pi)
	if m < 0 {
		m += 2 * math.Pi
	}
	return m
}

func init() {
	RegisterEnv(DelayMatchSampleName, NewDelayMatchSample)
}
