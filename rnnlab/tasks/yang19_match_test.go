package tasks

import (
	"math"
	"strings"
	"testing"
)

// TestYang19Match: dms, dnms, dmc, dnmc over 2000 trials each: periods,
// labels, observations, class and position frequencies, the test-position
// rules and which trials require a response.
func TestYang19Match(t *testing.T) {
	for _, tc := range []struct {
		name              string
		category, matchGo bool
	}{
		{"dms", false, true}, {"dnms", false, false}, {"dmc", true, true}, {"dnmc", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			trs := y19Trials(t, tc.name, Yang19Config{Seed: 5}, y19N)
			// fixation 300, sample 500, delay 1000, test 500, decision 900 ms.
			y19CheckPeriods(t, trs, []string{"fixation", "sample", "delay", "test", "decision"},
				map[string]int{"fixation": 3, "sample": 5, "delay": 10, "test": 5, "decision": 9})
			y19CheckObs(t, trs, 0.1)
			class, sample, offset := map[int]int{}, map[int]int{}, map[int]int{}
			for i, tr := range trs {
				r := tr.Record.(Yang19MatchTrial)
				class[r.GroundTruth]++
				sample[r.Sample]++
				if r.Modality != (i+1)%2 {
					t.Fatalf("trial %d: modality %d, want %d", i, r.Modality, (i+1)%2)
				}
				match := r.GroundTruth == 0
				if want := match == tc.matchGo; (r.Go == 1) != want {
					t.Fatalf("%+v: go %d", r, r.Go)
				}
				if !tc.category {
					// Match: same position; non-match: 180 degrees away.
					if match && r.Test != r.Sample || !match && r.Test != (r.Sample+8)%16 {
						t.Fatalf("%+v: test position", r)
					}
					continue
				}
				// Sample category: 1 if i_sample > 8 (position 8 is
				// category 0); test category: 1 if i_test >= 8.
				sc, tcat := 0, r.Test/8
				if r.Sample > 8 {
					sc = 1
				}
				if match != (sc == tcat) {
					t.Fatalf("%+v: test category %d, sample category %d", r, tcat, sc)
				}
				offset[r.Test%8]++
			}
			y19Freq(t, "ground_truth", class, 2)
			y19Freq(t, "i_sample", sample, 16)
			if tc.category {
				y19Freq(t, "i_test mod 8", offset, 8)
			}
		})
	}
}

// TestYang19MatchOptions: overrides (the boundary position 8), sigma,
// RandomModality, the step on no-go trials, errors.
func TestYang19MatchOptions(t *testing.T) {
	e := y19Env(t, "dmc", Yang19Config{Sigma: Ptr(0.0)})
	// Sample at 8 is category 0: a match test lies in 0..7.
	tr := mustTrial(t, e, Override{"ground_truth": 0, "i_sample": 8, "modality": 0})
	if r := tr.Record.(Yang19MatchTrial); r.Test >= 8 || r.Go != 1 {
		t.Errorf("record %+v", r)
	}
	y19CheckObs(t, []*Trial{tr}, 0)
	tr = mustTrial(t, e, Override{"ground_truth": 1, "i_sample": 9, "i_test": 3})
	if r := tr.Record.(Yang19MatchTrial); r.Test != 3 || r.Go != 0 || tr.Labels[tr.N-1] != 0 {
		t.Errorf("record %+v, last label %d", r, tr.Labels[tr.N-1])
	}
	for ov, msg := range map[string]Override{
		"want an integer in 8..15": {"ground_truth": 0, "i_sample": 12, "i_test": 3},
		"computed by the task":     {"go": 0, "ground_truth": 0},
		"want an integer in 0..1":  {"ground_truth": 2},
	} {
		if _, err := e.NewTrial(msg); err == nil || !strings.Contains(err.Error(), ov) {
			t.Errorf("override %v: error %v, want %q", msg, err, ov)
		}
	}
	e = y19Env(t, "dnms", Yang19Config{})
	if _, err := e.NewTrial(Override{"i_sample": 2, "i_test": 3}); err == nil || !strings.Contains(err.Error(), "computed by the task") {
		t.Errorf("i_test override in dnms: %v", err)
	}
	if tr := mustTrial(t, e, Override{"i_sample": 2, "ground_truth": 1}); tr.Record.(Yang19MatchTrial).Test != 10 || tr.Labels[tr.N-1] != 11 {
		t.Errorf("dnms non-match: %+v, last label %d", tr.Record, tr.Labels[tr.N-1])
	}

	// Sigma 0.5 at dt 25: std 0.1; random modality.
	trs := y19Trials(t, "dnmc", Yang19Config{Sigma: Ptr(0.5), Dt: 25, RandomModality: true}, 500)
	y19CheckPeriods(t, trs, []string{"fixation", "sample", "delay", "test", "decision"},
		map[string]int{"fixation": 12, "sample": 20, "delay": 40, "test": 20, "decision": 36})
	y19CheckObs(t, trs, 0.5/math.Sqrt(25))
	mod := map[int]int{}
	for _, tr := range trs {
		mod[tr.Record.(Yang19MatchTrial).Modality]++
	}
	y19Freq(t, "modality", mod, 2)

	// Step: on a no-go trial fixating to the end earns 0 and performance
	// 0 (neurogym sets no performance for it); responding is a fail. On a
	// go trial the test direction is correct.
	for _, c := range []struct {
		ov     Override
		action int
		reward float64
		perf   float64
		steps  int
	}{
		{Override{"ground_truth": 1, "i_sample": 0}, 0, 0, 0, 32},
		{Override{"ground_truth": 1, "i_sample": 0}, 9, 0, 0, 24},
		{Override{"ground_truth": 0, "i_sample": 5}, 6, 1, 1, 24},
		{Override{"ground_truth": 0, "i_sample": 5}, 7, 0, 0, 24},
	} {
		e := y19Env(t, "dms", Yang19Config{})
		mustTrial(t, e, c.ov)
		for s := 0; s < 40; s++ {
			a := 0
			if s == 23 {
				a = c.action
			}
			res := e.Step(a)
			if s == 23 && res.Reward != c.reward {
				t.Errorf("%v action %d: reward %v, want %v", c.ov, a, res.Reward, c.reward)
			}
			if res.NewTrial {
				if s+1 != c.steps || res.Performance != c.perf {
					t.Errorf("%v action %d: ended after %d steps, performance %v; want %d, %v", c.ov, c.action, s+1, res.Performance, c.steps, c.perf)
				}
				break
			}
		}
	}

	for _, c := range []struct {
		name string
		cfg  Yang19Config
		msg  string
	}{
		{"dms", Yang19Config{Cohs: []float64{0.5}}, "cohs: not an option"},
		{"dmc", Yang19Config{Timing: Timing{"stimulus": Constant(100)}}, `unknown period "stimulus"`},
		{"dnmc", Yang19Config{Sigma: Ptr(math.NaN())}, "sigma = NaN"},
	} {
		if _, err := NewYang19(c.name, c.cfg); err == nil || !strings.Contains(err.Error(), c.msg) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want %q", c.name, err, c.msg)
		}
	}
}
