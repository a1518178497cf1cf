package main

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/lstmviz"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
)

func init() {
	tutorials["lstm"] = tutorialCmd{
		synopsis: "a one-unit LSTM on the memorise/report task and its gates (nn-brain's LSTMVisualization)",
		run:      runLSTMTutorial,
	}
}

// Files the lstm tutorial writes besides lstmviz.NetworkFile and the report.
const (
	lstmGatesFile = "lstm_gates.png"
	lstmLossFile  = "training_loss.png"
)

// runLSTMTutorial trains the one-unit LSTM until its running loss is below
// --target-loss (lstmviz.Train), reads its gates on the test batch
// (lstmviz.Evaluate) and writes the network, two figures and report.html.
func runLSTMTutorial(args []string, stdout io.Writer) error {
	fs := newFlagSet("tutorial --name lstm", "tutorial --name lstm --out DIR [flags]", []string{
		"rnnlab tutorial --name lstm --out lstm      # then open lstm/report.html",
		"rnnlab tutorial --name lstm --out lstm-s4 --seed 4",
	}, stdout)
	seed := fs.Uint64("seed", lstmviz.DefaultSeed, "seed of the weights, the training batches and the test batch")
	lr := fs.Float64("lr", lstmviz.DefaultLR, "Adam's learning rate")
	maxSteps := fs.Int("max-steps", lstmviz.DefaultMaxSteps, "stop after this many steps if the loss criterion is not met")
	target := fs.Float64("target-loss", lstmviz.DefaultTargetLoss, "stop when the running loss is below this")
	window := fs.Int("window", lstmviz.DefaultWindow, "steps of the running loss (one log line each)")
	engine := fs.String("engine", models.EngineAuto, "training engine: auto, cpu or gomlx")
	quiet := fs.Bool("quiet", false, "no log lines")
	out := fs.String("out", "", "folder for the network, the figures and report.html")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *out == "":
		return usagef("--out is required")
	case !(*lr > 0) || math.IsInf(*lr, 0):
		return usagef("--lr must be > 0, got %v", *lr)
	case *maxSteps <= 0:
		return usagef("--max-steps must be > 0, got %d", *maxSteps)
	case *window <= 0 || *window > *maxSteps:
		return usagef("--window must be in [1, --max-steps], got %d", *window)
	case !(*target > 0) || math.IsInf(*target, 0):
		return usagef("--target-loss must be > 0, got %v", *target)
	}
	if _, err := models.UseCPU(*engine); err != nil {
		return usagef("--engine: %v", err)
	}
	if err := pipeline.PrepareDir(*out); err != nil {
		return err
	}
	log := stdout
	if *quiet {
		log = io.Discard
	}
	start := time.Now()
	ctx, stop := interruptible()
	defer stop()
	fmt.Fprintln(stdout, "== Training")
	cfg := lstmviz.Config{Seed: *seed, LR: *lr, MaxSteps: *maxSteps, Window: *window, TargetLoss: *target, Engine: *engine}
	r, err := lstmviz.Train(ctx, cfg, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "LSTM %s\n", r)
	if err := lstmviz.Save(*out, r); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "== Gates")
	e, err := lstmviz.Evaluate(r.Params, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, e)
	e.WriteGateTable(stdout)
	gates, err := e.Figure(lstmviz.TestColumn)
	if err != nil {
		return err
	}
	curve, err := plots.TrainingCurve(r.History())
	if err != nil {
		return err
	}
	for name, f := range map[string]*plots.Figure{lstmGatesFile: gates, lstmLossFile: curve} {
		if err := f.WriteFile(filepath.Join(*out, name)); err != nil {
			return err
		}
	}
	rep, err := lstmviz.Report(r, e)
	if err != nil {
		return err
	}
	return writeTutorialReport(stdout, rep, filepath.Join(*out, lstmviz.ReportFile), start)
}
