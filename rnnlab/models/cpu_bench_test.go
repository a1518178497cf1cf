package models

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// cpuBenchBatch is a batch shaped like the primer's perceptual decision
// making data: a fixation channel at 1 and two noisy stimulus channels.
func cpuBenchBatch(cfg Config, T, B int) *tasks.Batch {
	rng := rand.New(rand.NewPCG(1, 2))
	I := cfg.NumInput
	b := &tasks.Batch{T: T, B: B, ObsSize: I, Inputs: make([]float32, T*B*I), Labels: make([]int32, T*B)}
	for i := 0; i < T*B; i++ {
		x := b.Inputs[i*I : (i+1)*I]
		x[0] = 1
		for k := 1; k < I; k++ {
			x[k] = float32(0.5 + 0.3*rng.NormFloat64())
		}
		b.Labels[i] = int32(rng.IntN(cfg.NumOutput))
	}
	return b
}

// activeFraction is the share of positive hidden states over a batch.
func activeFraction(tb testing.TB, e *CPUEngine, p *Params, b *tasks.Batch) float64 {
	states, _, err := e.Forward(p, b)
	if err != nil {
		tb.Fatal(err)
	}
	n := 0
	for _, v := range states {
		if v > 0 {
			n++
		}
	}
	return float64(n) / float64(len(states))
}

// BenchmarkCPUEngine times one training step (LossAndGradInto: forward,
// BPTT, gradients) for batch 16, 100 steps, 3 inputs and outputs, at
// freshly initialised parameters (NewParams), for several hidden sizes and
// worker counts. It reports ms/step and the fraction of active units.
func BenchmarkCPUEngine(b *testing.B) {
	for _, H := range []int{64, 128, 256, 512} {
		for _, w := range []int{0, 1, 2} {
			name := fmt.Sprintf("H%d", H)
			if w > 0 {
				name += fmt.Sprintf("/workers%d", w)
			}
			b.Run(name, func(b *testing.B) {
				cfg := Config{NumInput: 3, NumHidden: H, NumOutput: 3, Dt: 100, Tau: 100}
				p, err := NewParams(cfg, 1)
				if err != nil {
					b.Fatal(err)
				}
				batch := cpuBenchBatch(cfg, 100, 16)
				e, err := NewCPUEngine(cfg)
				if err != nil {
					b.Fatal(err)
				}
				e.SetWorkers(w)
				var res Result
				if err := e.LossAndGradInto(p, batch, nil, &res); err != nil {
					b.Fatal(err)
				}
				act := activeFraction(b, e, p, batch)
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if err := e.LossAndGradInto(p, batch, nil, &res); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/step")
				b.ReportMetric(act, "active")
			})
		}
	}
}

// BenchmarkCPUEngineAlpha02 is the H = 64 step with alpha = 0.2 (dt 20 ms),
// where the leak keeps more units active.
func BenchmarkCPUEngineAlpha02(b *testing.B) {
	cfg := Config{NumInput: 3, NumHidden: 64, NumOutput: 3, Dt: 20, Tau: 100}
	p, _ := NewParams(cfg, 1)
	batch := cpuBenchBatch(cfg, 100, 16)
	e, _ := NewCPUEngine(cfg)
	var res Result
	act := activeFraction(b, e, p, batch)
	b.ReportAllocs()
	for b.Loop() {
		if err := e.LossAndGradInto(p, batch, nil, &res); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/step")
	b.ReportMetric(act, "active")
}

// BenchmarkCPUEngineFamily times one training step of the general path
// (batch 16, 100 steps, 3 inputs and outputs, fresh parameters, with
// standard-normal recurrent noise): an E-I network of 50 units (relu,
// alpha 0.2, sigma_rec 0.15) and a softplus CTRNN of 64 units (alpha 0.2,
// sigma_rec 0.1), on the default and on one worker.
func BenchmarkCPUEngineFamily(b *testing.B) {
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"ei/H50", Config{Cell: CellEI, NumInput: 3, NumHidden: 50, NumOutput: 3, Dt: 20, Tau: 100, SigmaRec: 0.15}},
		{"ctrnn-softplus-noise/H64", Config{NumInput: 3, NumHidden: 64, NumOutput: 3, Dt: 20, Tau: 100, Activation: ActSoftplus, SigmaRec: 0.1}},
	} {
		for _, w := range []int{0, 1} {
			name := c.name
			if w > 0 {
				name += fmt.Sprintf("/workers%d", w)
			}
			b.Run(name, func(b *testing.B) {
				p, err := NewParams(c.cfg, 1)
				if err != nil {
					b.Fatal(err)
				}
				batch := cpuBenchBatch(c.cfg, 100, 16)
				rng := rand.New(rand.NewPCG(3, 4))
				noise := make([]float32, 100*16*c.cfg.NumHidden)
				for i := range noise {
					noise[i] = float32(rng.NormFloat64())
				}
				e, err := NewCPUEngine(c.cfg)
				if err != nil {
					b.Fatal(err)
				}
				e.SetWorkers(w)
				var res Result
				b.ReportAllocs()
				for b.Loop() {
					if err := e.LossAndGradInto(p, batch, noise, &res); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/step")
			})
		}
	}
}
