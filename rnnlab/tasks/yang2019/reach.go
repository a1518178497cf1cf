package yang2019

import (
	"math"
	"math/rand/v2"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// reachKind is the timing of a go or anti rule.
type reachKind int

const (
	fd    reachKind = iota // fdgo, fdanti: the stimulus comes on before the go cue
	react                  // reactgo, reactanti: the stimulus is the go cue
	delay                  // delaygo, delayanti: the stimulus goes off before the go cue
)

// reachTiming holds the shared timing of a go or anti batch in steps.
type reachTiming struct{ stimOn, stimOff, fixOff, T int }

// reachRandom draws the timing of a go or anti batch (task.py fdgo_,
// reactgo_ and delaygo_, mode 'random'), durations in ms:
//
//	fd:    stim_on = ⌊U[300, 700)/dt⌋, fix_off = stim_on + ⌊U[500, 1500)/dt⌋,
//	       T = fix_off + ⌊500/dt⌋; the stimulus stays on to T
//	react: stim_on = ⌊U[500, 2500)/dt⌋ = fix_off, T = stim_on + ⌊500/dt⌋;
//	       the stimulus stays on to T, the fixation input to T
//	delay: stim_on = ⌊{300, 500, 700}/dt⌋, stim_off = stim_on + ⌊{200, 400, 600}/dt⌋,
//	       fix_off = stim_off + ⌊{200, 400, 800, 1600}/dt⌋, T = fix_off + ⌊500/dt⌋
func reachRandom(rng *rand.Rand, dt float64, kind reachKind) reachTiming {
	var tm reachTiming
	switch kind {
	case fd:
		tm.stimOn = steps(uniform(rng, 300, 700), dt)
		tm.fixOff = tm.stimOn + steps(uniform(rng, 500, 1500), dt)
	case react:
		tm.stimOn = steps(uniform(rng, 500, 2500), dt)
		tm.fixOff = tm.stimOn
	case delay:
		tm.stimOn = steps(choice(rng, 300, 500, 700), dt)
		tm.stimOff = tm.stimOn + steps(choice(rng, 200, 400, 600), dt)
		tm.fixOff = tm.stimOff + steps(choice(rng, 200, 400, 800, 1600), dt)
	}
	tm.T = tm.fixOff + steps(500, dt)
	if kind != delay {
		tm.stimOff = tm.T
	}
	return tm
}

// reachTest is the timing of mode 'test': fd stimulus at 500 ms, go at
// 1500, end at 2000; react go at 2000, end 2500; delay stimulus
// [500, 1000), go at 2000, end 2500.
func reachTest(dt float64, kind reachKind) reachTiming {
	switch kind {
	case fd:
		return reachTiming{stimOn: steps(500, dt), stimOff: steps(2000, dt), fixOff: steps(1500, dt), T: steps(2000, dt)}
	case react:
		return reachTiming{stimOn: steps(2000, dt), stimOff: steps(2500, dt), fixOff: steps(2000, dt), T: steps(2500, dt)}
	default:
		return reachTiming{stimOn: steps(500, dt), stimOff: steps(1000, dt), fixOff: steps(2000, dt), T: steps(2500, dt)}
	}
}

// reachTrial is one go (anti = false) or anti trial with its stimulus at
// loc in modality mod: the response is loc, or (loc + π) mod 2π for anti.
func reachTrial(loc float64, mod int, anti bool) Trial {
	tr := Trial{Loc: [2]float64{loc, math.NaN()}, YLoc: loc}
	tr.Strength[0][mod] = 1
	if anti {
		tr.YLoc = wrap(loc + math.Pi)
	}
	return tr
}

// reachPlan lays out a go or anti batch: the fixation input to fix_off
// (to T for react), the stimulus in [stim_on, stim_off), the response from
// fix_off; epochs fix1, stim1 (not react), delay1 (delay only), go1.
func reachPlan(kind reachKind, tm reachTiming, trials []Trial) *plan {
	p := &plan{T: tm.T, fixInOff: tm.fixOff, respOn: tm.fixOff, trials: trials}
	p.on[0], p.off[0] = tm.stimOn, tm.stimOff
	p.epochs = []tasks.Period{{Name: "fix1", Start: 0, End: tm.stimOn}}
	switch kind {
	case fd:
		p.epochs = append(p.epochs, tasks.Period{Name: "stim1", Start: tm.stimOn, End: tm.fixOff})
	case react:
		p.fixInOff = tm.T
	case delay:
		p.epochs = append(p.epochs,
			tasks.Period{Name: "stim1", Start: tm.stimOn, End: tm.stimOff},
			tasks.Period{Name: "delay1", Start: tm.stimOff, End: tm.fixOff})
	}
	p.epochs = append(p.epochs, tasks.Period{Name: "go1", Start: tm.fixOff, End: tm.T})
	return p
}

// reach returns the generator of a go or anti rule. Mode 'random': the
// directions are U[0, 2π) per trial, the modality is drawn once per batch
// (1 or 2 with probability 1/2), the timing as reachRandom. Mode 'test':
// 40 trials, trial i at direction 2π⌊i/2⌋/20 in modality 1 + i mod 2.
func reach(kind reachKind, anti bool) family {
	return family{
		random: func(rng *rand.Rand, B int, dt float64) *plan {
			trials := make([]Trial, B)
			for i := range trials {
				trials[i].Loc[0] = uniform(rng, 0, 2*math.Pi)
			}
			mod := modality(rng)
			tm := reachRandom(rng, dt, kind)
			for i := range trials {
				trials[i] = reachTrial(trials[i].Loc[0], mod, anti)
			}
			return reachPlan(kind, tm, trials)
		},
		test: func(dt float64) *plan {
			trials := make([]Trial, 40)
			for i := range trials {
				trials[i] = reachTrial(2*math.Pi*float64(i/2)/20, i%2, anti)
			}
			return reachPlan(kind, reachTest(dt, kind), trials)
		},
	}
}
