package training

import (
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// TestMemoryNeed: the estimate is 4 bytes × (6 copies of the parameters +
// twice the batch through time), with 3 values per unit and step for each
// gate and each extra state vector: 3 for the CTRNN family, 9 for the GRU
// (3 gates), 15 for the LSTM (4 gates and the cell state).
func TestMemoryNeed(t *testing.T) {
	for _, c := range []struct {
		cell    string
		perUnit float64
	}{{models.CellCTRNN, 3}, {models.CellLeaky, 3}, {models.CellGRU, 9}, {models.CellLSTM, 15}} {
		m := models.Config{Cell: c.cell, NumInput: 3, NumHidden: 20, NumOutput: 2, Dt: 100, Tau: 100}
		cfg := Config{BatchSize: 4, SeqLen: 10, Model: m}
		params := 0.0
		for _, s := range m.Shapes() {
			n := 1.0
			for _, d := range s {
				n *= float64(d)
			}
			params += n
		}
		want := 4 * (6*params + 2*4*10*(3+2*2+c.perUnit*20))
		if got := cfg.MemoryNeed(); got != want {
			t.Errorf("%s: %v bytes, want %v", c.cell, got, want)
		}
	}
}
