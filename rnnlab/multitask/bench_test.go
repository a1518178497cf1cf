package multitask

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/internal/stats"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

// BenchmarkTrainStep times one training step of the default network (H 256,
// B 32, T 100), data generation included (made by the prefetching source).
func BenchmarkTrainStep(b *testing.B) {
	cfg := Config{Steps: 1 << 30, EvalEvery: 1 << 30}
	t, err := NewTrainer(cfg)
	if err != nil {
		b.Fatal(err)
	}
	t.Meta.History = []Eval{{}} // skip the evaluation at step 0
	c0 := cpuTime()
	b.ResetTimer()
	// Stopped by the context after b.N steps: no evaluation at the end.
	if err := t.Run(&stopAfter{Context: context.Background(), n: b.N}); err != context.Canceled {
		b.Fatal(err)
	}
	b.ReportMetric(stats.Median(t.dataMs), "data-ms/batch")
	b.ReportMetric(stats.Median(t.stepMs), "step-ms")
	// The process' CPU time per step (all threads, data included): on a
	// busy machine it says more than the wall time.
	b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(b.N), "cpu-ms/step")
}

// BenchmarkData times the making of one batch (B 32, T 100) alone.
func BenchmarkData(b *testing.B) {
	s, err := NewSchedule(DefaultDt, false)
	if err != nil {
		b.Fatal(err)
	}
	src := newBatchSource(scheduleMaker(s, seeds.Data(0), 32, 100, 1), 1, nil)
	defer src.stop()
	c0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		if _, _, _, err := src.next(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(b.N), "cpu-ms/batch")
}

// BenchmarkEvaluate times one evaluation of the default network on 200
// trials of each of the twenty tasks.
func BenchmarkEvaluate(b *testing.B) {
	t, err := NewTrainer(Config{})
	if err != nil {
		b.Fatal(err)
	}
	c0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		if _, err := Evaluate(t.Engine, t.Params, DefaultEvalTrials, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/1e6/float64(b.N), "cpu-ms/eval")
}

// cpuTime is the process' user + system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
