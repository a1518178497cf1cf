package multitask

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShippedLoads finds the shipped checkpoint from a subfolder of the
// checkout and loads it: a 256-unit network of the default run, seed 0.
func TestShippedLoads(t *testing.T) {
	path, err := FindShipped(".") // rnnlab/multitask: two levels below the root
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(filepath.ToSlash(path), ShippedCheckpoint) {
		t.Errorf("FindShipped = %s, want a path ending in %s", path, ShippedCheckpoint)
	}
	p, meta, err := LoadRun(path)
	if err != nil {
		t.Fatal(err)
	}
	want := (Config{Seed: ShippedSeed}).Model()
	if p.Config != want || meta.Config.Seed != ShippedSeed {
		t.Errorf("shipped network %s seed %d, want %s seed %d", p.Describe(), meta.Config.Seed, want.Describe(), ShippedSeed)
	}
	if len(meta.History) == 0 || !strings.Contains(meta.Trained(), p.Describe()) {
		t.Errorf("shipped network has no training history or an odd summary: %q", meta.Trained())
	}
	if _, err := FindShipped(os.TempDir()); err == nil {
		t.Errorf("FindShipped(%s) found a checkpoint outside the checkout", os.TempDir())
	}
}

// TestWriteAccuracies checks the per-task lines and the count at target.
func TestWriteAccuracies(t *testing.T) {
	acc := make([]float64, len(ShortNames()))
	for k := range acc {
		acc[k] = 0.95
	}
	acc[0] = 0.5 // go below its target
	md, err := TaskIndex("multidm")
	if err != nil {
		t.Fatal(err)
	}
	acc[md] = 0.86 // above multidm's 0.85 target
	var b bytes.Buffer
	if err := WriteAccuracies(&b, acc, nil); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 21 {
		t.Fatalf("%d lines, want 21:\n%s", len(lines), b.String())
	}
	if lines[0] != "  go         0.500  (target 0.90)  below" {
		t.Errorf("first line %q", lines[0])
	}
	if lines[md] != "  multidm    0.860  (target 0.85)" {
		t.Errorf("multidm line %q", lines[md])
	}
	if lines[20] != "19 of 20 tasks at their target; lowest 0.500" {
		t.Errorf("last line %q", lines[20])
	}
	if WriteAccuracies(&b, acc[:3], nil) == nil {
		t.Error("3 accuracies for 20 tasks: no error")
	}
}
