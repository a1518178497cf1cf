package analysis

import (
	"fmt"
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// LSTMGates holds what an LSTM computes inside its cell at every step of
// one sequence, each row-major [T][H]: with PyTorch's gate order (i, f, g,
// o) along the columns of w_ih (I,4H) and w_hh (H,4H),
//
//	z_t = x_t w_ih + h_{t-1} w_hh + b_ih + b_hh            (length 4H)
//	i_t = σ(z_t[0:H])      input gate
//	f_t = σ(z_t[H:2H])     forget gate
//	g_t = tanh(z_t[2H:3H]) cell input
//	o_t = σ(z_t[3H:4H])    output gate
//	c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t,   h_t = o_t ⊙ tanh(c_t)
//
// from h_0 = c_0 = 0: nn-brain's MyLSTM readout dictionary (ingate,
// forgetgate, input, outgate, cell, output).
type LSTMGates struct {
	// T is the number of steps and H the number of units.
	T, H int
	// Input, Forget, Cell and Output are i, f, g and o.
	Input, Forget, Cell, Output []float32
	// C and Hidden are the cell state c and the output h.
	C, Hidden []float32
	// Out is the network's read-out h_t w_ro + b_ro, [T][NumOutput].
	Out []float32
}

// Gates recomputes the gates of the LSTM p (Config.Cell "lstm") on the
// inputs xs, row-major [T][NumInput], without noise. The states match
// p.Forward: Hidden and C are its states' h and c halves.
func Gates(p *models.Params, xs []float32) (*LSTMGates, error) {
	if p == nil {
		return nil, fmt.Errorf("analysis: Gates: nil network")
	}
	if p.CellName() != models.CellLSTM {
		return nil, fmt.Errorf("analysis: Gates: the network is a %s, not an lstm", p.CellName())
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
	}
	I, H, O := p.NumInput, p.NumHidden, p.NumOutput
	if len(xs) == 0 || len(xs)%I != 0 {
		return nil, fmt.Errorf("analysis: Gates: %d input values is not a positive multiple of %d inputs", len(xs), I)
	}
	T := len(xs) / I
	wih, whh := p.Get("w_ih"), p.Get("w_hh")
	bih, bhh := p.Get("b_ih"), p.Get("b_hh")
	g := &LSTMGates{T: T, H: H}
	for _, s := range []*[]float32{&g.Input, &g.Forget, &g.Cell, &g.Output, &g.C, &g.Hidden} {
		*s = make([]float32, T*H)
	}
	g.Out = make([]float32, T*O)
	h, c := make([]float32, H), make([]float32, H)
	z := make([]float32, 4*H)
	sig := func(v float32) float32 { return float32(1 / (1 + math.Exp(-float64(v)))) }
	tanh := func(v float32) float32 { return float32(math.Tanh(float64(v))) }
	for t := range T {
		for k := range z {
			z[k] = bih[k] + bhh[k]
		}
		addVecMat(z, xs[t*I:(t+1)*I], wih)
		addVecMat(z, h, whh)
		row := t * H
		for j := range H {
			i, f := sig(z[j]), sig(z[H+j])
			gg, o := tanh(z[2*H+j]), sig(z[3*H+j])
			c[j] = f*c[j] + i*gg
			h[j] = o * tanh(c[j])
			g.Input[row+j], g.Forget[row+j], g.Cell[row+j], g.Output[row+j] = i, f, gg, o
			g.C[row+j], g.Hidden[row+j] = c[j], h[j]
		}
		out := g.Out[t*O : (t+1)*O]
		copy(out, p.Get("b_ro"))
		addVecMat(out, h, p.Get("w_ro"))
	}
	return g, nil
}

// addVecMat adds v W to out for a row-major (len(v), len(out)) matrix W.
func addVecMat(out, v, w []float32) {
	n := len(out)
	for i, vi := range v {
		row := w[i*n : (i+1)*n]
		for j := range out {
			out[j] += vi * row[j]
		}
	}
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
