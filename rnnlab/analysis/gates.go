package analysis

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// LSTMGates holds what an LSTM computes inside its cell at every step of
// one sequence (models.LSTMGates: the gates i, f, g, o, the cell state c,
// the output h and the read-out), each row-major [T][H].
type LSTMGates = models.LSTMGates

// Gates recomputes the gates of the LSTM p on the inputs xs, row-major
// [T][NumInput], without noise (models.Params.Gates, with the step of the
// LSTM cell itself): Hidden and C are the h and c halves of p.Forward's
// states.
func Gates(p *models.Params, xs []float32) (*LSTMGates, error) {
	if p == nil {
		return nil, fmt.Errorf("analysis: Gates: nil network")
	}
	return p.Gates(xs)
}

// Unit returns column j of a row-major [T][H] series (one unit's trace over
// time) as float64, for plotting.
func Unit(series []float32, H, j int) []float64 {
	if H <= 0 || j < 0 || j >= H || len(series)%H != 0 {
		panic(fmt.Sprintf("analysis: Unit: unit %d of %d in %d values", j, H, len(series)))
	}
	out := make([]float64, len(series)/H)
	for t := range out {
		out[t] = float64(series[t*H+j])
	}
	return out
}
