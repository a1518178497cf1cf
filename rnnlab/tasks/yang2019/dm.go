package yang2019

import (
	"math"
	"math/rand/v2"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// The coherence sets of the decision rules (task.py's stim_coh_range, with
// easy_task off).
var (
	// CohsDM are the coherences of dm1, dm2, contextdm1, contextdm2 and multidm.
	CohsDM = []float64{0.01, 0.02, 0.04, 0.08}
	// CohsDelayDM are the coherences of delaydm1, delaydm2,
	// contextdelaydm1, contextdelaydm2 and multidelaydm.
	CohsDelayDM = []float64{0.08, 0.16, 0.32}
)

// dmKind says which modalities a decision rule shows and which it judges.
type dmKind int

const (
	single  dmKind = iota // dm1, dm2, delaydm1, delaydm2: one modality shown and judged
	context               // contextdm1/2, contextdelaydm1/2: both shown, one judged
	multi                 // multidm, multidelaydm: both shown, their sum judged
)

// dmRule is one decision rule: its kind, its modality (the one shown for
// single, the one judged for context) and whether the two stimuli come one
// after the other (the delay rules).
type dmRule struct {
	kind    dmKind
	mod     int
	delayed bool
}

// dmTiming holds the shared timing of a decision batch in steps.
type dmTiming struct {
	on, off   [2]int
	fixOff, T int
}

// dmRandom draws the timing of a decision batch (task.py _dm, _contextdm,
// _delaydm, _contextdelaydm, mode 'random'), durations in ms. Simultaneous:
//
//	stim_on = ⌊U[100, 400)/dt⌋, fix_off = stim_on + ⌊{400, 800, 1600}/dt⌋,
//	T = fix_off + ⌊500/dt⌋, both stimuli on in [stim_on, fix_off)
//
// Delayed:
//
//	stim1_on = ⌊{200, 400, 600}/dt⌋, stim1_off = stim1_on + ⌊{200, 400, 600}/dt⌋,
//	stim2_on = stim1_off + ⌊{200, 400, 800, 1600}/dt⌋,
//	stim2_off = stim2_on + ⌊{200, 400, 600}/dt⌋,
//	fix_off = stim2_off + ⌊U[100, 300)/dt⌋, T = fix_off + ⌊500/dt⌋
func dmRandom(rng *rand.Rand, dt float64, delayed bool) dmTiming {
	var tm dmTiming
	if !delayed {
		on := steps(uniform(rng, 100, 400), dt)
		tm.fixOff = on + steps(choice(rng, 400, 800, 1600), dt)
		tm.on, tm.off = [2]int{on, on}, [2]int{tm.fixOff, tm.fixOff}
	} else {
		tm.on[0] = steps(choice(rng, 200, 400, 600), dt)
		tm.off[0] = tm.on[0] + steps(choice(rng, 200, 400, 600), dt)
		tm.on[1] = tm.off[0] + steps(choice(rng, 200, 400, 800, 1600), dt)
		tm.off[1] = tm.on[1] + steps(choice(rng, 200, 400, 600), dt)
		tm.fixOff = tm.off[1] + steps(uniform(rng, 100, 300), dt)
	}
	tm.T = tm.fixOff + steps(500, dt)
	return tm
}

// dmTest is the timing of mode 'test': simultaneous stimuli in
// [500, 2000) ms, go at 2000, end 2500 (dm; contextdm and multidm:
// [500, 1500), go 1500, end 2000); delayed stimuli [500, 1000) and
// [2000, 2500), go at 2700, end 3000 (delaydm; contextdelaydm and
// multidelaydm: go 3000, end 3500).
func dmTest(dt float64, r dmRule) dmTiming {
	ms := func(on1, off1, on2, off2, fixOff, T float64) dmTiming {
		return dmTiming{on: [2]int{steps(on1, dt), steps(on2, dt)}, off: [2]int{steps(off1, dt), steps(off2, dt)},
			fixOff: steps(fixOff, dt), T: steps(T, dt)}
	}
	switch {
	case !r.delayed && r.kind == single:
		return ms(500, 2000, 500, 2000, 2000, 2500)
	case !r.delayed:
		return ms(500, 1500, 500, 1500, 1500, 2000)
	case r.kind == single:
		return ms(500, 1000, 2000, 2500, 2700, 3000)
	default:
		return ms(500, 1000, 2000, 2500, 3000, 3500)
	}
}

// dmTrial completes a decision trial whose directions and strengths are
// set: the response is the direction of the stronger stimulus by the
// judged strength (modality mod for single and context, the sum of the
// two modalities for multi); stimulus 2 wins ties, as in task.py.
func dmTrial(tr Trial, r dmRule) Trial {
	judged := func(s int) float64 {
		if r.kind == multi {
			return tr.Strength[s][0] + tr.Strength[s][1]
		}
		return tr.Strength[s][r.mod]
	}
	tr.YLoc = tr.Loc[1]
	if judged(0) > judged(1) {
		tr.YLoc = tr.Loc[0]
	}
	return tr
}

// dmPlan lays out a decision batch: the fixation input to fix_off, the
// stimuli as tm says, the response from fix_off; epochs fix1, stim1, go1
// (simultaneous) or fix1, stim1, delay1, stim2, delay2, go1 (delayed).
func dmPlan(r dmRule, tm dmTiming, trials []Trial) *plan {
	p := &plan{T: tm.T, fixInOff: tm.fixOff, on: tm.on, off: tm.off, respOn: tm.fixOff, trials: trials}
	p.epochs = []tasks.Period{{Name: "fix1", Start: 0, End: tm.on[0]}}
	if !r.delayed {
		p.epochs = append(p.epochs, tasks.Period{Name: "stim1", Start: tm.on[0], End: tm.fixOff})
	} else {
		p.epochs = append(p.epochs,
			tasks.Period{Name: "stim1", Start: tm.on[0], End: tm.off[0]},
			tasks.Period{Name: "delay1", Start: tm.off[0], End: tm.on[1]},
			tasks.Period{Name: "stim2", Start: tm.on[1], End: tm.off[1]},
			tasks.Period{Name: "delay2", Start: tm.off[1], End: tm.fixOff})
	}
	p.epochs = append(p.epochs, tasks.Period{Name: "go1", Start: tm.fixOff, End: tm.T})
	return p
}

// dm returns the generator of a decision rule. Mode 'random', per trial:
// the directions as twoLocs; the strengths as strengths with CohsDM
// (CohsDelayDM for the delayed rules): single draws one pair (s1, s2) for
// its modality; context draws an independent pair for each modality;
// multi draws one pair and splits each strength between the modalities.
// The timing is drawn once per batch (dmRandom).
//
// Mode 'test': stimulus 2 opposite stimulus 1, at 2πi/20, i = 0..19. single:
// 100 trials, trial 5i+j has s1 = 0.8 + 0.4j/5 and s2 = 2 − s1 (delayed:
// s1 = 0.5 + j/5); context and multi: 500 trials, trial 25i+5j+l has
// s1 = 0.8 + 0.4j/5 in modality 1 and 0.8 + 0.4l/5 in modality 2, s2 = 2 − s1.
func dm(r dmRule) family {
	cohs := CohsDM
	if r.delayed {
		cohs = CohsDelayDM
	}
	return family{
		random: func(rng *rand.Rand, B int, dt float64) *plan {
			trials := make([]Trial, B)
			for i := range trials {
				tr := &trials[i]
				tr.Loc[0], tr.Loc[1] = twoLocs(rng)
				switch r.kind {
				case single:
					tr.Strength[0][r.mod], tr.Strength[1][r.mod] = strengths(rng, cohs)
				case context:
					tr.Strength[0][0], tr.Strength[1][0] = strengths(rng, cohs)
					tr.Strength[0][1], tr.Strength[1][1] = strengths(rng, cohs)
				case multi:
					s1, s2 := strengths(rng, cohs)
					tr.Strength[0][0], tr.Strength[0][1] = split(rng, s1)
					tr.Strength[1][0], tr.Strength[1][1] = split(rng, s2)
				}
				*tr = dmTrial(*tr, r)
			}
			return dmPlan(r, dmRandom(rng, dt, r.delayed), trials)
		},
		test: func(dt float64) *plan {
			var trials []Trial
			n := 5
			if r.kind != single {
				n = 25
			}
			for i := range 20 * n {
				loc := 2 * math.Pi * float64(i/n) / 20
				tr := Trial{Loc: [2]float64{loc, wrap(loc + math.Pi)}}
				if r.kind == single {
					s := 0.4*float64(i%5)/5 + 0.8
					if r.delayed {
						s = 1.0*float64(i%5)/5 + 0.5
					}
					tr.Strength[0][r.mod], tr.Strength[1][r.mod] = s, 2-s
				} else {
					for m, j := range [2]int{(i / 5) % 5, i % 5} {
						s := 0.4*float64(j)/5 + 0.8
						tr.Strength[0][m], tr.Strength[1][m] = s, 2-s
					}
				}
				trials = append(trials, dmTrial(tr, r))
			}
			return dmPlan(r, dmTest(dt, r), trials)
		},
	}
}
