package tasks

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// dmcExpect is neurogym's delaymatchcategory.py: wmMatchExpect with the
// response (label action_space.name[ground_truth]) in the test period.
func dmcExpect(theta []float64, sigmaEff float64) wmExpect {
	return wmMatchExpect(theta, sigmaEff, "test", func(rec Record) (int, float64, float64) {
		r := rec.(DMCTrial)
		return r.GroundTruth, r.SampleTheta, r.TestTheta
	})
}

var dmcPeriods = []string{"fixation", "sample", "first_delay", "test"}

func TestDMCDefaults(t *testing.T) {
	e := mustNew(t, NewDelayMatchCategory, DelayMatchCategoryConfig{Seed: 1})
	want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}
	if e.Name() != "DelayMatchCategory-v0" || e.Dt() != 100 || e.ObsSize() != 3 || e.NumActions() != 3 || !slices.Equal(e.RewardValues(), want) {
		t.Errorf("layout: %s dt %v obs %d actions %d rewards %v", e.Name(), e.Dt(), e.ObsSize(), e.NumActions(), e.RewardValues())
	}
	trs := wmCheckTrials(t, e, 2000, dmcExpect([]float64{0, math.Pi}, 0.1))
	var gt, cat, joint []int
	u := wmMoments{}
	for _, tr := range trs {
		// 500/650/1000/650 ms at dt 100; neurogym floors 650 to 600.
		wmCheckLayout(t, tr, dmcPeriods, []int{5, 6, 10, 6})
		r := tr.Record.(DMCTrial)
		if r.TestCategory != r.SampleCategory^r.GroundTruth {
			t.Fatalf("%+v: test category is not the sample's on match, the other on non-match", r)
		}
		gt, cat, joint = append(gt, r.GroundTruth), append(cat, r.SampleCategory), append(joint, 2*r.GroundTruth+r.SampleCategory)
		// (category + rng.rand()) * pi: the offset in the half is U[0, pi).
		for _, x := range []float64{r.SampleTheta - float64(r.SampleCategory)*math.Pi, r.TestTheta - float64(r.TestCategory)*math.Pi} {
			if x < 0 || x >= math.Pi {
				t.Fatalf("%+v: angle outside its category's half", r)
			}
		}
		u.add("sample offset", r.SampleTheta-float64(r.SampleCategory)*math.Pi)
		u.add("test offset", r.TestTheta-float64(r.TestCategory)*math.Pi)
	}
	wmCheckFreq(t, "ground_truth", gt, []float64{0.5, 0.5})
	wmCheckFreq(t, "sample_category", cat, []float64{0.5, 0.5})
	wmCheckFreq(t, "(ground_truth, sample_category)", joint, []float64{0.25, 0.25, 0.25, 0.25})
	// Uniform on [0, pi): mean pi/2, std pi/sqrt(12).
	u.check(t, "sample offset", math.Pi/2, math.Pi/math.Sqrt(12))
	u.check(t, "test offset", math.Pi/2, math.Pi/math.Sqrt(12))
}

// TestDMCCategoryMeans checks a marginal of the stimulus at dim_ring 4: the
// channel preferring pi/2 sees cos(pi/2 - s)/2 + 1/2 = sin(s)/2 + 1/2,
// whose mean over s uniform in category c's half is 1/2 + 1/pi for c = 0
// and 1/2 - 1/pi for c = 1 (E sin = +-2/pi); the channels preferring 0 and
// pi see a mean of 1/2 (E cos = 0).
func TestDMCCategoryMeans(t *testing.T) {
	e := mustNew(t, NewDelayMatchCategory, DelayMatchCategoryConfig{DimRing: 4, Seed: 3})
	theta := []float64{0, math.Pi / 2, math.Pi, 3 * math.Pi / 2}
	m := wmMoments{}
	for _, tr := range wmCheckTrials(t, e, 2000, dmcExpect(theta, 0.1)) {
		r := tr.Record.(DMCTrial)
		p, _ := tr.Period("sample")
		for s := p.Start; s < p.End; s++ {
			for ch := 1; ch <= 4; ch++ {
				m.add(fmt.Sprintf("category %d ch%d", r.SampleCategory, ch), float64(tr.ObsAt(s)[ch]))
			}
		}
	}
	for c, sign := range []float64{1, -1} {
		for ch, want := range []float64{0.5, 0.5 + sign/math.Pi, 0.5, 0.5 - sign/math.Pi} {
			k := fmt.Sprintf("category %d ch%d", c, ch+1)
			n, mean, sd := m.stats(k)
			// Steps of a trial share s: the standard error is over trials (6 steps each).
			if tol := 5 * sd / math.Sqrt(float64(n)/6); math.Abs(mean-want) > tol {
				t.Errorf("%s: mean %.4f, want %.4f ± %.4f", k, mean, want, tol)
			}
		}
	}
}

func TestDMCOptions(t *testing.T) {
	e := mustNew(t, NewDelayMatchCategory, DelayMatchCategoryConfig{Dt: 50, Sigma: Ptr(2.0), Timing: Timing{"first_delay": Uniform(500, 1500)}})
	trs := wmCheckTrials(t, e, 2000, dmcExpect([]float64{0, math.Pi}, 2/math.Sqrt(50)))
	var delay []int
	for _, tr := range trs {
		d := wmPeriodSteps([]*Trial{tr}, "first_delay")[0]
		wmCheckLayout(t, tr, dmcPeriods, []int{10, 13, d, 13})
		if d < 10 || d > 29 {
			t.Fatalf("first_delay %d steps outside [10, 29]", d)
		}
		delay = append(delay, d-10)
	}
	// floor(U(500, 1500)/50): 10..29 steps, each with probability 1/20.
	probs := make([]float64, 20)
	for i := range probs {
		probs[i] = 1. / 20
	}
	wmCheckFreq(t, "first_delay steps - 10", delay, probs)
}

func TestDMCOverride(t *testing.T) {
	e := mustNew(t, NewDelayMatchCategory, DelayMatchCategoryConfig{Sigma: Ptr(0.0)})
	tr := mustTrial(t, e, Override{"ground_truth": 1, "sample_category": 1, "sample_theta": 4, "test_theta": 0})
	r := tr.Record.(DMCTrial)
	if r != (DMCTrial{1, 1, 0, 4, 0}) || tr.Labels[26] != 2 || tr.ObsAt(21)[1] != 1 {
		t.Fatalf("override: %+v, label %d, test obs %v", r, tr.Labels[26], tr.ObsAt(21))
	}
	wmCheckSeed(t, func(seed uint64) Task { return mustNew(t, NewDelayMatchCategory, DelayMatchCategoryConfig{Seed: seed}) }, Override{"sample_category": 0})
	wmCheckOverrideErrs(t, e, "DelayMatchCategory-v0", map[string]string{
		"sample_category=2":                                "override sample_category = 2: want an integer in 0..1",
		"sample_category=0,sample_theta=4":                 "override sample_theta = 4: want an angle in category 0's half",
		"ground_truth=0,sample_category=1,test_theta=1":    "override test_theta = 1: want an angle in category 1's half",
		"ground_truth=0,sample_category=1,test_category=0": "test_category = 0: computed by the task",
		"match=1": `unknown override "match"; valid: ground_truth, sample_category, sample_theta, test_theta`,
	})
}

func TestDMCConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  DelayMatchCategoryConfig
		want string
	}{
		{DelayMatchCategoryConfig{Dt: math.NaN()}, "dt = NaN"},
		{DelayMatchCategoryConfig{DimRing: -1}, "dim_ring = -1"},
		{DelayMatchCategoryConfig{Sigma: Ptr(math.Inf(1))}, "sigma = +Inf"},
		{DelayMatchCategoryConfig{Timing: Timing{"delay": Constant(100)}}, `unknown period "delay"`},
		{DelayMatchCategoryConfig{Timing: Timing{"fixation": Constant(0), "sample": Constant(0), "first_delay": Constant(0), "test": Constant(50)}}, "zero-length"},
		{DelayMatchCategoryConfig{Rewards: Rewards{Abort: Ptr(math.Inf(-1))}}, "reward abort"},
	} {
		_, err := NewDelayMatchCategory(tc.cfg)
		checkErr(t, tc.want, err, "DelayMatchCategory-v0: ", tc.want)
	}
}

// TestDMCStep checks neurogym's _step: abort in fixation, correct / fail
// in the test period (ends the trial), nothing in sample and first_delay.
func TestDMCStep(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cfg    DelayMatchCategoryConfig
		acts   map[int]int // ground truth is match: label 1 in steps 21..26
		steps  int
		reward map[int]float64
		perf   float64
	}{
		{"fixate throughout", DelayMatchCategoryConfig{}, nil, 27, nil, 0},
		{"break fixation", DelayMatchCategoryConfig{}, map[int]int{4: 2}, 27, map[int]float64{4: -0.1}, 0},
		{"break fixation with abort", DelayMatchCategoryConfig{Abort: true}, map[int]int{0: 1}, 1, map[int]float64{0: -0.1}, 0},
		{"respond in sample and delay", DelayMatchCategoryConfig{}, map[int]int{5: 1, 20: 2}, 27, nil, 0},
		{"correct", DelayMatchCategoryConfig{}, map[int]int{21: 1}, 22, map[int]float64{21: 1}, 1},
		{"wrong", DelayMatchCategoryConfig{Rewards: Rewards{Fail: Ptr(-1.0)}}, map[int]int{26: 2}, 27, map[int]float64{26: -1}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wmCheckRun(t, mustNew(t, NewDelayMatchCategory, tc.cfg), Override{"ground_truth": 0}, tc.acts, tc.steps, tc.reward, tc.perf)
		})
	}
}

func TestDMCRegistry(t *testing.T) {
	task, err := New("DelayMatchCategory-v0", WithSeed(4), WithConfig(&DelayMatchCategoryConfig{Dt: 20}))
	if err != nil {
		t.Fatal(err)
	}
	ta, tb := mustTrial(t, task, nil), mustTrial(t, mustNew(t, NewDelayMatchCategory, DelayMatchCategoryConfig{Dt: 20, Seed: 4}), nil)
	if task.Dt() != 20 || ta.N != 25+32+50+32 || ta.Record != tb.Record || !slices.Equal(ta.Obs, tb.Obs) {
		t.Errorf("New with options differs from the constructor (N %d)", ta.N)
	}
}
