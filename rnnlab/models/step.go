package models

import "math"

// The one-step map of every cell in plain Go, for one state vector and
// without noise: what analysis and figures run trial by trial. It follows
// the graph of cells.go equation for equation; TestCellsAgree keeps them
// equal.

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

// Rates writes the rates (length H) of state s (length StateSize) into out.
func (p *Params) Rates(s, out []float32) {
	H := p.NumHidden
	copy(out[:H], s[:H])
	if p.CellName() == CellEI {
		activate(p.ActivationName(), out[:H])
	}
}

// Step advances one state s (length StateSize) by one input x (length I),
// without noise, writing the new state into out (length StateSize, may not
// alias s).
func (p *Params) Step(x, s, out []float32) {
	H := p.NumHidden
	switch p.CellName() {
	case CellCTRNN, CellEI:
		a := float32(p.Alpha())
		z := out[:H]
		copy(z, p.Values[2])
		matVecAdd(z, x, p.Values[0])
		if p.CellName() == CellEI {
			r := make([]float32, H)
			p.Rates(s, r)
			matVecAdd(z, r, p.EffectiveRecurrent())
		} else {
			matVecAdd(z, s, p.ctrnnRecurrent())
		}
		for j := range z {
			z[j] = (1-a)*s[j] + a*z[j]
		}
		if p.CellName() == CellCTRNN {
			activate(p.ActivationName(), z)
		}
	case CellLeaky:
		p.leakyStep(x, s, out)
	case CellGRU:
		gi := make([]float32, 3*H)
		gh := make([]float32, 3*H)
		copy(gi, p.Values[2])
		copy(gh, p.Values[3])
		matVecAdd(gi, x, p.Values[0])
		matVecAdd(gh, s[:H], p.Values[1])
		for j := range H {
			r := sigmoid(gi[j] + gh[j])
			z := sigmoid(gi[H+j] + gh[H+j])
			n := float32(math.Tanh(float64(gi[2*H+j] + r*gh[2*H+j])))
			out[j] = (1-z)*n + z*s[j]
		}
	case CellLSTM:
		g := make([]float32, 4*H)
		for j := range g {
			g[j] = p.Values[2][j] + p.Values[3][j]
		}
		matVecAdd(g, x, p.Values[0])
		matVecAdd(g, s[:H], p.Values[1])
		for j := range H {
			i, f := sigmoid(g[j]), sigmoid(g[H+j])
			gg, o := float32(math.Tanh(float64(g[2*H+j]))), sigmoid(g[3*H+j])
			c := f*s[H+j] + i*gg
			out[H+j] = c
			out[j] = o * float32(math.Tanh(float64(c)))
		}
	}
}

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
