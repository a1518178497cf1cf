package tasks

import (
	"fmt"
	"math"
)

// Values of the mean-squared-error targets and cost mask of Yang, Joglekar,
// Song, Newsome & Wang (2019) (gyyang/multitask), as MSETargets writes them.
const (
	// TargetOn is the target of the active output: the fixation output
	// while the label is 0, the output of the label during a response.
	TargetOn = 0.8
	// TargetOff is the baseline target of every other output.
	TargetOff = 0.05
	// MaskGraceMs is the start of every response stretch that the cost mask
	// ignores (mask 0), in ms.
	MaskGraceMs = 100.0
	// MaskFixation is the cost-mask weight while the label is 0.
	MaskFixation = 1.0
	// MaskResponse is the cost-mask weight of a response after its grace
	// period.
	MaskResponse = 5.0
	// MaskFixationOutput multiplies the mask of the fixation output (output 0).
	MaskFixationOutput = 2.0
)

// GraceSteps is the number of time steps of dt ms that MaskGraceMs covers,
// ceil(100/dt).
func GraceSteps(dt float64) int {
	return int(math.Ceil(MaskGraceMs / dt))
}

// MSETargets fills b.Targets and b.Mask, each row-major [T][B][numOutput],
// from b.Labels, for networks trained with the masked mean squared error
// (models.LossMSE), following Yang et al. (2019)'s targets and cost mask.
//
// Labels are neurogym-style: 0 means fixate, l > 0 means respond with
// action l. Output 0 is the fixation output, output o > 0 stands for action o,
// and the targets are a one-hot bump:
//
//	target[t][b][0] = 0.8 if label(t,b) == 0, else 0.05
//	target[t][b][o] = 0.8 if label(t,b) == o, else 0.05   (o > 0)
//
// (Yang's Gaussian bump over a ring of output units around the response
// direction is not reconstructed: the labels carry only the action.)
//
// The cost mask m(t,b) is 1 while the label is 0; on every stretch of
// consecutive steps with label > 0 in stream b it is 0 for the first
// g = ceil(100/dt) steps of the stretch (the response's grace period) and 5
// after. A stretch that is already running at t = 0 is counted from t = 0
// (the batch does not see earlier steps). The fixation output's mask is
// doubled:
//
//	Mask[t][b][0] = 2 m(t,b),  Mask[t][b][o] = m(t,b)  (o > 0)
//
// so that models.LossMSE computes 1/(T B O) Σ (Mask (y − Target))². dt is the
// task's time step in ms. It returns an error, and leaves b unchanged, for a
// label outside [0, numOutput), numOutput < 1, a dt that is not finite and
// > 0, or labels that are not T·B long.
func MSETargets(b *Batch, numOutput int, dt float64) error {
	switch {
	case b == nil:
		return fmt.Errorf("tasks: mse targets: nil batch")
	case numOutput < 1:
		return fmt.Errorf("tasks: mse targets: %d outputs, want >= 1", numOutput)
	case !(dt > 0) || math.IsInf(dt, 0):
		return fmt.Errorf("tasks: mse targets: dt must be > 0, got %v", dt)
	case b.T < 0 || b.B < 0 || len(b.Labels) != b.T*b.B:
		return fmt.Errorf("tasks: mse targets: batch has %d labels, want T*B = %d*%d", len(b.Labels), b.T, b.B)
	}
	O := int32(numOutput)
	for i, y := range b.Labels {
		if y < 0 || y >= O {
			return fmt.Errorf("tasks: mse targets: label %d at step %d, trial %d is outside [0, %d)", y, i/b.B, i%b.B, O)
		}
	}
	grace := GraceSteps(dt)
	n := b.T * b.B * numOutput
	targets, mask := make([]float32, n), make([]float32, n)
	run := make([]int, b.B) // steps of the current label > 0 stretch so far, per stream
	for t := 0; t < b.T; t++ {
		for s := 0; s < b.B; s++ {
			i := t*b.B + s
			y := b.Labels[i]
			tg, mk := targets[i*numOutput:(i+1)*numOutput], mask[i*numOutput:(i+1)*numOutput]
			var m float32
			if y == 0 {
				run[s] = 0
				m = MaskFixation
			} else {
				if run[s] >= grace {
					m = MaskResponse
				}
				run[s]++
			}
			for o := range tg {
				tg[o] = TargetOff
				mk[o] = m
			}
			if y == 0 {
				tg[0] = TargetOn
			} else {
				tg[y] = TargetOn
			}
			mk[0] = MaskFixationOutput * m
		}
	}
	b.Targets, b.Mask = targets, mask
	return nil
}
