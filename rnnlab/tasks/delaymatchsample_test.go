package tasks

import (
	"math"
	"slices"
	"testing"
)

// dmsExpect is neurogym's delaymatchsample.py: wmMatchExpect with the
// response (label ground_truth, our GroundTruth+1) in the decision period.
func dmsExpect(theta []float64, sigmaEff float64) wmExpect {
	return wmMatchExpect(theta, sigmaEff, "decision", func(rec Record) (int, float64, float64) {
		r := rec.(DMSTrial)
		return r.GroundTruth, r.SampleTheta, r.TestTheta
	})
}

var dmsPeriods = []string{"fixation", "sample", "delay", "test", "decision"}

func TestDMSDefaults(t *testing.T) {
	e := mustNew(t, NewDelayMatchSample, DelayMatchSampleConfig{Seed: 1})
	want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}
	if e.Name() != "DelayMatchSample-v0" || e.Dt() != 100 || e.ObsSize() != 3 || e.NumActions() != 3 || !slices.Equal(e.RewardValues(), want) {
		t.Errorf("layout: %s dt %v obs %d actions %d rewards %v", e.Name(), e.Dt(), e.ObsSize(), e.NumActions(), e.RewardValues())
	}
	// theta = linspace(0, 2 pi, 3)[:-1] = {0, pi}; sigma_eff = 1/sqrt(100).
	trs := wmCheckTrials(t, e, 2000, dmsExpect([]float64{0, math.Pi}, 0.1))
	var gt, sample, joint []int
	for _, tr := range trs {
		// 300/500/1000/500/900 ms at dt 100.
		wmCheckLayout(t, tr, dmsPeriods, []int{3, 5, 10, 5, 9})
		r := tr.Record.(DMSTrial)
		s := slices.Index([]float64{0, math.Pi}, r.SampleTheta)
		wantTest := r.SampleTheta
		if r.GroundTruth == 1 {
			wantTest = math.Mod(r.SampleTheta+math.Pi, 2*math.Pi)
		}
		if s < 0 || r.TestTheta != wantTest {
			t.Fatalf("record %+v: sample not on the ring or test not sample (+ pi)", r)
		}
		gt, sample, joint = append(gt, r.GroundTruth), append(sample, s), append(joint, 2*r.GroundTruth+s)
	}
	// rng.choice([1, 2]) and rng.choice(theta): uniform and independent.
	wmCheckFreq(t, "ground_truth", gt, []float64{0.5, 0.5})
	wmCheckFreq(t, "sample", sample, []float64{0.5, 0.5})
	wmCheckFreq(t, "(ground_truth, sample)", joint, []float64{0.25, 0.25, 0.25, 0.25})
}

// TestDMSOptions checks dt, sigma, dim_ring and timing overrides.
func TestDMSOptions(t *testing.T) {
	t.Run("dt 50", func(t *testing.T) {
		e := mustNew(t, NewDelayMatchSample, DelayMatchSampleConfig{Dt: 50})
		for _, tr := range wmCheckTrials(t, e, 300, dmsExpect([]float64{0, math.Pi}, 1/math.Sqrt(50))) {
			wmCheckLayout(t, tr, dmsPeriods, []int{6, 10, 20, 10, 18})
		}
	})
	t.Run("sigma 0 and 3", func(t *testing.T) {
		for _, s := range []float64{0, 3} {
			wmCheckTrials(t, mustNew(t, NewDelayMatchSample, DelayMatchSampleConfig{Sigma: Ptr(s)}), 500, dmsExpect([]float64{0, math.Pi}, s/10))
		}
	})
	t.Run("dim ring 4", func(t *testing.T) {
		e := mustNew(t, NewDelayMatchSample, DelayMatchSampleConfig{DimRing: 4, Seed: 2})
		theta := []float64{0, math.Pi / 2, math.Pi, 3 * math.Pi / 2}
		if e.ObsSize() != 5 || e.NumActions() != 3 {
			t.Fatalf("obs %d actions %d", e.ObsSize(), e.NumActions())
		}
		var sample []int
		for _, tr := range wmCheckTrials(t, e, 2000, dmsExpect(theta, 0.1)) {
			k := slices.IndexFunc(theta, func(th float64) bool { return math.Abs(th-tr.Record.(DMSTrial).SampleTheta) < 1e-12 })
			sample = append(sample, k)
		}
		wmCheckFreq(t, "sample index", sample, []float64{0.25, 0.25, 0.25, 0.25})
	})
	t.Run("timing", func(t *testing.T) {
		e := mustNew(t, NewDelayMatchSample, DelayMatchSampleConfig{Timing: Timing{"delay": Choice(500, 1000, 1500), "fixation": Constant(0)}})
		trs := wmCheckTrials(t, e, 2000, dmsExpect([]float64{0, math.Pi}, 0.1))
		var delay []int
		for _, tr := range trs {
			d := wmPeriodSteps([]*Trial{tr}, "delay")[0]
			wmCheckLayout(t, tr, dmsPeriods, []int{0, 5, d, 5, 9})
			delay = append(delay, d/5-1) // 5, 10, 15 steps -> 0, 1, 2
		}
		wmCheckFreq(t, "delay choice", delay, []float64{1. / 3, 1. / 3, 1. / 3})
	})
}

func TestDMSOverride(t *testing.T) {
	e := mustNew(t, NewDelayMatchSample, DelayMatchSampleConfig{Sigma: Ptr(0.0)})
	tr := mustTrial(t, e, Override{"ground_truth": 1, "sample_theta": math.Pi / 2})
	r := tr.Record.(DMSTrial)
	if r.GroundTruth != 1 || r.SampleTheta != math.Pi/2 || math.Abs(r.TestTheta-3*math.Pi/2) > 1e-15 || tr.Labels[31] != 2 {
		t.Fatalf("override: %+v label %d", r, tr.Labels[31])
	}
	// Angle pi/2 lies between the two channels: both 1/2 (float32 rounding).
	if o := tr.ObsAt(3); math.Abs(float64(o[1])-0.5) > 1e-7 || math.Abs(float64(o[2])-0.5) > 1e-7 {
		t.Errorf("sample at pi/2: %v", o)
	}
	wmCheckSeed(t, func(seed uint64) Task { return mustNew(t, NewDelayMatchSample, DelayMatchSampleConfig{Seed: seed}) }, Override{"ground_truth": 0})
	wmCheckOverrideErrs(t, e, "DelayMatchSample-v0", map[string]string{
		"ground_truth=2":                   "override ground_truth = 2: want an integer in 0..1",
		"sample_theta=NaN":                 "override sample_theta = NaN",
		"test_theta=1":                     "test_theta = 1: computed by the task",
		"sample=0":                         `unknown override "sample"; valid: ground_truth, sample_theta`,
		"ground_truth=0,test_theta=3.1416": "test_theta",
	})
}

func TestDMSConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  DelayMatchSampleConfig
		want string
	}{
		{DelayMatchSampleConfig{Dt: -1}, "dt = -1"},
		{DelayMatchSampleConfig{Dt: math.Inf(1)}, "dt = +Inf"},
		{DelayMatchSampleConfig{DimRing: -2}, "dim_ring = -2"},
		{DelayMatchSampleConfig{Sigma: Ptr(-1.0)}, "sigma = -1"},
		{DelayMatchSampleConfig{Timing: Timing{"stimulus": Constant(100)}}, `unknown period "stimulus"`},
		{DelayMatchSampleConfig{Timing: Timing{"delay": Constant(-5)}}, "timing of delay"},
		{DelayMatchSampleConfig{Timing: Timing{"fixation": Constant(0), "sample": Constant(0), "delay": Constant(0),
			"test": Constant(0), "decision": Uniform(0, 100)}}, "zero-length"},
		{DelayMatchSampleConfig{Rewards: Rewards{Fail: Ptr(math.NaN())}}, "reward fail"},
	} {
		_, err := NewDelayMatchSample(tc.cfg)
		checkErr(t, tc.want, err, "DelayMatchSample-v0: ", tc.want)
	}
}

// TestDMSStep checks neurogym's _step: abort in fixation, correct / fail
// in the decision (ends the trial), nothing elsewhere.
func TestDMSStep(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cfg    DelayMatchSampleConfig
		acts   map[int]int // ground truth is non-match: label 2 in steps 23..31
		steps  int
		reward map[int]float64
		perf   float64
	}{
		{"fixate throughout", DelayMatchSampleConfig{}, nil, 32, nil, 0},
		{"break fixation", DelayMatchSampleConfig{}, map[int]int{1: 1}, 32, map[int]float64{1: -0.1}, 0},
		{"break fixation with abort", DelayMatchSampleConfig{Abort: true}, map[int]int{2: 2}, 3, map[int]float64{2: -0.1}, 0},
		{"respond in sample, delay, test", DelayMatchSampleConfig{}, map[int]int{3: 2, 10: 1, 20: 2}, 32, nil, 0},
		{"correct", DelayMatchSampleConfig{}, map[int]int{25: 2}, 26, map[int]float64{25: 1}, 1},
		{"wrong", DelayMatchSampleConfig{}, map[int]int{23: 1}, 24, nil, 0},
		{"own rewards", DelayMatchSampleConfig{Rewards: Rewards{Fail: Ptr(-2.0), Abort: Ptr(-3.0)}}, map[int]int{0: 1, 31: 1}, 32,
			map[int]float64{0: -3, 31: -2}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wmCheckRun(t, mustNew(t, NewDelayMatchSample, tc.cfg), Override{"ground_truth": 1}, tc.acts, tc.steps, tc.reward, tc.perf)
		})
	}
}

func TestDMSRegistry(t *testing.T) {
	task, err := New("DelayMatchSample-v0", WithDt(50), WithSeed(4), WithConfig(DelayMatchSampleConfig{DimRing: 3, Seed: 9}))
	if err != nil {
		t.Fatal(err)
	}
	ref := mustNew(t, NewDelayMatchSample, DelayMatchSampleConfig{DimRing: 3, Dt: 50, Seed: 4})
	ta, tb := mustTrial(t, task, nil), mustTrial(t, ref, nil)
	if task.Dt() != 50 || task.ObsSize() != 4 || ta.Record != tb.Record || !slices.Equal(ta.Obs, tb.Obs) {
		t.Errorf("New with options differs from the constructor")
	}
	if _, err := New("DelayMatchSample-v0", WithConfig(PerceptualDecisionMakingConfig{})); err == nil {
		t.Error("a config of the wrong type was accepted")
	}
	if task, err := New("DelayMatchSample-v0", WithDt(-3)); err == nil || task != nil {
		t.Errorf("bad dt: task %v, error %v", task, err)
	}
}
