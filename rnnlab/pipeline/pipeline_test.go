package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// shortRun trains a small run (few steps) into a temporary folder.
func shortRun(t *testing.T, steps int) *Run {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	r, err := Train(context.Background(), dir, TrainOptions{
		Training: training.Config{Seed: 7, Steps: steps,
			TaskConfig: tasks.PerceptualDecisionMakingConfig{FixationOnlyInFixation: true}},
		Hooks: training.Hooks{NoProgress: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTrainWritesALoadableRun(t *testing.T) {
	r := shortRun(t, 200)
	for _, f := range []string{ModelFile, TrainFile, TrainingPlot} {
		if st, err := os.Stat(filepath.Join(r.Dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	var s training.Summary
	b, _ := os.ReadFile(filepath.Join(r.Dir, TrainFile))
	if err := json.Unmarshal(b, &s); err != nil || s.Steps != 200 || len(s.History) != 2 {
		t.Fatalf("train.json: %v, %+v", err, s)
	}
	if !(s.History[1].Loss < s.History[0].Loss) {
		t.Errorf("loss did not decrease: %+v", s.History)
	}
	back, err := LoadRun(r.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range r.Params.Tensors() {
		got := back.Params.Tensors()[i]
		for j := range w {
			if got[j] != w[j] {
				t.Fatalf("weight %d[%d] changed in the round trip", i, j)
			}
		}
	}
	// The task configuration survives the JSON round trip: the reloaded
	// task uses the newer fixation mode, as trained.
	task, err := back.NewTask(1)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := task.NewTrial(nil)
	if err != nil {
		t.Fatal(err)
	}
	if tr.ObsAt(1)[0] != 0 {
		t.Errorf("reloaded task lost its fixation mode: step 1 fixation input %v", tr.ObsAt(1)[0])
	}
}

func TestLoadRunErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadRun(dir); err == nil || !strings.Contains(err.Error(), "not a run folder") {
		t.Errorf("empty folder: %v", err)
	}
	bad := filepath.Join(dir, ModelFile)
	os.WriteFile(bad, []byte("not a zip"), 0o644)
	if _, err := LoadRun(dir); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("corrupt model: %v", err)
	}
}

func TestCanceledTrainingSavesThePartialRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	ctx, cancel := context.WithCancel(context.Background())
	hooks := training.Hooks{NoProgress: true, OnStep: func(s training.StepInfo) error {
		if s.Step == 30 {
			cancel()
		}
		return nil
	}}
	r, err := Train(ctx, dir, TrainOptions{Training: training.Config{Steps: 1000}, Hooks: hooks})
	if err == nil || r == nil || !r.Summary.Canceled {
		t.Fatalf("want a canceled run and an error, got %v, %v", r, err)
	}
	back, err := LoadRun(dir)
	if err != nil || back.Summary.Steps < 30 || back.Summary.Steps >= 1000 {
		t.Fatalf("partial run not saved: %v, %+v", err, back)
	}
}

// TestAnalyzeWritesEverything runs a shortened analysis of a briefly
// trained network and checks the analysis folder and the report.
func TestAnalyzeWritesEverything(t *testing.T) {
	r := shortRun(t, 300)
	finder := fixedpoints.PrimerSearch()
	finder.Options.MaxIters = 600
	finder.FilterLoss = 1e-2 // a short search on a briefly trained network
	var log bytes.Buffer
	a, err := Analyze(r, AnalyzeOptions{Trials: 40, FixedPoints: analysis.FixedPointOptions{Search: &finder, Log: &log}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Optimizing with Adam(", "Kept ", "unique fixed points", "Excluding outliers:", "Newton's method from the"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
	if a.Activity.NumStates() != 40*22 {
		t.Errorf("%d states, want 880", a.Activity.NumStates())
	}
	st := a.Points.Stages
	if len(st) != 4 || st[0].Name != "optimized" || st[3].Name != "exclude_outliers" || st[3].Count < 2 {
		t.Fatalf("stages %v", st)
	}
	// At least two kept points: the line attractor through the middle one.
	la := a.Line
	if la == nil || la.Index < 0 || la.Index >= a.Points.Len() || len(la.Direction) != 64 ||
		len(a.Jacobians) != a.Points.Len() || len(a.PointEigen) != a.Points.Len() {
		t.Fatalf("bad line attractor %+v (%d Jacobians, %d spectra, %d points)", la, len(a.Jacobians), len(a.PointEigen), a.Points.Len())
	}
	if la.Eigenvalue != a.PointEigen[la.Index].Values[0] || la.LineMeasure <= 0 || la.LineMeasure > 1 {
		t.Errorf("line eigenvalue %v, point's leading %v, line measure %v", la.Eigenvalue, a.PointEigen[la.Index].Values[0], la.LineMeasure)
	}
	// Newton from the kept points reaches exact fixed points.
	if a.Exact == nil || a.Exact.Len() == 0 || len(a.ExactEigen) != a.Exact.Len() {
		t.Fatalf("no exact fixed point: %+v", a.Exact)
	}
	for k := 0; k < a.Exact.Len(); k++ {
		if a.Exact.Speed[k] > 1e-12 {
			t.Errorf("exact point %d has speed %g", k, a.Exact.Speed[k])
		}
	}
	for k := 0; k < a.Points.Len(); k++ {
		if a.Points.Speed[k] >= finder.FilterLoss {
			t.Errorf("kept point %d has speed %g >= the loss filter", k, a.Points.Speed[k])
		}
	}
	figs, err := Figures(r, a, 1)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "analysis")
	if err := a.Write(out, figs); err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		for _, ext := range []string{".png", ".svg"} {
			if st, err := os.Stat(filepath.Join(out, f.Name+ext)); err != nil || st.Size() < 1000 {
				t.Errorf("figure %s%s: %v", f.Name, ext, err)
			}
		}
	}
	fp, err := npz.ReadFile(filepath.Join(out, FixedPointsFile))
	if err != nil {
		t.Fatal(err)
	}
	n := a.Points.Len()
	for name, shape := range map[string][]int{
		"points": {n, 64}, "q": {n}, "jacobians": {n, 64, 64}, "eigenvalues": {n, 64},
		"pca_components": {2, 64}, "pca_mean": {64}, "candidates": {880, 64}, "ids": {n},
		"exact_points": {a.Exact.Len(), 64}, "exact_eigenvalues": {a.Exact.Len(), 64},
	} {
		arr, ok := fp.Arrays[name]
		if !ok || len(arr.Shape) != len(shape) {
			t.Errorf("%s: missing or shape %v, want %v", name, arr.Shape, shape)
			continue
		}
		for i := range shape {
			if arr.Shape[i] != shape[i] {
				t.Errorf("%s: shape %v, want %v", name, arr.Shape, shape)
			}
		}
	}
	var sum Summary
	b, _ := os.ReadFile(filepath.Join(out, AnalysisFile))
	if err := json.Unmarshal(b, &sum); err != nil || sum.States != 880 || len(sum.Stages) != 4 || sum.Exact != a.Exact.Len() {
		t.Errorf("analysis.json: %v %+v", err, sum)
	}
	rep, err := Report(r, a, figs)
	if err != nil {
		t.Fatal(err)
	}
	htmlBytes, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	html := string(htmlBytes)
	for _, want := range []string{"Training", "Fixed points", "Step 300, Loss", "data:image/png;base64,", "exact fixed points reached by Newton"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if got := strings.Count(html, "<img"); got != len(figs) {
		t.Errorf("report has %d images, want %d", got, len(figs))
	}
}

// TestRunOfAnotherTaskLoads trains briefly on DelayComparison with a
// non-default option and loads the run back: the task's own configuration
// type, its option, and a task that draws the same trials as one built
// directly.
func TestRunOfAnotherTaskLoads(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	cfg := tasks.DelayComparisonConfig{Sigma: tasks.Ptr(0.5)}
	if _, err := Train(context.Background(), dir, TrainOptions{
		Training: training.Config{Seed: 3, Steps: 3, Task: tasks.DelayComparisonName, TaskConfig: cfg},
		Hooks:    training.Hooks{NoProgress: true},
	}); err != nil {
		t.Fatal(err)
	}
	r, err := LoadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := r.Summary.Config.TaskConfig.(tasks.DelayComparisonConfig)
	if !ok || got.Sigma == nil || *got.Sigma != 0.5 {
		t.Fatalf("task configuration read back as %#v", r.Summary.Config.TaskConfig)
	}
	loaded, err := r.NewTask(11)
	if err != nil {
		t.Fatal(err)
	}
	direct, err := tasks.New(tasks.DelayComparisonName, tasks.WithConfig(cfg), tasks.WithSeed(11))
	if err != nil {
		t.Fatal(err)
	}
	a, b := mustTrial(t, loaded), mustTrial(t, direct)
	if !slices.Equal(a.Obs, b.Obs) || !slices.Equal(a.Labels, b.Labels) {
		t.Error("the loaded run's task draws other trials than the task built directly")
	}
}

func mustTrial(t *testing.T, task tasks.Task) *tasks.Trial {
	t.Helper()
	tr, err := task.NewTrial(nil)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}
