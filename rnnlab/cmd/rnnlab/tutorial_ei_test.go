package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEITutorial runs `rnnlab tutorial --name ei` for a few steps and
// checks its printed numbers, its figures and its report.
func TestEITutorial(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ei")
	st, out, errs := cli("tutorial", "--name", "ei", "--out", dir, "--steps", "200", "--seed", "2")
	if st != 0 {
		t.Fatalf("status %d\nstdout:\n%s\nstderr:\n%s", st, out, errs)
	}
	for _, s := range []string{"Trained 200 steps", "Step 200, Loss ", "Test accuracy on 500 trials: ", "nn-brain's notebook reports 0.848", "Dale's law: 0 violations", "Report: "} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	for _, f := range []string{"model.npz", "task.png", "training.png", "activity.png", "selectivity.png", "connectivity.png", "connectivity_panel.png", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Dale", "Selectivity", "Connectivity", "notebook reports 0.848"} {
		if !strings.Contains(string(html), s) {
			t.Errorf("report.html lacks %q", s)
		}
	}
}

func TestEITutorialUsage(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"tutorial", "--name", "ei"}, "--out is required"},
		{[]string{"tutorial", "--name", "ei", "--out", dir, "--steps", "0"}, "--steps must be > 0"},
		{[]string{"tutorial", "--name", "ei", "--out", dir, "--engine", "tpu"}, "unknown engine"},
		{[]string{"tutorial", "--name", "ei", "--out", dir, "--hidden", "3"}, "flag provided but not defined"},
	} {
		st, _, errs := cli(c.args...)
		if st != 2 || !strings.Contains(errs, c.msg) || len(stderrLines(errs)) != 1 {
			t.Errorf("%q: status %d, stderr %q; want 2 and one line with %q", c.args, st, errs, c.msg)
		}
	}
	st, out, _ := cli("tutorial", "--name", "ei", "--help")
	if st != 0 || !strings.Contains(out, "tutorial --name ei --out DIR") {
		t.Errorf("--help: status %d, output %q", st, out)
	}
}
