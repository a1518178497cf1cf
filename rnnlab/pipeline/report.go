package pipeline

import (
	"fmt"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/report"
)

// ReportFile is the report's file name in a tutorial folder.
const ReportFile = "report.html"

// Report builds the self-contained HTML report of a run and its analysis:
// every number of the tutorial and every figure.
func Report(r *Run, a *Analysis, figs []report.Figure) (*report.Report, error) {
	s, sum := r.Summary, a.Summary()
	rep := report.New("rnnlab: the primer's perceptual decision-making network, trained and analysed")
	rep.Subtitle = fmt.Sprintf("%s, dt %g ms, %d hidden units, seed %d; engine %s",
		s.Config.Task, s.Config.Dt, r.Params.NumHidden, s.Seed, s.Engine)

	rep.AddSection("Task", "PerceptualDecisionMaking: a noisy two-channel stimulus for 2 s, then a choice in the decision step. "+
		"The panels show two trials played by the trained network.")
	if err := rep.AddFigures(figs, "task"); err != nil {
		return nil, err
	}

	rep.AddSection("Training", fmt.Sprintf("Adam (lr %g), batch %d, sequence %d, mean cross-entropy over all steps. "+
		"%d steps in %.1f s (median %.2f ms per step).",
		s.Config.LR, s.Config.BatchSize, s.Config.SeqLen, s.Steps, s.WallSeconds, s.MedianStepMs))
	var log strings.Builder
	rows := [][]string{}
	for _, p := range s.History {
		rows = append(rows, []string{fmt.Sprint(p.Step), fmt.Sprintf("%.4f", p.Loss), fmt.Sprintf("%.3f", p.Acc)})
		fmt.Fprintln(&log, p)
	}
	if err := rep.AddTable("Loss and decision accuracy, mean over each 100 steps", []string{"step", "loss", "accuracy"}, rows); err != nil {
		return nil, err
	}
	if err := rep.AddFigures(figs, "training"); err != nil {
		return nil, err
	}

	rep.AddSection("Activity", fmt.Sprintf("%d fresh trials, %d states of %d units; the network chose correctly in %.1f%% of them. "+
		"PC 1 and PC 2 explain %.1f%% and %.1f%% of the variance.",
		sum.Trials, sum.States, r.Params.NumHidden, 100*sum.Accuracy, 100*sum.ExplainedVar[0], 100*sum.ExplainedVar[1]))
	if err := rep.AddFigures(figs, "pc_trajectories", "coherence_trajectories"); err != nil {
		return nil, err
	}

	stages := []report.Pair{{Name: "candidates", Value: sum.States}}
	for _, st := range sum.Stages {
		stages = append(stages, report.Pair{Name: "after " + strings.ReplaceAll(st.Name, "_", " "), Value: st.Count})
	}
	stages = append(stages,
		report.Pair{Name: "Adam iterations", Value: sum.Iterations},
		report.Pair{Name: "mean speed of the kept points", Value: fmt.Sprintf("%.3g", sum.MeanSpeed)},
		report.Pair{Name: "search time", Value: fmt.Sprintf("%.1f s", sum.Timings.FixedPoints)})
	rep.AddSection("Fixed points", fmt.Sprintf("Candidates are all the states; Adam minimises the mean speed |F(h) − h|² / D "+
		"with the input %v held constant, then the loss filter, de-duplication and outlier removal keep the fixed points.", a.Input))
	if a.Exact != nil {
		exact := fmt.Sprintf("%d (largest residual %.1e, %.2f s)", sum.Exact, sum.ExactMaxResidual, sum.Timings.Newton)
		stages = append(stages, report.Pair{Name: "exact fixed points reached by Newton's method from the kept points", Value: exact})
		if len(sum.ExactLeading) > 0 {
			v := sum.ExactLeading[0]
			stages = append(stages, report.Pair{Name: "slow mode at the first exact fixed point", Value: fmt.Sprintf("%.4f%+.4fi", v[0], v[1])})
		}
	}
	rep.AddValues("The search, step by step", stages...)
	if err := rep.AddFigures(figs, "fixed_points"); err != nil {
		return nil, err
	}

	if a.Line != nil {
		vals := make([]string, len(sum.Leading))
		for i, v := range sum.Leading {
			vals[i] = fmt.Sprintf("%.4f%+.4fi", v[0], v[1])
		}
		rep.AddSection("Line attractor", "The Jacobian of the one-step map at the fixed point in the middle of the points along PC 1; "+
			"its eigenvalue with the largest real part is the slow mode along which evidence is integrated.")
		rep.AddValues("Linearisation",
			report.Pair{Name: "leading eigenvalues (by real part)", Value: strings.Join(vals, ", ")},
			report.Pair{Name: "line measure (variance of the fixed points on their own PC 1)", Value: fmt.Sprintf("%.3f", sum.LineMeasure)},
			report.Pair{Name: "cosine of the slow eigenvector with PC 1", Value: fmt.Sprintf("%.3f", sum.PC1Cosine)})
		if err := rep.AddFigures(figs, "line_attractor", "eigenvalues"); err != nil {
			return nil, err
		}
	}
	rep.AddSection("Training log", "```\n"+log.String()+"```")
	return rep, nil
}
