package training

import (
	"fmt"
	"math"
)

// Validate reports the first setting of c (after WithDefaults) that cannot
// train, as a one-line error naming the field: Steps, BatchSize, SeqLen or
// LogEvery < 0; a learning rate LR that is not a finite number > 0 (NaN,
// ±Inf, ≤ 0); Dt not finite and > 0; WeightL1, WeightL2 or ClipNorm not a
// finite number ≥ 0; a bad LRSchedule (LRSchedule.Validate). The model and
// the task are checked where they are built (models.Config.Validate,
// tasks.New). The CLI, the sweep and NewTrainer all call it, before
// anything is allocated or written.
func (c Config) Validate() error {
	c = c.WithDefaults()
	for _, f := range []struct {
		name string
		v    int
	}{{"steps", c.Steps}, {"batch_size", c.BatchSize}, {"seq_len", c.SeqLen}, {"log_every", c.LogEvery}} {
		if f.v < 0 {
			return fmt.Errorf("training: %s must be >= 0, got %d", f.name, f.v)
		}
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 0) {
		return fmt.Errorf("training: lr must be a finite number > 0, got %v", c.LR)
	}
	if !(c.Dt > 0) || math.IsInf(c.Dt, 0) {
		return fmt.Errorf("training: dt must be a finite number > 0, got %v", c.Dt)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"weight_l1", c.WeightL1}, {"weight_l2", c.WeightL2}, {"clip_norm", c.ClipNorm}} {
		if !(f.v >= 0) || math.IsInf(f.v, 0) {
			return fmt.Errorf("training: %s must be a finite number >= 0, got %v", f.name, f.v)
		}
	}
	return c.LRSchedule.Validate()
}
