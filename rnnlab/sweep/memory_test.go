package sweep

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/memlimit"
)

// TestRunRefusedForMemory: a run whose analysis would not fit in memory
// (issue 19: [analysis] trials = 10^12 crashed with "out of memory" and
// left a .tmp folder behind) is recorded as failed with the reason, before
// the analysis allocates, and leaves no temporary folder; a temporary
// folder left by a killed worker does not stop the run being redone.
func TestRunRefusedForMemory(t *testing.T) {
	s := writeSweep(t, "out = \"out\"\nsteps = 5\n[base]\nhidden = 4\nbatch = 2\nseq_len = 10\n[analysis]\ntrials = 100000\n")
	run := s.Runs[0]
	stale := run.Dir(s.Out) + ".tmp"
	if err := os.MkdirAll(filepath.Join(stale, "analysis"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stale, "model.npz"), []byte("half-written"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(memlimit.EnvVar, "64M")
	res, _, err := RunTask(context.Background(), s, 0, nil)
	if err == nil || res == nil || res.Status != StatusFailed || !strings.Contains(res.Error, "the analysis of 100000 trials") || !strings.Contains(res.Error, "needs") || !strings.Contains(res.Error, "of memory") {
		t.Fatalf("RunTask: result %+v, error %v; want a failed record saying how much memory the analysis needs", res, err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the temporary folder is still there: %v", err)
	}
	rec, err := ReadResult(run.Dir(s.Out))
	if err != nil || rec.Status != StatusFailed || rec.Error != res.Error {
		t.Errorf("record %+v, %v", rec, err)
	}
}
