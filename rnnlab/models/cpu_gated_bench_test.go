package models

import (
	"fmt"
	"testing"
)

// BenchmarkGatedCPU times one training step (LossAndGradInto: forward,
// BPTT, gradients) of the GRU and LSTM at batch 16, 100 steps, 3 inputs
// and outputs, cross-entropy, freshly initialised parameters, for hidden
// sizes 64 and 256 (H64 is the size compared with PyTorch's nn.GRU and
// nn.LSTM). It reports ms/step (wall) and cpu-ms/step (process CPU time,
// the steadier measure on a shared machine).
func BenchmarkGatedCPU(b *testing.B) {
	for _, cell := range []string{CellGRU, CellLSTM} {
		for _, H := range []int{64, 256} {
			b.Run(fmt.Sprintf("%s/H%d", cell, H), func(b *testing.B) {
				cfg := Config{Cell: cell, NumInput: 3, NumHidden: H, NumOutput: 3, Dt: 100, Tau: 100}
				p, err := NewParams(cfg, 1)
				if err != nil {
					b.Fatal(err)
				}
				batch := cpuBenchBatch(cfg, 100, 16)
				e, err := NewGatedCPUEngine(cfg)
				if err != nil {
					b.Fatal(err)
				}
				var res Result
				if err := e.LossAndGradInto(p, batch, nil, &res); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				c0 := cpuTime()
				for b.Loop() {
					if err := e.LossAndGradInto(p, batch, nil, &res); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/1e6/float64(b.N), "cpu-ms/step")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/step")
			})
		}
	}
}
