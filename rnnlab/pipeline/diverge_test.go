package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// TestResumeDiverges: a run trained 3 steps at a sane learning rate, then
// resumed into another folder with the same weights but diverging (the
// stored learning rate raised to 1e30 by hand, as a numpy user might):
// Resume returns the *training.DivergedError, the new folder holds the
// last finite state marked failed, and the resumed folder is untouched.
func TestResumeDiverges(t *testing.T) {
	dir := t.TempDir()
	cfg := training.Config{Steps: 3, Seed: 2, BatchSize: 4, SeqLen: 20, LogEvery: 1,
		Model: models.Config{NumInput: 3, NumHidden: 12, NumOutput: 3, Dt: 100, Tau: 100}}
	ctx := context.Background()
	good := filepath.Join(dir, "good")
	if _, err := Train(ctx, good, TrainOptions{Training: cfg}); err != nil {
		t.Fatal(err)
	}
	prev, err := LoadRun(good)
	if err != nil {
		t.Fatal(err)
	}
	prev.Summary.Config.LR = 1e30
	hot := filepath.Join(dir, "hot")
	if err := prev.Save(hot); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(hot, ModelFile))
	out := filepath.Join(dir, "out")
	r, err := Resume(ctx, hot, out, TrainOptions{Training: training.Config{Steps: 50}})
	var de *training.DivergedError
	if !errors.As(err, &de) || de.Step <= 3 || r == nil {
		t.Fatalf("resume: %v", err)
	}
	t.Logf("%v", err)
	got, err := LoadRun(out)
	if err != nil {
		t.Fatalf("the failed run's folder does not load: %v", err)
	}
	if got.Summary.Status != training.StatusFailed || got.Summary.Steps != de.Step-1 || got.Adam.Step != de.Step-1 || got.Summary.ResumedAt != 3 {
		t.Errorf("failed run: status %q, %d steps, Adam step %d, resumed at %d; diverged at %d",
			got.Summary.Status, got.Summary.Steps, got.Adam.Step, got.Summary.ResumedAt, de.Step)
	}
	after, _ := os.ReadFile(filepath.Join(hot, ModelFile))
	if string(before) != string(after) {
		t.Error("the resumed run's model.npz changed (the output went to another folder)")
	}
}
