package eirnn

import (
	"fmt"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/report"
)

// Comparison is the sentence that sets a test accuracy beside nn-brain's:
// "nn-brain's notebook reports 0.848; this run gives 0.854 (+0.006)".
func Comparison(acc float64) string {
	return fmt.Sprintf("nn-brain's notebook reports %.3f; this run gives %.3f (%+.3f)", ReportedAccuracy, acc, acc-ReportedAccuracy)
}

// Report builds the HTML report of a trained run and its evaluation, with
// the figures of Figures: the task, training, test accuracy beside
// nn-brain's, Dale's law, activity, selectivity and connectivity.
func Report(r *pipeline.Run, e *Evaluation, figs []report.Figure) (*report.Report, error) {
	s := r.Summary
	rep := report.New("rnnlab: an excitatory–inhibitory network on perceptual decision making (Song, Yang & Wang 2016)")
	rep.Subtitle = fmt.Sprintf("%s, dt %g ms, %d units (%d E, %d I), sigma_rec %g, seed %d; engine %s",
		s.Config.Task, s.Config.Dt, r.Params.NumHidden, e.NumE, r.Params.NumHidden-e.NumE, r.Params.SigmaRec, s.Seed, s.Engine)

	rep.AddSection("Task", fmt.Sprintf("PerceptualDecisionMaking at dt %d ms: fixation of 50, 100, 200 or 400 ms, "+
		"a noisy two-channel stimulus of 100, 200, 400 or 800 ms, then a 100-ms decision.", Dt))
	if err := rep.AddFigures(figs, "task"); err != nil {
		return nil, err
	}

	rep.AddSection("Training", fmt.Sprintf("Adam (lr %g), batch %d, sequence %d, cross-entropy over every step, "+
		"recurrent noise sqrt(2α)·%g. %d steps in %.1f s (median %.2f ms per step).",
		s.Config.LR, s.Config.BatchSize, s.Config.SeqLen, r.Params.SigmaRec, s.Steps, s.WallSeconds, s.MedianStepMs))
	var log strings.Builder
	rows := [][]string{}
	for _, p := range s.History {
		rows = append(rows, []string{fmt.Sprint(p.Step), fmt.Sprintf("%.4f", p.Loss), fmt.Sprintf("%.3f", p.Acc)})
		fmt.Fprintln(&log, p)
	}
	if err := rep.AddTable(fmt.Sprintf("Loss and decision accuracy, mean over each %d steps", s.Config.LogEvery),
		[]string{"step", "loss", "accuracy"}, rows); err != nil {
		return nil, err
	}
	if err := rep.AddFigures(figs, "training"); err != nil {
		return nil, err
	}

	rep.AddSection("Test", fmt.Sprintf("%d fresh trials with fixation and stimulus of %d ms, each run alone from the zero state without noise; "+
		"a trial is correct when the output's argmax at its last step is the label.", len(e.Activity.Trials), TestStimulus))
	rep.AddValues("Test accuracy",
		report.Pair{Name: "accuracy", Value: fmt.Sprintf("%.3f", e.Accuracy)},
		report.Pair{Name: "nn-brain", Value: Comparison(e.Accuracy)})

	rep.AddSection("Dale's law", "Effective weights W_eff = |W| ⊙ mask: every weight out of an excitatory unit is ≥ 0, "+
		"out of an inhibitory unit ≤ 0, and no unit connects to itself.")
	d := e.Dale
	rep.AddValues("Check",
		report.Pair{Name: "violations", Value: d.Violations},
		report.Pair{Name: fmt.Sprintf("smallest weight out of the %d E units", d.NumE), Value: fmt.Sprintf("%.4g", d.MinE)},
		report.Pair{Name: fmt.Sprintf("largest weight out of the %d I units", d.NumI), Value: fmt.Sprintf("%.4g", d.MaxI)},
		report.Pair{Name: "largest |diagonal weight|", Value: fmt.Sprintf("%.4g", d.MaxAbsDiag)})

	rep.AddSection("Activity", "")
	if err := rep.AddFigures(figs, "activity"); err != nil {
		return nil, err
	}
	rep.AddSection("Selectivity", fmt.Sprintf("d′ = (mean₀ − mean₁) / sqrt((sd₀² + sd₁² + 1e-7)/2) of each unit's rate over the stimulus "+
		"period (steps %d to %d), pooled over the trials of each ground truth (%d and %d samples).",
		e.Window.Start, e.Window.End-1, e.Selectivity.N0, e.Selectivity.N1))
	if err := rep.AddFigures(figs, "selectivity"); err != nil {
		return nil, err
	}
	rep.AddSection("Connectivity", "Effective weights from unit (column) to unit (row), sorted by d′ within E and within I; "+
		"then the paper's panel of the most selective units.")
	same, across := e.PreferenceBlocks(r.Params.EffectiveRecurrent())
	rep.AddValues("E→E weights among the panel's most selective E units",
		report.Pair{Name: "mean between units of the same preference", Value: fmt.Sprintf("%.4f", same)},
		report.Pair{Name: "mean between units of opposite preferences", Value: fmt.Sprintf("%.4f", across)})
	if err := rep.AddFigures(figs, "connectivity", "connectivity_panel"); err != nil {
		return nil, err
	}
	rep.AddSection("Training log", "```\n"+log.String()+"```")
	return rep, nil
}
