package training

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/memlimit"
	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// MemoryNeed estimates the bytes training c needs (c after WithDefaults,
// with Model set): the parameters with their gradients, Adam's two moments
// and the engine's working copies (6 float32 copies), and the batch through
// time kept for backpropagation (inputs, outputs and, per unit, the states,
// gates and their gradients, float32), twice over for the task's cache of
// batches. The arithmetic is in float64, so no size overflows it.
func (c Config) MemoryNeed() float64 {
	m := c.Model
	params := 0.0
	for _, s := range m.Shapes() {
		n := 1.0
		for _, d := range s {
			n *= float64(d)
		}
		params += n
	}
	perUnit := 3.0 // state, pre-activation, gradient
	switch m.CellName() {
	case models.CellGRU:
		perUnit = 3 * 3
	case models.CellLSTM:
		perUnit = 3 * 5
	}
	perStep := float64(m.NumInput) + 2*float64(m.NumOutput) + perUnit*float64(m.NumHidden)
	through := 2 * float64(c.BatchSize) * float64(c.SeqLen) * perStep
	return 4 * (6*params + through)
}

// CheckMemory refuses, in one line saying how much is needed, a run whose
// MemoryNeed exceeds the memory available (memlimit.Check).
func (c Config) CheckMemory() error {
	m := c.Model
	what := fmt.Sprintf("a %s network of %d units (batch %d, %d steps per batch)", m.CellName(), m.NumHidden, c.BatchSize, c.SeqLen)
	if err := memlimit.Check(what, c.MemoryNeed()); err != nil {
		return fmt.Errorf("training: %w", err)
	}
	return nil
}
