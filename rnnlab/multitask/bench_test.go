package multitask

import (
	"context"
	"testing"

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
	t.Config.Steps = b.N
	b.ResetTimer()
	if err := t.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(median(t.dataMs), "data-ms/batch")
	b.ReportMetric(median(t.stepMs), "step-ms")
}

// BenchmarkData times the making of one batch (B 32, T 100) alone.
func BenchmarkData(b *testing.B) {
	s, err := NewSchedule(DefaultDt, false)
	if err != nil {
		b.Fatal(err)
	}
	src := newBatchSource(s, seeds.Data(0), 32, 100, 1)
	defer src.stop()
	b.ResetTimer()
	for range b.N {
		if _, _, err := src.next(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluate times one evaluation of the default network on 200
// trials of each of the twenty tasks.
func BenchmarkEvaluate(b *testing.B) {
	t, err := NewTrainer(Config{})
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		if _, err := Evaluate(t.Engine, t.Params, DefaultEvalTrials, 1); err != nil {
			b.Fatal(err)
		}
	}
}
