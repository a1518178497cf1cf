package multitask

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// TestDivergedRunStops: at learning rate 1e30 the run stops at a named
// step with a *training.DivergedError; the checkpoint holds the last
// finite state (the step before) with the reason, loads (every value
// finite) and can be resumed.
func TestDivergedRunStops(t *testing.T) {
	cfg := smallConfig()
	cfg.LR, cfg.Steps = 1e30, 20
	tr, err := NewTrainer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tr.Checkpoint = filepath.Join(t.TempDir(), "ckpt.npz")
	runErr := tr.Run(context.Background())
	var de *training.DivergedError
	if !errors.As(runErr, &de) || !strings.HasPrefix(runErr.Error(), "multitask: training diverged at step ") {
		t.Fatalf("error %v, want a divergence", runErr)
	}
	t.Logf("%v", runErr)
	if tr.Step() != de.Step-1 {
		t.Errorf("the trainer is at step %d after diverging at %d", tr.Step(), de.Step)
	}
	var meta Meta
	_, st, err := models.LoadState(tr.Checkpoint, &meta)
	if err != nil {
		t.Fatalf("the checkpoint: %v", err)
	}
	if want := fmt.Sprintf("keeps the last finite state, after step %d, marked failed)", st.Step); !strings.HasSuffix(runErr.Error(), want) || st.Step != de.Step-1 {
		t.Errorf("the checkpoint holds step %d; the error says %q", st.Step, runErr)
	}
	if meta.Error != de.Error() {
		t.Errorf("the checkpoint's reason is %q, want %q", meta.Error, de.Error())
	}
	if _, err := Resume(tr.Checkpoint, nil); err != nil {
		t.Errorf("resume the kept checkpoint: %v", err)
	}
}
