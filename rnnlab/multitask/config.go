package multitask

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// Defaults of Config: neurogym's yang19 example.
const (
	DefaultSteps      = 40000
	DefaultHidden     = 256
	DefaultBatchSize  = 32
	DefaultSeqLen     = 100
	DefaultLR         = 1e-3
	DefaultDt         = 100.0
	DefaultTau        = 100.0
	DefaultEvalEvery  = 500
	DefaultEvalTrials = 200
	// DefaultConfirmTrials is the number of trials per task of the
	// evaluation that confirms a target reached (see Config.ConfirmTrials).
	DefaultConfirmTrials = 1000
	// DefaultTarget is the accuracy every task must reach, except those
	// of DefaultTargets' lower entries.
	DefaultTarget = 0.9
	// DefaultTieTarget is the target of multidm and multidlydm: their two
	// modalities' evidence ties exactly in 12.5 % and 16.7 % of trials, and
	// a random draw then sets the label, capping them near 0.92 and 0.90.
	DefaultTieTarget = 0.85
)

// Config configures a run. Zero fields mean their defaults (WithDefaults).
type Config struct {
	// Steps is the largest number of training steps (default 40000).
	Steps int `json:"steps"`
	// Hidden is the number of units (default 256).
	Hidden int `json:"hidden"`
	// BatchSize and SeqLen shape the training batches (32 and 100).
	BatchSize int `json:"batch_size"`
	SeqLen    int `json:"seq_len"`
	// LR is Adam's learning rate (1e-3, PyTorch's Adam).
	LR float64 `json:"lr"`
	// Dt and Tau are the time step and time constant in ms (100, 100).
	Dt  float64 `json:"dt"`
	Tau float64 `json:"tau"`
	// Seed is the run's seed; weights, data, evaluation trials and noise
	// derive from it (package seeds).
	Seed uint64 `json:"seed"`
	// EvalEvery is the number of steps between evaluations and checkpoints
	// (default 500).
	EvalEvery int `json:"eval_every"`
	// EvalTrials is the number of fresh trials per task in an evaluation
	// (default 200).
	EvalTrials int `json:"eval_trials"`
	// ConfirmTrials is the number of fresh trials per task of a second,
	// larger evaluation run when every task reaches its target on the
	// EvalTrials ones: the run stops only if they reach it again, so that
	// the sampling error of EvalTrials trials (±0.02 at 0.9 with 200)
	// does not stop it early (default 1000).
	ConfirmTrials int `json:"confirm_trials,omitempty"`
	// Targets maps a task's short name ("dm1") to the accuracy it must
	// reach; nil means DefaultTargets(). Tasks not named need
	// DefaultTarget.
	Targets map[string]float64 `json:"targets,omitempty"`
	// Engine is the training engine's name (models.NewEngine; default
	// "auto", the CPU kernel).
	Engine string `json:"engine,omitempty"`
	// SigmaRec is the recurrent noise σ_rec during training (0: none, the
	// default; the paper uses 0.05).
	SigmaRec float64 `json:"sigma_rec,omitempty"`
	// SigmaIn is the input noise σ_x added to every input during training
	// (0: none, the default; the paper uses 0.01).
	SigmaIn float64 `json:"sigma_in,omitempty"`
	// Paper selects the paper's own setup (Yang et al. 2019; see
	// PaperDt): the paper's trials (package yang2019), cell
	// (models.CellLeaky, softplus) and read-out (sigmoid outputs, masked
	// mean squared error), dt 20 ms, σ_rec 0.05 and σ_x 0.01, batches of
	// 64, gradients clipped to [−1, 1], at most PaperSteps steps, targets
	// PaperTarget, and the paper's performance measure in every
	// evaluation (EvaluatePaper). Fields set explicitly keep their values.
	Paper bool `json:"paper,omitempty"`
	// ClipValue, when > 0, clips every gradient value to [−ClipValue,
	// ClipValue] before Adam (training.ClipGradValue); 0 means off, the
	// default; the paper's setup uses 1.
	ClipValue float64 `json:"clip_value,omitempty"`
}

// DefaultTargets returns the stopping targets of the issue: 0.9 on every
// task but multidm and multidlydm, 0.85 on those two.
func DefaultTargets() map[string]float64 {
	t := map[string]float64{}
	for _, s := range ShortNames() {
		t[s] = DefaultTarget
	}
	t["multidm"], t["multidlydm"] = DefaultTieTarget, DefaultTieTarget
	return t
}

// ShortNames returns the twenty tasks' short names in the paper's order
// ("go", ..., "dnmc"), the order of the rule inputs.
func ShortNames() []string {
	ids := tasks.Yang19Names()
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strings.TrimSuffix(strings.TrimPrefix(id, tasks.Yang19Collection+"."), "-v0")
	}
	return out
}

// WithDefaults returns c with every zero field set to its default and
// Targets completed: every task gets a target.
func (c Config) WithDefaults() Config {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	deff := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	if c.Paper {
		def(&c.Steps, PaperSteps)
		def(&c.BatchSize, PaperBatchSize)
		deff(&c.Dt, PaperDt)
		deff(&c.SigmaRec, PaperSigmaRec)
		deff(&c.SigmaIn, PaperSigmaIn)
		deff(&c.ClipValue, PaperClipValue)
	}
	def(&c.Steps, DefaultSteps)
	def(&c.Hidden, DefaultHidden)
	def(&c.BatchSize, DefaultBatchSize)
	def(&c.SeqLen, DefaultSeqLen)
	def(&c.EvalEvery, DefaultEvalEvery)
	def(&c.EvalTrials, DefaultEvalTrials)
	def(&c.ConfirmTrials, DefaultConfirmTrials)
	deff(&c.LR, DefaultLR)
	deff(&c.Dt, DefaultDt)
	deff(&c.Tau, DefaultTau)
	if c.Engine == "" {
		c.Engine = models.EngineAuto
	}
	t := DefaultTargets()
	if c.Paper {
		for k := range t {
			t[k] = PaperTarget
		}
	}
	if c.Targets != nil {
		t = maps.Clone(c.Targets)
		for _, s := range ShortNames() {
			if _, ok := t[s]; !ok {
				t[s] = DefaultTarget
			}
		}
	}
	c.Targets = t
	return c
}

// Validate reports a configuration that cannot run, in one line.
func (c Config) Validate() error {
	c = c.WithDefaults()
	switch {
	case c.Steps < 0:
		return fmt.Errorf("multitask: steps must be >= 0, got %d", c.Steps)
	case c.Hidden < 0, c.BatchSize < 0, c.SeqLen < 0, c.EvalEvery < 0, c.EvalTrials < 0, c.ConfirmTrials < 0:
		return fmt.Errorf("multitask: hidden, batch size, sequence length, eval every, eval trials and confirm trials must be > 0")
	case !(c.ClipValue >= 0) || math.IsInf(c.ClipValue, 0):
		return fmt.Errorf("multitask: clip value must be finite and >= 0, got %v", c.ClipValue)
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return fmt.Errorf("multitask: learning rate must be finite and > 0, got %v", c.LR)
	case !(c.Dt > 0) || !(c.Tau >= c.Dt) || math.IsInf(c.Tau, 0):
		return fmt.Errorf("multitask: need 0 < dt <= tau, got dt %v, tau %v", c.Dt, c.Tau)
	case c.EvalTrials > MaxEvalTrials || c.ConfirmTrials > MaxEvalTrials:
		return fmt.Errorf("multitask: eval trials and confirm trials must be at most %d, got %d and %d", MaxEvalTrials, c.EvalTrials, c.ConfirmTrials)
	}
	if err := c.Model().Validate(); err != nil {
		return err
	}
	for k, v := range c.Targets {
		if !slices.Contains(ShortNames(), k) {
			return fmt.Errorf("multitask: target for unknown task %q (known: %s)", k, strings.Join(ShortNames(), ", "))
		}
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("multitask: target of %s must be in [0, 1], got %v", k, v)
		}
	}
	return (training.Config{BatchSize: c.BatchSize, SeqLen: c.SeqLen, Model: c.Model()}).CheckMemory()
}

// MaxEvalTrials is the largest EvalTrials and ConfirmTrials: fresh trials
// per task of one evaluation.
const MaxEvalTrials = 100_000

// Model returns the network: a ReLU CTRNN (the default cell) with 53
// inputs, Hidden units, 17 outputs, dt, tau and noise of the run, trained
// with cross-entropy on the logits; with Paper, the paper's network (see
// PaperDt).
func (c Config) Model() models.Config {
	c = c.WithDefaults()
	if c.Paper {
		return paperModel(c)
	}
	m := models.Config{
		NumInput: tasks.Yang19ObsSize + len(tasks.Yang19Names()), NumHidden: c.Hidden,
		NumOutput: tasks.Yang19NumActions, Dt: c.Dt, Tau: c.Tau, SigmaRec: c.SigmaRec, SigmaIn: c.SigmaIn,
	}
	return m
}

// NewTasks builds the twenty tasks at time step dt with configuration
// base (Dt is set from dt), in the paper's order. noiseless drops the
// stimulus noise of the dm and matching tasks (Sigma 0), for the analysis.
func NewTasks(dt float64, noiseless bool) ([]tasks.Task, error) {
	var ts []tasks.Task
	for i, id := range tasks.Yang19Names() {
		cfg := tasks.Yang19Config{Dt: dt}
		if noiseless && i >= 6 { // dm, delayed dm and matching tasks
			cfg.Sigma = tasks.Ptr(0.0)
		}
		t, err := tasks.NewYang19(id, cfg)
		if err != nil {
			return nil, fmt.Errorf("multitask: %w", err)
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// NewSchedule returns the twenty tasks of NewTasks(dt, noiseless) under a
// tasks.RandomSchedule with the one-hot rule input (neurogym's yang19
// example): 53 inputs, 17 actions, record tasks.ScheduleTrial.
func NewSchedule(dt float64, noiseless bool) (*tasks.Schedule, error) {
	ts, err := NewTasks(dt, noiseless)
	if err != nil {
		return nil, err
	}
	s, err := tasks.NewSchedule(ts, tasks.Random(), true)
	if err != nil {
		return nil, fmt.Errorf("multitask: %w", err)
	}
	return s, nil
}
