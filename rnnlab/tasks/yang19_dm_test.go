package tasks

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestYang19DM: the ten dm tasks over 2000 trials each: periods and their
// distributions, labels, observations (bumps at the drawn positions with
// the drawn strengths, noise sigma/sqrt(dt) in both rings during the
// stimuli, fixation input only in the fixation period), position and
// coherence frequencies, and the ground-truth rule.
func TestYang19DM(t *testing.T) {
	for _, tc := range []struct {
		name  string
		w     [2]float64
		shown [2]bool
	}{
		{"dm1", [2]float64{1, 1}, [2]bool{true, false}}, {"dm2", [2]float64{1, 1}, [2]bool{false, true}},
		{"ctxdm1", [2]float64{1, 0}, [2]bool{true, true}}, {"ctxdm2", [2]float64{0, 1}, [2]bool{true, true}},
		{"multidm", [2]float64{1, 1}, [2]bool{true, true}},
		{"dlydm1", [2]float64{1, 1}, [2]bool{true, false}}, {"dlydm2", [2]float64{1, 1}, [2]bool{false, true}},
		{"ctxdlydm1", [2]float64{1, 0}, [2]bool{true, true}}, {"ctxdlydm2", [2]float64{0, 1}, [2]bool{true, true}},
		{"multidlydm", [2]float64{1, 1}, [2]bool{true, true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			delayed := strings.Contains(tc.name, "dly")
			trs := y19Trials(t, tc.name, Yang19Config{Seed: 4}, y19N)
			// fixation uniform(200, 500) ms floored to 100: 2, 3, 4 steps.
			fix, stim := map[int]int{}, map[int]int{}
			if delayed {
				y19CheckPeriods(t, trs, []string{"fixation", "stim1", "delay", "stim2", "decision"},
					map[string]int{"stim1": 5, "delay": 10, "stim2": 5, "decision": 2})
			} else {
				steps := map[string]int{"stimulus": 5, "decision": 2}
				if tc.name == "dm1" { // dm1 alone: stimulus choice(200, 400, 600)
					delete(steps, "stimulus")
				}
				y19CheckPeriods(t, trs, []string{"fixation", "stimulus", "decision"}, steps)
			}
			y19CheckObs(t, trs, 0.1) // sigma 1 / sqrt(100)
			th1, th2, dth, gtIs1 := map[int]int{}, map[int]int{}, map[int]int{}, map[int]int{}
			coh := map[int]int{} // dm: index of |c| in cohs and sign; delayed: ordered pair
			cohs := []float64{0.08, 0.16, 0.32, 0.64}
			if delayed {
				cohs = []float64{0.3, 0.6, 1.0}
			}
			for _, tr := range trs {
				r := tr.Record.(Yang19DMTrial)
				p, _ := tr.Period("fixation")
				fix[p.End-2]++
				if tc.name == "dm1" {
					p, _ := tr.Period("stimulus")
					stim[(p.End-p.Start)/2-1]++
				}
				if !delayed && r.StimPeriod != float64(100*(tr.N-2-p.End)) {
					t.Fatalf("stim_period %v with periods %v", r.StimPeriod, tr.Periods)
				}
				th1[r.Theta1]++
				th2[r.Theta2]++
				dth[(r.Theta2-r.Theta1+15)%16]++ // 1..15 -> 0..14
				if r.Shown != tc.shown {
					t.Fatalf("shown %v", r.Shown)
				}
				var c1, c2 float64
				for m := range 2 {
					if !tc.shown[m] {
						if r.Coh1[m] != 0 || r.Coh2[m] != 0 {
							t.Fatalf("strengths in modality %d: %+v", m+1, r)
						}
						continue
					}
					i, j := slices.Index(cohs, r.Coh1[m]), slices.Index(cohs, r.Coh2[m])
					if delayed { // two different values of cohs
						if i < 0 || j < 0 || i == j {
							t.Fatalf("strengths %v, %v", r.Coh1[m], r.Coh2[m])
						}
						coh[3*i+j]++
					} else { // 0.5 +- c/2, c = +-coh
						c := r.Coh1[m] - r.Coh2[m]
						k := slices.IndexFunc(cohs, func(v float64) bool { return math.Abs(math.Abs(c)-v) < 1e-12 })
						if k < 0 || math.Abs(r.Coh1[m]+r.Coh2[m]-1) > 1e-12 {
							t.Fatalf("strengths %v, %v", r.Coh1[m], r.Coh2[m])
						}
						if c > 0 {
							k += 4
						}
						coh[k]++
					}
					c1 += tc.w[m] * r.Coh1[m]
					c2 += tc.w[m] * r.Coh2[m]
				}
				// Response toward the stronger weighted evidence; a tie
				// (possible in multidm and multidlydm) is broken at random.
				switch {
				case c1 > c2+1e-9 && r.GroundTruth != r.Theta1, c2 > c1+1e-9 && r.GroundTruth != r.Theta2:
					t.Fatalf("%+v: ground truth %d", r, r.GroundTruth)
				case math.Abs(c1-c2) <= 1e-9:
					if r.GroundTruth != r.Theta1 && r.GroundTruth != r.Theta2 {
						t.Fatalf("%+v: ground truth %d", r, r.GroundTruth)
					}
					if r.GroundTruth == r.Theta1 {
						gtIs1[1]++
					} else {
						gtIs1[0]++
					}
				}
			}
			y19Freq(t, "fixation steps - 2", fix, 3)
			if tc.name == "dm1" {
				y19Freq(t, "stimulus steps / 2 - 1", stim, 3)
			}
			y19Freq(t, "i_theta1", th1, 16)
			y19Freq(t, "i_theta2", th2, 16) // uniform too: i_theta1 is
			y19Freq(t, "i_theta2 - i_theta1 - 1 mod 16", dth, 15)
			if delayed {
				for _, k := range []int{0, 4, 8} {
					if coh[k] != 0 {
						t.Fatal("equal strengths drawn")
					}
					delete(coh, k)
				}
				n := 0
				for _, c := range coh {
					n += c
				}
				for k, c := range coh { // 6 ordered pairs, 1/6 each
					if se := math.Sqrt(float64(n) * 5 / 36); math.Abs(float64(c)-float64(n)/6) > 5*se {
						t.Errorf("pair %d: %d of %d", k, c, n)
					}
				}
			} else {
				y19Freq(t, "coherence index (+4 if positive)", coh, 8)
			}
			if strings.HasPrefix(tc.name, "multi") {
				y19Freq(t, "tie broken toward stimulus 1", gtIs1, 2)
			} else if len(gtIs1) != 0 {
				t.Errorf("ties in %s: %v", tc.name, gtIs1)
			}
		})
	}
}

// TestYang19DMOptions: sigma, dt, cohs, timing, overrides, errors.
func TestYang19DMOptions(t *testing.T) {
	// No noise: every value is exact.
	y19CheckObs(t, y19Trials(t, "ctxdlydm1", Yang19Config{Sigma: Ptr(0.0)}, 200), 0)
	// Sigma 2 at dt 50: noise std 2/sqrt(50); 500 ms stimuli are 10 steps.
	trs := y19Trials(t, "multidm", Yang19Config{Sigma: Ptr(2.0), Dt: 50}, y19N)
	y19CheckObs(t, trs, 2/math.Sqrt(50))
	y19CheckPeriods(t, trs, []string{"fixation", "stimulus", "decision"}, map[string]int{"stimulus": 10, "decision": 4})
	// Custom coherences and timing.
	trs = y19Trials(t, "dm2", Yang19Config{Cohs: []float64{0.5}, Timing: Timing{"fixation": Constant(100)}}, 100)
	y19CheckPeriods(t, trs, []string{"fixation", "stimulus", "decision"}, map[string]int{"fixation": 1, "stimulus": 5, "decision": 2})
	for _, tr := range trs {
		r := tr.Record.(Yang19DMTrial)
		if math.Abs(r.Coh2[1]-r.Coh1[1]) != 0.5 {
			t.Fatalf("strengths %v, %v with cohs {0.5}", r.Coh1[1], r.Coh2[1])
		}
	}
	y19CheckObs(t, trs, 0.1)
	trs = y19Trials(t, "dlydm1", Yang19Config{Cohs: []float64{0.2, 0.9}}, 100)
	for _, tr := range trs {
		if r := tr.Record.(Yang19DMTrial); r.Coh1[0]+r.Coh2[0] != 1.1 {
			t.Fatalf("strengths %v, %v with cohs {0.2, 0.9}", r.Coh1[0], r.Coh2[0])
		}
	}

	// Overrides: ctxdm1 follows modality 1 even against modality 2.
	e := y19Env(t, "ctxdm1", Yang19Config{Sigma: Ptr(0.0)})
	tr := mustTrial(t, e, Override{"i_theta1": 2, "i_theta2": 3, "coh1_mod1": 0.6, "coh2_mod1": 0.4, "coh1_mod2": 0.1, "coh2_mod2": 0.9})
	r := tr.Record.(Yang19DMTrial)
	if r.GroundTruth != 2 || r.Theta2 != 3 || r.Coh1 != [2]float64{0.6, 0.1} || r.Coh2 != [2]float64{0.4, 0.9} {
		t.Errorf("record %+v", r)
	}
	y19CheckObs(t, []*Trial{tr}, 0) // adjacent bumps add up
	s, _ := tr.Period("stimulus")
	if got, want := float64(tr.ObsAt(s.Start)[1+2]), 0.8*0.6+0.8*0.4*math.Exp(-0.5); math.Abs(got-want) > 1e-6 {
		t.Errorf("channel of position 2: %v, want %v", got, want)
	}
	if _, err := e.NewTrial(Override{"coh1_mod1": 0.6, "coh2_mod1": 0.4, "coh1_mod2": 0.1, "coh2_mod2": 0.9, "ground_truth": 15}); err == nil ||
		!strings.Contains(err.Error(), "computed by the task") {
		t.Errorf("ground_truth override: %v", err)
	}
	// In a tie (multidm, opposite coherences), ground_truth picks a side.
	e = y19Env(t, "multidm", Yang19Config{})
	tie := Override{"i_theta1": 5, "i_theta2": 9, "coh1_mod1": 0.54, "coh2_mod1": 0.46, "coh1_mod2": 0.46, "coh2_mod2": 0.54}
	for _, g := range []float64{5, 9} {
		tie["ground_truth"] = g
		if tr, err := e.NewTrial(tie); err != nil || tr.Labels[tr.N-1] != int(g)+1 {
			t.Errorf("tie with ground_truth %v: %v", g, err)
		}
	}
	tie["ground_truth"] = 6
	if _, err := e.NewTrial(tie); err == nil {
		t.Error("ground_truth 6 accepted in a tie of positions 5 and 9")
	}
	e = y19Env(t, "dm1", Yang19Config{})
	for ov, msg := range map[string]Override{
		"must differ from i_theta1 = 4": {"i_theta1": 4, "i_theta2": 4},
		`unknown override "coh1_mod2"`:  {"coh1_mod2": 0.5},
		"coh1_mod1 = +Inf":              {"coh1_mod1": math.Inf(1)},
		"want an integer in 0..15":      {"i_theta1": 16},
		"stim_period":                   {"stim_period": 1},
	} {
		if _, err := e.NewTrial(msg); err == nil || !strings.Contains(err.Error(), ov) {
			t.Errorf("override %v: error %v, want %q", msg, err, ov)
		}
	}
	if f := fmt.Sprint(mustTrial(t, e, nil).Record.Fields()); !strings.Contains(f, "coh2_mod1") || strings.Contains(f, "mod2") {
		t.Errorf("dm1 fields %s", f)
	}

	for _, c := range []struct {
		name string
		cfg  Yang19Config
		msg  string
	}{
		{"dm1", Yang19Config{Cohs: []float64{}}, "cohs is empty"},
		{"dlydm2", Yang19Config{Cohs: []float64{0.5}}, "at least 2"},
		{"dm2", Yang19Config{Cohs: []float64{math.NaN()}}, "coherence NaN"},
		{"multidm", Yang19Config{Sigma: Ptr(-1.0)}, "sigma = -1"},
		{"ctxdm2", Yang19Config{RandomModality: true}, "random_modality: not an option"},
		{"multidlydm", Yang19Config{Timing: Timing{"stimulus": Constant(100)}}, `unknown period "stimulus"`},
	} {
		if _, err := NewYang19(c.name, c.cfg); err == nil || !strings.Contains(err.Error(), c.msg) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s %+v: error %v, want %q", c.name, c.cfg, err, c.msg)
		}
	}
	// Config reports the resolved defaults.
	c := y19Env(t, "dlydm1", Yang19Config{}).Def().(*yang19DM).Config()
	if c.Dt != 100 || *c.Sigma != 1 || !slices.Equal(c.Cohs, []float64{0.3, 0.6, 1}) || c.Timing["delay"].String() != Constant(1000).String() {
		t.Errorf("resolved config %+v", c)
	}
}
