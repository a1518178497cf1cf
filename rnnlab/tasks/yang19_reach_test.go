package tasks

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// TestYang19Reach: periods, labels, observations (exact: the reach tasks
// have no noise), direction and modality frequencies, anti = opposite.
func TestYang19Reach(t *testing.T) {
	for _, tc := range []struct {
		name  string
		anti  int
		delay int // steps; -1: reaction time (no stimulus, no delay)
	}{
		{"go", 0, 0}, {"rtgo", 0, -1}, {"dlygo", 0, 5}, {"anti", 1, 0}, {"rtanti", 1, -1}, {"dlyanti", 1, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trs := y19Trials(t, tc.name, Yang19Config{Seed: 1}, y19N)
			// Timing: fixation, stimulus, decision 500 ms (5 steps); delay
			// 0, or 500 ms in dlygo and dlyanti.
			if tc.delay < 0 {
				y19CheckPeriods(t, trs, []string{"fixation", "decision"}, map[string]int{"fixation": 5, "decision": 5})
			} else {
				y19CheckPeriods(t, trs, []string{"fixation", "stimulus", "delay", "decision"},
					map[string]int{"fixation": 5, "stimulus": 5, "delay": tc.delay, "decision": 5})
			}
			y19CheckObs(t, trs, 0)
			gt := map[int]int{}
			for i, tr := range trs {
				r := tr.Record.(Yang19ReachTrial)
				gt[r.GroundTruth]++
				if r.Anti != tc.anti {
					t.Fatalf("anti %d, want %d", r.Anti, tc.anti)
				}
				// ScheduleEnvs + RandomSchedule(2) never repeat: modality
				// index 1 first, then alternating.
				if r.Modality != (i+1)%2 {
					t.Fatalf("trial %d: modality %d, want %d", i, r.Modality, (i+1)%2)
				}
				// The stimulus peak (0.8) is at g (go) or g+8 (anti) in
				// the stimulus ring; the other ring is empty.
				p, ok := tr.Period("stimulus")
				if !ok { // rtgo, rtanti: the stimulus comes with the decision period
					p, _ = tr.Period("decision")
				}
				s := p.Start
				row := tr.ObsAt(s)
				want := (r.GroundTruth+8*tc.anti)%16 + 1 + 16*r.Modality
				if row[want] != 0.8 {
					t.Fatalf("%+v: peak channel %d = %v, want 0.8", r, want, row[want])
				}
			}
			y19Freq(t, "ground_truth", gt, 16)
		})
	}
}

// TestYang19ReachOptions: dt, timing, RandomModality, overrides, errors.
func TestYang19ReachOptions(t *testing.T) {
	// dt 20: 500 ms periods are 25 steps.
	trs := y19Trials(t, "dlyanti", Yang19Config{Dt: 20}, 20)
	y19CheckPeriods(t, trs, []string{"fixation", "stimulus", "delay", "decision"},
		map[string]int{"fixation": 25, "stimulus": 25, "delay": 25, "decision": 25})
	// A timing override applies over the task's defaults.
	trs = y19Trials(t, "dlygo", Yang19Config{Timing: Timing{"delay": Constant(300), "stimulus": Choice(200, 400)}}, y19N)
	y19CheckPeriods(t, trs, []string{"fixation", "stimulus", "delay", "decision"}, map[string]int{"fixation": 5, "delay": 3, "decision": 5})
	st := map[int]int{}
	for _, tr := range trs {
		p, _ := tr.Period("stimulus")
		st[(p.End-p.Start)/2-1]++ // 2 or 4 steps -> 0 or 1
	}
	y19Freq(t, "stimulus steps", st, 2)
	y19CheckObs(t, trs, 0)

	// RandomModality: each modality half of the time, repeats half of the time.
	mod, rep := map[int]int{}, map[int]int{}
	trs = y19Trials(t, "go", Yang19Config{RandomModality: true, Seed: 2}, y19N)
	for i, tr := range trs {
		m := tr.Record.(Yang19ReachTrial).Modality
		mod[m]++
		if i > 0 {
			prev := trs[i-1].Record.(Yang19ReachTrial).Modality
			if m == prev {
				rep[1]++
			} else {
				rep[0]++
			}
		}
	}
	y19Freq(t, "modality", mod, 2)
	y19Freq(t, "repeat", rep, 2)
	y19CheckObs(t, trs, 0)

	// Overrides: an anti trial in go, at direction 3 on modality 1.
	e := y19Env(t, "go", Yang19Config{})
	tr := mustTrial(t, e, Override{"ground_truth": 3, "modality": 0, "anti": 1})
	if r := tr.Record.(Yang19ReachTrial); r != (Yang19ReachTrial{GroundTruth: 3, Modality: 0, Anti: 1}) {
		t.Errorf("record %+v", r)
	}
	if tr.ObsAt(5)[1+11] != 0.8 || tr.Labels[tr.N-1] != 4 {
		t.Errorf("override: peak %v, label %d", tr.ObsAt(5)[12], tr.Labels[tr.N-1])
	}
	y19CheckObs(t, []*Trial{tr}, 0)
	for ov, msg := range map[string]Override{
		"want an integer in 0..15": {"ground_truth": 16},
		"override modality = 2":    {"modality": 2},
		"override anti = 0.5":      {"anti": 0.5},
		`unknown override "coh"`:   {"coh": 1},
	} {
		if _, err := e.NewTrial(msg); err == nil || !strings.Contains(err.Error(), ov) {
			t.Errorf("override %v: error %v, want %q", msg, err, ov)
		}
	}

	// Same seed, same trials; Reset restarts the alternation.
	a, b := y19Trials(t, "anti", Yang19Config{Seed: 7}, 50), y19Trials(t, "anti", Yang19Config{Seed: 7}, 50)
	for i := range a {
		if a[i].Record != b[i].Record || !slices.Equal(a[i].Obs, b[i].Obs) {
			t.Fatal("same seed, different trials")
		}
	}
	e.Reset()
	if m := e.Current().Record.(Yang19ReachTrial).Modality; m != 1 {
		t.Errorf("modality %d after Reset, want 1", m)
	}

	for _, c := range []struct {
		name string
		cfg  Yang19Config
		msg  string
	}{
		{"go", Yang19Config{Sigma: Ptr(1.0)}, "yang19.go-v0: sigma: not an option"},
		{"anti", Yang19Config{Cohs: []float64{0.1}}, "cohs: not an option"},
		{"rtgo", Yang19Config{Timing: Timing{"stimulus": Constant(100)}}, `unknown period "stimulus"`},
		{"go", Yang19Config{Dt: -1}, "dt = -1"},
		{"go", Yang19Config{Timing: Timing{"fixation": Constant(0), "stimulus": Constant(0), "decision": Constant(50)}}, "zero-length trial"},
		{"go", Yang19Config{Rewards: Rewards{Correct: Ptr(math.Inf(1))}}, "reward correct"},
	} {
		if _, err := NewYang19(c.name, c.cfg); err == nil || !strings.Contains(err.Error(), c.msg) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s %+v: error %v, want %q", c.name, c.cfg, err, c.msg)
		}
	}
}

// TestYang19Step: neurogym's step (the same in the three families): abort,
// correct, wrong; with Abort, breaking fixation ends the trial.
func TestYang19Step(t *testing.T) {
	for _, tc := range []struct {
		name   string
		abort  bool
		at     int // step of the tested action; others fixate
		action int // ground truth forced to 3 (label 4)
		reward float64
		perf   float64
		steps  int // steps until the trial ends
	}{
		{"fixate throughout", false, 0, 0, 0, 0, 15},
		{"break fixation", false, 1, 5, -0.1, 0, 15},
		{"break fixation with abort", true, 1, 5, -0.1, 0, 2},
		{"respond in the stimulus period", false, 6, 4, 0, 0, 15},
		{"correct", false, 11, 4, 1, 1, 12},
		{"wrong", false, 10, 5, 0, 0, 11},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := y19Env(t, "go", Yang19Config{Abort: tc.abort})
			mustTrial(t, e, Override{"ground_truth": 3})
			for s := 0; s < 20; s++ {
				a := 0
				if s == tc.at {
					a = tc.action
				}
				res := e.Step(a)
				if s == tc.at && res.Reward != tc.reward || s != tc.at && res.Reward != 0 {
					t.Errorf("step %d: reward %v", s, res.Reward)
				}
				if res.NewTrial {
					if s+1 != tc.steps || res.Performance != tc.perf {
						t.Errorf("ended after %d steps with performance %v, want %d, %v", s+1, res.Performance, tc.steps, tc.perf)
					}
					return
				}
			}
			t.Error("no trial end")
		})
	}
}
