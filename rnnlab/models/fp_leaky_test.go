package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestLeakyEvaluatorMatchesGraph checks the leaky cell's CPU fixed-point
// evaluator against GoMLX autodiff of Params.CellFunc (GraphEvaluator):
// residuals, speeds and their gradients, Jacobians and input Jacobians,
// with a shared input and one input per point, for softplus, relu and tanh
// and for the paper's size (256 units, 85 inputs), on more points than
// one chunk.
func TestLeakyEvaluatorMatchesGraph(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles GoMLX graphs")
	}
	for k, c := range []struct {
		act   string
		h, in int
	}{{ActSoftplus, 40, 6}, {ActReLU, 24, 3}, {ActTanh, 17, 5}, {ActSoftplus, 256, 85}} {
		cfg := Config{Cell: CellLeaky, NumInput: c.in, NumHidden: c.h, NumOutput: 3, Dt: 20, Tau: 100, Activation: c.act}
		t.Run(fmt.Sprintf("%s/H%d", c.act, c.h), func(t *testing.T) {
			p := perturbed(t, cfg, uint64(k))
			n := 150
			if c.h > 100 {
				n = 70
			}
			rng := rand.New(rand.NewPCG(uint64(k), 9))
			x := make([]float32, n*c.h)
			for i := range x {
				x[i] = float32(math.Abs(rng.NormFloat64()))
			}
			uAll := make([]float32, n*c.in)
			for i := range uAll {
				uAll[i] = float32(rng.NormFloat64())
			}
			ev, err := NewLeakyEvaluator(p)
			if err != nil {
				t.Fatal(err)
			}
			g := ceGraphEval(t, p)
			for _, u := range [][]float32{uAll[:c.in], uAll} {
				check := func(what string, got, want []float32, errA, errB error) {
					if errA != nil || errB != nil {
						t.Fatalf("%s: %v, %v", what, errA, errB)
					}
					if err := leakyClose(what, got, want); err != nil {
						t.Errorf("%d inputs: %v", len(u), err)
					}
				}
				r1, r2 := make([]float32, n*c.h), make([]float32, n*c.h)
				check("residuals", r1, r2, ev.Residuals(x, u, r1), g.Residuals(x, u, r2))
				s1, s2 := make([]float32, n), make([]float32, n)
				g1, g2 := make([]float32, n*c.h), make([]float32, n*c.h)
				e1, e2 := ev.SpeedGrad(x, u, s1, g1), g.SpeedGrad(x, u, s2, g2)
				check("speed", s1, s2, e1, e2)
				check("speed gradient", g1, g2, e1, e2)
				m := 5 // Jacobians of the first points
				j1, j2 := make([]float32, m*c.h*c.h), make([]float32, m*c.h*c.h)
				uj := u
				if len(u) != c.in {
					uj = u[:m*c.in]
				}
				check("jacobians", j1, j2, ev.Jacobians(x[:m*c.h], uj, j1), g.Jacobians(x[:m*c.h], uj, j2))
				i1, i2 := make([]float32, m*c.h*c.in), make([]float32, m*c.h*c.in)
				check("input jacobians", i1, i2, ev.InputJacobians(x[:m*c.h], uj, i1), g.InputJacobians(x[:m*c.h], uj, i2))
			}
		})
	}
	if _, err := NewLeakyEvaluator(perturbed(t, DefaultConfig(), 1)); err == nil {
		t.Error("NewLeakyEvaluator accepted a ctrnn")
	}
}
