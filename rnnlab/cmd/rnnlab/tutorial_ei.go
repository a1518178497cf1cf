package main

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/eirnn"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/report"
)

func init() {
	tutorials["ei"] = tutorialCmd{
		synopsis: "nn-brain's excitatory-inhibitory network (Song, Yang & Wang 2016): train, test, selectivity, connectivity",
		run:      runEITutorial,
	}
}

// runEITutorial is notebooks/ei_rnn.ipynb as a command: it trains
// eirnn.Config(seed) into --out, evaluates it (eirnn.Evaluate) and writes
// the figures (one PNG each) and report.html.
func runEITutorial(args []string, stdout io.Writer) error {
	fs := newFlagSet("tutorial --name ei", "tutorial --name ei --out DIR [--seed S --steps N --engine E --quiet]", []string{
		"rnnlab tutorial --name ei --out runs/ei        # then open runs/ei/report.html",
		"rnnlab tutorial --name ei --out runs/ei-s1 --seed 1",
	}, stdout)
	out := fs.String("out", "", "folder for the run, the figures and report.html")
	seed := fs.Uint64("seed", 0, "random seed (weights, data, noise and test trials derive from it)")
	steps := fs.Int("steps", eirnn.Steps, "training steps (> 0)")
	engine := fs.String("engine", models.EngineAuto, "auto, cpu or gomlx")
	quiet := fs.Bool("quiet", false, "do not print the training log")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *out == "":
		return usagef("--out is required")
	case *steps <= 0:
		return usagef("--steps must be > 0, got %d", *steps)
	}
	if _, err := models.UseCPU(*engine); err != nil {
		return usageError{err.Error()}
	}
	if err := pipeline.PrepareDir(*out); err != nil {
		return err
	}
	start := time.Now()
	ctx, stop := interruptible()
	defer stop()
	cfg := eirnn.Config(*seed)
	cfg.Steps = *steps
	log := stdout
	if *quiet {
		log = io.Discard
	}
	fmt.Fprintln(stdout, "== Training")
	run, err := pipeline.Train(ctx, *out, pipeline.TrainOptions{Training: cfg, Engine: *engine, Log: log})
	if err != nil {
		return divergedNote(err, run)
	}
	printTrained(stdout, run.Summary)
	fmt.Fprintln(stdout, "== Test and analysis")
	ev, err := eirnn.Evaluate(run.Params, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Test accuracy on %d trials: %.3f\n%s\n", len(ev.Activity.Trials), ev.Accuracy, eirnn.Comparison(ev.Accuracy))
	fmt.Fprintln(stdout, ev.Dale)
	figs, err := eirnn.Figures(run, ev)
	if err != nil {
		return err
	}
	if err := report.WriteFiles(*out, figs, ".png"); err != nil {
		return err
	}
	rep, err := eirnn.Report(run, ev, figs)
	if err != nil {
		return err
	}
	return writeTutorialReport(stdout, rep, filepath.Join(*out, pipeline.ReportFile), start)
}
