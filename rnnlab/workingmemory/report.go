package workingmemory

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/report"
)

// File names written by Write.
const (
	ReportFile = pipeline.ReportFile // report.html
	SceneFile  = "fixed_points_3d.html"
)

// Figures returns the analysed run's figures, named as their PNG files:
// task, training, delay_activity, fixed_points, eigenvalues.
func Figures(r *pipeline.Run, a *Analysis) ([]report.Figure, error) {
	var figs report.FigureList
	f, err := TaskFigure(r)
	figs.Add("task", "Two trials of the training task played by the trained network.", f, err)
	f, err = TrainingFigure(r)
	figs.Add("training", "Loss and decision accuracy during training.", f, err)
	f, err = a.DelayFigure()
	figs.Add("delay_activity", fmt.Sprintf("Delay-period activity of %d trials with a %g ms delay on PC 1 and 2, coloured by f1.", len(a.Activity.F1), AnalysisDelay), f, err)
	if a.Points.Len() > 0 {
		f, err = a.FixedPointsFigure()
		figs.Add("fixed_points", "The fixed points under the delay input [1, 0] (crosses) over the delay-period activity, with the slow mode at the middle point.", f, err)
		f, err = a.SpectrumFigure()
		figs.Add("eigenvalues", "Eigenvalues of the Jacobian at the middle fixed point; the slow mode is circled.", f, err)
	}
	return figs.Figures()
}

// Report builds the HTML report of the example: the seeds' scores, then
// the analysed run's task, training, delay-period activity, fixed points,
// slow mode and spectrum.
func Report(r *pipeline.Run, a *Analysis, scores []Score, figs []report.Figure) (*report.Report, error) {
	s := r.Summary
	rep := report.New("rnnlab: parametric working memory (nn-brain's ParametricWorkingMemory)")
	rep.Subtitle = fmt.Sprintf("%s, dt %g ms, %d hidden units, analysed seed %d; engine %s",
		s.Config.Task, s.Config.Dt, r.Params.NumHidden, s.Seed, s.Engine)
	rep.AddSection("Task", "DelayComparison (Romo's task): a first stimulus f1, a delay, a second stimulus f2, then report which was larger. "+
		"Neurogym v2.2.0's timing (fixation 500 ms) with delays of 200, 400, 800, 1600 or 3200 ms; nn-brain's published outputs "+
		"were made with the timing before 2020 (fixation uniform on 1500-3000 ms).")
	if err := rep.AddFigures(figs, "task"); err != nil {
		return nil, err
	}
	rows := [][]string{}
	for _, sc := range scores {
		rows = append(rows, []string{fmt.Sprint(sc.Seed), fmt.Sprintf("%.3f", sc.TrainAccuracy), fmt.Sprintf("%.3f", sc.Accuracy),
			fmt.Sprint(sc.Points), fmt.Sprint(sc.Exact), fmt.Sprintf("%+.3f", sc.Slow), fmt.Sprintf("%.2f", math.Abs(sc.F1Corr)), fmt.Sprint(sc.Line)})
	}
	rep.AddSection("Seeds", fmt.Sprintf("Not every seed forms a line attractor: %d of %d do (at least %d distinct fixed points, "+
		"slow eigenvalue of F(h) − h within ±%g of 0, |corr(PC 1 of the points, f1)| ≥ %g).",
		CountLines(scores), len(scores), MinLinePoints, SlowTolerance, MinF1Correlation))
	if err := rep.AddTable("Each seed trained and analysed", []string{"seed", "train accuracy", "accuracy (3 s delay)",
		"fixed points", "exact", "slow eigenvalue of F(h) − h", "|corr(PC 1, f1)|", "line"}, rows); err != nil {
		return nil, err
	}
	rep.AddSection("Training", fmt.Sprintf("Seed %d: %d steps in %.1f s; final decision accuracy %.3f.", s.Seed, s.Steps, s.WallSeconds, s.FinalAccuracy))
	if err := rep.AddFigures(figs, "training"); err != nil {
		return nil, err
	}
	rep.AddSection("Delay-period activity", fmt.Sprintf("%d trials with a %g ms delay; accuracy %.3f. PC 1-3 explain %.1f%%, %.1f%% and %.1f%% of the variance.",
		len(a.Activity.F1), AnalysisDelay, a.Activity.Accuracy(), 100*a.PCA.ExplainedVarianceRatio[0], 100*a.PCA.ExplainedVarianceRatio[1], 100*a.PCA.ExplainedVarianceRatio[2]))
	if err := rep.AddFigures(figs, "delay_activity"); err != nil {
		return nil, err
	}
	rep.AddSection("Fixed points", fmt.Sprintf("The search starts from delay-period states times U(0.5, 1.5) under the delay input %v. "+
		"Kept %d points (%d stable); |corr(PC 1 of the points, f1)| = %.2f. A rotatable 3-D view is in `%s`.",
		DelayInput, a.Points.Len(), a.NumStable(), math.Abs(a.Score.F1Corr), SceneFile))
	if err := rep.AddFigures(figs, "fixed_points"); err != nil {
		return nil, err
	}
	if a.Eigen != nil {
		lead := a.Eigen.Values[0]
		rep.AddValues("Slow mode at the middle fixed point",
			report.Pair{Name: "leading eigenvalue of the Jacobian of F (by real part)", Value: fmt.Sprintf("%.4f%+.4fi", real(lead), imag(lead))},
			report.Pair{Name: "the same for F(h) − h", Value: fmt.Sprintf("%+.4f", real(lead)-1)},
			report.Pair{Name: "|cos| between the slow mode and the points' PC 1", Value: fmt.Sprintf("%.3f", a.SlowModeCosine())})
		if err := rep.AddFigures(figs, "eigenvalues"); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// Write writes the report of an analysed run into dir: one PNG per figure,
// the rotatable 3-D view (SceneFile) and ReportFile.
func Write(dir string, r *pipeline.Run, a *Analysis, scores []Score) error {
	figs, err := Figures(r, a)
	if err != nil {
		return err
	}
	if err := report.WriteFiles(dir, figs, ".png"); err != nil {
		return err
	}
	scene, err := a.Scene()
	if err != nil {
		return err
	}
	if err := scene.WriteFile(filepath.Join(dir, SceneFile)); err != nil {
		return err
	}
	rep, err := Report(r, a, scores, figs)
	if err != nil {
		return err
	}
	return rep.WriteFile(filepath.Join(dir, ReportFile))
}
