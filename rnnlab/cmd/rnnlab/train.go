package main

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/finite"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

func init() {
	commands["train"] = command{"train a network (" + strings.Join(models.Cells, ", ") + ") on a task and write a run folder; --resume continues one", runTrain}
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

	// The network and its training objective.
	cell, activation, loss string
	sigmaRec, sigmaIn      float64
	eFrac                  float64
	sigmoid                bool
	rateL1, rateL2         float64
	// The trainer's options.
	weightL1, weightL2 float64
	clipNorm           float64
	lrDecay, lrDecayN  float64
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
	fs.IntVar(&f.steps, "steps", training.DefaultSteps, "training steps (batches), > 0")
	fs.IntVar(&f.hidden, "hidden", 64, "hidden units (> 0)")
	fs.IntVar(&f.batch, "batch", 16, "batch size (> 0)")
	fs.IntVar(&f.seqLen, "seq-len", 100, "time steps per batch (> 0)")
	fs.Float64Var(&f.lr, "lr", training.DefaultLR, "Adam learning rate (a finite number > 0)")
	fs.Float64Var(&f.tau, "tau", 100, "time constant in ms (>= dt)")
	fs.StringVar(&f.engine, "engine", models.EngineAuto, "auto, cpu (hand-written kernels) or gomlx (GoMLX autodiff on $GOMLX_BACKEND)")
	fs.BoolVar(&f.quiet, "quiet", false, "do not print the progress lines")
	fs.BoolVar(&f.noProgress, "no-progress", false, "no progress bar on stderr")
	fs.StringVar(&f.cell, "cell", models.CellCTRNN, "recurrent cell: "+strings.Join(models.Cells, ", "))
	fs.StringVar(&f.activation, "activation", models.ActReLU, "activation of the "+models.CellList(hasActivation)+" cells: relu, softplus, tanh or identity")
	fs.Float64Var(&f.sigmaRec, "sigma-rec", 0, "recurrent noise sigma_rec (>= 0; "+models.CellList(hasSigmaRec)+" cells), drawn during training only")
	fs.Float64Var(&f.sigmaIn, "sigma-in", 0, "input noise standard deviation (>= 0), drawn during training only")
	fs.Float64Var(&f.eFrac, "e-frac", 0, "excitatory fraction of an ei network, in (0, 1) (default 0.8)")
	fs.StringVar(&f.loss, "loss", models.LossCE, "objective: ce (cross-entropy on the labels) or mse (Yang et al. 2019's masked mean squared error)")
	fs.BoolVar(&f.sigmoid, "sigmoid", false, "pass the outputs through a sigmoid before the mse loss (needs --loss mse)")
	fs.Float64Var(&f.rateL1, "rate-l1", 0, "L1 penalty on the rates, lambda * mean|r| (>= 0)")
	fs.Float64Var(&f.rateL2, "rate-l2", 0, "L2 penalty on the rates, lambda * mean r^2 (>= 0)")
	fs.Float64Var(&f.weightL1, "weight-l1", 0, "L1 penalty on the weight matrices, lambda * sum over matrices of mean|W| (>= 0)")
	fs.Float64Var(&f.weightL2, "weight-l2", 0, "L2 penalty on the weight matrices, lambda * sum over matrices of mean W^2 (>= 0)")
	fs.Float64Var(&f.clipNorm, "clip-norm", 0, "clip the global gradient norm to this value before each Adam step (> 0; default: no clipping)")
	fs.Float64Var(&f.lrDecay, "lr-decay", 0, "learning-rate decay rate r in (0, 1]: step k uses lr * r^(k/lr-decay-steps) (default: constant lr)")
	fs.Float64Var(&f.lrDecayN, "lr-decay-steps", 0, "steps over which the learning rate falls by the factor --lr-decay (> 0; default 1)")
}

// hasActivation and hasSigmaRec select the cells that take --activation
// and --sigma-rec (models.CellOptions).
func hasActivation(o models.CellOptions) bool { return o.Activation }
func hasSigmaRec(o models.CellOptions) bool   { return o.SigmaRec }

// model validates the network flags and returns the model configuration
// for a task of numIn inputs, numOut actions and time step dt. Default
// names are stored as "" so that the tutorial's configuration is unchanged.
func (f *trainFlags) model(numIn, numOut int, dt float64) (models.Config, error) {
	m := models.Config{NumInput: numIn, NumHidden: f.hidden, NumOutput: numOut, Dt: dt, Tau: f.tau}
	cell, err := models.LookupCell(f.cell)
	if err != nil {
		return m, usagef("--cell: %v", err)
	}
	opts := cell.Options()
	switch f.activation {
	case models.ActReLU, models.ActSoftplus, models.ActTanh, models.ActIdentity:
	default:
		return m, usagef("--activation must be relu, softplus, tanh or identity, got %q", f.activation)
	}
	switch f.loss {
	case models.LossCE, models.LossMSE:
	default:
		return m, usagef("--loss must be ce or mse, got %q", f.loss)
	}
	for _, v := range []struct {
		name string
		v    float64
	}{{"sigma-rec", f.sigmaRec}, {"sigma-in", f.sigmaIn}, {"e-frac", f.eFrac}, {"rate-l1", f.rateL1}, {"rate-l2", f.rateL2}} {
		if !(v.v >= 0) || math.IsInf(v.v, 0) {
			return m, usagef("--%s must be a finite number >= 0, got %v", v.name, v.v)
		}
	}
	switch {
	case !opts.Activation && f.activation != models.ActReLU:
		return m, usagef("--activation applies to the %s cells, not %s", models.CellList(hasActivation), f.cell)
	case !opts.SigmaRec && f.sigmaRec != 0:
		return m, usagef("--sigma-rec applies to the %s cells, not %s (use --sigma-in)", models.CellList(hasSigmaRec), f.cell)
	case !opts.EFrac && f.eFrac != 0:
		return m, usagef("--e-frac applies to the %s cell only", models.CellList(func(o models.CellOptions) bool { return o.EFrac }))
	case opts.EFrac && f.eFrac >= 1:
		return m, usagef("--e-frac must be in (0, 1), got %v", f.eFrac)
	case f.sigmoid && f.loss != models.LossMSE:
		return m, usagef("--sigmoid needs --loss mse")
	}
	if f.cell != (models.Config{}).CellName() {
		m.Cell = f.cell
	}
	if opts.Activation && f.activation != models.ActReLU {
		m.Activation = f.activation
	}
	if f.loss != models.LossCE {
		m.Loss = f.loss
	}
	m.SigmaRec, m.SigmaIn, m.EFrac, m.Sigmoid, m.RateL1, m.RateL2 = f.sigmaRec, f.sigmaIn, f.eFrac, f.sigmoid, f.rateL1, f.rateL2
	if err := m.Validate(); err != nil {
		return m, usageError{strings.TrimPrefix(err.Error(), "models: ")}
	}
	return m, nil
}

// trainer validates the trainer's flags and sets them in c.
func (f *trainFlags) trainer(c *training.Config) error {
	for _, v := range []struct {
		name string
		v    float64
	}{{"weight-l1", f.weightL1}, {"weight-l2", f.weightL2}, {"clip-norm", f.clipNorm}} {
		if !(v.v >= 0) || math.IsInf(v.v, 0) {
			return usagef("--%s must be a finite number >= 0, got %v", v.name, v.v)
		}
	}
	switch {
	case f.lrDecay != 0 && !(f.lrDecay > 0 && f.lrDecay <= 1):
		return usagef("--lr-decay must be in (0, 1], got %v", f.lrDecay)
	case f.lrDecayN != 0 && (!(f.lrDecayN > 0) || math.IsInf(f.lrDecayN, 0)):
		return usagef("--lr-decay-steps must be a finite number > 0, got %v", f.lrDecayN)
	case f.lrDecayN != 0 && f.lrDecay == 0:
		return usagef("--lr-decay-steps needs --lr-decay")
	}
	c.WeightL1, c.WeightL2, c.ClipNorm = f.weightL1, f.weightL2, f.clipNorm
	c.LRSchedule = training.LRSchedule{DecayRate: f.lrDecay, DecaySteps: f.lrDecayN}
	return nil
}

// checkEngine validates --engine: a known name (every cell has a CPU
// kernel and a GoMLX graph).
func (f *trainFlags) checkEngine(models.Config) error {
	if _, err := models.UseCPU(f.engine); err != nil {
		return usageError{err.Error()}
	}
	return nil
}

// options validates the flags and returns the pipeline's training options.
func (f *trainFlags) options(stdout io.Writer) (pipeline.TrainOptions, error) {
	var o pipeline.TrainOptions
	switch {
	case f.steps <= 0:
		return o, usagef("--steps must be > 0, got %d", f.steps)
	case f.hidden <= 0:
		return o, usagef("--hidden must be > 0, got %d", f.hidden)
	case f.batch <= 0:
		return o, usagef("--batch must be > 0, got %d", f.batch)
	case f.seqLen <= 0:
		return o, usagef("--seq-len must be > 0, got %d", f.seqLen)
	case !(f.lr > 0) || math.IsInf(f.lr, 0):
		return o, usagef("--lr must be a finite number > 0, got %v", f.lr)
	}
	task, err := f.task.build(f.seed)
	if err != nil {
		return o, err
	}
	dt := task.Dt()
	if !(f.tau >= dt) {
		return o, usagef("--tau must be >= --dt (alpha = dt/tau <= 1), got tau %v, dt %v", f.tau, dt)
	}
	model, err := f.model(task.ObsSize(), task.NumActions(), dt)
	if err != nil {
		return o, err
	}
	if err := f.checkEngine(model); err != nil {
		return o, err
	}
	o.Training = training.Config{
		Steps: f.steps, LR: f.lr, BatchSize: f.batch, SeqLen: f.seqLen, Seed: f.seed,
		Task: f.task.name, Dt: dt, Model: model,
	}
	if err := f.trainer(&o.Training); err != nil {
		return o, err
	}
	if err := o.Training.Validate(); err != nil { // the library's own check: a finite lr > 0, ...
		return o, usageError{strings.TrimPrefix(err.Error(), "training: ")}
	}
	if f.task.name == tasks.PerceptualDecisionMakingName {
		o.Training.TaskConfig = tasks.PerceptualDecisionMakingConfig{FixationOnlyInFixation: f.task.fixationFirst}
	}
	if err := o.Training.WithDefaults().CheckMemory(); err != nil { // before --out is made
		return o, err
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
	fs := newFlagSet("train", "train --seed S --steps N --out DIR [flags]  |  train --resume DIR --steps N", []string{
		"rnnlab train --seed 0 --steps 1500 --out runs/s0",
		"rnnlab train --seed 1 --hidden 128 --lr 5e-4 --out runs/h128 --engine gomlx",
		"rnnlab train --cell ei --hidden 50 --sigma-rec 0.15 --activation softplus --out runs/ei",
		"rnnlab train --task yang19.dm1-v0 --dt 20 --cell gru --loss mse --sigmoid --weight-l2 1e-4 --clip-norm 1 --out runs/gru",
		"rnnlab train --resume runs/s0 --steps 3000          # continue runs/s0, bit for bit as one 3000-step run",
	}, stdout)
	var f trainFlags
	f.register(fs)
	out := fs.String("out", "", "run folder to write (model.npz with Adam's state, train.json, training.png)")
	resume := fs.String("resume", "", "continue the run saved in this `folder` until it has --steps steps, with its stored configuration; writes back to it (or to --out)")
	maskFile := fs.String("mask", "", "fixed recurrent connectivity mask of a ctrnn: an (H,H) float32 .npy `file` (presynaptic rows, typically 0/1); the network uses W_rr * mask")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *resume != "" {
		return resumeTrain(fs, &f, *resume, *out, stdout)
	}
	opts, err := f.options(stdout)
	if err != nil {
		return err
	}
	if *maskFile != "" {
		if !opts.Training.Model.CellOptions().Mask {
			return usagef("--mask needs --cell %s, not %s", strings.Join(models.CellsWith(func(o models.CellOptions) bool { return o.Mask }), " or "), opts.Training.Model.CellName())
		}
		if opts.Mask, err = readMask(*maskFile, opts.Training.Model.NumHidden); err != nil {
			return err
		}
	}
	if *out == "" {
		return usagef("--out is required")
	}
	ctx, stop := interruptible()
	defer stop()
	run, err := pipeline.Train(ctx, *out, opts)
	if err != nil {
		return divergedNote(err, run)
	}
	printTrained(stdout, run.Summary)
	fmt.Fprintf(stdout, "Wrote %s\n", *out)
	return nil
}

// resumeFlags are the flags that may go with --resume; the others would
// change the stored run.
var resumeFlags = map[string]bool{"resume": true, "steps": true, "out": true, "engine": true, "quiet": true, "no-progress": true}

// resumeTrain continues the run in dir to --steps steps (pipeline.Resume).
func resumeTrain(fs *flag.FlagSet, f *trainFlags, dir, out string, stdout io.Writer) error {
	var bad []string
	fs.Visit(func(fl *flag.Flag) {
		if !resumeFlags[fl.Name] {
			bad = append(bad, "--"+fl.Name)
		}
	})
	if len(bad) > 0 {
		return usagef("%s cannot be changed when resuming: the run keeps its stored configuration (allowed: --steps, --out, --engine, --quiet, --no-progress)", strings.Join(bad, ", "))
	}
	if f.steps <= 0 {
		return usagef("--steps must be > 0, got %d", f.steps)
	}
	if _, err := models.UseCPU(f.engine); err != nil {
		return usageError{err.Error()}
	}
	prev, err := pipeline.LoadRun(dir)
	if err != nil {
		return err
	}
	if out == "" {
		out = dir
	}
	from := prev.Summary.Steps
	if f.steps <= from {
		return usagef("the run in %s has %d steps already; --steps must be > %d", dir, from, from)
	}
	opts := pipeline.TrainOptions{Training: training.Config{Steps: f.steps}, Engine: f.engine, Log: stdout}
	if f.quiet {
		opts.Log = io.Discard
	}
	opts.Hooks.NoProgress = f.noProgress
	fmt.Fprintf(stdout, "Resuming %s at step %d of %d (%s, %s)\n", dir, from, f.steps, prev.Summary.Config.Task, prev.Params.Describe())
	ctx, stop := interruptible()
	defer stop()
	run, err := pipeline.Resume(ctx, dir, out, opts)
	if err != nil {
		return divergedNote(err, run)
	}
	printTrained(stdout, run.Summary)
	fmt.Fprintf(stdout, "Wrote %s\n", filepath.Clean(out))
	return nil
}

// printTrained prints the one-line summary of a training run.
func printTrained(w io.Writer, s *training.Summary) {
	fmt.Fprintf(w, "Trained %d steps in %.1f s (%.2f ms/step, engine %s): final loss %.4f, final accuracy %.3f\n",
		s.Steps, s.WallSeconds, s.MedianStepMs, s.Engine, s.FinalLoss, s.FinalAccuracy)
}

// readMask reads an (h, h) float32 .npy file (a connectivity mask for
// --mask). The npz package reads archives, so the file is wrapped in an
// in-memory one.
func readMask(path string, h int) ([]float32, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--mask: %w", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "mask.npy", Method: zip.Store})
	if err == nil {
		_, err = w.Write(raw)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("--mask %s: %w", path, err)
	}
	f, err := npz.Decode(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("--mask %s: not a .npy file: %v", path, err)
	}
	a := f.Arrays["mask"]
	m, ok := a.Data.([]float32)
	switch {
	case !ok:
		return nil, fmt.Errorf("--mask %s: element type %T, want float32", path, a.Data)
	case len(a.Shape) != 2 || a.Shape[0] != h || a.Shape[1] != h:
		return nil, fmt.Errorf("--mask %s: shape %v, want (%d, %d) for --hidden %d", path, a.Shape, h, h, h)
	}
	if err := finite.Check("mask", a.Shape, m); err != nil {
		return nil, fmt.Errorf("--mask %s: %v, want a finite number", path, err)
	}
	return m, nil
}
