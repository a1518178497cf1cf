package training

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"time"

	"github.com/gomlx/compute"

	"github.com/rnnlab/rnnlab/rnnlab/internal/stats"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// Dataset serves training batches; *tasks.Dataset implements it. Next must
// return a batch the trainer may keep (or nil to end the run early).
type Dataset interface {
	Next() *tasks.Batch
}

// Config configures a training run. The zero value of every field means its
// default (see WithDefaults), so Config{} trains the tutorial's network on
// PerceptualDecisionMaking-v0 at dt = 100 ms as the BrainPy seed does.
type Config struct {
	// Steps is the number of training steps (batches); default 1500.
	Steps int `json:"steps"`
	// LR is Adam's learning rate; default 1e-3. The other Adam settings are
	// PyTorch's (see Adam).
	LR float64 `json:"lr"`
	// BatchSize is the number of trials streams per batch; default 16.
	BatchSize int `json:"batch_size"`
	// SeqLen is the number of time steps per batch; default 100.
	SeqLen int `json:"seq_len"`
	// Seed is the run's seed; the parameter and data seeds derive from it
	// (see package seeds). Same Seed, same run.
	Seed uint64 `json:"seed"`
	// LogEvery is the log window in steps; default 100.
	LogEvery int `json:"log_every"`
	// Task is the task's registry name; default
	// "PerceptualDecisionMaking-v0".
	Task string `json:"task"`
	// Dt is the task's time step in ms; default 100 (the seed's kwargs).
	Dt float64 `json:"dt"`
	// TaskConfig is the task-specific configuration passed to tasks.New
	// (for example a tasks.PerceptualDecisionMakingConfig); nil means the
	// task's defaults.
	TaskConfig any `json:"task_config,omitempty"`
	// Model is the network; zero means models.DefaultConfig() with
	// NumInput/NumOutput taken from the task and Dt from the task's dt
	// (tau stays 100 ms).
	Model models.Config `json:"model"`
	// WeightL1 and WeightL2 are λ1 and λ2 of the weight penalty added to
	// the loss and its gradient in Go (see WeightPenalty: a mean over each
	// matrix w_*, biases excluded); 0 means off.
	WeightL1 float64 `json:"weight_l1,omitempty"`
	WeightL2 float64 `json:"weight_l2,omitempty"`
	// ClipNorm, when > 0, clips the global gradient norm to ClipNorm before
	// each Adam update (torch.nn.utils.clip_grad_norm_; see ClipGradNorm);
	// 0 means off.
	ClipNorm float64 `json:"clip_norm,omitempty"`
	// LRSchedule decays the learning rate LR over the updates; its zero
	// value keeps LR constant.
	LRSchedule LRSchedule `json:"lr_schedule,omitzero"`
}

// Default values of Config.
const (
	DefaultSteps     = 1500
	DefaultLR        = 1e-3 // Adam's learning rate (PyTorch's and BrainPy's default)
	DefaultBatchSize = 16
	DefaultSeqLen    = 100
	DefaultLogEvery  = 100
	DefaultTask      = "PerceptualDecisionMaking-v0"
	DefaultDt        = 100.0
)

// WithDefaults returns c with every zero field set to its default. Model
// is left zero here (it depends on the task; see NewTaskDataset).
func (c Config) WithDefaults() Config {
	if c.Steps == 0 {
		c.Steps = DefaultSteps
	}
	if c.LR == 0 {
		c.LR = DefaultLR
	}
	if c.BatchSize == 0 {
		c.BatchSize = DefaultBatchSize
	}
	if c.SeqLen == 0 {
		c.SeqLen = DefaultSeqLen
	}
	if c.LogEvery == 0 {
		c.LogEvery = DefaultLogEvery
	}
	if c.Task == "" {
		c.Task = DefaultTask
	}
	if c.Dt == 0 {
		c.Dt = DefaultDt
	}
	return c
}

// NewTaskDataset builds the task named by c (after WithDefaults) and its
// training Dataset (BatchSize streams, SeqLen steps, seeded with
// seeds.Data(c.Seed)), and returns c with Model filled in when it was zero:
// models.DefaultConfig() with the task's input and output sizes and dt. A
// run that would not fit in memory (Config.CheckMemory) is refused before
// the dataset is made.
func NewTaskDataset(c Config) (*tasks.Dataset, Config, error) {
	c = c.WithDefaults()
	opts := []tasks.Option{tasks.WithDt(c.Dt)}
	if c.TaskConfig != nil {
		opts = append(opts, tasks.WithConfig(c.TaskConfig))
	}
	task, err := tasks.New(c.Task, opts...)
	if err != nil {
		return nil, c, fmt.Errorf("training: %w", err)
	}
	if c.Model == (models.Config{}) {
		m := models.DefaultConfig()
		m.NumInput, m.NumOutput, m.Dt = task.ObsSize(), task.NumActions(), task.Dt()
		c.Model = m
	}
	if err := c.CheckMemory(); err != nil { // before the dataset's buffers
		return nil, c, err
	}
	ds, err := tasks.NewDataset(task, tasks.DatasetConfig{BatchSize: c.BatchSize, SeqLen: c.SeqLen, Seed: seeds.Data(c.Seed)})
	if err != nil {
		return nil, c, fmt.Errorf("training: %w", err)
	}
	return ds, c, nil
}

// Point is one log window of the history.
type Point struct {
	// Step is the last step of the window (1-based, as the seed prints).
	Step int `json:"step"`
	// Loss is the mean training loss over the window.
	Loss float64 `json:"loss"`
	// Acc is the mean decision accuracy over the window (see Accuracy).
	Acc float64 `json:"acc"`
}

// String is the seed's log line, "Step 100, Loss 0.1234, Acc 0.567".
func (p Point) String() string {
	return fmt.Sprintf("Step %d, Loss %.4f, Acc %.3f", p.Step, p.Loss, p.Acc)
}

// StepInfo is passed to Hooks.OnStep after every step.
type StepInfo struct {
	Step int     // 1-based
	Loss float64 // this batch's loss (before the update)
	// Acc is this batch's decision accuracy; NaN if the batch has no
	// decision step.
	Acc      float64
	Duration time.Duration // wall time of the step (engine + Adam)
}

// Summary is the outcome of a run; it marshals to train.json. A mean that
// has no value is NaN here and null in the JSON, never 0: no step, or no
// decision step in a window, and both final means of a failed run.
type Summary struct {
	Config  Config  `json:"config"`
	Engine  string  `json:"engine"`
	Backend string  `json:"backend"`
	Seed    uint64  `json:"seed"`
	Steps   int     `json:"steps"` // steps completed
	History []Point `json:"history"`
	// FinalLoss is the mean loss over the last min(100, Steps) steps.
	FinalLoss float64 `json:"final_loss"`
	// FinalAccuracy is the mean decision accuracy (see Accuracy) over the
	// last min(100, Steps) steps.
	FinalAccuracy float64 `json:"final_accuracy"`
	// MedianStepMs is the median wall time of one step (engine + Adam).
	MedianStepMs float64 `json:"median_step_ms"`
	// WallSeconds is the wall time of the last Run call.
	WallSeconds float64 `json:"wall_seconds"`
	// Canceled reports a run stopped early by its context or a hook.
	Canceled bool `json:"canceled,omitempty"`
	// ResumedAt is the step a resumed run continued from (Trainer.Resume);
	// 0 for a run trained in one go.
	ResumedAt int `json:"resumed_at,omitempty"`
	// Status is StatusComplete, StatusCanceled or StatusFailed (a step
	// diverged, see DivergedError, or the engine, the data or the
	// optimiser failed); "" in train.json files written before it existed.
	Status string `json:"status,omitempty"`
	// Error is a failed run's one-line reason, e.g. "training diverged at
	// step 37: loss is NaN".
	Error string `json:"error,omitempty"`
}

// Run statuses (Summary.Status).
const (
	StatusComplete = "complete" // every step done (or the dataset ended)
	StatusCanceled = "canceled" // stopped by its context or a hook
	StatusFailed   = "failed"   // stopped by an error; the final means are NaN
)

// Hooks are the optional observers of a run.
type Hooks struct {
	// Log receives the seed's lines "Step 100, Loss 0.1234, Acc 0.567"
	// every LogEvery steps; nil means os.Stdout, io.Discard silences them.
	Log io.Writer
	// OnStep is called after every step; a non-nil error stops the run and
	// is returned.
	OnStep func(StepInfo) error
	// OnLog is called after every log window (for live loss curves); a
	// non-nil error stops the run and is returned.
	OnLog func(Point) error
	// Stop is the run's stop rule: called after every log window (after
	// OnLog) with its point, true ends the run there, complete (a study's
	// target, such as a running loss below a threshold). nil: the run
	// goes on to Config.Steps.
	Stop func(Point) bool
	// Progress displays the run; nil means DefaultProgress() unless
	// NoProgress is set.
	Progress   Progress
	NoProgress bool
}

// Trainer trains one network. Build it with NewTrainer; Run may be called
// again with a larger Config.Steps to continue (Params and Adam carry the
// state).
type Trainer struct {
	Config Config
	Engine models.Engine
	Data   Dataset
	// Params are trained in place.
	Params *models.Params
	// Adam holds the optimiser state; Adam.Step counts completed steps.
	Adam  *optim.State
	Hooks Hooks

	history []Point
	times   []float64 // ms per step
	losses  []float64 // per step
	accs    []float64 // per step (NaN if no decision step)
	// resumedAt is the step Resume continued from (0 for a fresh run).
	resumedAt int
	// guard checks every step and keeps the weights finite.
	guard *Guard
}

// NewTrainer prepares a run of cfg (after WithDefaults). If p is nil the
// weights are drawn with models.NewParams(cfg.Model, seeds.Params(cfg.Seed));
// cfg.Model must then be set (NewTaskDataset fills it in). With a
// connectivity mask (models.Params.Mask) W_rr is set to W_rr ⊙ M in place,
// so the masked-out weights start at 0 and stay there: their gradient is
// 0 and so is their weight penalty's. Weights (or a mask) that are not all
// finite are an error naming the first such value (models.CheckFinite).
func NewTrainer(cfg Config, engine models.Engine, data Dataset, p *models.Params, hooks Hooks) (*Trainer, error) {
	cfg = cfg.WithDefaults()
	if engine == nil || data == nil {
		return nil, errors.New("training: nil engine or dataset")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if p == nil {
		var err error
		if p, err = models.NewParams(cfg.Model, seeds.Params(cfg.Seed)); err != nil {
			return nil, fmt.Errorf("training: %w", err)
		}
	} else if cfg.Model == (models.Config{}) {
		cfg.Model = p.Config
	}
	if p.Config != cfg.Model {
		return nil, fmt.Errorf("training: params config %+v differs from the run's model %+v", p.Config, cfg.Model)
	}
	if err := p.CheckShapes(); err != nil {
		return nil, fmt.Errorf("training: %w", err)
	}
	if err := models.CheckFinite(p, nil); err != nil {
		return nil, fmt.Errorf("training: the initial weights: %w", err)
	}
	if p.Mask != nil {
		copy(p.Values[1], p.EffectiveRecurrent()) // W_rr ⊙ M
	}
	var sizes []int
	for _, t := range p.Tensors() {
		sizes = append(sizes, len(t))
	}
	return &Trainer{Config: cfg, Engine: engine, Data: data, Params: p, Adam: cfg.Optimizer().NewState(sizes...), Hooks: hooks, guard: NewGuard(p)}, nil
}

// Optimizer is the run's Adam: PyTorch's (optim.PyTorchAdam) with the
// learning-rate schedule LRSchedule.Schedule(LR).
func (c Config) Optimizer() optim.Adam {
	a := optim.PyTorchAdam(c.LR)
	if !c.LRSchedule.IsZero() {
		a.LR = c.LRSchedule.Schedule(c.LR)
	}
	return a
}

// Resume prepares a fresh Trainer (built with the saved parameters, before
// any Run) to continue a run saved after st.Step steps, so that it ends
// with the same weights, bit for bit, as an uninterrupted run:
//
//   - Adam's moments and step are copied from st (its settings stay those
//     of t.Config);
//   - st.Step batches are drawn from t.Data and discarded, so that the next
//     batch is the one the uninterrupted run trains step st.Step+1 on
//     (tasks.Dataset is deterministic: the same seed regenerates them);
//   - the noise of step k is drawn from PCG(seeds.Noise(Seed), k) either
//     way (see StepNoise).
//
// Moments that are not all finite are an error naming the first such value
// (models.CheckFinite). history, the saved run's log windows, is kept at
// the front of the summary's History. The loss and accuracy means of the
// first log window after the resume and Summary.FinalLoss/FinalAccuracy
// cover the steps of this Trainer only.
func (t *Trainer) Resume(st *optim.State, history []Point) error {
	switch {
	case st == nil:
		return errors.New("training: resume: no optimizer state")
	case t.Adam.Step != 0 || len(t.losses) != 0:
		return fmt.Errorf("training: resume: the trainer has already run %d steps", t.Adam.Step)
	case st.Step < 0:
		return fmt.Errorf("training: resume: optimizer step %d is negative", st.Step)
	case len(st.M) != len(t.Adam.M) || len(st.V) != len(t.Adam.V):
		return fmt.Errorf("training: resume: optimizer state has %d and %d moment slots for %d parameters", len(st.M), len(st.V), len(t.Adam.M))
	}
	for i := range t.Adam.M {
		if len(st.M[i]) != len(t.Adam.M[i]) || len(st.V[i]) != len(t.Adam.V[i]) {
			return fmt.Errorf("training: resume: optimizer moments of %s have %d and %d values, want %d",
				t.Params.ParamNames()[i], len(st.M[i]), len(st.V[i]), len(t.Adam.M[i]))
		}
	}
	if err := models.CheckFinite(t.Params, st); err != nil {
		return fmt.Errorf("training: resume: %w", err)
	}
	for k := 1; k <= st.Step; k++ {
		if t.Data.Next() == nil {
			return fmt.Errorf("training: resume: the dataset ended after %d of the %d batches already trained on", k-1, st.Step)
		}
	}
	for i := range t.Adam.M {
		copy(t.Adam.M[i], st.M[i])
		copy(t.Adam.V[i], st.V[i])
	}
	t.Adam.Step = st.Step
	t.history = slices.Clone(history)
	t.resumedAt = st.Step
	return nil
}

// Train is the one-call entry point: it builds a Trainer and runs it. It
// returns the summary and the trained parameters (p itself if given).
func Train(ctx context.Context, cfg Config, engine models.Engine, data Dataset, p *models.Params, hooks Hooks) (*Summary, *models.Params, error) {
	t, err := NewTrainer(cfg, engine, data, p, hooks)
	if err != nil {
		return nil, nil, err
	}
	s, err := t.Run(ctx)
	return s, t.Params, err
}

// Accuracy is the seed's decision accuracy of one batch: over the time steps
// whose label is > 0 (not fixation), the fraction where argmax(logits)
// equals the label (ties go to the lowest index, as numpy's argmax). logits
// is [T*B][O] row-major, in the order of labels. It returns NaN when no
// label is > 0.
func Accuracy(logits []float32, labels []int32, numOut int) float64 {
	n, hit := 0, 0
	for i, l := range labels {
		if l <= 0 {
			continue
		}
		n++
		o := logits[i*numOut : (i+1)*numOut]
		best := 0
		for c := 1; c < numOut; c++ {
			if o[c] > o[best] {
				best = c
			}
		}
		if int32(best) == l {
			hit++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return float64(hit) / float64(n)
}

// backendName is the engine's backend name: its BackendName method if it
// has one (the GoMLX engine: "go", "xla"), else its Backend's name, else
// "none" (a plain-Go engine).
func backendName(e models.Engine) string {
	if b, ok := e.(interface{ BackendName() string }); ok {
		return b.BackendName()
	}
	if b, ok := e.(interface{ Backend() compute.Backend }); ok && b.Backend() != nil {
		return b.Backend().Name()
	}
	return "none"
}

// Run trains until Config.Steps steps are done (counting those of earlier
// Runs), the context is cancelled, the dataset returns nil or a hook fails.
// Every LogEvery steps it prints the seed's log line and calls OnLog. The
// returned summary covers every step of this Trainer; on cancellation it is
// returned with Canceled set, together with ctx's error.
//
// A step whose loss or gradient is not finite, or whose Adam update would
// make a weight or a moment NaN or ±Inf, stops the run with a
// *DivergedError ("training diverged at step 37: loss is NaN"): that step
// is not applied (see Guard), so Params and Adam hold the last finite
// state, after step 36, and the summary, returned with the error, has
// Status StatusFailed, the reason in Error and NaN final means.
func (t *Trainer) Run(ctx context.Context) (*Summary, error) {
	cfg := t.Config
	logw := t.Hooks.Log
	if logw == nil {
		logw = os.Stdout
	}
	prog := t.Hooks.Progress
	if prog == nil && !t.Hooks.NoProgress {
		prog = DefaultProgress()
	}
	start := time.Now()
	state := func() ProgressState {
		w := len(t.losses) % cfg.LogEvery
		if w == 0 {
			w = min(cfg.LogEvery, len(t.losses))
		}
		return ProgressState{
			Step: t.Adam.Step, Steps: cfg.Steps,
			Loss:      stats.MeanNaN(t.losses[len(t.losses)-w:]),
			Acc:       stats.MeanNaN(t.accs[len(t.accs)-w:]),
			MsPerStep: stats.Median(t.times), Elapsed: time.Since(start),
		}
	}
	if t.guard == nil {
		t.guard = NewGuard(t.Params)
	}
	var runErr error
	canceled := false
	O := t.Params.NumOutput
	mse := t.Params.LossName() == models.LossMSE
	for t.Adam.Step < cfg.Steps {
		if err := ctx.Err(); err != nil {
			runErr, canceled = err, true
			break
		}
		b := t.Data.Next()
		if b == nil {
			break
		}
		t0 := time.Now()
		if mse && b.Targets == nil { // a dataset may bring its own targets
			if err := tasks.MSETargets(b, O, cfg.Dt); err != nil {
				runErr = fmt.Errorf("training: step %d: %w", t.Adam.Step+1, err)
				break
			}
		}
		noise, b := StepNoise(t.Params.Config, cfg.Seed, t.Adam.Step+1, b)
		res, err := t.Engine.LossAndGrad(t.Params, b, noise)
		if err != nil {
			runErr = fmt.Errorf("training: step %d: %w", t.Adam.Step+1, err)
			break
		}
		loss := float64(res.Loss)
		if cfg.WeightL1 != 0 || cfg.WeightL2 != 0 {
			loss += WeightPenalty(t.Params, cfg.WeightL1, cfg.WeightL2, res.Grads)
		}
		if err := t.guard.Check(t.Adam.Step+1, loss, res.Grads); err != nil {
			runErr = err
			break
		}
		if cfg.ClipNorm > 0 {
			ClipGradNorm(res.Grads, cfg.ClipNorm)
		}
		if err := t.guard.Update(t.Adam.Step+1, t.Params, t.Adam, res.Grads); err != nil {
			runErr = err
			break
		}
		d := time.Since(t0)
		acc := Accuracy(res.Logits, b.Labels, O)
		t.losses = append(t.losses, loss)
		t.accs = append(t.accs, acc)
		t.times = append(t.times, float64(d)/float64(time.Millisecond))
		step := t.Adam.Step
		if t.Hooks.OnStep != nil {
			if err := t.Hooks.OnStep(StepInfo{Step: step, Loss: loss, Acc: acc, Duration: d}); err != nil {
				runErr, canceled = err, true
				break
			}
		}
		if step%cfg.LogEvery == 0 {
			n := min(cfg.LogEvery, len(t.losses))
			pt := Point{Step: step, Loss: stats.MeanNaN(t.losses[len(t.losses)-n:]), Acc: stats.MeanNaN(t.accs[len(t.accs)-n:])}
			t.history = append(t.history, pt)
			if prog != nil {
				prog.Clear()
			}
			fmt.Fprintln(logw, pt)
			if t.Hooks.OnLog != nil {
				if err := t.Hooks.OnLog(pt); err != nil {
					runErr, canceled = err, true
					break
				}
			}
			if t.Hooks.Stop != nil && t.Hooks.Stop(pt) {
				break
			}
		}
		if prog != nil {
			prog.Update(state())
		}
	}
	if prog != nil && len(t.losses) > 0 {
		prog.Done(state())
	}
	n := min(100, len(t.losses))
	status, msg := StatusComplete, ""
	switch {
	case canceled:
		status = StatusCanceled
	case runErr != nil:
		status, msg = StatusFailed, runErr.Error()
	}
	s := &Summary{
		Config:        cfg,
		Engine:        t.Engine.Name(),
		Backend:       backendName(t.Engine),
		Seed:          cfg.Seed,
		Steps:         t.Adam.Step,
		History:       slices.Clone(t.history),
		FinalLoss:     stats.MeanNaN(t.losses[len(t.losses)-n:]),
		FinalAccuracy: stats.MeanNaN(t.accs[len(t.accs)-n:]),
		MedianStepMs:  stats.Median(t.times),
		WallSeconds:   time.Since(start).Seconds(),
		Canceled:      canceled,
		ResumedAt:     t.resumedAt,
		Status:        status,
		Error:         msg,
	}
	if status == StatusFailed { // a failed run has no final numbers
		s.FinalLoss, s.FinalAccuracy = math.NaN(), math.NaN()
	}
	if s.History == nil {
		s.History = []Point{}
	}
	return s, runErr
}
