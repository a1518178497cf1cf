package eirnn

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"github.com/rnnlab/rnnlab/rnnlab/report"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// SampleTrials draws two trials of the training task (TrainingTask(seed))
// played with random actions, as nn-brain's plot_env(env, num_trials=2)
// before training: observations, actions, ground truth and rewards.
func SampleTrials(seed uint64) (*plots.Figure, error) {
	task, err := TrainingTask(seed)
	if err != nil {
		return nil, err
	}
	rec, err := tasks.Rollout(task, tasks.RolloutConfig{Trials: 2, Seed: seed})
	if err != nil {
		return nil, err
	}
	return plots.Env(pipeline.EnvData(rec))
}

// NumActivityTrials is the number of sample trials ActivityFigure draws.
const NumActivityTrials = 2

// ActivityFigure draws the rates of every E (blue) and I (red) unit on the
// first NumActivityTrials test trials (plots.EIActivity).
func (e *Evaluation) ActivityFigure() (*plots.Figure, error) {
	return plots.EIActivity(e.Rates[:min(NumActivityTrials, len(e.Rates))], e.Activity.H, e.NumE)
}

// SelectivityFigure draws the histograms of d′ for the E and the I units
// (plots.SelectivityHistograms, 20 bins).
func (e *Evaluation) SelectivityFigure() (*plots.Figure, error) {
	return plots.SelectivityHistograms(e.Selectivity.DPrime, e.NumE, 20)
}

// ConnectivityFigure draws the effective weights w (H×H, presynaptic rows:
// models.Params.EffectiveRecurrent) with the units sorted by d′ within E
// and within I (Order), on a map centred at 0.
func (e *Evaluation) ConnectivityFigure(w []float32) (*plots.Figure, error) {
	H := e.Activity.H
	return plots.Connectivity(analysis.Reorder(w, H, e.Order), H, e.NumE, "Effective connectivity, sorted by selectivity")
}

// PanelFigure is the paper's connectivity panel: W_eff restricted to the
// PanelE E units most selective for each choice and the PanelI I units
// (Panel order: E preferring choice 1, E preferring choice 0, then the
// same for I).
func (e *Evaluation) PanelFigure(w []float32) (*plots.Figure, error) {
	H, n := e.Activity.H, len(e.Panel)
	numE := 0
	for _, u := range e.Panel {
		if u < e.NumE {
			numE++
		}
	}
	return plots.Connectivity(analysis.Reorder(w, H, e.Panel), n, numE,
		fmt.Sprintf("Most selective units (%d E, %d I)", numE, n-numE))
}

// Figures draws every figure of the example for a trained run and its
// evaluation: the task played by the trained network, the training curves
// (if the run has a history), the E/I activity, the selectivity
// histograms, the sorted connectivity and the paper's panel.
func Figures(r *pipeline.Run, e *Evaluation) ([]report.Figure, error) {
	var figs report.FigureList
	seed := r.Summary.Seed
	f, err := pipeline.EnvFigure(r, seeds.Rollout(seed))
	figs.Add("task", "Two trials of the training task (random fixation and stimulus durations) played by the trained network.", f, err)
	if len(r.Summary.History) > 0 {
		f, err := plots.TrainingCurve(pipeline.TrainingHistory(r.Summary))
		figs.Add("training", fmt.Sprintf("Training loss and decision accuracy, mean over every %d steps.", r.Summary.Config.LogEvery), f, err)
	}
	f, err = e.ActivityFigure()
	figs.Add("activity", "Rates of the excitatory (blue) and inhibitory (red) units on two test trials (500-ms fixation, 500-ms stimulus, decision).", f, err)
	f, err = e.SelectivityFigure()
	figs.Add("selectivity", "Choice selectivity d′ over the stimulus period (positive: more active when choice 0 is correct).", f, err)
	w := r.Params.EffectiveRecurrent()
	f, err = e.ConnectivityFigure(w)
	figs.Add("connectivity", "Effective recurrent weights (from → to), units sorted by d′ within E and within I; red inhibitory, blue excitatory.", f, err)
	f, err = e.PanelFigure(w)
	figs.Add("connectivity_panel", fmt.Sprintf("The paper's panel: the %d E units most selective for each choice, then the %d I units most selective for each.", PanelE, PanelI), f, err)
	return figs.Figures()
}

// PreferenceBlocks measures the structure of the paper's panel: with w the
// effective weights (H×H, presynaptic rows) and the panel's 2·n E units
// split into the n preferring choice 1 and the n preferring choice 0 (the
// Panel order), same is the mean of w[i][j] over pairs i ≠ j of the same
// preference and opposite the mean over pairs of opposite preferences.
// Excitatory units that excite their own group more (same > opposite)
// form the mutually exciting pools of a winner-take-all decision circuit.
func (e *Evaluation) PreferenceBlocks(w []float32) (same, opposite float64) {
	H := e.Activity.H
	var units []int
	for _, u := range e.Panel {
		if u < e.NumE {
			units = append(units, u)
		}
	}
	n := len(units) / 2
	var ns, no int
	for a := range 2 * n {
		for b := range 2 * n {
			if a == b {
				continue
			}
			v := float64(w[units[a]*H+units[b]])
			if (a < n) == (b < n) {
				same += v
				ns++
			} else {
				opposite += v
				no++
			}
		}
	}
	if ns > 0 {
		same /= float64(ns)
	}
	if no > 0 {
		opposite /= float64(no)
	}
	return same, opposite
}
