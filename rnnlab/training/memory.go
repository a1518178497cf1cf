package training

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/memlimit"
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
	// Per unit and step: the state, pre-activation and gradient of each
	// gate (the columns of an H×kH recurrent weight: k = 1 for the CTRNN
	// family, 3 for the GRU, 4 for the LSTM) and of each extra state
	// vector (the LSTM's cell).
	gates := 1
	for _, s := range m.Shapes() {
		if len(s) == 2 && s[0] == m.NumHidden && m.NumHidden > 0 && s[1]%m.NumHidden == 0 {
			gates = max(gates, s[1]/m.NumHidden)
		}
	}
	extra := 0
	if m.NumHidden > 0 {
		extra = m.StateSize()/m.NumHidden - 1
	}
	perUnit := 3 * float64(gates+extra)
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
