package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// File names inside a run folder.
const (
	ModelFile    = "model.npz"
	TrainFile    = "train.json"
	TrainingPlot = "training.png"
)

// TrainOptions configure Train.
type TrainOptions struct {
	// Training is the run's configuration; its zero value is the tutorial's.
	Training training.Config
	// Engine is the models.NewEngine name: "auto" (default), "cpu" or "gomlx".
	Engine string
	// Log receives the seed-style lines "Step 100, Loss ..., Acc ..."; nil
	// means io.Discard.
	Log io.Writer
	// Hooks observe the run (live curves, progress); Hooks.Log is replaced
	// by Log.
	Hooks training.Hooks
	// Mask is an optional fixed connectivity mask of a CTRNN (see
	// models.Params.Mask; (H,H) row-major, presynaptic rows); nil means none.
	Mask []float32
}

// Run is a trained network with its training summary.
type Run struct {
	// Dir is the run folder ("" for a run that was not saved).
	Dir     string
	Params  *models.Params
	Summary *training.Summary
	// Adam is the optimiser's state after the last step (moments and step
	// count), saved in model.npz so that Resume continues the run exactly;
	// nil for a run folder written before runs were resumable.
	Adam *optim.State
}

// runMeta is the metadata stored in model.npz's config.json.
type runMeta struct {
	Format   string            `json:"format"`
	Training training.Config   `json:"training"`
	Summary  *training.Summary `json:"summary"`
}

const metaFormat = "rnnlab-run-v1"

// Train trains a network and, if dir is not "", writes the run folder
// (created if needed; checked for writability before training starts).
func Train(ctx context.Context, dir string, opts TrainOptions) (*Run, error) {
	if dir != "" {
		if err := PrepareDir(dir); err != nil {
			return nil, err
		}
	}
	data, cfg, err := training.NewTaskDataset(opts.Training)
	if err != nil {
		return nil, err
	}
	engine, err := models.NewEngine(opts.Engine, cfg.Model)
	if err != nil {
		return nil, err
	}
	hooks := opts.Hooks
	hooks.Log = opts.Log
	if hooks.Log == nil {
		hooks.Log = io.Discard
	}
	var p *models.Params
	if opts.Mask != nil {
		if p, err = models.NewParams(cfg.Model, seeds.Params(cfg.Seed)); err != nil {
			return nil, err
		}
		p.Mask = opts.Mask
	}
	tr, err := training.NewTrainer(cfg, engine, data, p, hooks)
	if err != nil {
		return nil, err
	}
	return runAndSave(ctx, tr, dir)
}

// runAndSave runs tr and writes the run folder dir (unless ""). A canceled
// run is saved as far as it got, then reported.
func runAndSave(ctx context.Context, tr *training.Trainer, dir string) (*Run, error) {
	summary, err := tr.Run(ctx)
	if summary == nil || !summary.Canceled {
		if err != nil {
			return nil, err
		}
	}
	r := &Run{Dir: dir, Params: tr.Params, Summary: summary, Adam: tr.Adam}
	if dir != "" {
		if serr := r.Save(dir); serr != nil {
			return nil, serr
		}
	}
	if err != nil {
		return r, fmt.Errorf("training stopped after %d steps (saved): %w", summary.Steps, err)
	}
	return r, nil
}

// Resume continues the run saved in the folder dir until it has
// opts.Training.Steps steps, and writes the run folder out (dir itself when
// out is ""). The run keeps its stored configuration (task, model, seed,
// batches, optimiser options); of opts only Training.Steps, Engine, Log and
// Hooks are used. It restores Adam's state from model.npz and fast-forwards
// the task's dataset past the batches already trained on
// (training.Trainer.Resume), so the result is the run an uninterrupted
// Train to the same number of steps would have written, bit for bit (on the
// same engine). The saved log windows are kept in the history.
func Resume(ctx context.Context, dir, out string, opts TrainOptions) (*Run, error) {
	if out == "" {
		out = dir
	}
	prev, err := LoadRun(dir)
	if err != nil {
		return nil, err
	}
	switch {
	case prev.Adam == nil:
		return nil, fmt.Errorf("%s: the run has no optimizer state (saved before runs were resumable); it cannot be resumed exactly", dir)
	case prev.Adam.Step != prev.Summary.Steps:
		return nil, fmt.Errorf("%s: optimizer step %d differs from the summary's %d steps", dir, prev.Adam.Step, prev.Summary.Steps)
	case opts.Training.Steps <= prev.Adam.Step:
		return nil, fmt.Errorf("%s: the run has %d steps already; ask for more (--steps > %d)", dir, prev.Adam.Step, prev.Adam.Step)
	}
	cfg := prev.Summary.Config
	cfg.Steps = opts.Training.Steps
	if cfg.Model != prev.Params.Config {
		return nil, fmt.Errorf("%s: stored model %+v differs from the training configuration's %+v", dir, prev.Params.Config, cfg.Model)
	}
	data, cfg, err := training.NewTaskDataset(cfg)
	if err != nil {
		return nil, err
	}
	engine, err := models.NewEngine(opts.Engine, cfg.Model)
	if err != nil {
		return nil, err
	}
	hooks := opts.Hooks
	hooks.Log = opts.Log
	if hooks.Log == nil {
		hooks.Log = io.Discard
	}
	tr, err := training.NewTrainer(cfg, engine, data, prev.Params, hooks)
	if err != nil {
		return nil, err
	}
	if err := tr.Resume(prev.Adam, prev.Summary.History); err != nil {
		return nil, err
	}
	if err := PrepareDir(out); err != nil {
		return nil, err
	}
	return runAndSave(ctx, tr, out)
}

// Save writes the run folder: model.npz (the weights, and Adam's state when
// r.Adam is set: models.SaveState), train.json and training.png.
func (r *Run) Save(dir string) error {
	if err := PrepareDir(dir); err != nil {
		return err
	}
	meta := runMeta{Format: metaFormat, Training: r.Summary.Config, Summary: r.Summary}
	if err := models.SaveState(filepath.Join(dir, ModelFile), r.Params, r.Adam, meta); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r.Summary, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(dir, TrainFile), append(b, '\n')); err != nil {
		return err
	}
	if len(r.Summary.History) > 0 {
		fig, err := plots.TrainingCurve(TrainingHistory(r.Summary))
		if err != nil {
			return err
		}
		if err := fig.WriteFile(filepath.Join(dir, TrainingPlot)); err != nil {
			return err
		}
	}
	r.Dir = dir
	return nil
}

// TrainingHistory converts a training summary's log windows for
// plots.TrainingCurve.
func TrainingHistory(s *training.Summary) plots.TrainingHistory {
	var h plots.TrainingHistory
	for _, p := range s.History {
		h.Steps = append(h.Steps, p.Step)
		h.Loss = append(h.Loss, p.Loss)
		h.AccSteps = append(h.AccSteps, p.Step)
		h.Accuracy = append(h.Accuracy, p.Acc)
	}
	return h
}

// LoadRun reads a run folder written by Train or Run.Save, with Adam's
// state when model.npz holds it.
func LoadRun(dir string) (*Run, error) {
	path := filepath.Join(dir, ModelFile)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%s is not a run folder: %w", dir, err)
	}
	var meta runMeta
	p, st, err := models.LoadState(path, &meta)
	if err != nil {
		return nil, err
	}
	if meta.Format != metaFormat || meta.Summary == nil {
		return nil, fmt.Errorf("%s: not an rnnlab run checkpoint (format %q)", path, meta.Format)
	}
	if err := decodeTaskConfig(&meta.Summary.Config); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Run{Dir: dir, Params: p, Summary: meta.Summary, Adam: st}, nil
}

// NewTask builds a fresh copy of the run's task, seeded with seed.
func (r *Run) NewTask(seed uint64) (tasks.Task, error) {
	c := r.Summary.Config
	return tasks.New(c.Task, tasks.WithDt(c.Dt), tasks.WithConfig(c.TaskConfig), tasks.WithSeed(seed))
}

// PrepareDir creates dir if needed and checks that files can be written in
// it, so that a long job fails at once rather than at its end.
func PrepareDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create folder: %w", err)
	}
	f, err := os.CreateTemp(dir, ".rnnlab-probe-*")
	if err != nil {
		return fmt.Errorf("cannot write in folder %s: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// decodeTaskConfig turns the task configuration read back from JSON (a
// generic map) into the task's own configuration type, the one it
// registered (tasks.NewConfig).
func decodeTaskConfig(c *training.Config) error {
	if c.TaskConfig == nil {
		return nil
	}
	b, err := json.Marshal(c.TaskConfig)
	if err != nil {
		return err
	}
	cfg, ok := tasks.NewConfig(c.Task)
	if !ok {
		return fmt.Errorf("task %q: stored task configuration cannot be decoded (the task registers no configuration type)", c.Task)
	}
	if err := json.Unmarshal(b, cfg); err != nil {
		return fmt.Errorf("task configuration: %w", err)
	}
	c.TaskConfig = reflect.ValueOf(cfg).Elem().Interface()
	return nil
}
