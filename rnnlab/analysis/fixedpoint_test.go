package analysis

import (
	"math"
	"math/cmplx"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// lineNetwork is a 2-unit relu CTRNN with α = 1, h' = relu(u W_ir + h W_rr
// + b), W_ir = (0.2, 0), W_rr = diag(1, 0.5), b = (0, 0.5): under u = 0 its
// fixed points are the half-line {(t, 1) : t > 0} (h_1 = relu(h_1), h_2 =
// relu(h_2/2 + 1/2)), with J = ∂F/∂h = diag(1, 0.5) and ∂F/∂u = (0.2, 0)
// there: an exact line attractor along unit 1.
func lineNetwork(t *testing.T) *models.Params {
	t.Helper()
	p, err := models.NewParams(models.Config{NumInput: 1, NumHidden: 2, NumOutput: 1, Dt: 100, Tau: 100}, 0)
	if err != nil {
		t.Fatal(err)
	}
	set := map[string][]float32{"w_ir": {0.2, 0}, "w_rr": {1, 0, 0, 0.5}, "b_rr": {0, 0.5}}
	for i, name := range p.ParamNames() {
		if v, ok := set[name]; ok {
			copy(p.Values[i], v)
		}
	}
	return p
}

// TestAnalyzeFixedPointsFindsTheLine runs the one fixed-point analysis on
// lineNetwork from candidates off the line, (t, 1 ± 0.2) for t from 0.5 to
// 3 by 0.05: the kept points, the exact ones and the line must be those
// worked out by hand, and the step-by-step calls (FindExact,
// FixedPointLine) must give what the whole analysis gives.
func TestAnalyzeFixedPointsFindsTheLine(t *testing.T) {
	p := lineNetwork(t)
	var cand []float32
	for k := range 51 {
		cand = append(cand, float32(0.5+0.05*float64(k)), float32(1+0.2*float64(1-2*(k%2))))
	}
	pca, err := FitPCA(Dense32(cand, len(cand)/2, 2), 2)
	if err != nil {
		t.Fatal(err)
	}
	u := []float32{0}
	a, err := AnalyzeFixedPoints(p, cand, u, pca, FixedPointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fp := a.Points
	if fp.Len() < 40 {
		t.Fatalf("%d points kept of 51 along the line (stages %v)", fp.Len(), fp.Stages)
	}
	for k := range fp.Len() {
		x := fp.Point(k)
		if fp.Speed[k] >= 1e-4 || x[0] < 0.45 || x[0] > 3.05 || math.Abs(x[1]-1) > 0.03 {
			t.Errorf("kept point %d at %v, speed %g: not a slow point of the line", k, x, fp.Speed[k])
		}
		e := a.PointEigen[k].Values
		ju := a.InputJacobians[k]
		if cmplx.Abs(e[0]-1) > 1e-6 || cmplx.Abs(e[1]-0.5) > 1e-6 || math.Abs(ju[0]-0.2) > 1e-6 || ju[1] != 0 {
			t.Errorf("point %d: eigenvalues %v, input Jacobian %v; want 1, 0.5 and (0.2, 0)", k, e, ju)
		}
	}
	la := a.Line
	if la == nil || a.Eigen != la.Eigen || math.Abs(la.LineMeasure-1) > 1e-3 || math.Abs(la.Direction[0]-1) > 1e-6 {
		t.Fatalf("line %+v: want measure 1 and direction (1, 0), Eigen its spectrum", la)
	}
	if got := a.LeadingEigenvalues(5); len(got) != 2 || cmplx.Abs(got[0]-1) > 1e-6 {
		t.Errorf("leading eigenvalues %v", got)
	}
	// Newton lands every start on the line (h_2 = 1 exactly, within float32),
	// and the starts 0.05 apart stay distinct (merged within 0.03).
	if a.Exact == nil || a.Newton.NumConverged() != fp.Len() || a.Exact.Len() != fp.Len() || len(a.ExactEigen) != fp.Len() {
		t.Fatalf("Newton: %d of %d converged, %v exact points", a.Newton.NumConverged(), fp.Len(), a.Exact)
	}
	for k := range a.Exact.Len() {
		if x := a.Exact.Point(k); a.Exact.Speed[k] > 1e-12 || math.Abs(x[1]-1) > 1e-6 {
			t.Errorf("exact point %d at %v, speed %g", k, x, a.Exact.Speed[k])
		}
	}

	// The notebook's steps give the same.
	ex, err := FindExact(a.Finder, fp, FixedPointOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Started != fp.Len() || ex.Converged != a.Newton.NumConverged() || !mat.Equal(Points(ex.Points), Points(a.Exact)) {
		t.Errorf("FindExact: %d started, %d converged, points differ from the analysis'", ex.Started, ex.Converged)
	}
	line, err := FixedPointLine(a.Finder, u, Points(fp), pca, nil)
	if err != nil {
		t.Fatal(err)
	}
	if line.Index != la.Index || line.Eigenvalue != la.Eigenvalue || line.LineMeasure != la.LineMeasure {
		t.Errorf("FixedPointLine: point %d, λ %v, measure %v; the analysis': %d, %v, %v",
			line.Index, line.Eigenvalue, line.LineMeasure, la.Index, la.Eigenvalue, la.LineMeasure)
	}

	// NoNewton stops after the linearisation; an input of the wrong size is an error.
	if b, err := AnalyzeFixedPoints(p, cand, u, nil, FixedPointOptions{NoNewton: true}); err != nil || b.Exact != nil || b.Line != nil || b.Eigen != b.PointEigen[0] {
		t.Errorf("NoNewton without a PCA: %v, exact %v, line %v", err, b.Exact, b.Line)
	}
	if _, err := AnalyzeFixedPoints(p, cand, []float32{0, 0}, pca, FixedPointOptions{}); err == nil {
		t.Error("an input of 2 values for a network of 1: no error")
	}
}

// TestFixedPointOptionsResolve checks the defaults, filled in one place.
func TestFixedPointOptionsResolve(t *testing.T) {
	o := FixedPointOptions{}.resolve()
	if o.Search == nil || *o.Search != fixedpoints.SlowPointSearch() || o.Newton != fixedpoints.DefaultNewtonOptions() || o.Unique != 0.03 || o.Engine != models.EngineAuto {
		t.Errorf("zero options resolve to %+v (search %+v)", o, o.Search)
	}
	if o2 := o.resolve(); *o2.Search != *o.Search || o2.Unique != o.Unique || o2.Newton != o.Newton {
		t.Error("resolve is not idempotent")
	}
	keepAll := fixedpoints.SlowPointSearch()
	keepAll.Unique = 0
	if u := (FixedPointOptions{Search: &keepAll}).resolve().Unique; u != DefaultExactUnique {
		t.Errorf("a search without KeepUnique: exact points merged within %v, want %v", u, DefaultExactUnique)
	}
	if u := (FixedPointOptions{Search: &keepAll, Unique: 0.5}).resolve().Unique; u != 0.5 {
		t.Errorf("an explicit Unique resolves to %v", u)
	}
	if keepAll.Options.Log != nil || (FixedPointOptions{Search: &keepAll}).resolve().Search == &keepAll {
		t.Error("resolve changed the caller's search")
	}
	if in := DefaultInput(3); len(in) != 3 || &in[0] != &TutorialInput[0] || DefaultInput(2) != nil {
		t.Errorf("DefaultInput: %v for 3 inputs, %v for 2", in, DefaultInput(2))
	}
}
