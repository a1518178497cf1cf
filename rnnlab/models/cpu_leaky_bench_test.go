package models

import (
	"fmt"
	"testing"
)

// BenchmarkLeakyEngines times one training step (LossAndGradInto: forward,
// BPTT, gradients) of the paper's network, Yang et al. (2019)'s: a leaky
// softplus network of 256 units, 85 inputs, 33 sigmoid outputs with the
// masked MSE, α = 0.2, σ_rec = 0.05 with its noise, batch 64, 100 steps,
// at the paper's initialisation; on the leaky CPU engine (both cores, one
// core) and on the GoMLX engine (the backend in force). It reports ms/step
// (wall) and cpu-ms/step (process CPU time).
func BenchmarkLeakyEngines(b *testing.B) {
	cfg := Config{Cell: CellLeaky, NumInput: 85, NumHidden: 256, NumOutput: 33, Dt: 20, Tau: 100,
		Activation: ActSoftplus, SigmaRec: 0.05, Loss: LossMSE, Sigmoid: true}
	const T, B = 100, 64
	p, err := NewParams(cfg, 1)
	if err != nil {
		b.Fatal(err)
	}
	batch, noise := cellBatch(cfg, T, B, 2)
	for _, c := range []struct {
		name    string
		workers int
	}{{"cpu", 0}, {"cpu/workers1", 1}, {"gomlx", 0}} {
		b.Run(fmt.Sprintf("%s/H%d-B%d-T%d", c.name, cfg.NumHidden, B, T), func(b *testing.B) {
			var e Engine
			if c.name == "gomlx" {
				g, err := NewGoMLXEngine(nil, cfg)
				if err != nil {
					b.Fatal(err)
				}
				defer g.Finalize()
				e = g
			} else {
				l, err := NewLeakyCPUEngine(cfg)
				if err != nil {
					b.Fatal(err)
				}
				l.SetWorkers(c.workers)
				e = l
			}
			step := func() {
				if _, err := e.LossAndGrad(p, batch, noise); err != nil {
					b.Fatal(err)
				}
			}
			step() // compiles the graph, sizes the workspaces
			b.ResetTimer()
			c0 := cpuTime()
			for b.Loop() {
				step()
			}
			b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/1e6/float64(b.N), "cpu-ms/step")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/step")
		})
	}
}
