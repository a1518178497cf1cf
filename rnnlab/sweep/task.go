package sweep

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// File names in a sweep folder and in a run folder.
const (
	SweepFile   = "sweep.json"  // the sweep's id, in the sweep folder
	ResultFile  = "run.json"    // a run's outcome, written last
	AnalysisDir = "analysis"    // a run's analysis folder
	ResultsCSV  = "results.csv" // Collect's table
	ResultsJSON = "results.json"
	ReportFile  = "report.html"
)

// Run statuses in run.json and in Status.
const (
	StatusDone    = "done"
	StatusFailed  = "failed"
	StatusRunning = "running"
	StatusPending = "pending"
	StatusMissing = "missing"
)

// Result is a run's run.json: its outcome and metrics.
type Result struct {
	Status string `json:"status"`
	Index  int    `json:"index"`
	ID     string `json:"id"`
	Params Params `json:"params"`
	// Error is the failure's message (status failed).
	Error string `json:"error,omitempty"`
	// Note says why a part was skipped (e.g. the fixed-point search for a
	// task whose input size differs from the search's input).
	Note string `json:"note,omitempty"`
	// Training: the final loss and decision accuracy (means over the last
	// 100 steps), the steps done and the training's wall time.
	FinalLoss     float64 `json:"final_loss"`
	FinalAccuracy float64 `json:"final_accuracy"`
	Steps         int     `json:"steps"`
	TrainSeconds  float64 `json:"train_seconds"`
	// Analysis (when run): the trial accuracy of the fresh trials, the
	// kept slow points, the exact fixed points, the leading (slow-mode)
	// eigenvalue at the line's point and the line measure.
	Analysed        bool       `json:"analysed"`
	TrialAccuracy   float64    `json:"trial_accuracy"`
	FixedPoints     int        `json:"fixed_points"`
	ExactPoints     int        `json:"exact_fixed_points"`
	SlowMode        [2]float64 `json:"slow_mode"`
	LineMeasure     float64    `json:"line_measure"`
	HasLine         bool       `json:"has_line"`
	AnalysisSeconds float64    `json:"analysis_seconds"`
	// Seconds is the run's total wall time; Host the machine it ran on.
	Seconds float64 `json:"seconds"`
	Host    string  `json:"host"`
}

// ErrRunning is returned by RunTask when another process is doing the run.
var ErrRunning = errors.New("the run is already running in another process")

// RunTask does run i of the sweep in this process, unless it is done: it
// trains the network into the run's temporary folder, analyses it if the
// sweep asks, writes run.json and renames the folder into place. A failure
// is recorded as a run.json with status failed; an interruption (ctx
// canceled: Ctrl-C, SIGTERM from scancel) leaves no record, so the run
// counts as missing. RunTask sets GOMAXPROCS to the sweep's threads. It
// returns the run's result (nil when interrupted) and, for a run done
// earlier, skipped true.
func RunTask(ctx context.Context, s *Sweep, i int, log io.Writer) (res *Result, skipped bool, err error) {
	if i < 0 || i >= len(s.Runs) {
		return nil, false, fmt.Errorf("run index %d out of range: the sweep has %d runs (0-%d)", i, len(s.Runs), len(s.Runs)-1)
	}
	if log == nil {
		log = io.Discard
	}
	if err := s.Prepare(); err != nil {
		return nil, false, err
	}
	run := s.Runs[i]
	dir := run.Dir(s.Out)
	lock, err := s.takeLock(run)
	if err != nil {
		return nil, false, err
	}
	defer lock.Close()
	if r, err := ReadResult(dir); err == nil && r.Status == StatusDone {
		return r, true, nil
	}
	runtime.GOMAXPROCS(s.Threads)
	tmp := dir + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return nil, false, err
	}
	start := time.Now()
	res, err = s.train(ctx, run, tmp, log)
	if err != nil {
		os.RemoveAll(tmp)
		if ctx.Err() != nil {
			return nil, false, fmt.Errorf("run %s interrupted: %w", run.ID, ctx.Err())
		}
		res = &Result{Status: StatusFailed, Index: i, ID: run.ID, Params: run.Params, Error: err.Error(), Host: hostname()}
		res.Seconds = time.Since(start).Seconds()
		if werr := writeRecord(dir, res); werr != nil {
			return nil, false, fmt.Errorf("run %s failed (%v) and its record could not be written: %w", run.ID, err, werr)
		}
		return res, false, fmt.Errorf("run %s failed: %w", run.ID, err)
	}
	res.Seconds = time.Since(start).Seconds()
	if err := writeResult(tmp, res); err != nil {
		os.RemoveAll(tmp)
		return nil, false, err
	}
	if err := os.RemoveAll(dir); err != nil { // an earlier failure record
		return nil, false, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, false, fmt.Errorf("cannot move run %s into place: %w", run.ID, err)
	}
	return res, false, nil
}

// train trains and analyses one run into dir.
func (s *Sweep) train(ctx context.Context, run Run, dir string, log io.Writer) (*Result, error) {
	p := run.Params
	fault := testFault(run.Index)
	cfg := training.Config{
		Steps: p.Steps, LR: p.LR, BatchSize: p.Batch, SeqLen: p.SeqLen, Seed: p.Seed, Task: p.Task, Dt: p.Dt,
	}
	_, full, err := training.NewTaskDataset(cfg)
	if err != nil {
		return nil, err
	}
	cfg.Model = full.Model
	cfg.Model.Cell, cfg.Model.NumHidden, cfg.Model.Tau = p.Cell, p.Hidden, p.Tau
	fmt.Fprintf(log, "run %s: %s\n", run.ID, s.Label(run))
	tr, err := pipeline.Train(ctx, dir, pipeline.TrainOptions{
		Training: cfg, Engine: models.EngineAuto, Log: log, Hooks: training.Hooks{NoProgress: true},
	})
	if err != nil {
		return nil, err
	}
	sum := tr.Summary
	res := &Result{
		Status: StatusDone, Index: run.Index, ID: run.ID, Params: p,
		FinalLoss: sum.FinalLoss, FinalAccuracy: sum.FinalAccuracy, Steps: sum.Steps, TrainSeconds: sum.WallSeconds,
		Host: hostname(),
	}
	switch fault {
	case "fail":
		return nil, errors.New("injected failure (RNNLAB_SWEEP_TEST_FAULTS)")
	case "hang":
		fmt.Fprintf(log, "run %s: hanging until interrupted (RNNLAB_SWEEP_TEST_FAULTS)\n", run.ID)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if !s.Analysis.Enabled {
		return res, nil
	}
	input, note := s.searchInput(tr.Params.NumInput)
	if input == nil {
		res.Note = note
		return res, nil
	}
	t0 := time.Now()
	finder := fixedpoints.SlowPointSearch().WithTolerance(s.Analysis.Tolerance)
	a, err := pipeline.Analyze(tr, pipeline.AnalyzeOptions{
		Trials: s.Analysis.Trials, Input: input,
		FixedPoints: analysis.FixedPointOptions{Search: &finder, NoNewton: !s.Analysis.Newton, Engine: models.EngineCPU, Log: log},
	})
	if err != nil {
		return nil, fmt.Errorf("analysis: %w", err)
	}
	if err := a.Write(filepath.Join(dir, AnalysisDir), nil); err != nil {
		return nil, err
	}
	as := a.Summary()
	res.Analysed = true
	res.TrialAccuracy, res.FixedPoints, res.ExactPoints = as.Accuracy, a.Points.Len(), as.Exact
	if len(as.Leading) > 0 {
		res.SlowMode = as.Leading[0]
	}
	if a.Line != nil {
		res.HasLine, res.LineMeasure = true, as.LineMeasure
	}
	res.AnalysisSeconds = time.Since(t0).Seconds()
	return res, nil
}

// searchInput returns the constant input of the fixed-point search for a
// network with n inputs, or nil and the reason to skip the search.
func (s *Sweep) searchInput(n int) ([]float32, string) {
	if s.Analysis.Input == nil {
		in := analysis.DefaultInput(n)
		if in == nil {
			return nil, fmt.Sprintf("analysis skipped: the task has %d inputs and [analysis] gives no input (the default [1, 0.5, 0.5] is for 3 inputs)", n)
		}
		return in, ""
	}
	if len(s.Analysis.Input) != n {
		return nil, fmt.Sprintf("analysis skipped: the task has %d inputs, [analysis] input has %d values", n, len(s.Analysis.Input))
	}
	in := make([]float32, n)
	for k, v := range s.Analysis.Input {
		in[k] = float32(v)
	}
	return in, ""
}

// testFault returns the fault RNNLAB_SWEEP_TEST_FAULTS injects into run i
// ("fail", "hang" or "").
func testFault(i int) string {
	spec := os.Getenv("RNNLAB_SWEEP_TEST_FAULTS")
	for _, part := range strings.Split(spec, ";") {
		kind, list, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		for _, v := range strings.Split(list, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n == i {
				return kind
			}
		}
	}
	return ""
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

// lockFile is the run's lock: held by the process doing the run.
func (s *Sweep) lockFile(r Run) string { return filepath.Join(s.Out, "locks", r.ID) }

// writeResult writes run.json into dir atomically.
func writeResult(dir string, r *Result) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, ResultFile), append(b, '\n'))
}

// writeRecord replaces the run folder dir by one holding only the failure
// record r: a temporary folder renamed into place.
func writeRecord(dir string, r *Result) error {
	tmp := dir + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	if err := writeResult(tmp, r); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

// ReadResult reads the run.json of the run folder dir.
func ReadResult(dir string) (*Result, error) {
	b, err := os.ReadFile(filepath.Join(dir, ResultFile))
	if err != nil {
		return nil, err
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ResultFile), err)
	}
	return &r, nil
}

// sweepRecord is the sweep folder's sweep.json.
type sweepRecord struct {
	Format string `json:"format"`
	ID     string `json:"id"`
	File   string `json:"file"`
	Runs   int    `json:"runs"`
}

const sweepFormat = "rnnlab-sweep-v1"

// Prepare creates the sweep folder and records the sweep's id in it, or
// checks the id recorded there: a folder of another sweep is refused.
func (s *Sweep) Prepare() error {
	if err := s.CheckFolder(); err != nil {
		return err
	}
	for _, d := range []string{s.Out, filepath.Join(s.Out, "runs"), filepath.Join(s.Out, "logs"), filepath.Join(s.Out, "locks")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("cannot create the sweep folder: %w", err)
		}
	}
	path := filepath.Join(s.Out, SweepFile)
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	b, _ := json.MarshalIndent(sweepRecord{Format: sweepFormat, ID: s.ID, File: s.File, Runs: len(s.Runs)}, "", "  ")
	return atomicfile.Write(path, append(b, '\n'))
}

// CheckFolder returns an error if the sweep folder belongs to another sweep
// (its sweep.json has another id). A folder without sweep.json is free.
func (s *Sweep) CheckFolder() error {
	b, err := os.ReadFile(filepath.Join(s.Out, SweepFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var rec sweepRecord
	if err := json.Unmarshal(b, &rec); err != nil || rec.Format != sweepFormat {
		return fmt.Errorf("%s is not an rnnlab sweep record", filepath.Join(s.Out, SweepFile))
	}
	if rec.ID != s.ID {
		return fmt.Errorf("sweep folder %s belongs to another sweep (id %s, from %s; this file's id is %s): set another out, or remove the folder",
			s.Out, rec.ID, rec.File, s.ID)
	}
	return nil
}
