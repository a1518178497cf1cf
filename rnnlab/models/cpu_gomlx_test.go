package models

import (
	"fmt"
	"math"
	"testing"
)

// TestCPUEngineMatchesGoMLX compares loss, gradients and logits of the CPU
// engine with the GoMLX engine (autodiff) on random batches and parameters.
func TestCPUEngineMatchesGoMLX(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles GoMLX graphs")
	}
	var worstAbs, worstRel float64
	n := 0
	for _, H := range []int{7, 64} {
		for _, dt := range []float64{100, 20} { // alpha 1 and 0.2
			for _, B := range []int{1, 16} {
				cfg := Config{NumInput: 3, NumHidden: H, NumOutput: 3, Dt: dt, Tau: 100}
				t.Run(fmt.Sprintf("H%d/alpha%g/B%d", H, cfg.Alpha(), B), func(t *testing.T) {
					n++
					p := cpuTestParams(t, cfg, uint64(7*H+B))
					b := cpuTestBatch(cfg, 20, B, uint64(H+B))
					ce, err := NewCPUEngine(cfg)
					if err != nil {
						t.Fatal(err)
					}
					ge, err := NewGoMLXEngine(nil, cfg)
					if err != nil {
						t.Fatal(err)
					}
					defer ge.Finalize()
					cr, err := ce.LossAndGrad(p, b, nil)
					if err != nil {
						t.Fatal(err)
					}
					gr, err := ge.LossAndGrad(p, b, nil)
					if err != nil {
						t.Fatal(err)
					}
					// cmp checks |a-g| <= 1e-5·scale + 1e-4·|g|, scale the largest |g| of the tensor.
					cmp := func(name string, a, g []float32) {
						if len(a) != len(g) {
							t.Fatalf("%s: cpu has %d values, gomlx %d", name, len(a), len(g))
						}
						scale := 0.0
						for _, v := range g {
							scale = max(scale, math.Abs(float64(v)))
						}
						for i := range a {
							d := math.Abs(float64(a[i]) - float64(g[i]))
							worstAbs = max(worstAbs, d)
							if scale > 0 {
								worstRel = max(worstRel, d/scale)
							}
							if d > 1e-5*scale+1e-4*math.Abs(float64(g[i])) {
								t.Errorf("%s[%d]: cpu %.8g, gomlx %.8g", name, i, a[i], g[i])
								return
							}
						}
					}
					cmp("loss", []float32{cr.Loss}, []float32{gr.Loss})
					cmp("logits", cr.Logits, gr.Logits)
					for k := range cr.Grads {
						cmp(DefaultConfig().ParamNames()[k], cr.Grads[k], gr.Grads[k])
					}
				})
			}
		}
	}
	t.Logf("%d configurations: max |cpu - gomlx| = %.3g, max relative to the tensor's largest value = %.3g", n, worstAbs, worstRel)
}
