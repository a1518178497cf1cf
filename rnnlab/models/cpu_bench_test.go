package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

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

// multitaskBenchBatch is a batch shaped like the yang19 multitask data: a
// fixation input at 1 for the first three quarters of the trial, two
// 16-unit stimulus rings (a noisy cosine bump, shown in the middle half) and
// a one-hot rule among the last 20 inputs; labels at random, MSE targets
// 0.05 under a mask of ones.
func multitaskBenchBatch(cfg Config, T, B int) *tasks.Batch {
	rng := rand.New(rand.NewPCG(5, 6))
	I := cfg.NumInput
	O := cfg.NumOutput
	b := &tasks.Batch{T: T, B: B, ObsSize: I, Inputs: make([]float32, T*B*I), Labels: make([]int32, T*B),
		Targets: make([]float32, T*B*O), Mask: make([]float32, T*B*O)}
	for i := range b.Mask {
		b.Mask[i] = 1
		b.Targets[i] = 0.05
	}
	nring := min(32, I-1)
	for bb := range B {
		rule := 1 + nring + rng.IntN(max(1, I-1-nring))
		th := rng.Float64() * 2 * math.Pi
		for t := range T {
			x := b.Inputs[(t*B+bb)*I : (t*B+bb+1)*I]
			if t < 3*T/4 {
				x[0] = 1
			}
			if t >= T/4 && t < 3*T/4 {
				for k := range nring {
					x[1+k] = float32(0.5+0.5*math.Cos(th-2*math.Pi*float64(k%16)/16)) + float32(0.1*rng.NormFloat64())
				}
			}
			if rule < I {
				x[rule] = 1
			}
			b.Labels[t*B+bb] = int32(rng.IntN(cfg.NumOutput))
		}
	}
	return b
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCPUEngineSizes times one training step (LossAndGradInto) at
// H 64, 128 and 256, T 100, fresh parameters, for the primer's shape (B 16,
// I 3, O 3) and the yang19 multitask shape (B 32, I 53, O 17), on the
// primer's path (relu CTRNN, alpha 1, CE, no noise) and, for the multitask
// shape, on the general path (the paper's setup: alpha 0.2, sigma_rec 0.05,
// masked MSE on sigmoid outputs). Each runs with the kernels chosen by size
// ("auto") and with the scalar kernels forced ("scalar", the engine before
// the BLAS kernels). It reports ms/step (wall) and cpu-ms/step (process CPU
// time, all workers: the machine may be shared, CPU time is the steadier
// measure).
func BenchmarkCPUEngineSizes(b *testing.B) {
	for _, shape := range []struct {
		name    string
		I, O, B int
		general bool
	}{{"primer", 3, 3, 16, false}, {"multitask", 53, 17, 32, false}, {"multitask-paper", 53, 17, 32, true}} {
		for _, H := range []int{64, 128, 256} {
			for _, kernels := range []string{"auto", "scalar"} {
				if H < cpuBLASMinHidden && kernels == "scalar" {
					continue
				}
				b.Run(fmt.Sprintf("%s/H%d/%s", shape.name, H, kernels), func(b *testing.B) {
					cfg := Config{NumInput: shape.I, NumHidden: H, NumOutput: shape.O, Dt: 100, Tau: 100}
					if shape.general {
						cfg.Dt, cfg.SigmaRec, cfg.Loss, cfg.Sigmoid = 20, 0.05, LossMSE, true
					}
					p, err := NewParams(cfg, 1)
					if err != nil {
						b.Fatal(err)
					}
					var batch *tasks.Batch
					if shape.I > 3 {
						batch = multitaskBenchBatch(cfg, 100, shape.B)
					} else {
						batch = cpuBenchBatch(cfg, 100, shape.B)
					}
					var noise []float32
					if shape.general {
						rng := rand.New(rand.NewPCG(3, 4))
						noise = make([]float32, 100*shape.B*H)
						for i := range noise {
							noise[i] = float32(rng.NormFloat64())
						}
					}
					e, err := NewCPUEngine(cfg)
					if err != nil {
						b.Fatal(err)
					}
					if kernels == "scalar" {
						e.blas = -1
					}
					var res Result
					if err := e.LossAndGradInto(p, batch, noise, &res); err != nil {
						b.Fatal(err)
					}
					act := activeFraction(b, e, p, batch)
					b.ReportAllocs()
					b.ResetTimer()
					c0 := cpuTime()
					for b.Loop() {
						if err := e.LossAndGradInto(p, batch, noise, &res); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/1e6/float64(b.N), "cpu-ms/step")
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/step")
					b.ReportMetric(act, "active")
				})
			}
		}
	}
}
