package tasks

import (
	"math"
	"slices"
	"testing"
)

// gngExpect is neurogym's gonogo.py: add_ob(1, where="fixation") on the
// whole trial, add_ob(1, "stimulus", where=ground_truth+1), set_ob(0,
// "decision") on all channels, no noise; set_groundtruth(ground_truth,
// "decision").
var gngExpect = wmExpect{
	mean: func(rec Record, p string, ch int) float64 {
		g := rec.(GoNogoTrial).GroundTruth
		if p != "decision" && ch == 0 || p == "stimulus" && ch == g+1 {
			return 1
		}
		return 0
	},
	sd: func(string, int) float64 { return 0 },
	label: func(rec Record, p string) int {
		if p == "decision" {
			return rec.(GoNogoTrial).GroundTruth
		}
		return 0
	},
}

var gngPeriods = []string{"fixation", "stimulus", "delay", "decision"}

func TestGoNogoDefaults(t *testing.T) {
	e := mustNew(t, NewGoNogo, GoNogoConfig{Seed: 1})
	want := []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", -0.5}, {"miss", -0.5}}
	if e.Name() != "GoNogo-v0" || e.Dt() != 100 || e.ObsSize() != 3 || e.NumActions() != 2 || !slices.Equal(e.RewardValues(), want) {
		t.Errorf("layout: %s dt %v obs %d actions %d rewards %v", e.Name(), e.Dt(), e.ObsSize(), e.NumActions(), e.RewardValues())
	}
	trs := wmCheckTrials(t, e, 2000, gngExpect)
	for _, tr := range trs {
		wmCheckLayout(t, tr, gngPeriods, []int{0, 5, 5, 5}) // 0/500/500/500 ms
	}
	wmCheckFreq(t, "ground_truth", wmFieldVals(trs, "ground_truth"), []float64{0.5, 0.5}) // rng.choice([0, 1])
}

// TestGoNogoTiming checks dt and a random fixation: TruncExp(300, 100,
// 600) at dt 100 floors to 1..5 steps with probability
// (exp(-(lo-100)/300) - exp(-(hi-100)/300)) / (1 - exp(-500/300)) for the
// bin [lo, hi) = [100k, 100(k+1)).
func TestGoNogoTiming(t *testing.T) {
	e := mustNew(t, NewGoNogo, GoNogoConfig{Timing: Timing{"fixation": TruncExp(300, 100, 600)}, Seed: 2})
	trs := wmCheckTrials(t, e, 2000, gngExpect)
	var fix []int
	for _, tr := range trs {
		f := wmPeriodSteps([]*Trial{tr}, "fixation")[0]
		wmCheckLayout(t, tr, gngPeriods, []int{f, 5, 5, 5})
		fix = append(fix, f)
	}
	probs := make([]float64, 6)
	z := 1 - math.Exp(-500./300)
	for k := 1; k <= 5; k++ {
		probs[k] = (math.Exp(-float64(100*k-100)/300) - math.Exp(-float64(100*k)/300)) / z
	}
	wmCheckFreq(t, "fixation steps", fix, probs)
	for _, tr := range wmCheckTrials(t, mustNew(t, NewGoNogo, GoNogoConfig{Dt: 20}), 50, gngExpect) {
		wmCheckLayout(t, tr, gngPeriods, []int{0, 25, 25, 25})
	}
}

// TestGoNogoStep checks neurogym's _step and its bookkeeping: r_tmax =
// miss * ground_truth at the last step, performance 1 - ground_truth until
// a go in the decision.
func TestGoNogoStep(t *testing.T) {
	fix := Timing{"fixation": Constant(300)} // steps 0..2; decision 13..17
	for _, tc := range []struct {
		name   string
		cfg    GoNogoConfig
		gt     int
		acts   map[int]int
		steps  int
		reward map[int]float64
		perf   float64
	}{
		{"go trial, miss", GoNogoConfig{}, 1, nil, 15, map[int]float64{14: -0.5}, 0},
		{"go trial, go early", GoNogoConfig{}, 1, map[int]int{0: 1, 9: 1}, 15, map[int]float64{14: -0.5}, 0},
		{"go trial, correct", GoNogoConfig{}, 1, map[int]int{12: 1}, 13, map[int]float64{12: 1}, 1},
		{"no-go trial, fixate", GoNogoConfig{}, 0, nil, 15, nil, 1},
		{"no-go trial, go", GoNogoConfig{}, 0, map[int]int{10: 1}, 11, map[int]float64{10: -0.5}, 0},
		{"break fixation", GoNogoConfig{Timing: fix}, 1, map[int]int{1: 1, 13: 1}, 14, map[int]float64{1: -0.1, 13: 1}, 1},
		{"abort, no-go keeps performance 1", GoNogoConfig{Timing: fix, Abort: true}, 0, map[int]int{2: 1}, 3, map[int]float64{2: -0.1}, 1},
		{"own rewards", GoNogoConfig{Rewards: GoRewards{Miss: Ptr(0.0), Correct: Ptr(2.0)}}, 1, map[int]int{3: 1}, 15, nil, 0},
		{"own fail", GoNogoConfig{Rewards: GoRewards{Fail: Ptr(-3.0)}}, 0, map[int]int{14: 1}, 15, map[int]float64{14: -3}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wmCheckRun(t, mustNew(t, NewGoNogo, tc.cfg), Override{"ground_truth": float64(tc.gt)}, tc.acts, tc.steps, tc.reward, tc.perf)
		})
	}
}

func TestGoNogoOverridesAndErrors(t *testing.T) {
	e := mustNew(t, NewGoNogo, GoNogoConfig{})
	if tr := mustTrial(t, e, Override{"ground_truth": 1}); !slices.Equal(tr.ObsAt(0), []float32{1, 0, 1}) || tr.Labels[14] != 1 {
		t.Errorf("go trial: obs %v label %d", tr.ObsAt(0), tr.Labels[14])
	}
	wmCheckSeed(t, func(seed uint64) Task {
		return mustNew(t, NewGoNogo, GoNogoConfig{Seed: seed, Timing: Timing{"delay": Uniform(0, 1000)}})
	},
		Override{"ground_truth": 0})
	wmCheckOverrideErrs(t, e, "GoNogo-v0", map[string]string{
		"ground_truth=-1": "override ground_truth = -1: want an integer in 0..1",
		"go=1":            `unknown override "go"; valid: ground_truth`,
	})
	for _, tc := range []struct {
		cfg  GoNogoConfig
		want string
	}{
		{GoNogoConfig{Dt: -20}, "dt = -20"},
		{GoNogoConfig{Timing: Timing{"sample": Constant(1)}}, `unknown period "sample"`},
		{GoNogoConfig{Timing: Timing{"stimulus": Constant(0), "delay": Constant(0), "decision": Choice(0, 500)}}, "zero-length"},
		{GoNogoConfig{Rewards: GoRewards{Miss: Ptr(math.NaN())}}, "reward miss = NaN"},
		{GoNogoConfig{Rewards: GoRewards{Fail: Ptr(math.Inf(1))}}, "reward fail"},
	} {
		_, err := NewGoNogo(tc.cfg)
		checkErr(t, tc.want, err, "GoNogo-v0: ", tc.want)
	}
	task, err := New("GoNogo-v0", WithDt(50), WithConfig(GoNogoConfig{Rewards: GoRewards{Miss: Ptr(-1.0)}}))
	if err != nil || task.Dt() != 50 || mustTrial(t, task, nil).N != 30 || task.RewardValues()[3] != (NamedValue{"miss", -1}) {
		t.Errorf("New with options: %v", err)
	}
}
