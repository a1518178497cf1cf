package optim

import (
	"fmt"
	"math"
)

// Schedule gives the learning rate of the k-th optimiser update, k = 0, 1, ...
type Schedule interface {
	Rate(k int) float64
	String() string
}

// Constant is a fixed learning rate.
type Constant float64

// Rate implements Schedule.
func (c Constant) Rate(int) float64 { return float64(c) }

// String describes the schedule.
func (c Constant) String() string { return fmt.Sprintf("Constant(%g)", float64(c)) }

// ExponentialDecay is BrainPy's ExponentialDecay(lr, decay_steps, decay_rate):
// the k-th update (k = 0, 1, ...) uses LR0 · DecayRate^(k/DecaySteps), a smooth
// (not staircase) exponential. ExponentialDecay{0.01, 1, 0.9999} is the
// primer's fixed-point schedule, 0.01·0.9999^k.
type ExponentialDecay struct {
	LR0        float64
	DecaySteps float64
	DecayRate  float64
}

// Rate implements Schedule.
func (e ExponentialDecay) Rate(k int) float64 {
	return e.LR0 * math.Pow(e.DecayRate, float64(k)/e.DecaySteps)
}

// String describes the schedule in BrainPy's terms.
func (e ExponentialDecay) String() string {
	return fmt.Sprintf("ExponentialDecay(lr=%g, decay_steps=%g, decay_rate=%g)", e.LR0, e.DecaySteps, e.DecayRate)
}

// Exponential returns ExponentialDecay{lr0, decaySteps, rate}.
func Exponential(lr0, decaySteps, rate float64) ExponentialDecay {
	return ExponentialDecay{LR0: lr0, DecaySteps: decaySteps, DecayRate: rate}
}
