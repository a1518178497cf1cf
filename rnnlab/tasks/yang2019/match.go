package yang2019

import (
	"math"
	"math/rand/v2"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// DMCLocs are the ten stimulus directions of dmcgo and dmcnogo, in units
// of π: 0.1, 0.3, ..., 1.9. Category 1 is below π, category 2 above.
var DMCLocs = []float64{0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9}

// matchRule is one matching rule: by category (dmc) or by direction
// (dms), and whether a match means no-go (dmsnogo, dmcnogo) or go.
type matchRule struct{ category, nogo bool }

// matchTiming holds the shared timing of a matching batch in steps.
type matchTiming struct{ on1, off1, on2, T int }

// matchRandom draws the timing of a matching batch (task.py dms_ and
// dmc_, mode 'random'), durations in ms:
//
//	stim1_on = ⌊{200, 400, 600}/dt⌋, stim1_off = stim1_on + ⌊{200, 400, 600}/dt⌋,
//	stim2_on = stim1_off + ⌊{200, 400, 800, 1600}/dt⌋,
//	T = stim2_on + ⌊500/dt⌋ (dms), stim2_on + ⌊{200, 400, 600}/dt⌋ (dmc)
func matchRandom(rng *rand.Rand, dt float64, category bool) matchTiming {
	var tm matchTiming
	tm.on1 = steps(choice(rng, 200, 400, 600), dt)
	tm.off1 = tm.on1 + steps(choice(rng, 200, 400, 600), dt)
	tm.on2 = tm.off1 + steps(choice(rng, 200, 400, 800, 1600), dt)
	if category {
		tm.T = tm.on2 + steps(choice(rng, 200, 400, 600), dt)
	} else {
		tm.T = tm.on2 + steps(500, dt)
	}
	return tm
}

// matchTrial is one matching trial: stimulus 1 at loc1 in modality mod1,
// stimulus 2 at loc2 in modality mod2. They match if loc1 = loc2 (dms; the
// caller says so in same) or if both lie on the same side of π (dmc). The
// response is loc2 when the trial is a go trial (match for the go rules,
// non-match for the no-go rules), else NoResponse.
func matchTrial(r matchRule, loc1, loc2 float64, mod1, mod2 int, same bool) Trial {
	tr := Trial{Loc: [2]float64{loc1, loc2}, Match: same, YLoc: NoResponse}
	tr.Strength[0][mod1], tr.Strength[1][mod2] = 1, 1
	if r.category {
		tr.Match = (loc1 < math.Pi) == (loc2 < math.Pi)
	}
	if tr.Match != r.nogo {
		tr.YLoc = loc2
	}
	return tr
}

// matchPlan lays out a matching batch: the fixation input on the whole
// trial, stimulus 1 in [stim1_on, stim1_off), stimulus 2 from stim2_on to
// the end, the response (for go trials) from stim2_on; epochs fix1, stim1,
// delay1, go1.
func matchPlan(tm matchTiming, trials []Trial) *plan {
	p := &plan{T: tm.T, fixInOff: tm.T, respOn: tm.on2, trials: trials}
	p.on, p.off = [2]int{tm.on1, tm.on2}, [2]int{tm.off1, tm.T}
	p.epochs = []tasks.Period{
		{Name: "fix1", Start: 0, End: tm.on1},
		{Name: "stim1", Start: tm.on1, End: tm.off1},
		{Name: "delay1", Start: tm.off1, End: tm.on2},
		{Name: "go1", Start: tm.on2, End: tm.T},
	}
	return p
}

// match returns the generator of a matching rule. Mode 'random': the two
// modalities drawn once per batch, independently (1 or 2 with probability
// 1/2 each). dms, per trial: match with probability 1/2, loc1 ~ U[0, 2π),
// loc2 = loc1 on a match, else loc2 = (loc1 + σδ) mod 2π with
// δ ~ U[π/9, 17π/9), σ = ±1. dmc, per trial: loc1 and loc2 independently
// uniform over DMCLocs·π (so a match has probability 1/2). The timing as
// matchRandom.
//
// Mode 'test': 80 trials, all go trials; trial 4i+2j+l has stimulus 1 in
// modality 1+j, stimulus 2 in modality 1+l, loc1 = 2πi/20 (dms) or the i-th
// of 0.1 + 0.8n/10 and 1.1 + 0.8n/10, n = 0..9, times π (dmc), and loc2 = loc1
// (go rules) or loc1 + π (no-go rules); stimulus 1 in [500, 1000) ms,
// stimulus 2 from 2200, end at 2700.
func match(r matchRule) family {
	return family{
		random: func(rng *rand.Rand, B int, dt float64) *plan {
			mod1, mod2 := modality(rng), modality(rng)
			trials := make([]Trial, B)
			for i := range trials {
				if r.category {
					l1, l2 := choice(rng, DMCLocs...)*math.Pi, choice(rng, DMCLocs...)*math.Pi
					trials[i] = matchTrial(r, l1, l2, mod1, mod2, false)
					continue
				}
				same := rng.IntN(2) == 1
				dist := uniform(rng, math.Pi/9, math.Pi*17/9) * sign(rng)
				loc1 := uniform(rng, 0, 2*math.Pi)
				loc2 := loc1
				if !same {
					loc2 = wrap(loc1 + dist)
				}
				trials[i] = matchTrial(r, loc1, loc2, mod1, mod2, same)
			}
			return matchPlan(matchRandom(rng, dt, r.category), trials)
		},
		test: func(dt float64) *plan {
			trials := make([]Trial, 80)
			for k := range trials {
				i := k / 4
				loc1 := 2 * math.Pi * float64(i) / 20
				if r.category {
					loc1 = (0.1 + 0.8*float64(i)/10) * math.Pi
					if i >= 10 {
						loc1 = (1.1 + 0.8*float64(i-10)/10) * math.Pi
					}
				}
				loc2 := loc1
				if r.nogo {
					loc2 = wrap(loc1 + math.Pi)
				}
				trials[k] = matchTrial(r, loc1, loc2, (k/2)%2, k%2, !r.nogo)
			}
			on1 := steps(500, dt)
			off1 := on1 + steps(500, dt)
			on2 := off1 + steps(1200, dt)
			return matchPlan(matchTiming{on1: on1, off1: off1, on2: on2, T: on2 + steps(500, dt)}, trials)
		},
	}
}
