package tasks

import (
	"math"
	"slices"
	"testing"
)

// dpaExpect is neurogym's delaypairedassociation.py: add_ob(1,
// where="fixation") on the whole trial, add_ob(1, "stim1", where=pair[0]),
// add_ob(1, "stim2", where=pair[1]), set_ob(0, "decision") on all
// channels, no noise; set_groundtruth(ground_truth, "decision").
var dpaExpect = wmExpect{
	mean: func(rec Record, p string, ch int) float64 {
		r := rec.(DPATrial)
		if p != "decision" && ch == 0 || p == "stim1" && ch == r.Stim1 || p == "stim2" && ch == r.Stim2 {
			return 1
		}
		return 0
	},
	sd: func(string, int) float64 { return 0 },
	label: func(rec Record, p string) int {
		if p == "decision" {
			return rec.(DPATrial).GroundTruth
		}
		return 0
	},
}

func TestDPADefaults(t *testing.T) {
	e := mustNew(t, NewDelayPairedAssociation, DelayPairedAssociationConfig{Seed: 1})
	want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", -1}, {"miss", 0}}
	if e.Name() != "DelayPairedAssociation-v0" || e.Dt() != 100 || e.ObsSize() != 5 || e.NumActions() != 2 || !slices.Equal(e.RewardValues(), want) {
		t.Errorf("layout: %s dt %v obs %d actions %d rewards %v", e.Name(), e.Dt(), e.ObsSize(), e.NumActions(), e.RewardValues())
	}
	trs := wmCheckTrials(t, e, 2000, dpaExpect)
	for _, tr := range trs {
		wmCheckLayout(t, tr, dpaPeriods, []int{0, 10, 10, 10, 10, 5}) // 0/1000/1000/1000/1000/500 ms
		// pairs (1,3), (1,4), (2,3), (2,4); ground_truth = int(diff % 2 == 0).
		r := tr.Record.(DPATrial)
		want := []DPATrial{{0, 1, 3, 1}, {1, 1, 4, 0}, {2, 2, 3, 0}, {3, 2, 4, 1}}[r.Pair]
		if r != want {
			t.Fatalf("record %+v, want %+v", r, want)
		}
	}
	wmCheckFreq(t, "pair", wmFieldVals(trs, "pair"), []float64{0.25, 0.25, 0.25, 0.25}) // rng.choice(4)
	wmCheckFreq(t, "ground_truth", wmFieldVals(trs, "ground_truth"), []float64{0.5, 0.5})
}

func TestDPAOptions(t *testing.T) {
	e := mustNew(t, NewDelayPairedAssociation, DelayPairedAssociationConfig{Dt: 50, Timing: Timing{"delay_aft_stim": Choice(500, 1000, 2000), "fixation": Constant(100)}})
	var delay []int
	for _, tr := range wmCheckTrials(t, e, 2000, dpaExpect) {
		d := wmPeriodSteps([]*Trial{tr}, "delay_aft_stim")[0]
		wmCheckLayout(t, tr, dpaPeriods, []int{2, 20, 20, 20, d, 10})
		delay = append(delay, map[int]int{10: 0, 20: 1, 40: 2}[d])
	}
	wmCheckFreq(t, "delay_aft_stim choice", delay, []float64{1. / 3, 1. / 3, 1. / 3})
}

// TestDPAStep checks neurogym's _step and bookkeeping: r_tmax = miss *
// ground_truth, performance 1 - ground_truth until a go in the decision
// (then 1 if action == ground truth, else 0).
func TestDPAStep(t *testing.T) {
	fix := Timing{"fixation": Constant(200)} // steps 0..1; decision 42..46
	for _, tc := range []struct {
		name   string
		cfg    DelayPairedAssociationConfig
		pair   int // 0: go (label 1), 1: no-go
		acts   map[int]int
		steps  int
		reward map[int]float64
		perf   float64
	}{
		{"go trial, miss 0", DelayPairedAssociationConfig{}, 0, nil, 45, nil, 0},
		{"go trial, own miss", DelayPairedAssociationConfig{Rewards: GoRewards{Miss: Ptr(-0.5)}}, 0, map[int]int{5: 1}, 45, map[int]float64{44: -0.5}, 0},
		{"go trial, correct", DelayPairedAssociationConfig{}, 0, map[int]int{40: 1}, 41, map[int]float64{40: 1}, 1},
		{"no-go trial, fixate", DelayPairedAssociationConfig{Rewards: GoRewards{Miss: Ptr(-0.5)}}, 1, nil, 45, nil, 1},
		{"no-go trial, go", DelayPairedAssociationConfig{}, 1, map[int]int{44: 1}, 45, map[int]float64{44: -1}, 0},
		{"go in stimuli and delays", DelayPairedAssociationConfig{}, 1, map[int]int{0: 1, 15: 1, 39: 1}, 45, nil, 1},
		{"break fixation", DelayPairedAssociationConfig{Timing: fix}, 0, map[int]int{1: 1, 46: 1}, 47, map[int]float64{1: -0.1, 46: 1}, 1},
		{"abort", DelayPairedAssociationConfig{Timing: fix, Abort: true}, 0, map[int]int{0: 1}, 1, map[int]float64{0: -0.1}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wmCheckRun(t, mustNew(t, NewDelayPairedAssociation, tc.cfg), Override{"pair": float64(tc.pair)}, tc.acts, tc.steps, tc.reward, tc.perf)
		})
	}
}

func TestDPAOverridesAndErrors(t *testing.T) {
	e := mustNew(t, NewDelayPairedAssociation, DelayPairedAssociationConfig{})
	tr := mustTrial(t, e, Override{"pair": 2, "ground_truth": 0, "stim1": 2})
	if tr.Record != (DPATrial{2, 2, 3, 0}) || !slices.Equal(tr.ObsAt(0), []float32{1, 0, 1, 0, 0}) || !slices.Equal(tr.ObsAt(20), []float32{1, 0, 0, 1, 0}) {
		t.Errorf("pair (2, 3): %+v, obs %v %v", tr.Record, tr.ObsAt(0), tr.ObsAt(20))
	}
	wmCheckSeed(t, func(seed uint64) Task {
		return mustNew(t, NewDelayPairedAssociation, DelayPairedAssociationConfig{Seed: seed})
	}, Override{"pair": 3})
	wmCheckOverrideErrs(t, e, "DelayPairedAssociation-v0", map[string]string{
		"pair=4":                "override pair = 4: want an integer in 0..3",
		"pair=1,ground_truth=1": "ground_truth = 1: computed by the task (0 here)",
		"go=1":                  `unknown override "go"; valid: pair`,
	})
	for _, tc := range []struct {
		cfg  DelayPairedAssociationConfig
		want string
	}{
		{DelayPairedAssociationConfig{Dt: math.Inf(-1)}, "dt = -Inf"},
		{DelayPairedAssociationConfig{Timing: Timing{"delay": Constant(1)}}, `unknown period "delay"`},
		{DelayPairedAssociationConfig{Timing: Timing{"stim1": Constant(0), "delay_btw_stim": Constant(0), "stim2": Constant(0),
			"delay_aft_stim": Constant(0), "decision": Constant(0)}}, "zero-length"},
		{DelayPairedAssociationConfig{Rewards: GoRewards{Abort: Ptr(math.NaN())}}, "reward abort"},
	} {
		_, err := NewDelayPairedAssociation(tc.cfg)
		checkErr(t, tc.want, err, "DelayPairedAssociation-v0: ", tc.want)
	}
	task, err := New("DelayPairedAssociation-v0", WithSeed(3), WithConfig(&DelayPairedAssociationConfig{Dt: 200}))
	ref := mustNew(t, NewDelayPairedAssociation, DelayPairedAssociationConfig{Dt: 200, Seed: 3})
	if err != nil || task.Dt() != 200 || mustTrial(t, task, nil).Record != mustTrial(t, ref, nil).Record || task.Current().N != 22 {
		t.Errorf("New with options: %v", err)
	}
}
