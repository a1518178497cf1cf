package pipeline

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// TestResumeRunFolder trains 6 steps into a folder, resumes it to 15, and
// checks the weights against a 15-step run in one go, bit for bit, and the
// saved history and Adam state.
func TestResumeRunFolder(t *testing.T) {
	dir := t.TempDir()
	cfg := training.Config{Steps: 15, Seed: 4, BatchSize: 4, SeqLen: 20, LogEvery: 5, WeightL2: 1e-3,
		Model: models.Config{NumInput: 3, NumHidden: 12, NumOutput: 3, Dt: 100, Tau: 100, SigmaRec: 0.1, Loss: models.LossMSE}}
	ctx := context.Background()
	straight, err := Train(ctx, filepath.Join(dir, "straight"), TrainOptions{Training: cfg})
	if err != nil {
		t.Fatal(err)
	}
	part := cfg
	part.Steps = 6
	if _, err := Train(ctx, filepath.Join(dir, "part"), TrainOptions{Training: part}); err != nil {
		t.Fatal(err)
	}
	if _, err := Resume(ctx, filepath.Join(dir, "part"), "", TrainOptions{Training: training.Config{Steps: 6}}); err == nil || !strings.Contains(err.Error(), "has 6 steps already") {
		t.Errorf("resume to the same step count: err %v", err)
	}
	if _, err := Resume(ctx, filepath.Join(dir, "part"), "", TrainOptions{Training: training.Config{Steps: 15}}); err != nil {
		t.Fatal(err)
	}
	got, err := LoadRun(filepath.Join(dir, "part"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Adam == nil || got.Adam.Step != 15 || got.Summary.Steps != 15 || got.Summary.ResumedAt != 6 || len(got.Summary.History) != 3 {
		t.Fatalf("resumed run: adam %v, summary %+v", got.Adam != nil, got.Summary)
	}
	for i, v := range straight.Params.Values {
		for j := range v {
			if math.Float32bits(v[j]) != math.Float32bits(got.Params.Values[i][j]) {
				t.Fatalf("%s[%d]: %v straight, %v resumed", got.Params.ParamNames()[i], j, v[j], got.Params.Values[i][j])
			}
		}
	}
	if got.Summary.History[0] != straight.Summary.History[0] {
		t.Errorf("first log window %+v, straight %+v", got.Summary.History[0], straight.Summary.History[0])
	}
}
