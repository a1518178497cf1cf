package tasks

import (
	"fmt"
	"math"
)

// DelayMatchCategoryName is the registry id of DelayMatchCategory.
const DelayMatchCategoryName = "DelayMatchCategory-v0"

// dmcDefaultTiming is neurogym's default timing of DelayMatchCategory (ms).
var dmcDefaultTiming = Timing{"fixation": Constant(500), "sample": Constant(650),
	"first_delay": Constant(1000), "test": Constant(650)}

// DelayMatchCategoryConfig configures DelayMatchCategory. The zero value
// is neurogym's defaults; every zero field means its default.
type DelayMatchCategoryConfig struct {
	// Dt is the time step in ms (default 100; must not be negative).
	Dt float64
	// DimRing is the number of stimulus channels, the preferred angles
	// theta_k = 2 pi k / DimRing (default 2; must be >= 1 when set).
	DimRing int
	// Sigma is the noise level before dt scaling (nil means 1; >= 0): the
	// stimulus noise has standard deviation Sigma/sqrt(Dt).
	Sigma *float64
	// Timing overrides the durations of the periods fixation (default 500
	// ms), sample (650), first_delay (1000) and test (650).
	Timing Timing
	// Rewards gives the rewards (defaults: abort -0.1, correct +1, fail 0).
	Rewards Rewards
	// Abort makes breaking fixation in the fixation period end the trial
	// (neurogym's abort attribute, default false).
	Abort bool
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// DMCTrial is the record of a DelayMatchCategory trial.
type DMCTrial struct {
	// GroundTruth is the correct choice: 0 match, 1 non-match (neurogym's
	// "match" and "non-match"); the label in the test period is
	// GroundTruth+1.
	GroundTruth int
	// SampleCategory is the sample's half of the ring, 0 for angles in
	// [0, pi) and 1 for [pi, 2 pi).
	SampleCategory int
	// TestCategory is SampleCategory on match trials, else the other one.
	// It is computed, not drawn.
	TestCategory int
	// SampleTheta and TestTheta are the angles of the sample and the test
	// in radians, uniform within their category's half. Neurogym does not
	// record them; here they are fields so that a record can be replayed.
	SampleTheta, TestTheta float64
}

// Fields returns ground_truth, sample_category, test_category,
// sample_theta and test_theta.
func (r DMCTrial) Fields() []Field {
	return []Field{IntField("ground_truth", r.GroundTruth), IntField("sample_category", r.SampleCategory),
		IntField("test_category", r.TestCategory), FloatField("sample_theta", r.SampleTheta),
		FloatField("test_theta", r.TestTheta)}
}

// dmcDef is the Def of DelayMatchCategory.
type dmcDef struct{ dmsDef }

// NewDelayMatchCategory returns neurogym's DelayMatchCategory-v0 (delayed
// match-to-category, Freedman & Assad 2006), seeded with cfg.Seed.
//
// Per trial the ground truth g (0 match, 1 non-match) and the sample
// category c in {0, 1} are drawn uniformly; the test category is c' = c if
// g = 0, else 1 - c. Then the angles s = (c + U1) pi and u = (c' + U2) pi
// are drawn, U1, U2 uniform on [0, 1): a category is a half of the ring.
// The periods fixation, sample, first_delay and test follow one another;
// the response is given in the test period, while the test is shown.
// With the R = DimRing angles theta_k = 2 pi k / R, sigma_eff =
// Sigma/sqrt(Dt) and xi i.i.d. standard normal, the observation (1+R
// channels: fixation, stimulus) is
//
//	x_t[0]   = 1 in every period but the test, where it is 0
//	x_t[1+k] = cos(theta_k - s)/2 + 1/2 + sigma_eff xi_{t,k}   in the sample period
//	x_t[1+k] = cos(theta_k - u)/2 + 1/2 + sigma_eff xi_{t,k}   in the test period
//	x_t[1+k] = 0                                              otherwise
//
// The label is g+1 in the test period and 0 elsewhere. Actions are
// fixation 0, match 1 and non-match 2; the step is Env.ChoiceStep with the
// test period as the decision period. At the defaults a trial has
// 5+6+10+6 = 27 steps (650 ms floors to 6 steps). Records are DMCTrial;
// overrides take ground_truth, sample_category and the angles, which must
// lie in their category's half [c pi, (c+1) pi).
func NewDelayMatchCategory(cfg DelayMatchCategoryConfig) (*Env, error) {
	d, err := newDMSDef(DelayMatchSampleConfig{Dt: cfg.Dt, DimRing: cfg.DimRing, Sigma: cfg.Sigma, Rewards: cfg.Rewards, Abort: cfg.Abort})
	if err == nil {
		d.timing, err = resolveTiming(dmcDefaultTiming, cfg.Timing, d.dt, "fixation", "sample", "first_delay", "test")
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", DelayMatchCategoryName, err)
	}
	return NewEnv(&dmcDef{*d}, cfg.Seed)
}

// Spec is DelayMatchSample's layout under DelayMatchCategory's name.
func (d *dmcDef) Spec() Spec {
	s := d.dmsDef.Spec()
	s.Name = DelayMatchCategoryName
	return s
}

// NewTrial draws, in neurogym's order, the ground truth, the sample
// category, the sample and test angles, the period durations and the noise
// of the sample and test periods.
func (d *dmcDef) NewTrial(b *Builder) Record {
	r := DMCTrial{GroundTruth: b.Int("ground_truth", 2), SampleCategory: b.Int("sample_category", 2)}
	r.TestCategory = r.SampleCategory
	if r.GroundTruth == 1 {
		r.TestCategory = 1 - r.SampleCategory
	}
	u1, u2 := b.Rng.Float64(), b.Rng.Float64()
	r.SampleTheta = b.Var("sample_theta", (float64(r.SampleCategory)+u1)*math.Pi, dmcInHalf(r.SampleCategory))
	r.TestTheta = b.Var("test_theta", (float64(r.TestCategory)+u2)*math.Pi, dmcInHalf(r.TestCategory))
	b.Periods("fixation", "sample", "first_delay", "test")
	b.AddOb("fixation", 1)
	b.SetOb("fixation", 0, "test")
	b.AddObs("stimulus", ringHalfCos(d.theta, r.SampleTheta), "sample")
	b.AddObs("stimulus", ringHalfCos(d.theta, r.TestTheta), "test")
	b.AddRandn("stimulus", 0, d.sigmaEff, "sample", "test")
	b.SetLabel(r.GroundTruth+1, "test")
	return r
}

// dmcInHalf checks that an angle lies in category c's half [c pi, (c+1) pi).
func dmcInHalf(c int) func(float64) error {
	return func(v float64) error {
		if !(v >= float64(c)*math.Pi && v < float64(c+1)*math.Pi) {
			return fmt.Errorf("want an angle in category %d's half [%d pi, %d pi)", c, c, c+1)
		}
		return nil
	}
}

// Step is Env.ChoiceStep with the test period as the decision period.
func (d *dmcDef) Step(e *Env, action int) Outcome { return e.ChoiceStep(action, "test") }

func init() {
	RegisterEnv(DelayMatchCategoryName, NewDelayMatchCategory)
}
