package models

import (
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
)

// ceBenchEvaluators returns the fast and the graph evaluator of one seeded
// 64-unit network and 2200 candidates from its activity (the tutorial's
// problem size: 100 trials of 22 steps).
func ceBenchEvaluators(b *testing.B, n int) (map[string]fixedpoints.Evaluator, []float32) {
	p := ceParams(b, 64, 1, 1)
	return map[string]fixedpoints.Evaluator{"ctrnn": ceNew(b, p), "graph": ceGraphEval(b, p)}, ceCloud(p, n, 0, 2)
}

var ceBenchInput = []float32{1, 0.5, 0.5}

// BenchmarkCTRNNEvaluatorSpeedGrad2200x64 times one SpeedGrad call on the
// tutorial's 2200 candidates of 64 units, for the fast CTRNN evaluator and
// the GoMLX graph evaluator; cpu-ms/op is the process CPU time per call.
func BenchmarkCTRNNEvaluatorSpeedGrad2200x64(b *testing.B) {
	evs, x := ceBenchEvaluators(b, 2200)
	for _, name := range []string{"ctrnn", "graph"} {
		ev := evs[name]
		b.Run(name, func(b *testing.B) {
			speed, grad := make([]float32, 2200), make([]float32, len(x))
			if err := ev.SpeedGrad(x, ceBenchInput, speed, grad); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			c0 := cpuTime()
			for range b.N {
				if err := ev.SpeedGrad(x, ceBenchInput, speed, grad); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkCTRNNEvaluatorWorkers2200x64 times SpeedGrad of the fast
// evaluator on 1 and 2 goroutines.
func BenchmarkCTRNNEvaluatorWorkers2200x64(b *testing.B) {
	p := ceParams(b, 64, 1, 1)
	x := ceCloud(p, 2200, 0, 2)
	for _, w := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[w], func(b *testing.B) {
			ev := ceNew(b, p)
			ev.SetWorkers(w)
			speed, grad := make([]float32, 2200), make([]float32, len(x))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := ev.SpeedGrad(x, ceBenchInput, speed, grad); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCTRNNFinderIteration2200x64 times one whole iteration of
// Finder.Find (SpeedGrad, the objective and finiteness checks, the Adam
// update in Go) with the tutorial's settings, for both evaluators. Find's
// one-off costs (copying the candidates, the final residuals) are spread
// over b.N iterations.
func BenchmarkCTRNNFinderIteration2200x64(b *testing.B) {
	evs, x := ceBenchEvaluators(b, 2200)
	for _, name := range []string{"ctrnn", "graph"} {
		ev := evs[name]
		b.Run(name, func(b *testing.B) {
			o := fixedpoints.PrimerOptions()
			o.Stop = fixedpoints.StopNever
			o.MaxIters = 1
			f, err := fixedpoints.NewFinder(ev, o)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := f.Find(x, ceBenchInput); err != nil { // compile (graph)
				b.Fatal(err)
			}
			f.Options.MaxIters = b.N
			b.ReportAllocs()
			b.ResetTimer()
			if _, err := f.Find(x, ceBenchInput); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkCTRNNEvaluatorJacobians66x64 times the Jacobians at 66 points
// (the tutorial's typical number of kept fixed points).
func BenchmarkCTRNNEvaluatorJacobians66x64(b *testing.B) {
	evs, x := ceBenchEvaluators(b, 66)
	for _, name := range []string{"ctrnn", "graph"} {
		ev := evs[name]
		b.Run(name, func(b *testing.B) {
			jac := make([]float32, 66*64*64)
			if err := ev.Jacobians(x, ceBenchInput, jac); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := ev.Jacobians(x, ceBenchInput, jac); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
