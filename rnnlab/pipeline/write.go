package pipeline

import (
	"encoding/json"
	"math"
	"path/filepath"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/report"
)

// File names inside an analysis folder.
const (
	FixedPointsFile = "fixed_points.npz"
	AnalysisFile    = "analysis.json"
)

// Summary is the analysis' numbers, as written to analysis.json.
type Summary struct {
	Trials       int                 `json:"trials"`
	States       int                 `json:"states"`
	Accuracy     float64             `json:"trial_accuracy"`
	Input        []float32           `json:"input"`
	ExplainedVar []float64           `json:"pca_explained_variance_ratio"`
	Stages       []fixedpoints.Stage `json:"stages"`
	Iterations   int                 `json:"adam_iterations"`
	Diverged     int                 `json:"diverged"`
	MeanSpeed    float64             `json:"final_mean_speed"`
	MeanQ        float64             `json:"final_mean_q"`
	MaxSpeed     float64             `json:"max_speed"`
	// ChosenPoint is the index (among the kept points) of the line
	// attractor's middle point, -1 without a line.
	ChosenPoint int `json:"chosen_point"`
	// Leading are the leading eigenvalues there, as [re, im] pairs.
	Leading     [][2]float64 `json:"leading_eigenvalues"`
	LineMeasure float64      `json:"line_measure"`
	PC1Cosine   float64      `json:"line_pc1_cosine"`
	// Exact is the number of distinct exact fixed points Newton's method
	// reached from the kept points; ExactLeading the leading eigenvalues
	// (by real part) at the first of them; ExactMaxResidual the largest
	// max|r| among them.
	Exact            int          `json:"exact_fixed_points"`
	ExactLeading     [][2]float64 `json:"exact_leading_eigenvalues,omitempty"`
	ExactMaxResidual float64      `json:"exact_max_residual"`
	Timings          Timings      `json:"timings"`
}

// Summary returns the analysis' numbers.
func (a *Analysis) Summary() Summary {
	s := Summary{
		Trials: len(a.Activity.Trials), States: a.Activity.NumStates(), Accuracy: a.Activity.Accuracy(),
		Input: a.Input, ExplainedVar: a.PCA.ExplainedVarianceRatio, Stages: a.Points.Stages,
		Iterations: a.Points.Iters, Diverged: len(a.Points.Diverged),
		ChosenPoint: -1, Timings: a.Timings,
	}
	if n := a.Points.Len(); n > 0 {
		for k := 0; k < n; k++ {
			s.MeanSpeed += a.Points.Speed[k] / float64(n)
			s.MeanQ += a.Points.Q[k] / float64(n)
		}
		s.MaxSpeed = a.MaxSpeed()
	}
	for _, v := range a.LeadingEigenvalues(4) {
		s.Leading = append(s.Leading, [2]float64{real(v), imag(v)})
	}
	if a.Line != nil {
		s.ChosenPoint, s.LineMeasure, s.PC1Cosine = a.Line.Index, a.Line.LineMeasure, a.Line.PC1Cosine
	}
	if a.Exact != nil {
		s.Exact = a.Exact.Len()
		for k := 0; k < a.Exact.Len(); k++ {
			s.ExactMaxResidual = math.Max(s.ExactMaxResidual, math.Sqrt(a.Exact.Speed[k]*float64(a.Exact.D)))
		}
		if len(a.ExactEigen) > 0 {
			vals := a.ExactEigen[0].Values
			for _, v := range vals[:min(4, len(vals))] {
				s.ExactLeading = append(s.ExactLeading, [2]float64{real(v), imag(v)})
			}
		}
	}
	return s
}

// Write writes the analysis folder: every figure as PNG and SVG,
// fixed_points.npz and analysis.json.
func (a *Analysis) Write(dir string, figs []report.Figure) error {
	if err := PrepareDir(dir); err != nil {
		return err
	}
	if err := report.WriteFiles(dir, figs, ".png", ".svg"); err != nil {
		return err
	}
	w, err := a.archive()
	if err != nil {
		return err
	}
	if err := w.WriteFile(filepath.Join(dir, FixedPointsFile)); err != nil {
		return err
	}
	b, err := json.MarshalIndent(a.Summary(), "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, AnalysisFile), append(b, '\n'))
}

// archive lays out fixed_points.npz: points [n,D], speed and q [n], ids [n],
// jacobians [n,D,D], eigenvalues [n,D] (complex, sorted by real part), stable [n],
// pca_components [2,D], pca_mean [D], input [I], candidates [N,D], and the
// exact fixed points of Newton's method: exact_points [m,D], exact_q [m],
// exact_eigenvalues [m,D].
func (a *Analysis) archive() (*npz.Writer, error) {
	fp := a.Points
	n, D := fp.Len(), fp.D
	jac := make([]float64, 0, n*D*D)
	for _, j := range a.Jacobians {
		jac = append(jac, j...)
	}
	eig := make([]complex128, 0, n*D)
	stable := make([]bool, 0, n)
	for _, e := range a.PointEigen {
		eig = append(eig, e.Values...)
		stable = append(stable, e.Stable(fp.Kind))
	}
	ids := make([]int64, n)
	for k, id := range fp.IDs {
		ids[k] = int64(id)
	}
	comps := a.PCA.Components.RawMatrix()
	cands := a.Activity.Stack()
	w := npz.NewWriter()
	for _, x := range []struct {
		name  string
		shape []int
		data  any
	}{
		{"points", []int{n, D}, fp.X},
		{"speed", []int{n}, fp.Speed},
		{"q", []int{n}, fp.Q},
		{"ids", []int{n}, ids},
		{"jacobians", []int{n, D, D}, jac},
		{"eigenvalues", []int{n, D}, eig},
		{"stable", []int{n}, stable},
		{"pca_components", []int{comps.Rows, comps.Cols}, comps.Data},
		{"pca_mean", []int{len(a.PCA.Mean)}, a.PCA.Mean},
		{"input", []int{len(a.Input)}, a.Input},
		{"candidates", []int{len(cands) / D, D}, cands},
	} {
		if err := w.Add(x.name, x.shape, x.data); err != nil {
			return nil, err
		}
	}
	if a.Exact == nil {
		return w, nil
	}
	m := a.Exact.Len()
	exEig := make([]complex128, 0, m*D)
	for _, e := range a.ExactEigen {
		exEig = append(exEig, e.Values...)
	}
	for _, x := range []struct {
		name  string
		shape []int
		data  any
	}{
		{"exact_points", []int{m, D}, a.Exact.X},
		{"exact_q", []int{m}, a.Exact.Q},
		{"exact_eigenvalues", []int{m, D}, exEig},
	} {
		if err := w.Add(x.name, x.shape, x.data); err != nil {
			return nil, err
		}
	}
	return w, nil
}
