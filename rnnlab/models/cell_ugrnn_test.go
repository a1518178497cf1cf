package models

import (
	"math"
	"testing"
)

// TestUGRNNEquations checks Params.Step of the UGRNN against its equations
// written out for one unit, h' = g h + (1-g) c with c = tanh(W_c[x, h] +
// b_c) and g = σ(W_g[x, h] + b_g), and the sign convention of the gate: a
// large gate bias keeps the state (g → 1), a very negative one replaces it
// by the candidate (g → 0).
func TestUGRNNEquations(t *testing.T) {
	cfg := Config{Cell: CellUGRNN, NumInput: 2, NumHidden: 3, NumOutput: 2, Dt: 100, Tau: 100}
	p := perturbed(t, cfg, 4)
	I, H := cfg.NumInput, cfg.NumHidden
	x, h := []float32{0.3, -0.7}, []float32{0.5, -0.2, 0.9}
	wih, whh, bih, bhh := p.Get("w_ih"), p.Get("w_hh"), p.Get("b_ih"), p.Get("b_hh")
	pre := func(col int) float64 { // column col of x W_ih + h W_hh + b_ih + b_hh
		v := float64(bih[col] + bhh[col])
		for i := range I {
			v += float64(x[i] * wih[i*2*H+col])
		}
		for i := range H {
			v += float64(h[i] * whh[i*2*H+col])
		}
		return v
	}
	out := make([]float32, H)
	p.Step(x, h, out)
	for j := range H {
		c := math.Tanh(pre(j))
		g := 1 / (1 + math.Exp(-pre(H+j)))
		if want := g*float64(h[j]) + (1-g)*c; math.Abs(float64(out[j])-want) > 1e-6 {
			t.Errorf("unit %d: h' = %v, want %v", j, out[j], want)
		}
	}
	for _, tc := range []struct {
		bias float32
		keep bool
	}{{40, true}, {-40, false}} {
		q := p.Clone()
		for j := H; j < 2*H; j++ {
			q.Get("b_ih")[j] = tc.bias
		}
		q.Step(x, h, out)
		for j := range H {
			want := float64(h[j])
			if !tc.keep {
				want = math.Tanh(pre(j))
			}
			if math.Abs(float64(out[j])-want) > 1e-5 {
				t.Errorf("gate bias %v, unit %d: h' = %v, want %v", tc.bias, j, out[j], want)
			}
		}
	}
}
