package multitask

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/finite"
	"github.com/rnnlab/rnnlab/rnnlab/internal/stats"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// Eval is one evaluation during training.
type Eval struct {
	// Step is the number of training steps done.
	Step int `json:"step"`
	// Loss is the mean training loss over the steps since the last
	// evaluation; NaN (null in JSON) at step 0, which has none.
	Loss finite.Float `json:"loss"`
	// Acc is the decision accuracy of each task on fresh trials (Evaluate),
	// in the order of ShortNames.
	Acc []float64 `json:"acc"`
	// Confirm, when every task reached its target on Acc, is the
	// accuracy of each task on Config.ConfirmTrials other fresh trials;
	// the run stops only if they reach the targets too.
	Confirm []float64 `json:"confirm,omitempty"`
	// Seconds is the run's training wall time so far, resumed runs
	// included (evaluations excluded).
	Seconds float64 `json:"seconds"`
}

// Reached reports whether every task's accuracy reaches its target.
func (e Eval) Reached(targets map[string]float64) bool {
	for k, s := range ShortNames() {
		if k >= len(e.Acc) || e.Acc[k] < targets[s] {
			return false
		}
	}
	return true
}

// String is the progress line of an evaluation: the step, the loss, how
// many tasks are at target and every task's accuracy.
func (e Eval) String() string {
	var b strings.Builder
	loss := "-" // the evaluation before the first step has no training loss
	if !math.IsNaN(float64(e.Loss)) {
		loss = fmt.Sprintf("%.4f", float64(e.Loss))
	}
	fmt.Fprintf(&b, "step %d  loss %s  min %.3f |", e.Step, loss, slices.Min(e.Acc))
	for k, s := range ShortNames() {
		fmt.Fprintf(&b, " %s %.2f", s, e.Acc[k])
	}
	if e.Confirm != nil {
		fmt.Fprintf(&b, "\n  every target reached; on more trials: min %.3f |", slices.Min(e.Confirm))
		for k, s := range ShortNames() {
			fmt.Fprintf(&b, " %s %.2f", s, e.Confirm[k])
		}
	}
	return b.String()
}

// Meta is the metadata of a checkpoint (models.SaveState's meta): the run's
// configuration and its history, everything a resumed run needs besides the
// weights and Adam's state.
type Meta struct {
	Config  Config `json:"config"`
	History []Eval `json:"history"`
	// Reached is the step at which every task first reached its target,
	// confirmed (0: not yet; the evaluation at step 0 never stops a run).
	Reached int `json:"reached"`
	// StepMs and DataMs are the median wall times of a training step (data
	// included) and of making its batch (with its MSE targets and noise,
	// drawn while the engine works on the previous step), in ms.
	StepMs float64 `json:"step_ms"`
	DataMs float64 `json:"data_ms"`
	// Pending holds the training losses since the last evaluation, so that
	// a run resumed between two evaluations reports the same mean loss.
	Pending []float64 `json:"pending,omitempty"`
	// Error is why the run failed, e.g. "training diverged at step 37:
	// loss is NaN" (the state saved with it is the last finite one); ""
	// for a run that did not fail. A resumed run starts with it cleared.
	Error string `json:"error,omitempty"`
}

// Trainer trains the network of a Config on the twenty tasks.
type Trainer struct {
	Config Config
	Params *models.Params
	Adam   *optim.State
	Engine models.Engine
	Meta   Meta
	// Log receives the progress lines (nil: io.Discard).
	Log io.Writer
	// Checkpoint, if not empty, is the path the state is saved to after
	// every evaluation and when the run ends.
	Checkpoint string

	sched          *tasks.Schedule
	stepMs, dataMs []float64
	guard          *training.Guard
}

// NewTrainer starts a run of cfg: weights from models.NewParams(cfg.Model(),
// seeds.Params(cfg.Seed)), Adam with zero moments.
func NewTrainer(cfg Config) (*Trainer, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	p, err := models.NewParams(cfg.Model(), seeds.Params(cfg.Seed))
	if err != nil {
		return nil, fmt.Errorf("multitask: %w", err)
	}
	var sizes []int
	for _, v := range p.Values {
		sizes = append(sizes, len(v))
	}
	return newTrainer(cfg, p, optim.PyTorchAdam(cfg.LR).NewState(sizes...), Meta{Config: cfg})
}

func newTrainer(cfg Config, p *models.Params, st *optim.State, meta Meta) (*Trainer, error) {
	eng, err := models.NewEngine(cfg.Engine, p.Config)
	if err != nil {
		return nil, fmt.Errorf("multitask: %w", err)
	}
	var sched *tasks.Schedule
	if !cfg.Paper {
		if sched, err = NewSchedule(cfg.Dt, false); err != nil {
			return nil, err
		}
	}
	meta.Config = cfg
	return &Trainer{Config: cfg, Params: p, Adam: st, Engine: eng, Meta: meta, sched: sched}, nil
}

// Resume loads a checkpoint written by a Trainer and returns a Trainer
// that continues it exactly. edit, if not nil, may change the run's
// configuration (Steps, EvalEvery, EvalTrials, Targets, Engine); the
// network, seed and optimiser settings must stay. The step at which the
// targets were reached is recomputed from the history with the new
// targets, so raising them lets a finished run go on.
func Resume(path string, edit func(*Config)) (*Trainer, error) {
	var meta Meta
	p, st, err := models.LoadState(path, &meta)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("multitask: %s holds no optimiser state: it cannot be resumed", path)
	}
	cfg := meta.Config.WithDefaults()
	old := cfg
	if edit != nil {
		edit(&cfg)
		cfg = cfg.WithDefaults()
	}
	if cfg.Model() != old.Model() || cfg.Seed != old.Seed || cfg.LR != old.LR || cfg.BatchSize != old.BatchSize || cfg.SeqLen != old.SeqLen {
		return nil, fmt.Errorf("multitask: resume %s: the network, seed, learning rate, batch size and sequence length cannot change", path)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if p.Config != cfg.Model() {
		return nil, fmt.Errorf("multitask: %s holds a %s network, the run's config a %s one", path, p.Config.Describe(), cfg.Model().Describe())
	}
	st.Adam = optim.PyTorchAdam(cfg.LR)
	meta.Reached = 0 // the targets may have changed
	meta.Error = ""  // a resumed run tries again
	for _, e := range meta.History {
		if e.Reached(cfg.Targets) && (Eval{Acc: e.Confirm}).Reached(cfg.Targets) {
			meta.Reached = e.Step
			break
		}
	}
	t, err := newTrainer(cfg, p, st, meta)
	if err != nil {
		return nil, err
	}
	if meta.StepMs > 0 {
		t.stepMs, t.dataMs = []float64{meta.StepMs}, []float64{meta.DataMs}
	}
	return t, nil
}

// Step returns the number of training steps done.
func (t *Trainer) Step() int { return t.Adam.Step }

// Done reports whether the run is over: Steps steps done, or every target
// reached.
func (t *Trainer) Done() bool { return t.Adam.Step >= t.Config.Steps || t.Meta.Reached > 0 }

// evaluate measures every task after the current step and records it.
func (t *Trainer) evaluate(loss, seconds float64) (Eval, error) {
	acc, err := Evaluate(t.Engine, t.Params, t.Config.EvalTrials, evalSeed(seeds.Analysis(t.Config.Seed), t.Adam.Step))
	if err != nil {
		return Eval{}, err
	}
	e := Eval{Step: t.Adam.Step, Loss: finite.Float(loss), Acc: acc, Seconds: seconds}
	if t.Meta.Reached == 0 && e.Reached(t.Config.Targets) {
		// Confirm on more, fresh trials.
		c, err := Evaluate(t.Engine, t.Params, t.Config.ConfirmTrials, confirmSeed(seeds.Analysis(t.Config.Seed), t.Adam.Step))
		if err != nil {
			return Eval{}, err
		}
		e.Confirm = c
		if (Eval{Acc: c}).Reached(t.Config.Targets) {
			t.Meta.Reached = e.Step
		}
	}
	t.Meta.History = append(t.Meta.History, e)
	return e, nil
}

// Save writes the checkpoint to path (models.SaveState with Meta).
func (t *Trainer) Save(path string) error {
	t.Meta.StepMs, t.Meta.DataMs = stats.Median(t.stepMs), stats.Median(t.dataMs)
	return models.SaveState(path, t.Params, t.Adam, t.Meta)
}

// Run trains until Done or ctx is cancelled, evaluating (and saving the
// checkpoint) every EvalEvery steps; a new run is first evaluated at step
// 0. The checkpoint is also saved when the run ends. On cancellation it
// returns ctx's error after saving. A step whose loss, gradient or update
// is not finite stops the run with a *training.DivergedError (see
// training.Guard): the step is not applied, and the last finite state is
// saved with the reason in Meta.Error.
func (t *Trainer) Run(ctx context.Context) error {
	logw := t.Log
	if logw == nil {
		logw = io.Discard
	}
	cfg := t.Config
	seconds := 0.0
	if n := len(t.Meta.History); n > 0 {
		seconds = t.Meta.History[n-1].Seconds
	}
	var losses []float64
	save := func() error {
		t.Meta.Pending = slices.Clone(losses)
		if t.Checkpoint == "" {
			return nil
		}
		return t.Save(t.Checkpoint)
	}
	if len(t.Meta.History) == 0 {
		e, err := t.evaluate(math.NaN(), 0)
		if err != nil {
			return err
		}
		fmt.Fprintln(logw, e)
	}
	if t.Done() {
		return save()
	}
	m := t.Params.Config
	prep := func(k int, b *tasks.Batch) (*tasks.Batch, []float32, error) {
		if m.LossName() == models.LossMSE && b.Targets == nil { // the paper's batches bring theirs
			if err := tasks.MSETargets(b, m.NumOutput, m.Dt); err != nil {
				return nil, nil, err
			}
		}
		noise, b := training.StepNoise(m, cfg.Seed, k, b)
		return b, noise, nil
	}
	if t.guard == nil {
		t.guard = training.NewGuard(t.Params)
	}
	first := t.Adam.Step + 1
	mk := scheduleMaker(t.sched, cfg.Seed, cfg.BatchSize, cfg.SeqLen, first)
	if cfg.Paper {
		var err error
		if mk, err = paperMaker(cfg.Seed, cfg.BatchSize, cfg.Dt, first); err != nil {
			return fmt.Errorf("multitask: %w", err)
		}
	}
	src := newBatchSource(mk, first, prep)
	defer src.stop()
	losses = slices.Clone(t.Meta.Pending)
	var runErr error
	for !t.Done() {
		if err := ctx.Err(); err != nil {
			runErr = err
			break
		}
		t0 := time.Now()
		b, noise, dataDur, err := src.next()
		if err != nil {
			return err
		}
		k := t.Adam.Step + 1
		res, err := t.Engine.LossAndGrad(t.Params, b, noise)
		if err != nil {
			return fmt.Errorf("multitask: step %d: %w", k, err)
		}
		if err := t.guard.Check(k, float64(res.Loss), res.Grads); err != nil {
			return t.diverged(err, save)
		}
		if cfg.ClipValue > 0 {
			training.ClipGradValue(res.Grads, cfg.ClipValue)
		}
		if err := t.guard.Update(k, t.Params, t.Adam, res.Grads); err != nil {
			return t.diverged(err, save)
		}
		d := time.Since(t0)
		seconds += d.Seconds()
		t.stepMs = append(t.stepMs, float64(d)/1e6)
		t.dataMs = append(t.dataMs, float64(dataDur)/1e6)
		losses = append(losses, float64(res.Loss))
		if k%cfg.EvalEvery == 0 || k >= cfg.Steps {
			e, err := t.evaluate(stats.Mean(losses), seconds)
			if err != nil {
				return err
			}
			losses = losses[:0]
			fmt.Fprintln(logw, e)
			if err := save(); err != nil {
				return err
			}
		}
	}
	if t.Meta.Reached > 0 {
		fmt.Fprintf(logw, "every task reached its target at step %d\n", t.Meta.Reached)
	}
	if err := save(); err != nil {
		return err
	}
	return runErr
}

// diverged records the diverged step's error err (a
// *training.DivergedError) in Meta.Error, saves the last finite state with
// save (the guard has restored it) and returns err, saying where that
// state is.
func (t *Trainer) diverged(err error, save func() error) error {
	t.Meta.Error = err.Error()
	if serr := save(); serr != nil {
		return fmt.Errorf("multitask: %w (and the last finite state could not be saved: %v)", err, serr)
	}
	if t.Checkpoint == "" {
		return fmt.Errorf("multitask: %w", err)
	}
	return fmt.Errorf("multitask: %w (%s keeps the last finite state, after step %d, marked failed)", err, t.Checkpoint, t.Adam.Step)
}
