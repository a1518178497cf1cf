// Package eirnn is the primer's excitatory–inhibitory example: nn-brain's
// EI_RNN notebook (Song, Yang & Wang 2016, PLoS Comput. Biol. 12(2)),
// defined once for the notebook notebooks/ei_rnn.ipynb, the command
// `rnnlab tutorial --name ei` and the training test that checks its
// accuracy.
//
// The network (models.Config{Cell: "ei"}) has H = 50 units, the first
// E = 40 excitatory and the last I = 10 inhibitory. With α = dt/τ, state s
// and rates r = relu(s),
//
//	s ← (1−α) s + α (W_in x + b_in + W_effᵀ r + b_rec) + sqrt(2α) σ_rec ξ
//
// where W_eff = |W| ⊙ M, M[i][j] = +1 for an excitatory presynaptic unit i,
// −1 for an inhibitory one, 0 on the diagonal (Dale's law, no autapses),
// and the read-out sees only the E units: o = W_out r[:E] + b_out.
package eirnn

import (
	"fmt"
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// The example's settings (nn-brain's EI_RNN notebook).
const (
	// Dt is the task's and the network's time step in ms.
	Dt = 20
	// Tau is the units' time constant in ms (α = Dt/Tau = 0.2).
	Tau = 100
	// NumHidden is the number of units, 80 % of them excitatory.
	NumHidden = 50
	// SigmaRec is σ_rec of the recurrent noise sqrt(2α) σ_rec ξ.
	SigmaRec = 0.15
	// Steps is the number of Adam steps (learning rate 1e-3, batches of
	// 16 sequences of 100 steps).
	Steps = 5000
	// LogEvery is nn-brain's print_step: one log line per 200 steps.
	LogEvery = 200
	// TestTrials is the number of trials of the test.
	TestTrials = 500
	// TestFixation and TestStimulus are the fixed durations (ms) of the
	// fixation and stimulus periods in the test and the analysis.
	TestFixation, TestStimulus = 500, 500
	// PanelE and PanelI are the numbers of most selective E and I units per
	// choice in the paper's connectivity panel (nn-brain's plot_e, plot_i).
	PanelE, PanelI = 8, 2
	// ReportedAccuracy is the test accuracy nn-brain's notebook reports.
	ReportedAccuracy = 0.848
)

// TrainingTiming is the training task's timing: fixation drawn uniformly
// from {50, 100, 200, 400} ms and stimulus from {100, 200, 400, 800} ms
// (floored to multiples of Dt by the task).
func TrainingTiming() tasks.PDMTiming {
	return tasks.PDMTiming{
		Fixation: tasks.Choice(50, 100, 200, 400),
		Stimulus: tasks.Choice(100, 200, 400, 800),
	}
}

// Config is nn-brain's EI_RNN training: PerceptualDecisionMaking-v0 at
// dt 20 with TrainingTiming, the 50-unit E-I network (80 % excitatory,
// σ_rec 0.15, τ 100 ms), Adam 1e-3, batch 16, sequences of 100 steps, 5000
// steps, cross-entropy over every step, a log line every 200 steps.
func Config(seed uint64) training.Config {
	return training.Config{
		Steps: Steps, Seed: seed, Dt: Dt, LR: 1e-3, BatchSize: 16, SeqLen: 100, LogEvery: LogEvery,
		Task:       tasks.PerceptualDecisionMakingName,
		TaskConfig: tasks.PerceptualDecisionMakingConfig{Timing: TrainingTiming()},
		Model: models.Config{Cell: models.CellEI, NumInput: 3, NumHidden: NumHidden, NumOutput: 3,
			Dt: Dt, Tau: Tau, SigmaRec: SigmaRec},
	}
}

// TrainingTask is the training task (PerceptualDecisionMaking at Dt with
// TrainingTiming), seeded with seed: for drawing sample trials.
func TrainingTask(seed uint64) (tasks.Task, error) {
	return tasks.New(tasks.PerceptualDecisionMakingName, tasks.WithDt(Dt), tasks.WithSeed(seed),
		tasks.WithConfig(tasks.PerceptualDecisionMakingConfig{Timing: TrainingTiming()}))
}

// TestTask is the task of nn-brain's test and analysis: the training task
// with fixation and stimulus fixed at 500 ms (25 steps each, then the
// 100-ms decision), seeded with seed.
func TestTask(seed uint64) (tasks.Task, error) {
	return tasks.New(tasks.PerceptualDecisionMakingName, tasks.WithDt(Dt), tasks.WithSeed(seed),
		tasks.WithConfig(tasks.PerceptualDecisionMakingConfig{Timing: tasks.PDMTiming{
			Fixation: tasks.Constant(TestFixation), Stimulus: tasks.Constant(TestStimulus),
		}}))
}

// StimulusWindow is the stimulus period [Start, End) in steps of every
// trial of TestTask (the same in all of them, the timing being fixed).
func StimulusWindow() (analysis.Window, error) {
	task, err := TestTask(0)
	if err != nil {
		return analysis.Window{}, err
	}
	tr, err := task.NewTrial(nil)
	if err != nil {
		return analysis.Window{}, err
	}
	per, ok := tr.Period("stimulus")
	if !ok || per.End <= per.Start {
		return analysis.Window{}, fmt.Errorf("eirnn: the test task's trials have no stimulus period")
	}
	return analysis.Window{Start: per.Start, End: per.End}, nil
}

// Evaluation is the trained network's test and analysis, as nn-brain's
// notebook does them after training.
type Evaluation struct {
	// Activity is the network run alone on each of TestTrials trials of
	// TestTask(seeds.Analysis(seed)), from the zero state, without noise.
	Activity *analysis.Activity
	// Rates are each trial's rates r = relu(s), row-major [N][H].
	Rates [][]float32
	// Accuracy is the fraction of trials whose output argmax at the last
	// (decision) step is the label.
	Accuracy float64
	// Window is the stimulus period of every trial, in steps.
	Window analysis.Window
	// Selectivity is every unit's choice selectivity d′ over the stimulus
	// period (analysis.ChoiceSelectivity): positive for units that fire
	// more when the ground truth is choice 0.
	Selectivity *analysis.Selectivity
	// NumE is the number of excitatory units (0 … NumE−1).
	NumE int
	// Order sorts the units by d′ within E, then within I
	// (analysis.SelectivityOrder); Panel is the paper's panel order
	// (analysis.ExtremeOrder with PanelE, PanelI).
	Order, Panel []int
	// Dale is the Dale's law check of the effective weights.
	Dale DaleCheck
}

// Evaluate runs the test and the analysis of a trained E-I network; seed
// is the run's seed (the trials are seeded with seeds.Analysis(seed)).
func Evaluate(p *models.Params, seed uint64) (*Evaluation, error) {
	if p == nil || p.CellName() != models.CellEI {
		return nil, fmt.Errorf("eirnn: Evaluate needs an ei network")
	}
	task, err := TestTask(seeds.Analysis(seed))
	if err != nil {
		return nil, err
	}
	act, err := analysis.CollectActivity(p, task, TestTrials)
	if err != nil {
		return nil, err
	}
	win, err := StimulusWindow()
	if err != nil {
		return nil, err
	}
	rates, err := analysis.Rates(p, act)
	if err != nil {
		return nil, err
	}
	labels := make([]int, len(act.Trials))
	for i, t := range act.Trials {
		labels[i] = t.GroundTruth
	}
	sel, err := analysis.DPrime(rates, p.NumHidden, analysis.SameWindow(len(rates), win.Start, win.End), labels)
	if err != nil {
		return nil, err
	}
	dale, err := CheckDale(p)
	if err != nil {
		return nil, err
	}
	e := p.NumExcitatory()
	return &Evaluation{
		Activity: act, Rates: rates, Accuracy: act.Accuracy(), Window: win, Selectivity: sel, NumE: e,
		Order: analysis.SelectivityOrder(sel.DPrime, e),
		Panel: analysis.ExtremeOrder(sel.DPrime, e, PanelE, PanelI),
		Dale:  dale,
	}, nil
}

// TestAccuracy is Evaluate's Accuracy: nn-brain's test of a trained
// network on TestTrials trials with 500-ms fixation and stimulus.
func TestAccuracy(p *models.Params, seed uint64) (float64, error) {
	e, err := Evaluate(p, seed)
	if err != nil {
		return 0, err
	}
	return e.Accuracy, nil
}

// DaleCheck summarises the effective recurrent weights W_eff[i][j] (from
// unit i to unit j, models.Params.EffectiveRecurrent) against Dale's law:
// every weight out of an excitatory unit (i < NumE) ≥ 0, every weight out
// of an inhibitory unit ≤ 0, and W_eff[i][i] = 0.
type DaleCheck struct {
	NumE, NumI int
	// MinE is the smallest off-diagonal weight out of an E unit, MaxI the
	// largest out of an I unit, MaxAbsDiag the largest |W_eff[i][i]|.
	MinE, MaxI, MaxAbsDiag float64
	// Violations counts the weights that break one of the three rules.
	Violations int
}

// CheckDale checks Dale's law on an E-I network's effective weights.
func CheckDale(p *models.Params) (DaleCheck, error) {
	if p == nil || p.CellName() != models.CellEI {
		return DaleCheck{}, fmt.Errorf("eirnn: Dale's law is checked on an ei network")
	}
	H, E := p.NumHidden, p.NumExcitatory()
	w := p.EffectiveRecurrent()
	d := DaleCheck{NumE: E, NumI: H - E, MinE: math.Inf(1), MaxI: math.Inf(-1)}
	for i := range H {
		for j := range H {
			v := float64(w[i*H+j])
			switch {
			case i == j:
				d.MaxAbsDiag = math.Max(d.MaxAbsDiag, math.Abs(v))
				if v != 0 {
					d.Violations++
				}
			case i < E:
				d.MinE = math.Min(d.MinE, v)
				if !(v >= 0) {
					d.Violations++
				}
			default:
				d.MaxI = math.Max(d.MaxI, v)
				if !(v <= 0) {
					d.Violations++
				}
			}
		}
	}
	return d, nil
}

// OK reports that no weight breaks Dale's law.
func (d DaleCheck) OK() bool { return d.Violations == 0 }

// String is the check as one line, e.g. "Dale's law: 0 violations (E
// weights >= 0, smallest 0; I weights <= 0, largest -0; diagonal 0)".
func (d DaleCheck) String() string {
	return fmt.Sprintf("Dale's law: %d violations (%d E units' weights >= 0, smallest %.4g; %d I units' weights <= 0, largest %.4g; largest |diagonal| %.4g)",
		d.Violations, d.NumE, d.MinE, d.NumI, d.MaxI, d.MaxAbsDiag)
}
