package tasks

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Yang19DMTrial is the record of a trial of the dm family (dm1, dm2,
// ctxdm1, ctxdm2, multidm) or the delayed dm family (dlydm1, dlydm2,
// ctxdlydm1, ctxdlydm2, multidlydm), neurogym's _DMFamily.
//
// A trial draws the ring position i_theta1 of stimulus 1 uniformly from
// 0..15 and i_theta2 uniformly from the 15 others (adjacent positions
// included), then, for each modality the task shows (in order 1, 2):
//
//	dm:         c drawn from Cohs times a random sign;
//	            coh1 = 0.5 + c/2, coh2 = 0.5 - c/2
//	delayed dm: coh1, coh2 two different values drawn from Cohs
//
// With weights w_m (1 for both in dm1, dm2, multidm and their delayed
// forms; (1, 0) in ctx..1, (0, 1) in ctx..2) and C_i = sum over shown
// modalities of w_m coh_i, the response direction is i_theta1 if
// C_1 + u > C_2, u uniform in (-1e-6, 1e-6) (a random tie break), and
// i_theta2 otherwise. dm1 and dlydm1 show modality 1 only, dm2 and dlydm2
// modality 2 only, the others both.
//
// Periods (defaults) and observations, with sigma_eff = Sigma/sqrt(Dt) and
// xi standard normal, drawn independently per step and channel:
//
//	dm:  fixation uniform [200, 500) ms, stimulus 500 ms (dm1: 200, 400 or
//	     600 ms at random), decision 200 ms;
//	     each shown ring m: bump(i_theta1, coh1_m) + bump(i_theta2, coh2_m)
//	     in the stimulus period
//	delayed dm: fixation uniform [200, 500) ms, stim1 500 ms, delay
//	     1000 ms, stim2 500 ms, decision 200 ms;
//	     each shown ring m: bump(i_theta1, coh1_m) in stim1 and
//	     bump(i_theta2, coh2_m) in stim2
//	x[0] = 1 in the fixation period only; both rings (shown or not) get
//	sigma_eff xi in the stimulus periods; all else 0.
//
// The label is 0, and the response direction + 1 in the decision period.
// dm1's stimulus timing differs from dm2's and the others' in neurogym
// v2.2.0 (only dm1 sets a timing); this is kept.
type Yang19DMTrial struct {
	// GroundTruth is the response direction, i_theta1 or i_theta2.
	GroundTruth int
	// Theta1 and Theta2 are the ring positions of the two stimuli.
	Theta1, Theta2 int
	// Coh1 and Coh2 hold each modality's strengths of stimulus 1 and 2
	// (0 for a modality the task does not show).
	Coh1, Coh2 [2]float64
	// Shown marks the modalities the task shows (fixed by the task).
	Shown [2]bool
	// StimPeriod is the stimulus duration in ms, floored to dt (dm family;
	// 0 for the delayed dm family).
	StimPeriod float64
	delayed    bool
}

// Fields returns ground_truth, i_theta1, i_theta2, coh1_mod1, coh2_mod1
// (modality 1 shown), coh1_mod2, coh2_mod2 (modality 2 shown) and, in the
// dm family, stim_period. Positions and strengths can be overridden
// (i_theta2 must differ from i_theta1); ground_truth and stim_period are
// computed, except that an override of ground_truth may choose either
// stimulus when the evidence is tied (so that OverrideOf of a record
// reproduces it).
func (r Yang19DMTrial) Fields() []Field {
	f := []Field{IntField("ground_truth", r.GroundTruth), IntField("i_theta1", r.Theta1), IntField("i_theta2", r.Theta2)}
	for m := range 2 {
		if r.Shown[m] {
			f = append(f, FloatField(fmt.Sprintf("coh1_mod%d", m+1), r.Coh1[m]), FloatField(fmt.Sprintf("coh2_mod%d", m+1), r.Coh2[m]))
		}
	}
	if !r.delayed {
		f = append(f, FloatField("stim_period", r.StimPeriod))
	}
	return f
}

// yang19DM is the Def of the dm and delayed dm families.
type yang19DM struct {
	yang19Base
	delayed bool
	w       [2]float64
	shown   [2]bool
	cohs    []float64
}

// newYang19DM configures one of the ten dm tasks.
func newYang19DM(short string, cfg Yang19Config) (*yang19DM, error) {
	d := &yang19DM{delayed: strings.Contains(short, "dly")}
	switch short[len(short)-1] {
	case '1':
		d.w, d.shown = [2]float64{1, 1}, [2]bool{true, false}
		if short[:3] == "ctx" {
			d.w, d.shown = [2]float64{1, 0}, [2]bool{true, true}
		}
	case '2':
		d.w, d.shown = [2]float64{1, 1}, [2]bool{false, true}
		if short[:3] == "ctx" {
			d.w, d.shown = [2]float64{0, 1}, [2]bool{true, true}
		}
	default: // multidm, multidlydm
		d.w, d.shown = [2]float64{1, 1}, [2]bool{true, true}
	}
	tm := Timing{"fixation": Uniform(200, 500), "stimulus": Constant(500), "decision": Constant(200)}
	periods := []string{"fixation", "stimulus", "decision"}
	d.cohs = []float64{0.08, 0.16, 0.32, 0.64}
	if short == "dm1" {
		tm["stimulus"] = Choice(200, 400, 600)
	}
	if d.delayed {
		tm = Timing{"fixation": Uniform(200, 500), "stim1": Constant(500), "delay": Constant(1000),
			"stim2": Constant(500), "decision": Constant(200)}
		periods = []string{"fixation", "stim1", "delay", "stim2", "decision"}
		d.cohs = []float64{0.3, 0.6, 1.0}
	}
	switch {
	case cfg.Cohs != nil && len(cfg.Cohs) == 0:
		return nil, errors.New("cohs is empty: give at least one coherence (nil means the default set)")
	case d.delayed && cfg.Cohs != nil && len(cfg.Cohs) < 2:
		return nil, fmt.Errorf("cohs = %v: a delayed dm task draws two different values, give at least 2", cfg.Cohs)
	case cfg.Cohs != nil:
		d.cohs = slices.Clone(cfg.Cohs)
	}
	var err error
	d.yang19Base, err = newYang19Base(short, cfg, tm, periods, true, true, false)
	d.cfg.Cohs = slices.Clone(d.cohs)
	return d, err
}

// NewTrial draws, in neurogym's order, the positions, the periods, the
// noise of both rings, the strengths of each shown modality and the tie
// break.
func (d *yang19DM) NewTrial(b *Builder) Record {
	r := Yang19DMTrial{Shown: d.shown, delayed: d.delayed}
	r.Theta1 = b.Int("i_theta1", Yang19DimRing)
	t2 := b.Rng.IntN(Yang19DimRing - 1)
	if t2 >= r.Theta1 {
		t2++
	}
	r.Theta2 = int(b.Var("i_theta2", float64(t2), func(v float64) error {
		if err := checkIntBelow(Yang19DimRing)(v); err != nil {
			return err
		}
		if int(v) == r.Theta1 {
			return fmt.Errorf("must differ from i_theta1 = %d", r.Theta1)
		}
		return nil
	}))
	b.Periods(d.periods...)
	p1, p2 := "stimulus", "stimulus"
	noisy := []string{"stimulus"}
	if d.delayed {
		p1, p2 = "stim1", "stim2"
		noisy = []string{p1, p2}
	} else {
		r.StimPeriod = float64(b.End("stimulus")-b.End("fixation")) * b.Dt()
	}
	b.AddOb("fixation", 1, "fixation")
	b.AddRandn("stimulus_mod1", 0, d.sigmaEff, noisy...)
	b.AddRandn("stimulus_mod2", 0, d.sigmaEff, noisy...)
	c1, c2 := 0.0, 0.0
	for m := range 2 {
		if !d.shown[m] {
			continue
		}
		var s1, s2 float64
		if d.delayed {
			i := b.Rng.IntN(len(d.cohs))
			j := b.Rng.IntN(len(d.cohs) - 1)
			if j >= i {
				j++
			}
			s1, s2 = d.cohs[i], d.cohs[j]
		} else {
			c := d.cohs[b.Rng.IntN(len(d.cohs))] * float64(2*b.Rng.IntN(2)-1)
			s1, s2 = 0.5+c/2, 0.5-c/2
		}
		r.Coh1[m] = b.Var(fmt.Sprintf("coh1_mod%d", m+1), s1, checkFinite)
		r.Coh2[m] = b.Var(fmt.Sprintf("coh2_mod%d", m+1), s2, checkFinite)
		b.AddObs(yang19Mod(m), Yang19Bump(r.Theta1, r.Coh1[m]), p1)
		b.AddObs(yang19Mod(m), Yang19Bump(r.Theta2, r.Coh2[m]), p2)
		c1 += d.w[m] * r.Coh1[m]
		c2 += d.w[m] * r.Coh2[m]
	}
	gt := r.Theta2
	if c1+(2*b.Rng.Float64()-1)*1e-6 > c2 {
		gt = r.Theta1
	}
	// An override may only pick the side of a tie, so that OverrideOf of
	// any record reproduces it.
	r.GroundTruth = int(b.Var("ground_truth", float64(gt), func(v float64) error {
		if int(v) == gt && v == math.Trunc(v) || math.Abs(c1-c2) < 1e-6 && (v == float64(r.Theta1) || v == float64(r.Theta2)) {
			return nil
		}
		return fmt.Errorf("computed by the task (%d here), not drawn, except for a tie", gt)
	}))
	b.SetChoice("choice", r.GroundTruth, "decision")
	return r
}
