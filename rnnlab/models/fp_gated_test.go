package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/backend"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
)

// TestGatedEvaluatorMatchesGraph checks, for every registered gated cell,
// the plain-Go residuals, speed gradients, Jacobians and input Jacobians of
// GatedEvaluator against GoMLX autodiff of the same cell (Params.CellFunc),
// for shared and per-point inputs, over more points than one chunk.
func TestGatedEvaluatorMatchesGraph(t *testing.T) {
	n := 0
	for _, name := range Cells {
		cfg := Config{Cell: name, NumInput: 3, NumHidden: 9, NumOutput: 3, Dt: 100, Tau: 100}
		if _, ok := cfg.cell().(gatedCell); !ok {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			p, err := NewParams(cfg, 21)
			if err != nil {
				t.Fatal(err)
			}
			for k := range p.Values { // larger weights: saturate some gates
				for j := range p.Values[k] {
					p.Values[k][j] *= 3
				}
			}
			cpu, err := NewEvaluator(p, EngineCPU)
			if err != nil {
				t.Fatal(err)
			}
			ge, ok := cpu.(*GatedEvaluator)
			if !ok {
				t.Fatalf("cpu evaluator %T", cpu)
			}
			be, err := backend.Shared()
			if err != nil {
				t.Fatal(err)
			}
			gx, err := fixedpoints.NewGraphEvaluator(be, p.CellFunc(), fixedpoints.Discrete, p.StateSize(), p.NumInput)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(3, 3))
			const n = 131
			S, I := p.StateSize(), p.NumInput
			var x, per []float32
			for range n * S {
				x = append(x, float32(2*rng.Float64()-1))
			}
			for range n * I {
				per = append(per, float32(2*rng.Float64()-1))
			}
			near := func(what string, a, b []float32, tol float64) {
				t.Helper()
				for k := range a {
					if math.Abs(float64(a[k]-b[k])) > tol*math.Max(1, math.Abs(float64(b[k]))) {
						t.Fatalf("%s %d: cpu %v, gomlx %v", what, k, a[k], b[k])
					}
				}
			}
			for _, u := range [][]float32{{1, 0.5, 0.5}, per} {
				r1, r2 := make([]float32, n*S), make([]float32, n*S)
				if err := ge.Residuals(x, u, r1); err != nil {
					t.Fatal(err)
				}
				if err := gx.Residuals(x, u, r2); err != nil {
					t.Fatal(err)
				}
				near("residual", r1, r2, 1e-5)
				s1, g1 := make([]float32, n), make([]float32, n*S)
				s2, g2 := make([]float32, n), make([]float32, n*S)
				if err := ge.SpeedGrad(x, u, s1, g1); err != nil {
					t.Fatal(err)
				}
				if err := gx.SpeedGrad(x, u, s2, g2); err != nil {
					t.Fatal(err)
				}
				near("speed", s1, s2, 1e-5)
				near("speed gradient", g1, g2, 1e-5)
				j1, j2 := make([]float32, n*S*S), make([]float32, n*S*S)
				if err := ge.Jacobians(x, u, j1); err != nil {
					t.Fatal(err)
				}
				if err := gx.Jacobians(x, u, j2); err != nil {
					t.Fatal(err)
				}
				near("Jacobian entry", j1, j2, 1e-5)
				i1, i2 := make([]float32, n*S*I), make([]float32, n*S*I)
				if err := ge.InputJacobians(x, u, i1); err != nil {
					t.Fatal(err)
				}
				if err := gx.InputJacobians(x, u, i2); err != nil {
					t.Fatal(err)
				}
				near("input Jacobian entry", i1, i2, 1e-5)
			}
		})
	}
	if n < 3 {
		t.Fatalf("%d gated cells registered, want gru, lstm and ugrnn at least", n)
	}
}
