package models

import "math"

// The one-step map of a network in plain Go (Cell.Step), for one state
// vector and without noise: what analysis and figures run trial by trial.
// Each cell's Step follows its graph equation for equation; TestCellsAgree
// keeps them equal.

// activate applies f (Config.Activation) to x in place.
func activate(name string, x []float32) {
	for j, v := range x {
		switch name {
		case ActSoftplus:
			x[j] = float32(softplus(float64(v)))
		case ActTanh:
			x[j] = float32(math.Tanh(float64(v)))
		case ActIdentity:
		default:
			if v < 0 {
				x[j] = 0
			}
		}
	}
}

// softplus is log(1 + e^x), computed without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func sigmoid(x float32) float32 { return float32(1 / (1 + math.Exp(-float64(x)))) }

// matVecAdd adds v W to out for a row-major (len(v), len(out)) matrix W,
// skipping zero entries of v.
func matVecAdd(out, v, w []float32) {
	n := len(out)
	for i, vi := range v {
		if vi == 0 {
			continue
		}
		row := w[i*n : (i+1)*n]
		for j := range out {
			out[j] += vi * row[j]
		}
	}
}

// Rates writes the rates (length H) of state s (length StateSize) into
// out (Cell.Rates).
func (p *Params) Rates(s, out []float32) { p.cell().Rates(p, s, out) }

// Step advances one state s (length StateSize) by one input x (length I),
// without noise, writing the new state into out (length StateSize, may not
// alias s): Cell.Step, the plain-Go form of the cell's graph.
func (p *Params) Step(x, s, out []float32) { p.cell().Step(p, x, s, out) }

// Readout writes the logits o = r[:R] W_ro + b_ro of state s into out
// (length NumOutput), r the rates of s.
func (p *Params) Readout(s, out []float32) {
	k := len(p.Values)
	r := make([]float32, p.NumHidden)
	p.Rates(s, r)
	copy(out, p.Values[k-1])
	matVecAdd(out[:p.NumOutput], r[:p.ReadSize()], p.Values[k-2])
}

// Forward runs one sequence from the zero state, without noise. xs is
// row-major [T][NumInput]; it returns the states [T][StateSize] and the
// logits [T][NumOutput], row-major.
func (p *Params) Forward(xs []float32) (states, outputs []float32) {
	I, S, O := p.NumInput, p.StateSize(), p.NumOutput
	T := len(xs) / I
	states = make([]float32, T*S)
	outputs = make([]float32, T*O)
	s := make([]float32, S)
	for t := 0; t < T; t++ {
		cur := states[t*S : (t+1)*S]
		p.Step(xs[t*I:(t+1)*I], s, cur)
		p.Readout(cur, outputs[t*O:(t+1)*O])
		s = cur
	}
	return states, outputs
}
