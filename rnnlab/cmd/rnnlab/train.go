package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

func init() {
	commands["train"] = command{"train the tutorial's network and write a run folder", runTrain}
}

// trainFlags are the training options shared by train and tutorial.
type trainFlags struct {
	task              taskFlags
	seed              uint64
	steps, hidden     int
	batch, seqLen     int
	lr, tau           float64
	engine            string
	quiet, noProgress bool
}

func (f *trainFlags) register(fs interface {
	StringVar(*string, string, string, string)
	Float64Var(*float64, string, float64, string)
	BoolVar(*bool, string, bool, string)
	IntVar(*int, string, int, string)
	Uint64Var(*uint64, string, uint64, string)
	Var(flag.Value, string, string)
}) {
	f.task.register(fs)
	fs.Uint64Var(&f.seed, "seed", 0, "random seed (weights and data derive from it)")
	fs.IntVar(&f.steps, "steps", training.DefaultSteps, "training steps (batches), >= 0")
	fs.IntVar(&f.hidden, "hidden", 64, "hidden units (> 0)")
	fs.IntVar(&f.batch, "batch", 16, "batch size (> 0)")
	fs.IntVar(&f.seqLen, "seq-len", 100, "time steps per batch (> 0)")
	fs.Float64Var(&f.lr, "lr", training.DefaultLR, "Adam learning rate (> 0)")
	fs.Float64Var(&f.tau, "tau", 100, "time constant in ms (>= dt)")
	fs.StringVar(&f.engine, "engine", models.EngineAuto, "auto, cpu (hand-written kernel) or gomlx (GoMLX autodiff on $GOMLX_BACKEND)")
	fs.BoolVar(&f.quiet, "quiet", false, "do not print the progress lines")
	fs.BoolVar(&f.noProgress, "no-progress", false, "no progress bar on stderr")
}

// options validates the flags and returns the pipeline's training options.
func (f *trainFlags) options(stdout io.Writer) (pipeline.TrainOptions, error) {
	var o pipeline.TrainOptions
	switch {
	case f.steps < 0:
		return o, usagef("--steps must be >= 0, got %d", f.steps)
	case f.hidden <= 0:
		return o, usagef("--hidden must be > 0, got %d", f.hidden)
	case f.batch <= 0:
		return o, usagef("--batch must be > 0, got %d", f.batch)
	case f.seqLen <= 0:
		return o, usagef("--seq-len must be > 0, got %d", f.seqLen)
	case !(f.lr > 0):
		return o, usagef("--lr must be > 0, got %v", f.lr)
	}
	task, err := f.task.build(f.seed)
	if err != nil {
		return o, err
	}
	dt := task.Dt()
	if !(f.tau >= dt) {
		return o, usagef("--tau must be >= --dt (alpha = dt/tau <= 1), got tau %v, dt %v", f.tau, dt)
	}
	if _, err := models.NewEngine(f.engine, models.DefaultConfig()); err != nil {
		return o, usageError{err.Error()}
	}
	o.Training = training.Config{
		Steps: f.steps, LR: f.lr, BatchSize: f.batch, SeqLen: f.seqLen, Seed: f.seed,
		Task: f.task.name, Dt: dt,
		Model: models.Config{NumInput: task.ObsSize(), NumHidden: f.hidden, NumOutput: task.NumActions(), Dt: dt, Tau: f.tau},
	}
	if f.task.name == tasks.PerceptualDecisionMakingName {
		o.Training.TaskConfig = tasks.PerceptualDecisionMakingConfig{FixationOnlyInFixation: f.task.fixationFirst}
	}
	o.Engine = f.engine
	o.Log = stdout
	if f.quiet {
		o.Log = io.Discard
	}
	o.Hooks.NoProgress = f.noProgress
	return o, nil
}

// interruptible returns a context canceled by Ctrl-C.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func runTrain(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("train", "train --seed S --steps N --out DIR [flags]", []string{
		"rnnlab train --seed 0 --steps 1500 --out runs/s0",
		"rnnlab train --seed 1 --hidden 128 --lr 5e-4 --out runs/h128 --engine gomlx",
	}, stdout)
	var f trainFlags
	f.register(fs)
	out := fs.String("out", "", "run folder to write (model.npz, train.json, training.png)")
	if err := parse(fs, args); err != nil {
		return err
	}
	opts, err := f.options(stdout)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required")
	}
	ctx, stop := interruptible()
	defer stop()
	run, err := pipeline.Train(ctx, *out, opts)
	if err != nil {
		return err
	}
	printTrained(stdout, run.Summary)
	fmt.Fprintf(stdout, "Wrote %s\n", *out)
	return nil
}

// printTrained prints the one-line summary of a training run.
func printTrained(w io.Writer, s *training.Summary) {
	fmt.Fprintf(w, "Trained %d steps in %.1f s (%.2f ms/step, engine %s): final loss %.4f, final accuracy %.3f\n",
		s.Steps, s.WallSeconds, s.MedianStepMs, s.Engine, s.FinalLoss, s.FinalAccuracy)
}
