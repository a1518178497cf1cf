package multitask

import (
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// BenchmarkPaperStepNoise draws the noise of one training step of the
// paper's setup at 256 units, batch 32, 100 steps.
func BenchmarkPaperStepNoise(b *testing.B) {
	m := Config{Paper: true}.Model()
	bt := &tasks.Batch{T: DefaultSeqLen, B: DefaultBatchSize, ObsSize: m.NumInput, Inputs: make([]float32, DefaultSeqLen*DefaultBatchSize*m.NumInput)}
	for i := 0; b.Loop(); i++ {
		training.StepNoise(m, 0, i+1, bt)
	}
}
