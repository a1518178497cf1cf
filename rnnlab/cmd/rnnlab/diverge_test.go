package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
)

// setElement sets element i of the float32 array name of the archive at
// path to v, as a numpy user editing a checkpoint would.
func setElement(t *testing.T, path, name string, i int, v float32) {
	t.Helper()
	f, err := npz.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w := npz.NewWriter()
	for n, a := range f.Arrays {
		if n == name {
			a.Data.([]float32)[i] = v
		}
		w.Add(n, a.Shape, a.Data)
	}
	for n, b := range f.Raw {
		w.AddRaw(n, b)
	}
	if err := w.WriteFile(path); err != nil {
		t.Fatal(err)
	}
}

// TestTrainDiverges: `train --lr 1e30` fails at a named step with one
// line, and its folder holds the last finite state, loadable, with
// train.json marked failed and null final means; `--lr Inf` is refused
// before any folder is made.
func TestTrainDiverges(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	base := []string{"train", "--hidden", "16", "--batch", "4", "--seq-len", "20", "--no-progress", "--quiet"}
	st, stdout, errs := cli(append(base, "--lr", "1e30", "--steps", "150", "--out", out)...)
	if st == 0 || !strings.Contains(errs, "training diverged at step 2: loss is NaN") || strings.Count(errs, "\n") != 1 || strings.Contains(stdout, "final loss") {
		t.Fatalf("status %d, stdout %q, stderr %q", st, stdout, errs)
	}
	t.Logf("stderr: %s", errs)
	b, err := os.ReadFile(filepath.Join(out, pipeline.TrainFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["status"] != "failed" || doc["final_loss"] != nil || doc["final_accuracy"] != nil || doc["steps"] != 1.0 ||
		!strings.HasPrefix(doc["error"].(string), "training diverged at step 2") {
		t.Errorf("train.json: %s", b)
	}
	run, err := pipeline.LoadRun(out) // refuses any non-finite value
	if err != nil || run.Adam.Step != 1 || run.Summary.Status != "failed" || !math.IsNaN(run.Summary.FinalLoss) {
		t.Fatalf("the failed run's folder: %v", err)
	}

	for _, lr := range []string{"Inf", "NaN", "-1"} {
		o := filepath.Join(dir, "lr"+lr)
		st, _, errs := cli(append(base, "--lr", lr, "--steps", "5", "--out", o)...)
		if st == 0 || !strings.Contains(errs, "lr") || strings.Count(errs, "\n") != 1 {
			t.Errorf("--lr %s: status %d, stderr %q", lr, st, errs)
		}
		if _, err := os.Stat(o); err == nil {
			t.Errorf("--lr %s left %s behind", lr, o)
		}
	}
}

// TestNonFiniteCheckpointRefused: `train --resume` and `analyze` of a run
// whose model.npz holds one infinite bias fail with one line naming the
// array and element, and create no output folder.
func TestNonFiniteCheckpointRefused(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if st, _, errs := cli("train", "--hidden", "16", "--batch", "4", "--seq-len", "20", "--steps", "5", "--no-progress", "--quiet", "--out", run); st != 0 {
		t.Fatalf("train: %s", errs)
	}
	model := filepath.Join(run, pipeline.ModelFile)
	setElement(t, model, "b_rr", 7, float32(math.Inf(1)))
	want := model + ": b_rr[7] is +Inf"
	for _, args := range [][]string{
		{"train", "--resume", run, "--steps", "10", "--out", filepath.Join(dir, "resumed"), "--no-progress", "--quiet"},
		{"analyze", "--run", run, "--out", filepath.Join(dir, "analysis"), "--quiet"},
	} {
		st, _, errs := cli(args...)
		if st == 0 || !strings.Contains(errs, want) || strings.Count(errs, "\n") != 1 {
			t.Errorf("%s: status %d, stderr %q; want one line with %q", args[0], st, errs, want)
		}
	}
	for _, d := range []string{"resumed", "analysis"} {
		if _, err := os.Stat(filepath.Join(dir, d)); err == nil {
			t.Errorf("%s was created", d)
		}
	}
	// An Adam moment too.
	setElement(t, model, "b_rr", 7, 0)
	setElement(t, model, "adam_v.w_rr", 16*2+3, float32(math.NaN()))
	st, _, errs := cli("train", "--resume", run, "--steps", "10", "--no-progress", "--quiet")
	if st == 0 || !strings.Contains(errs, model+": adam_v.w_rr[2,3] is NaN") {
		t.Errorf("NaN moment: status %d, stderr %q", st, errs)
	}
}
