package tasks

import (
	"fmt"
	"math"
)

// Bounds on a task's sizes, checked before anything of that size is made,
// so that a bad option (dim_ring=1000000000, timing.delay=1e15, dt=1e-9)
// is a one-line error rather than an attempt to allocate terabytes.
const (
	// MaxDimRing is the largest dim_ring of the ring tasks.
	MaxDimRing = 4096
	// MaxTrialSteps is the largest number of steps of a trial (and so of
	// a period): 1000 s at dt = 1 ms.
	MaxTrialSteps = 1_000_000
	// MaxTrialValues is the largest number of observation values of a
	// trial, steps x ObsSize (256 MB of float32).
	MaxTrialValues = 1 << 26
)

// boundMs is the longest duration d gives in practice, in ms: the largest
// value of a constant, choice or uniform, the upper bound of a truncated
// exponential or, without one, its minimum plus 20 means (a tail of
// probability e^-20); 0 for a DurationFunc, whose range is unknown.
func (d Duration) boundMs() float64 {
	switch d.Kind {
	case DurationConstant:
		return d.Value
	case DurationChoice:
		m := 0.0
		for _, v := range d.Values {
			m = math.Max(m, v)
		}
		return m
	case DurationUniform:
		return d.Max
	case DurationTruncExp:
		if d.Max > 0 {
			return d.Max
		}
		return d.Min + 20*d.Mean
	}
	return 0
}

// checkTrialSize checks the timing of spec against MaxTrialSteps, period by
// period, and the periods laid end to end against MaxTrialValues for obsSize
// channels.
func checkTrialSize(spec Spec, obsSize int) error {
	total := 0.0
	for _, name := range sortedKeys(spec.Timing) {
		steps := spec.Timing[name].boundMs() / spec.Dt
		if steps > MaxTrialSteps {
			return fmt.Errorf("timing.%s: %v ms is %.3g steps at dt %v ms; a trial has at most %d steps", name, spec.Timing[name].boundMs(), steps, spec.Dt, MaxTrialSteps)
		}
		total += steps
	}
	if v := total * float64(obsSize); v > MaxTrialValues {
		return fmt.Errorf("a trial of up to %.3g steps of %d observation channels is %.3g values; a trial has at most %d", total, obsSize, v, MaxTrialValues)
	}
	return nil
}

// trialTooLarge is the panic of a Builder whose trial outgrows the bounds
// (a drawn duration beyond them); Env.NewTrial recovers it as an error.
type trialTooLarge struct{ err error }

// checkPeriod panics with trialTooLarge if a trial reaching step end
// exceeds MaxTrialSteps or MaxTrialValues.
func (b *Builder) checkPeriod(name string, end float64) {
	switch {
	case end > MaxTrialSteps:
		panic(trialTooLarge{fmt.Errorf("period %s ends at step %.3g; a trial has at most %d steps", name, end, MaxTrialSteps)})
	case end*float64(b.env.obsSize) > MaxTrialValues:
		panic(trialTooLarge{fmt.Errorf("period %s ends at step %.3g of %d observation channels; a trial has at most %d values", name, end, b.env.obsSize, MaxTrialValues)})
	}
}
