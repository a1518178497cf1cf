package training

import (
	"bytes"
	"context"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// TestLeakyLearnsPDM trains Yang et al. (2019)'s leaky softplus cell on
// PerceptualDecisionMaking for 300 steps on the CPU engine (as `rnnlab
// train --cell leaky --activation softplus --steps 300`) and checks that it
// decides above chance (0.5 between the two choices) at the end.
func TestLeakyLearnsPDM(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 300 steps")
	}
	ds, cfg, err := NewTaskDataset(Config{Steps: 300, LogEvery: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Model.Cell, cfg.Model.Activation = models.CellLeaky, models.ActSoftplus
	e, err := models.NewEngine(models.EngineCPU, cfg.Model)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := Train(context.Background(), cfg, e, ds, nil, Hooks{Log: &bytes.Buffer{}, NoProgress: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: final loss %.4f, accuracy %.3f, %.1f ms/step", cfg.Model.Describe(), s.FinalLoss, s.FinalAccuracy, s.MedianStepMs)
	if s.FinalAccuracy < 0.65 {
		t.Errorf("final accuracy %.3f, want above chance (0.5) by a margin", s.FinalAccuracy)
	}
}
