package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/multitask"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

func init() {
	commands["multitask"] = command{"one network on Yang et al. 2019's twenty tasks: train, then analyze (variance, clusters, lesions)", runMultitask}
}

var multitaskExamples = []string{
	"rnnlab multitask train --out runs/yang19 --seed 0",
	"rnnlab multitask train --out runs/yang19 --resume --steps 60000",
	"rnnlab multitask train --out runs/yang19-paper --paper   (Yang et al. 2019's own setup)",
	"rnnlab multitask analyze --run runs/yang19",
	"rnnlab multitask analyze --out yang19-analysis   (the shipped network, " + multitask.ShippedCheckpoint + ")",
}

// maxClusters bounds --k-max and --n-init of multitask analyze (the
// k-means work grows with both).
const maxClusters = 1000

// shippedAnalysisDir is the default analysis folder of the shipped
// network (multitask analyze without --run), relative to the working
// directory.
const shippedAnalysisDir = "yang19-analysis"

// paperHelp is the help of --paper: what it sets, and where it still
// differs from Yang et al. (2019) (multitask.PaperDt has the full list).
const paperHelp = "train Yang et al. 2019's own setup (gyyang/multitask's experiment.train_all): the paper's trials\n" +
	"(32-unit rings, 85 inputs, 33 sigmoid outputs, Gaussian-bump targets and cost mask), its leaky-rate softplus cell\n" +
	"with W_rr = 0.5 I, dt 20 ms, sigma_rec 0.05, sigma_x 0.01, batches of 64 whole trials with contextdm1/2 five times as\n" +
	"likely, gradients clipped to [-1, 1], the masked MSE, the paper's performance measure; at most 10^7 trials\n" +
	"(--steps 156250), stopping earlier when every rule reaches --target (default 0.95 with --paper), confirmed.\n" +
	"Evaluation runs without noise (the paper keeps it on)"

// runMultitask dispatches rnnlab multitask train|analyze.
func runMultitask(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "train":
			return runMultitaskTrain(args[1:], stdout, stderr)
		case "analyze":
			return runMultitaskAnalyze(args[1:], stdout, stderr)
		}
	}
	fs := newFlagSet("multitask", "multitask train|analyze [flags]   (rnnlab multitask train --help for its flags)\n\n"+
		"  train     train a network on the twenty tasks interleaved until every task reaches its target\n"+
		"  analyze   task variance, clusters, FTV histograms, lesions, figures and an HTML report", multitaskExamples, stdout)
	if err := parse(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("unknown subcommand %q (want train or analyze)", args[0])
	}
	return usagef("missing subcommand: train or analyze")
}

// multitaskInterrupt returns a context cancelled by Ctrl-C or SIGTERM.
func multitaskInterrupt() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func runMultitaskTrain(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("multitask train", "multitask train --out DIR [--steps N --hidden H --seed S --eval-every N --resume --paper]",
		multitaskExamples[:3], stdout)
	var (
		out            string
		steps, hidden  int
		evalEvery, nEv int
		nConfirm       int
		seed           uint64
		target, tie    float64
		engine         string
		resume, quiet  bool
		paper          bool
	)
	fs.StringVar(&out, "out", "", "run folder (checkpoint.npz, train.json, accuracy.png); required")
	fs.IntVar(&steps, "steps", multitask.DefaultSteps, "largest number of training steps (> 0); training stops earlier at the targets")
	fs.IntVar(&hidden, "hidden", multitask.DefaultHidden, "hidden units (> 0)")
	fs.Uint64Var(&seed, "seed", 0, "random seed (weights, data and evaluation trials derive from it)")
	fs.IntVar(&evalEvery, "eval-every", multitask.DefaultEvalEvery, "steps between evaluations and checkpoints (> 0)")
	fs.IntVar(&nEv, "eval-trials", multitask.DefaultEvalTrials, "fresh trials per task in an evaluation (> 0)")
	fs.IntVar(&nConfirm, "confirm-trials", multitask.DefaultConfirmTrials, "fresh trials per task that must confirm the targets before the run stops (> 0)")
	fs.Float64Var(&target, "target", multitask.DefaultTarget, "accuracy every task must reach, in [0, 1]")
	fs.Float64Var(&tie, "tie-target", multitask.DefaultTieTarget, "accuracy multidm and multidlydm must reach, in [0, 1]")
	fs.StringVar(&engine, "engine", models.EngineAuto, "auto, cpu or gomlx")
	fs.BoolVar(&resume, "resume", false, "continue the run saved in --out (flags given change its steps, evaluation, targets, engine)")
	fs.BoolVar(&quiet, "quiet", false, "do not print the progress lines")
	fs.BoolVar(&paper, "paper", false, paperHelp)
	if err := parse(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case out == "":
		return usagef("--out is required")
	case steps <= 0:
		return usagef("--steps must be > 0, got %d", steps)
	case hidden <= 0:
		return usagef("--hidden must be > 0, got %d", hidden)
	case evalEvery <= 0:
		return usagef("--eval-every must be > 0, got %d", evalEvery)
	case nEv <= 0 || nEv > multitask.MaxEvalTrials:
		return usagef("--eval-trials must be in 1..%d, got %d", multitask.MaxEvalTrials, nEv)
	case nConfirm <= 0 || nConfirm > multitask.MaxEvalTrials:
		return usagef("--confirm-trials must be in 1..%d, got %d", multitask.MaxEvalTrials, nConfirm)
	case !(target >= 0 && target <= 1) || !(tie >= 0 && tie <= 1):
		return usagef("--target and --tie-target must be in [0, 1], got %v and %v", target, tie)
	}
	if _, err := models.UseCPU(engine); err != nil {
		return usageError{err.Error()}
	}
	targets := func() map[string]float64 {
		t := map[string]float64{}
		for _, s := range multitask.ShortNames() {
			t[s] = target
		}
		t["multidm"], t["multidlydm"] = tie, tie
		return t
	}
	ckpt := filepath.Join(out, multitask.CheckpointFile)
	var tr *multitask.Trainer
	var err error
	if resume {
		if set["hidden"] || set["seed"] || set["paper"] {
			return usagef("--hidden, --seed and --paper cannot change when resuming (the checkpoint has them)")
		}
		tr, err = multitask.Resume(ckpt, func(c *multitask.Config) {
			if set["steps"] {
				c.Steps = steps
			}
			if set["eval-every"] {
				c.EvalEvery = evalEvery
			}
			if set["eval-trials"] {
				c.EvalTrials = nEv
			}
			if set["confirm-trials"] {
				c.ConfirmTrials = nConfirm
			}
			if set["target"] || set["tie-target"] {
				c.Targets = targets()
			}
			if set["engine"] {
				c.Engine = engine
			}
		})
		if err != nil {
			return err
		}
	} else {
		if _, err := os.Stat(ckpt); err == nil {
			return usagef("%s exists: continue it with --resume, or choose another --out", ckpt)
		}
		c := multitask.Config{
			Steps: steps, Hidden: hidden, Seed: seed, EvalEvery: evalEvery, EvalTrials: nEv, ConfirmTrials: nConfirm,
			Targets: targets(), Engine: engine, Paper: paper,
		}
		if paper { // the paper's own defaults, unless given
			if !set["steps"] {
				c.Steps = 0
			}
			if !set["target"] && !set["tie-target"] {
				c.Targets = nil
			}
		}
		tr, err = multitask.NewTrainer(c)
		if err != nil {
			return usageError{err.Error()}
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tr.Checkpoint = ckpt
	if !quiet {
		tr.Log = stdout
		c := tr.Config
		setup, suite := "decision accuracy", "neurogym's yang19 tasks"
		if c.Paper {
			setup, suite = "the paper's setup, performance as in Yang et al. 2019", "the paper's twenty tasks"
		}
		fmt.Fprintf(stdout, "training %s on %s at dt %g ms from step %d (at most %d steps, evaluation every %d steps on %d trials per task; %s)\n",
			tr.Params.Describe(), suite, c.Dt, tr.Step(), c.Steps, c.EvalEvery, c.EvalTrials, setup)
	}
	ctx, stop := multitaskInterrupt()
	defer stop()
	runErr := tr.Run(ctx)
	var diverged *training.DivergedError // the last finite state is saved: write its train.json, marked failed
	if runErr != nil && ctx.Err() == nil && !errors.As(runErr, &diverged) {
		return runErr
	}
	if err := writeMultitaskRun(out, tr); err != nil {
		return err
	}
	if diverged != nil {
		return runErr
	}
	if runErr != nil {
		return fmt.Errorf("interrupted at step %d; the checkpoint is saved: continue with --resume", tr.Step())
	}
	if !quiet {
		fmt.Fprintf(stdout, "wrote %s (median %.1f ms per step, %.1f ms of it making the batch)\n", out, tr.Meta.StepMs, tr.Meta.DataMs)
	}
	return nil
}

// writeMultitaskRun writes train.json (the checkpoint's metadata) and the
// accuracy figure of a run folder.
func writeMultitaskRun(out string, tr *multitask.Trainer) error {
	js, err := json.MarshalIndent(tr.Meta, "", " ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(out, multitask.TrainFile), js); err != nil {
		return err
	}
	f, err := multitask.AccuracyFigure(tr.Meta.History, tr.Config.Targets)
	if err != nil {
		return err
	}
	return f.WriteFile(filepath.Join(out, "accuracy.png"))
}

func runMultitaskAnalyze(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("multitask analyze", "multitask analyze [--run DIR] [--out DIR]   (no --run: the shipped network, "+multitask.ShippedCheckpoint+")", multitaskExamples[3:], stdout)
	var (
		runDir, out    string
		varTrials, nEv int
		kMax, nInit    int
		repeats        int
		fixedTrials    bool
		seed           uint64
		engine         string
	)
	fs.StringVar(&runDir, "run", "", "run folder written by rnnlab multitask train (default: the shipped network "+multitask.ShippedCheckpoint+", found from the working directory up)")
	fs.StringVar(&out, "out", "", "analysis folder (default RUN/analysis, or "+shippedAnalysisDir+" for the shipped network)")
	fs.IntVar(&varTrials, "var-trials", 200, "noiseless trials per task for the task variance (>= 2)")
	fs.IntVar(&nEv, "eval-trials", multitask.DefaultEvalTrials, "trials per task for the lesion accuracies (> 0)")
	fs.IntVar(&kMax, "k-max", 29, "largest number of clusters tried (>= 2)")
	fs.IntVar(&nInit, "n-init", 20, "k-means starts per k (> 0)")
	fs.IntVar(&repeats, "repeats", multitask.DefaultRepeats, "repetitions of the choice of k, each with its own k-means seed and trials (> 0)")
	fs.BoolVar(&fixedTrials, "fixed-trials", false, "repeat the choice of k over k-means seeds only, on the analysis' own trials")
	fs.Uint64Var(&seed, "seed", 0, "seed of the trials, the k-means seeds and the repetitions (default: the run's analysis seed)")
	fs.StringVar(&engine, "engine", models.EngineAuto, "auto, cpu or gomlx")
	if err := parse(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case varTrials < 2:
		return usagef("--var-trials must be >= 2, got %d", varTrials)
	case nEv <= 0:
		return usagef("--eval-trials must be > 0, got %d", nEv)
	case kMax < 2:
		return usagef("--k-max must be >= 2, got %d", kMax)
	case nInit <= 0:
		return usagef("--n-init must be > 0, got %d", nInit)
	case repeats <= 0:
		return usagef("--repeats must be > 0, got %d", repeats)
	}
	if _, err := models.UseCPU(engine); err != nil {
		return usageError{err.Error()}
	}
	switch { // bounds on the work: trials per task, k-means
	case varTrials > multitask.MaxEvalTrials || nEv > multitask.MaxEvalTrials:
		return usagef("--var-trials and --eval-trials must be at most %d, got %d and %d", multitask.MaxEvalTrials, varTrials, nEv)
	case kMax > maxClusters || nInit > maxClusters:
		return usagef("--k-max and --n-init must be at most %d, got %d and %d", maxClusters, kMax, nInit)
	}
	ckpt := filepath.Join(runDir, multitask.CheckpointFile)
	if runDir == "" {
		var err error
		if ckpt, err = multitask.FindShipped(""); err != nil {
			return usageError{err.Error() + "; or give --run DIR"}
		}
		if out == "" {
			out = shippedAnalysisDir
		}
	} else if out == "" {
		out = filepath.Join(runDir, "analysis")
	}
	p, meta, err := multitask.LoadRun(ckpt)
	if err != nil {
		return err
	}
	if !set["seed"] {
		seed = seeds.Analysis(meta.Config.Seed)
	}
	a, err := multitask.Analyze(p, multitask.AnalysisConfig{VarTrials: varTrials, EvalTrials: nEv, KMax: kMax, NInit: nInit,
		Repeats: repeats, FixedTrials: fixedTrials, Seed: seed, Engine: engine})
	if err != nil {
		return err
	}
	if err := multitask.WriteAnalysis(out, a, meta); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "analysis seed %d\n%s\nwrote %s\n", seed, a.Summary(), out)
	return nil
}
