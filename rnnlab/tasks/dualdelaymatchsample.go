package tasks

import "math"

// DualDelayMatchSampleName is the registry id of DualDelayMatchSample.
const DualDelayMatchSampleName = "DualDelayMatchSample-v0"

// ddmsPeriods are the periods of DualDelayMatchSample, in order.
var ddmsPeriods = []string{"fixation", "sample", "delay1", "cue1", "test1", "delay2", "cue2", "test2"}

// DualDelayMatchSampleConfig configures DualDelayMatchSample. The zero
// value is neurogym's defaults; every zero field means its default.
type DualDelayMatchSampleConfig struct {
	// Dt is the time step in ms (default 100; must not be negative).
	Dt float64
	// Sigma is the noise level before dt scaling (nil means 1; >= 0): the
	// noise on every channel in the sample and test periods has standard
	// deviation Sigma/sqrt(Dt).
	Sigma *float64
	// Timing overrides the durations of the periods fixation, sample,
	// delay1, cue1, test1, delay2, cue2 and test2 (500 ms each by default).
	Timing Timing
	// Rewards gives the rewards (defaults: abort -0.1, correct +1, fail 0).
	Rewards Rewards
	// Abort makes a response outside the test periods end the trial
	// (neurogym's abort attribute, default false).
	Abort bool
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// DDMSTrial is the record of a DualDelayMatchSample trial.
type DDMSTrial struct {
	// GroundTruth1 and GroundTruth2 are the correct choices for the tests
	// of sample 1 and sample 2: 0 match, 1 non-match (neurogym's
	// ground_truth1 and ground_truth2, 1 and 2). The label while a sample
	// is tested is its ground truth + 1.
	GroundTruth1, GroundTruth2 int
	// Sample1 and Sample2 are the samples, 0 or 0.5: the angles 0 and
	// pi/2, shown as (cos, sin) of the angle.
	Sample1, Sample2 float64
	// TestOrder is 0 if sample 1 is tested first (in test1), 1 if sample 2
	// is.
	TestOrder int
	// Test1 and Test2 are the tests of samples 1 and 2: the sample on a
	// match, 0.5 - the sample otherwise. They are computed, not drawn.
	Test1, Test2 float64
}

// Fields returns ground_truth1, ground_truth2, sample1, sample2,
// test_order, test1 and test2; there is no single ground_truth field.
func (r DDMSTrial) Fields() []Field {
	return []Field{IntField("ground_truth1", r.GroundTruth1), IntField("ground_truth2", r.GroundTruth2),
		FloatField("sample1", r.Sample1), FloatField("sample2", r.Sample2), IntField("test_order", r.TestOrder),
		FloatField("test1", r.Test1), FloatField("test2", r.Test2)}
}

// ddmsDef is the Def of DualDelayMatchSample.
type ddmsDef struct {
	dt, sigmaEff float64
	timing       Timing
	rewards      []NamedValue
	abort        bool
}

// NewDualDelayMatchSample returns neurogym's DualDelayMatchSample-v0
// (two-item delayed match-to-sample, Rose et al. 2016), seeded with
// cfg.Seed.
//
// Per trial g1, g2 (0 match, 1 non-match), the samples a1, a2 in {0, 1/2}
// and the test order o in {0, 1} are drawn uniformly, in this order; the
// test of sample i is b_i = a_i on a match, else 1/2 - a_i. The eight
// periods fixation, sample, delay1, cue1, test1, delay2, cue2 and test2
// follow one another. Sample i is tested in test1 if o = 0 (i = 1) or
// o = 1 (i = 2), and the other sample in test2; the cue channel of the
// sample tested next is on in the cue period before its test. With
// sigma_eff = Sigma/sqrt(Dt) and xi i.i.d. standard normal, the
// observation has 7 channels:
//
//	x_t[0]    = 1 throughout (fixation)
//	x_t[1..2] = (cos pi a1, sin pi a1) in the sample period, (cos pi b1, sin pi b1) in sample 1's test
//	x_t[3..4] = (cos pi a2, sin pi a2) in the sample period, (cos pi b2, sin pi b2) in sample 2's test
//	x_t[5]    = 1 in the cue period before sample 1's test (cue1 if o = 0, cue2 if o = 1)
//	x_t[6]    = 1 in the cue period before sample 2's test
//
// plus sigma_eff xi_{t,c} on all 7 channels in the sample, test1 and test2
// periods. The label is g_i + 1 in sample i's test period and 0 elsewhere.
// Actions are fixation 0, match 1 and non-match 2. The step: in test1 a
// response gets "correct" (performance 1) or "fail" and the trial goes on;
// in test2 likewise but the trial ends; any other response elsewhere gets
// "abort" (ending the trial if Abort). A trial at the defaults has 40
// steps. Records are DDMSTrial; overrides take ground_truth1,
// ground_truth2, sample1, sample2 and test_order.
func NewDualDelayMatchSample(cfg DualDelayMatchSampleConfig) (*Env, error) {
	return newNamedEnv(DualDelayMatchSampleName, newDDMSDef, cfg, cfg.Seed)
}

func newDDMSDef(cfg DualDelayMatchSampleConfig) (*ddmsDef, error) {
	d := &ddmsDef{abort: cfg.Abort}
	var err error
	if d.dt, err = resolveDt(cfg.Dt, 100); err != nil {
		return nil, err
	}
	if d.sigmaEff, err = resolveSigmaEff(cfg.Sigma, d.dt); err != nil {
		return nil, err
	}
	def := Timing{}
	for _, p := range ddmsPeriods {
		def[p] = Constant(500)
	}
	if d.timing, err = resolveTiming(def, cfg.Timing, d.dt, ddmsPeriods...); err != nil {
		return nil, err
	}
	_, d.rewards, err = cfg.Rewards.Resolve(-0.1, 1, 0)
	return d, err
}

// Spec lays out the fixation {0}, stimulus1 {1, 2}, stimulus2 {3, 4},
// cue1 {5} and cue2 {6} channels, the actions fixation 0, match 1 and
// non-match 2, and abort, correct and fail rewards.
func (d *ddmsDef) Spec() Spec {
	return Spec{
		Name: DualDelayMatchSampleName, Dt: d.dt, Timing: d.timing, Rewards: d.rewards, Abort: d.abort,
		Obs: []Group{{"fixation", []int{0}}, {"stimulus1", []int{1, 2}}, {"stimulus2", []int{3, 4}},
			{"cue1", []int{5}}, {"cue2", []int{6}}},
		Actions: []Group{{"fixation", []int{0}}, {"match", []int{1}}, {"non-match", []int{2}}},
	}
}

// NewTrial draws, in neurogym's order, the two ground truths, the two
// samples, the test order, the period durations and the noise of the
// sample, test1 and test2 periods.
func (d *ddmsDef) NewTrial(b *Builder) Record {
	halves := []float64{0, 0.5}
	r := DDMSTrial{GroundTruth1: b.Int("ground_truth1", 2), GroundTruth2: b.Int("ground_truth2", 2),
		Sample1: b.Pick("sample1", halves), Sample2: b.Pick("sample2", halves), TestOrder: b.Int("test_order", 2)}
	r.Test1, r.Test2 = r.Sample1, r.Sample2
	if r.GroundTruth1 == 1 {
		r.Test1 = 0.5 - r.Sample1
	}
	if r.GroundTruth2 == 1 {
		r.Test2 = 0.5 - r.Sample2
	}
	test1, test2, cue1, cue2 := "test1", "test2", "cue1", "cue2" // periods of sample 1's and 2's test and cue
	if r.TestOrder == 1 {
		test1, test2, cue1, cue2 = test2, test1, cue2, cue1
	}
	b.Periods(ddmsPeriods...)
	b.AddOb("fixation", 1)
	b.AddObs("stimulus1", ddmsStim(r.Sample1), "sample")
	b.AddObs("stimulus2", ddmsStim(r.Sample2), "sample")
	b.AddOb("cue1", 1, cue1)
	b.AddOb("cue2", 1, cue2)
	b.AddObs("stimulus1", ddmsStim(r.Test1), test1)
	b.AddObs("stimulus2", ddmsStim(r.Test2), test2)
	b.AddRandn("", 0, d.sigmaEff, "sample", "test1", "test2")
	b.SetLabel(r.GroundTruth1+1, test1)
	b.SetLabel(r.GroundTruth2+1, test2)
	return r
}

// ddmsStim returns (cos pi a, sin pi a).
func ddmsStim(a float64) []float64 { return []float64{math.Cos(a * math.Pi), math.Sin(a * math.Pi)} }

// Step is neurogym's step of DualDelayMatchSample (see
// NewDualDelayMatchSample): only test2 ends the trial, and a wrong
// response does not undo the performance of a correct one in test1.
func (d *ddmsDef) Step(e *Env, action int) Outcome {
	var o Outcome
	switch {
	case action == 0:
	case e.InPeriod("test1") || e.InPeriod("test2"):
		o.EndTrial = e.InPeriod("test2")
		o.Reward = e.Reward("fail")
		if action == e.Label() {
			o.Reward = e.Reward("correct")
			e.SetPerformance(1)
		}
	default:
		o.Reward, o.EndTrial = e.Reward("abort"), d.abort
	}
	return o
}

func init() {
	RegisterEnv(DualDelayMatchSampleName, NewDualDelayMatchSample)
}
