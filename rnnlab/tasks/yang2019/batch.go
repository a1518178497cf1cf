package yang2019

import (
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// Values of task.py's targets and cost mask (loss_type 'lsq'); they are
// rnnlab/tasks' values for the same loss.
const (
	// TargetBase is the target of every output where nothing else is set.
	TargetBase = tasks.TargetOff
	// TargetFix is the fixation output's target until the response.
	TargetFix = tasks.TargetOn
	// MaskPre is the cost mask from 100 ms to the response onset.
	MaskPre = tasks.MaskFixation
	// MaskPost is the cost mask from the check onset (100 ms after the
	// response onset) to the end of the trial.
	MaskPost = tasks.MaskResponse
	// MaskFixScale multiplies the fixation output's column of the mask.
	MaskFixScale = tasks.MaskFixationOutput
	// SkipMs is the start of every trial that the mask ignores, and the
	// time from the response onset to the check onset, in ms.
	SkipMs = 100.0
)

// Trial is the condition of one trial: what its inputs show and what the
// answer is. Stimulus s (0 or 1, task.py's stim1 and stim2) points in
// direction Loc[s] and is shown in modality m (0 or 1) with strength
// Strength[s][m]; a strength of 0 means not shown in that modality. The go
// and anti tasks show one stimulus of strength 1 (Loc[1] is NaN and
// Strength[1] zero); dm1 and delaydm1 show both in modality 1 only; the
// context and multi-sensory tasks in both modalities; the matching tasks
// show each stimulus with strength 1 in its own modality.
type Trial struct {
	Loc      [2]float64
	Strength [2][2]float64
	// Match reports that the two stimuli match (dms: same direction;
	// dmc: same category, both directions below π or both above). False
	// outside the matching tasks.
	Match bool
	// YLoc is the response direction in [0, 2π), or NoResponse when the
	// answer is to keep fixating (dmsgo and dmcgo non-match trials, dmsnogo
	// and dmcnogo match trials).
	YLoc float64
}

// Go reports whether the trial asks for a response (YLoc ≠ NoResponse).
func (tr Trial) Go() bool { return tr.YLoc >= 0 }

// Info describes a batch made by Generate: its rule, time step, the
// periods and response timing that every trial of it shares (task.py
// draws the timing once per batch), and each trial's condition.
type Info struct {
	Rule string
	// Dt is the time step in ms.
	Dt float64
	// Epochs are task.py's trial.epochs in steps, in order: fix1, then
	// stim1, delay1, stim2, delay2 where the rule has them, then go1,
	// which starts at ResponseOn and ends at T.
	Epochs []tasks.Period
	// ResponseOn is the step at which the fixation target falls to 0.05
	// and the response target appears (the fixation input's offset, or
	// the go cue of the reaction-time and matching tasks); the mask's
	// pre-response stretch ends there. No-go trials keep fixating past it.
	ResponseOn int
	// CheckOn = ResponseOn + int(100/dt) is the step from which the mask
	// is 5.
	CheckOn int
	// Trials holds each trial's condition, in batch order.
	Trials []Trial
}

// YLoc returns every trial's response direction (NoResponse for no-go
// trials), the y_loc of the last step that network.get_perf reads.
func (in *Info) YLoc() []float64 {
	y := make([]float64, len(in.Trials))
	for i, tr := range in.Trials {
		y[i] = tr.YLoc
	}
	return y
}

// plan is a batch before rendering: the shared timing and the trials.
type plan struct {
	T int
	// fixInOff ends the fixation input, on in [0, fixInOff).
	fixInOff int
	// stimulus s is shown in [on[s], off[s]).
	on, off [2]int
	// respOn is the response onset (Info.ResponseOn).
	respOn int
	epochs []tasks.Period
	trials []Trial
}

// render builds the batch of rule r at dt from plan p, following task.py's
// Trial.add, add_c_mask and add_rule, in float32 as task.py does:
//
//	x[t][b][0]            = 1 for t < fixInOff
//	x[t][b][1+32m+k]     += Strength[s][m]·u_k(Loc[s]) for on[s] ≤ t < off[s]
//	x[t][b][RuleStart+r]  = 1
//	y[t][b][o]            = 0.05, then
//	y[t][b][0]            = 0.8 for t < respOn (every t for no-go trials)
//	y[t][b][1+k]          = 0.05 + u_k(YLoc) for t ≥ respOn (go trials)
//	c[t][b][o]            = 0 for t < int(100/dt), 1 up to respOn, 0 up to
//	                        checkOn, 5 from checkOn; c[t][b][0] doubled
//
// with u_k the Tuning. Labels are 0, or 1 + NearestUnit(YLoc) where the
// target is a response.
func render(r int, dt float64, p *plan) (*tasks.Batch, *Info) {
	T, B := p.T, len(p.trials)
	x := make([]float32, T*B*NumInput)
	y := make([]float32, T*B*NumOutput)
	c := make([]float32, T*B*NumOutput)
	labels := make([]int32, T*B)
	checkOn := p.respOn + steps(SkipMs, dt)
	preOn := steps(SkipMs, dt)
	for b, tr := range p.trials {
		var bumps [2][NRing]float64
		for s := range 2 {
			if !math.IsNaN(tr.Loc[s]) {
				bumps[s] = Tuning(tr.Loc[s])
			}
		}
		var out [NRing]float64
		label := int32(0)
		if tr.Go() {
			out = Tuning(tr.YLoc)
			label = int32(1 + NearestUnit(tr.YLoc))
		}
		for t := range T {
			xi := x[(t*B+b)*NumInput : (t*B+b+1)*NumInput]
			if t < p.fixInOff {
				xi[0] = 1
			}
			for s := range 2 {
				if t < p.on[s] || t >= p.off[s] {
					continue
				}
				for m := range 2 {
					if tr.Strength[s][m] == 0 { // not shown in modality m
						continue
					}
					ring := xi[1+m*NRing : 1+(m+1)*NRing]
					for k, u := range bumps[s] {
						ring[k] = float32(float64(ring[k]) + u*tr.Strength[s][m])
					}
				}
			}
			xi[RuleStart+r] = 1

			yi := y[(t*B+b)*NumOutput : (t*B+b+1)*NumOutput]
			for o := range yi {
				yi[o] = TargetBase
			}
			if t < p.respOn || !tr.Go() {
				yi[0] = TargetFix
			} else {
				for k, u := range out {
					yi[1+k] = float32(float64(float32(TargetBase)) + u)
				}
				labels[t*B+b] = label
			}

			var m float32
			switch {
			case t >= preOn && t < p.respOn:
				m = MaskPre
			case t >= checkOn:
				m = MaskPost
			}
			ci := c[(t*B+b)*NumOutput : (t*B+b+1)*NumOutput]
			for o := range ci {
				ci[o] = m
			}
			ci[0] = MaskFixScale * m
		}
	}
	batch := &tasks.Batch{T: T, B: B, ObsSize: NumInput, Inputs: x, Labels: labels, Targets: y, Mask: c}
	info := &Info{Rule: rules[r], Dt: dt, Epochs: p.epochs, ResponseOn: p.respOn, CheckOn: checkOn, Trials: p.trials}
	return batch, info
}
