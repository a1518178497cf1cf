package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/workingmemory"
)

func TestWorkingMemoryTutorialUsageErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ args []string }{
		{[]string{"tutorial", "--name", "working-memory"}},
		{[]string{"tutorial", "--name", "working-memory", "--seeds", "0", "--out", dir + "/w"}},
		{[]string{"tutorial", "--name=working-memory", "--steps", "0", "--out", dir + "/w"}},
		{[]string{"tutorial", "--name", "working-memory", "--bogus"}},
	}
	want := []string{"--out is required", "--seeds must be in 1..1000", "--steps must be >= 1", "flag provided but not defined"}
	for i, c := range cases {
		st, _, errs := cli(c.args...)
		if st != 2 || !strings.Contains(errs, want[i]) || len(stderrLines(errs)) != 1 {
			t.Errorf("%v: status %d, stderr %q; want status 2 and one line with %q", c.args, st, errs, want[i])
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

// TestWorkingMemoryTutorialWritesTheReport runs a short tutorial (one seed,
// 100 steps) and checks its files and printed count.
func TestWorkingMemoryTutorialWritesTheReport(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network")
	}
	out := filepath.Join(t.TempDir(), "wm")
	st, stdout, errs := cli("tutorial", "--name", "working-memory", "--out", out, "--seeds", "1", "--steps", "100")
	if st != 0 {
		t.Fatalf("status %d, stderr %q", st, errs)
	}
	if !strings.Contains(stdout, "of 1 seeds form a line attractor.") || !strings.Contains(stdout, "Report: ") {
		t.Errorf("stdout lacks the count or the report's path:\n%s", stdout)
	}
	for _, f := range []string{workingmemory.ReportFile, workingmemory.SceneFile, workingmemory.ScoresFile, "delay_activity.png", "seed-0/model.npz"} {
		if s, err := os.Stat(filepath.Join(out, f)); err != nil || s.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, workingmemory.ScoresFile))
	if err != nil {
		t.Fatal(err)
	}
	var scores []workingmemory.Score
	if err := json.Unmarshal(b, &scores); err != nil || len(scores) != 1 || scores[0].Seed != 0 {
		t.Fatalf("scores.json: %v, %s", err, b)
	}
	html, _ := os.ReadFile(filepath.Join(out, workingmemory.ReportFile))
	if !strings.Contains(string(html), "Not every seed forms a line attractor") || !strings.Contains(string(html), "data:image/png;base64,") {
		t.Error("report.html lacks the seeds' section or its figures")
	}
}
