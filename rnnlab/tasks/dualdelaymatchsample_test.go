package tasks

import (
	"math"
	"slices"
	"testing"
)

// ddmsExpect is neurogym's dualdelaymatchsample.py: fixation 1 in every
// period; stimulus1 = (cos, sin)(pi sample1) in the sample period and
// (cos, sin)(pi test1) in stim_test1_period (test1 if test_order is 0,
// else test2), stimulus2 likewise with stim_test2_period; cue1 (channel 5)
// on in cue1_period (cue1 if test_order is 0, else cue2), cue2 (channel 6)
// in the other cue period; noise sigma/sqrt(dt) on all channels in sample,
// test1 and test2; label ground_truth1 (our +1) in stim_test1_period and
// ground_truth2 in stim_test2_period.
func ddmsExpect(sigmaEff float64) wmExpect {
	periodsOf := func(r DDMSTrial) (st1, st2, c1, c2 string) {
		if r.TestOrder == 0 {
			return "test1", "test2", "cue1", "cue2"
		}
		return "test2", "test1", "cue2", "cue1"
	}
	return wmExpect{
		mean: func(rec Record, p string, ch int) float64 {
			r := rec.(DDMSTrial)
			st1, st2, c1, c2 := periodsOf(r)
			cs := func(a float64, i int) float64 { return []float64{math.Cos(math.Pi * a), math.Sin(math.Pi * a)}[i] }
			switch {
			case ch == 0:
				return 1
			case ch <= 2 && p == "sample":
				return cs(r.Sample1, ch-1)
			case ch <= 2 && p == st1:
				return cs(r.Test1, ch-1)
			case (ch == 3 || ch == 4) && p == "sample":
				return cs(r.Sample2, ch-3)
			case (ch == 3 || ch == 4) && p == st2:
				return cs(r.Test2, ch-3)
			case ch == 5 && p == c1, ch == 6 && p == c2:
				return 1
			}
			return 0
		},
		sd: func(p string, ch int) float64 {
			if p == "sample" || p == "test1" || p == "test2" {
				return sigmaEff
			}
			return 0
		},
		label: func(rec Record, p string) int {
			r := rec.(DDMSTrial)
			st1, st2, _, _ := periodsOf(r)
			switch p {
			case st1:
				return r.GroundTruth1 + 1
			case st2:
				return r.GroundTruth2 + 1
			}
			return 0
		},
	}
}

func TestDDMSDefaults(t *testing.T) {
	e := mustNew(t, NewDualDelayMatchSample, DualDelayMatchSampleConfig{Seed: 1})
	want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}}
	if e.Name() != "DualDelayMatchSample-v0" || e.Dt() != 100 || e.ObsSize() != 7 || e.NumActions() != 3 || !slices.Equal(e.RewardValues(), want) {
		t.Errorf("layout: %s dt %v obs %d actions %d rewards %v", e.Name(), e.Dt(), e.ObsSize(), e.NumActions(), e.RewardValues())
	}
	trs := wmCheckTrials(t, e, 2000, ddmsExpect(0.1))
	var joint []int
	for _, tr := range trs {
		wmCheckLayout(t, tr, ddmsPeriods, []int{5, 5, 5, 5, 5, 5, 5, 5}) // eight periods of 500 ms
		r := tr.Record.(DDMSTrial)
		i1, i2 := slices.Index([]float64{0, 0.5}, r.Sample1), slices.Index([]float64{0, 0.5}, r.Sample2)
		if i1 < 0 || i2 < 0 || r.Test1 != []float64{r.Sample1, 0.5 - r.Sample1}[r.GroundTruth1] || r.Test2 != []float64{r.Sample2, 0.5 - r.Sample2}[r.GroundTruth2] {
			t.Fatalf("record %+v: samples not in {0, 0.5} or tests not sample / 0.5 - sample", r)
		}
		joint = append(joint, r.GroundTruth1+2*r.GroundTruth2+4*i1+8*i2+16*r.TestOrder)
	}
	// Five independent rng.choice of two values: 32 equally likely cells.
	probs := make([]float64, 32)
	for i := range probs {
		probs[i] = 1. / 32
	}
	wmCheckFreq(t, "(gt1, gt2, sample1, sample2, test_order)", joint, probs)
	for _, f := range []string{"ground_truth1", "ground_truth2", "test_order"} {
		wmCheckFreq(t, f, wmFieldVals(trs, f), []float64{0.5, 0.5})
	}
}

func TestDDMSOptions(t *testing.T) {
	e := mustNew(t, NewDualDelayMatchSample, DualDelayMatchSampleConfig{Dt: 20, Sigma: Ptr(0.5), Timing: Timing{"delay2": Choice(100, 300), "cue1": Constant(50)}})
	var delay []int
	for _, tr := range wmCheckTrials(t, e, 1000, ddmsExpect(0.5/math.Sqrt(20))) {
		d := wmPeriodSteps([]*Trial{tr}, "delay2")[0]
		wmCheckLayout(t, tr, ddmsPeriods, []int{25, 25, 25, 2, 25, d, 25, 25})
		delay = append(delay, (d-5)/10) // 5 or 15 steps
	}
	wmCheckFreq(t, "delay2 choice", delay, []float64{0.5, 0.5})
	wmCheckTrials(t, mustNew(t, NewDualDelayMatchSample, DualDelayMatchSampleConfig{Sigma: Ptr(0.0)}), 100, ddmsExpect(0))
}

func TestDDMSOverride(t *testing.T) {
	e := mustNew(t, NewDualDelayMatchSample, DualDelayMatchSampleConfig{Sigma: Ptr(0.0)})
	tr := mustTrial(t, e, Override{"ground_truth1": 1, "ground_truth2": 0, "sample1": 0.5, "sample2": 0, "test_order": 1})
	r := tr.Record.(DDMSTrial)
	if r != (DDMSTrial{1, 0, 0.5, 0, 1, 0, 0}) {
		t.Fatalf("override: %+v", r)
	}
	// Sample 2 is tested first: cue2 channel in cue1 (step 15), test of
	// sample 2 = (1, 0) in test1 with label 1; then the cue1 channel in
	// cue2 (step 30) and the test of sample 1 = (1, 0) in test2, label 2.
	for s, want := range map[int][]float32{15: {1, 0, 0, 0, 0, 0, 1}, 20: {1, 0, 0, 1, 0, 0, 0}, 30: {1, 0, 0, 0, 0, 1, 0}, 35: {1, 1, 0, 0, 0, 0, 0}} {
		if o := tr.ObsAt(s); !slices.Equal(o, want) {
			t.Errorf("step %d: obs %v, want %v", s, o, want)
		}
	}
	if tr.Labels[20] != 1 || tr.Labels[39] != 2 || tr.Labels[19] != 0 {
		t.Errorf("labels %v", tr.Labels)
	}
	wmCheckSeed(t, func(seed uint64) Task {
		return mustNew(t, NewDualDelayMatchSample, DualDelayMatchSampleConfig{Seed: seed})
	}, Override{"test_order": 1})
	wmCheckOverrideErrs(t, e, "DualDelayMatchSample-v0", map[string]string{
		"test_order=2":   "override test_order = 2: want an integer in 0..1",
		"sample1=Inf":    "override sample1 = +Inf",
		"test2=0.25":     "test2 = 0.25: computed by the task",
		"ground_truth=1": `unknown override "ground_truth"; valid: ground_truth1, ground_truth2, sample1, sample2, test_order`,
	})
}

func TestDDMSConfigErrors(t *testing.T) {
	zero := Timing{}
	for _, p := range ddmsPeriods {
		zero[p] = Constant(0)
	}
	for _, tc := range []struct {
		cfg  DualDelayMatchSampleConfig
		want string
	}{
		{DualDelayMatchSampleConfig{Dt: -100}, "dt = -100"},
		{DualDelayMatchSampleConfig{Sigma: Ptr(-0.1)}, "sigma = -0.1"},
		{DualDelayMatchSampleConfig{Timing: Timing{"cue3": Constant(100)}}, `unknown period "cue3"`},
		{DualDelayMatchSampleConfig{Timing: zero}, "zero-length"},
		{DualDelayMatchSampleConfig{Rewards: Rewards{Correct: Ptr(math.NaN())}}, "reward correct"},
	} {
		_, err := NewDualDelayMatchSample(tc.cfg)
		checkErr(t, tc.want, err, "DualDelayMatchSample-v0: ", tc.want)
	}
}

// TestDDMSStep checks neurogym's _step: responses in test1 are rewarded
// without ending the trial, in test2 they end it; performance is 1 once
// any response was correct; a response anywhere else is an abort.
func TestDDMSStep(t *testing.T) {
	// test_order 0, ground truths match (label 1 in test1, steps 20..24)
	// and non-match (label 2 in test2, steps 35..39).
	ov := Override{"ground_truth1": 0, "ground_truth2": 1, "test_order": 0}
	for _, tc := range []struct {
		name   string
		cfg    DualDelayMatchSampleConfig
		acts   map[int]int
		steps  int
		reward map[int]float64
		perf   float64
	}{
		{"fixate throughout", DualDelayMatchSampleConfig{}, nil, 40, nil, 0},
		{"respond outside tests", DualDelayMatchSampleConfig{}, map[int]int{0: 1, 7: 2, 17: 1, 27: 1, 32: 2}, 40,
			map[int]float64{0: -0.1, 7: -0.1, 17: -0.1, 27: -0.1, 32: -0.1}, 0},
		{"abort ends", DualDelayMatchSampleConfig{Abort: true}, map[int]int{12: 1}, 13, map[int]float64{12: -0.1}, 0},
		{"correct in test1 only", DualDelayMatchSampleConfig{}, map[int]int{20: 1, 21: 1, 22: 2}, 40, map[int]float64{20: 1, 21: 1}, 1},
		{"correct in test1, wrong in test2", DualDelayMatchSampleConfig{Rewards: Rewards{Fail: Ptr(-1.0)}}, map[int]int{24: 1, 35: 1}, 36,
			map[int]float64{24: 1, 35: -1}, 1},
		{"wrong, then correct in test2", DualDelayMatchSampleConfig{}, map[int]int{20: 2, 39: 2}, 40, map[int]float64{39: 1}, 1},
		{"wrong in both", DualDelayMatchSampleConfig{}, map[int]int{20: 2, 37: 1}, 38, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wmCheckRun(t, mustNew(t, NewDualDelayMatchSample, tc.cfg), ov, tc.acts, tc.steps, tc.reward, tc.perf)
		})
	}
}

func TestDDMSRegistry(t *testing.T) {
	task, err := New("DualDelayMatchSample-v0", WithDt(50), WithSeed(2))
	if err != nil {
		t.Fatal(err)
	}
	ta, tb := mustTrial(t, task, nil), mustTrial(t, mustNew(t, NewDualDelayMatchSample, DualDelayMatchSampleConfig{Dt: 50, Seed: 2}), nil)
	if task.ObsSize() != 7 || ta.N != 80 || ta.Record != tb.Record || !slices.Equal(ta.Obs, tb.Obs) {
		t.Errorf("New with options differs from the constructor")
	}
}
