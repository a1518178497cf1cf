package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/lstmviz"
)

// TestLSTMTutorial runs `rnnlab tutorial --name lstm` with its defaults
// (seed 2 converges in a few seconds) and checks what it wrote: the
// network loads and reaches the loss criterion, the report holds both
// figures.
func TestLSTMTutorial(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lstm")
	st, out, errs := cli("tutorial", "--name", "lstm", "--out", dir)
	if st != 0 || !strings.Contains(out, "LSTM converged after") || !strings.Contains(out, "Mean gates at the report steps") {
		t.Fatalf("status %d\n%s\n%s", st, out, errs)
	}
	r, err := lstmviz.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Converged || !(r.Loss < 1e-4) || r.Config.Seed != lstmviz.DefaultSeed {
		t.Errorf("saved run: %v", r)
	}
	if n := strings.Count(out, "\nStep "); n != len(r.WindowSteps) || !strings.HasPrefix(strings.SplitN(out, "\n", 3)[1], "Step 500, Loss ") {
		t.Errorf("%d log lines for %d windows:\n%s", n, len(r.WindowSteps), out)
	}
	html, err := os.ReadFile(filepath.Join(dir, lstmviz.ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(html, []byte("data:image/png;base64,")); n != 2 {
		t.Errorf("report has %d figures, want 2", n)
	}
	for _, f := range []string{lstmGatesFile, lstmLossFile} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestLSTMTutorialBadFlags checks the one-line usage errors, which leave
// no folder behind.
func TestLSTMTutorialBadFlags(t *testing.T) {
	dir := t.TempDir()
	o := filepath.Join(dir, "o")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--name", "lstm"}, "--out is required"},
		{[]string{"--name=lstm", "--out", o, "--lr", "0"}, "--lr must be > 0"},
		{[]string{"--name", "lstm", "--out", o, "--max-steps", "0"}, "--max-steps must be > 0"},
		{[]string{"--name", "lstm", "--out", o, "--window", "600", "--max-steps", "500"}, "--window must be in"},
		{[]string{"--name", "lstm", "--out", o, "--target-loss", "-1"}, "--target-loss must be > 0"},
		{[]string{"--name", "lstm", "--out", o, "--engine", "tpu"}, "unknown engine"},
		{[]string{"--name", "lstm", "--out", o, "--steps", "5"}, "flag provided but not defined"},
		{[]string{"--name", "lstmm", "--out", o}, "unknown tutorial"},
	} {
		st, _, errs := cli(append([]string{"tutorial"}, c.args...)...)
		if st != 2 || !strings.Contains(errs, c.msg) || len(stderrLines(errs)) != 1 {
			t.Errorf("%v: status %d, stderr %q; want status 2 and one line with %q", c.args, st, errs, c.msg)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
	st, out, _ := cli("tutorial", "--name", "lstm", "--help")
	if st != 0 || !strings.Contains(out, "Usage: rnnlab tutorial --name lstm") || !strings.Contains(out, "-target-loss") {
		t.Errorf("--help: status %d\n%s", st, out)
	}
}
