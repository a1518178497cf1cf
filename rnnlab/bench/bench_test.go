package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ratioPositive checks a ratio of order statistics (not itself ordered).
func ratioPositive(t *testing.T, what string, s *Stat) {
	t.Helper()
	if s == nil || !(s.Min > 0) || !(s.Median > 0) || !(s.Max > 0) {
		t.Errorf("%s: not a positive ratio: %+v", what, s)
	}
}

func positive(t *testing.T, what string, s *Stat) {
	t.Helper()
	if s == nil || !(s.Min > 0) || s.Min > s.Median || s.Median > s.Max {
		t.Errorf("%s: not a sane positive measurement: %+v", what, s)
	}
}

// quick is a tiny configuration: a few steps of everything, the pipeline
// shortened, small sweeps.
func quick(dir string) Options {
	return Options{
		Repeats: 2, TrainSteps: 2, FPSteps: 2,
		Pipeline: true, PipelineSteps: 20, PipelineTrials: 5, PipelineFPIters: 30,
		Scaling: true,
		Sweeps: ScalingOptions{Hidden: []int{8, 16}, Batch: []int{2, 4}, SeqLen: []int{5, 10},
			Candidates: []int{30, 60}, Repeats: 2, Steps: 1, FPSteps: 2},
		PlotPath: filepath.Join(dir, "scaling.png"),
		NoGoMLX:  testing.Short(),
	}
}

// TestRunQuick runs the whole benchmark on the tiny configuration and
// checks the shape of the report (speed is measured, not asserted).
func TestRunQuick(t *testing.T) {
	dir := t.TempDir()
	o := quick(dir)
	var log bytes.Buffer
	r, err := Run(context.Background(), o, &log)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"train_step_cpu", "fp_step_ctrnn", "pipeline"}
	if !o.NoGoMLX {
		want = append(want, "train_step_gomlx", "fp_step_gomlx")
	}
	for _, name := range want {
		f := r.Figure(name)
		if f == nil {
			t.Fatalf("no figure %q", name)
		}
		positive(t, name, f.Rnnlab)
		if f.Torch != nil {
			positive(t, name+" (torch)", f.Torch)
			ratioPositive(t, name+" (ratio)", f.Ratio)
		}
	}
	if p := r.Pipe; p == nil || !(p.Train > 0) || !(p.FixedPoints > 0) || p.FPIters != 30 || !(p.Total >= p.Train+p.FixedPoints) {
		t.Errorf("pipeline times: %+v", r.Pipe)
	}
	if len(r.Scaling.Train) != 6 || len(r.Scaling.FP) != 2 {
		t.Fatalf("scaling rows: %d training, %d fixed-point", len(r.Scaling.Train), len(r.Scaling.FP))
	}
	for _, row := range append(r.Scaling.Train, r.Scaling.FP...) {
		positive(t, row.Sweep, row.Rnnlab)
	}
	if !(r.PeakRSSMB > 0) && r.Host.GOOS == "linux" {
		t.Errorf("peak RSS %v", r.PeakRSSMB)
	}
	if fi, err := os.Stat(o.PlotPath); err != nil || fi.Size() < 1000 {
		t.Errorf("plot: %v", err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	var tab bytes.Buffer
	if err := r.Table(&tab); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"training step (cpu engine)", "fixed-point step (ctrnn evaluator)", "tutorial", "| step |", "load average"} {
		if !strings.Contains(tab.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, tab.String())
		}
	}
	if r.Torch.Status != "skipped" {
		t.Errorf("torch status %q without Options.Torch", r.Torch.Status)
	}
	t.Logf("\n%s", tab.String())
}

// TestTorchUnavailable checks that a missing interpreter (or torch) is
// reported, not an error.
func TestTorchUnavailable(t *testing.T) {
	o := Options{Repeats: 1, TrainSteps: 1, FPSteps: 1, NoGoMLX: true, Torch: true,
		Python: filepath.Join(t.TempDir(), "no-python")}
	r, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Torch.Status, "unavailable: ") {
		t.Errorf("torch status %q", r.Torch.Status)
	}
	if f := r.Figure("train_step_cpu"); f == nil || f.Torch != nil || f.Ratio != nil {
		t.Errorf("train figure with missing torch: %+v", f)
	}
	var tab bytes.Buffer
	if err := r.Table(&tab); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tab.String(), "unavailable") {
		t.Errorf("table does not say torch is unavailable:\n%s", tab.String())
	}
}

// TestTorchReference runs the reference script on a tiny job when torch is
// installed. PyTorch is not needed to build or test rnnlab, and CI does not
// install it (Debian's python3-torch is large); the skip says how to run it.
func TestTorchReference(t *testing.T) {
	if err := TorchAvailable(context.Background(), ""); err != nil {
		t.Skipf("PyTorch is not available (%v): apt-get install python3-torch libopenblas0-pthread to run the reference script", err)
	}
	o := quick(t.TempDir())
	o.Torch, o.NoGoMLX, o.PlotPath = true, true, ""
	r, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Torch.Status != "ok" {
		t.Fatalf("torch status %q", r.Torch.Status)
	}
	for _, name := range []string{"train_step_cpu", "fp_step_ctrnn", "pipeline"} {
		f := r.Figure(name)
		positive(t, name+" (torch)", f.Torch)
		ratioPositive(t, name+" (ratio)", f.Ratio)
	}
	for _, row := range append(r.Scaling.Train, r.Scaling.FP...) {
		positive(t, row.Sweep+" (torch)", row.Torch)
	}
}

// TestCancel checks that a cancelled context stops the run.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{Pipeline: true, NoGoMLX: true}, nil); err == nil {
		t.Error("no error from a cancelled run")
	}
}
