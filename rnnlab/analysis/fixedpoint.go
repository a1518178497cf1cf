package analysis

import (
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// DefaultExactUnique is the distance within which exact fixed points are
// merged when neither FixedPointOptions.Unique nor the search's
// KeepUnique tolerance is set.
const DefaultExactUnique = 1e-3

// FixedPointOptions configure the fixed-point analysis (AnalyzeFixedPoints,
// FixedPointFinder, FindExact, FixedPointLine). The zero value is rnnlab's
// default analysis; resolve fills in every default, in this one place.
type FixedPointOptions struct {
	// Search is the search for slow points: the gradient method from the
	// candidates and its filters (fixedpoints.Search). nil means
	// fixedpoints.SlowPointSearch(): the primer seed's search with the
	// mean-speed tolerance 1e-4.
	Search *fixedpoints.Search
	// NoNewton skips the exact fixed points: by default Newton's method is
	// started from every kept point (FindExact).
	NoNewton bool
	// Newton configures Newton's method; the zero value means
	// fixedpoints.DefaultNewtonOptions() (20 steps, max_d |r_d| ≤ 1e-6).
	Newton fixedpoints.NewtonOptions
	// Unique is the distance within which the exact fixed points Newton
	// reaches are merged (fixedpoints.Finder.Exact); 0 means the search's
	// KeepUnique tolerance (Search.Unique, 0.03 by default), or
	// DefaultExactUnique when the search keeps every point.
	Unique float64
	// Engine picks the evaluator of the one-step map (EvaluatorFor):
	// "auto" (the default, ""), "cpu" or "gomlx".
	Engine string
	// Log receives the search's progress and the filters' and Newton's
	// reports; it replaces Search.Options.Log. nil is silent.
	Log io.Writer
}

// resolve returns o with every default filled in: a Search (a copy, its
// Options.Log set to Log), Newton's options, the exact points' Unique
// distance and the engine. It is idempotent.
func (o FixedPointOptions) resolve() FixedPointOptions {
	search := fixedpoints.SlowPointSearch()
	if o.Search != nil {
		search = *o.Search
	}
	search.Options.Log = o.Log
	o.Search = &search
	if o.Newton == (fixedpoints.NewtonOptions{}) {
		o.Newton = fixedpoints.DefaultNewtonOptions()
	}
	if o.Unique <= 0 {
		o.Unique = search.Unique
	}
	if o.Unique <= 0 {
		o.Unique = DefaultExactUnique
	}
	if o.Engine == "" {
		o.Engine = models.EngineAuto
	}
	return o
}

// DefaultInput is the constant input of the fixed-point analysis of a
// network with n inputs when the caller gives none: TutorialInput, the
// primer's [1, 0.5, 0.5], for n = 3 (the tutorial's task); nil otherwise,
// where only the caller can know which input holds the network still.
func DefaultInput(n int) []float32 {
	if n != len(TutorialInput) {
		return nil
	}
	return TutorialInput
}

// FixedPointAnalysis is the fixed-point analysis of a network's one-step
// map s_{t+1} = F(u, s_t) under one constant input u: the slow points a
// search keeps, the linearisation there, the line attractor through them
// and the exact fixed points Newton's method reaches from them. Every
// point lives in the cell's state space (models.Config.StateSize, D).
type FixedPointAnalysis struct {
	// Input is the constant input u (I values).
	Input []float32
	// Finder evaluates the one-step map (use it for more Jacobians).
	Finder *fixedpoints.Finder
	// Points are the kept (slow) points of the search; Points.Stages
	// counts the points after each step.
	Points *fixedpoints.FixedPoints
	// Jacobians[k] is J = ∂F/∂s at point k, row-major D×D, and
	// PointEigen[k] its eigen-decomposition sorted by real part (the slow
	// modes of a discrete map first).
	Jacobians  [][]float64
	PointEigen []*fixedpoints.Eigen
	// InputJacobians[k] is J_u = ∂F/∂u at point k, row-major D×I: the kick
	// J_u δu a small change δu of the input gives the state there (Golub &
	// Sussillo's input Jacobians).
	InputJacobians [][]float64
	// Line is the line attractor through the kept points (FixedPointLine;
	// nil with fewer than 2 points or without a PCA).
	Line *LineAttractor
	// Eigen is the spectrum that characterises the points: the one at the
	// line's middle point (Line.Eigen), or at the first kept point without
	// a line; nil when no point is kept. Eigen.Values[0] is the slow mode.
	Eigen *fixedpoints.Eigen
	// Exact holds the distinct exact fixed points Newton's method reached
	// from the kept points (FindExact), ExactEigen their spectra sorted by
	// real part and Newton its per-start report; all nil with NoNewton or
	// no kept point. The kept points are slow points (speed below the
	// filter's tolerance) spread along a line attractor; the exact ones
	// are the few true fixed points among them.
	Exact      *fixedpoints.FixedPoints
	ExactEigen []*fixedpoints.Eigen
	Newton     *fixedpoints.NewtonReport
	// SearchSeconds is the wall time of the search and the linearisation,
	// NewtonSeconds that of Newton's method.
	SearchSeconds, NewtonSeconds float64
}

// AnalyzeFixedPoints is rnnlab's one fixed-point analysis of network p
// under the constant input u (p.NumInput values), from candidates
// (row-major n×D, D = p.StateSize()), with opts resolved once:
//
//  1. the search (opts.Search: Adam on the mean speed mean_d r_d², r = s −
//     F(u, s), then its filters) on the evaluator EvaluatorFor(p,
//     opts.Engine) keeps the slow points;
//  2. at every kept point, the Jacobian J = ∂F/∂s, its eigenvalues sorted
//     by real part, and the input Jacobian ∂F/∂u;
//  3. from two kept points on, and given pca (fitted on the activity), the
//     line attractor through them (FixedPointLine);
//  4. unless opts.NoNewton, the exact fixed points Newton's method reaches
//     from the kept points (FindExact).
//
// The callers choose only the candidates, the input and the PCA: the
// tutorial's states of fresh trials under [1, 0.5, 0.5] (pipeline.Analyze,
// pipeline.Session), the working-memory study's scaled delay states under
// [1, 0]. An empty set of kept points is not an error: the result then
// holds only Points.
func AnalyzeFixedPoints(p *models.Params, candidates, u []float32, pca *PCA, opts FixedPointOptions) (*FixedPointAnalysis, error) {
	o := opts.resolve()
	if p == nil {
		return nil, fmt.Errorf("analysis: AnalyzeFixedPoints: nil network")
	}
	if len(u) != p.NumInput {
		return nil, fmt.Errorf("analysis: the fixed-point input has %d values, the network takes %d", len(u), p.NumInput)
	}
	start := time.Now()
	ev, err := EvaluatorFor(p, o.Engine)
	if err != nil {
		return nil, err
	}
	a := &FixedPointAnalysis{Input: u}
	if a.Finder, a.Points, err = o.Search.Find(ev, candidates, u); err != nil {
		return nil, err
	}
	if err := a.linearize(pca); err != nil {
		return nil, err
	}
	a.SearchSeconds = time.Since(start).Seconds()
	if o.NoNewton || a.Points.Len() == 0 {
		return a, nil
	}
	start = time.Now()
	ex, err := FindExact(a.Finder, a.Points, o)
	if err != nil {
		return nil, err
	}
	a.Exact, a.ExactEigen, a.Newton = ex.Points, ex.Eigen, ex.Report
	a.NewtonSeconds = time.Since(start).Seconds()
	return a, nil
}

// linearize computes the Jacobian, its spectrum and the input Jacobian at
// every kept point, the line attractor (from two points on, given a PCA)
// and Eigen.
func (a *FixedPointAnalysis) linearize(pca *PCA) error {
	fp := a.Points
	if fp.Len() == 0 {
		return nil
	}
	var err error
	if a.Jacobians, err = a.Finder.PointJacobians(fp); err != nil {
		return err
	}
	for k, j := range a.Jacobians {
		e, err := fixedpoints.Decompose(j, fp.D, fixedpoints.ByReal, false)
		if err != nil {
			return fmt.Errorf("point %d (candidate %d): %w", k, fp.IDs[k], err)
		}
		a.PointEigen = append(a.PointEigen, e)
	}
	if a.InputJacobians, err = a.Finder.PointInputJacobians(fp); err != nil {
		return err
	}
	a.Eigen = a.PointEigen[0]
	if fp.Len() < 2 || pca == nil {
		return nil
	}
	if a.Line, err = FixedPointLine(a.Finder, a.Input, Points(fp), pca, a.Jacobians); err != nil {
		return err
	}
	a.Eigen = a.Line.Eigen
	return nil
}

// FixedPointFinder returns the finder of network p's one-step map
// (EvaluatorFor(p, opts.Engine)) with the gradient method's options of
// opts.Search (resolved: SlowPointSearch's by default), for analyses run
// step by step (pipeline.Session).
func FixedPointFinder(p *models.Params, opts FixedPointOptions) (*fixedpoints.Finder, error) {
	o := opts.resolve()
	ev, err := EvaluatorFor(p, o.Engine)
	if err != nil {
		return nil, err
	}
	return fixedpoints.NewFinder(ev, o.Search.Options)
}

// FixedPointLine finds the line attractor through points (n×D, n ≥ 2) of
// the discrete map behind f under input u: FindLineAttractor in the space
// of pca, with the eigenvalues sorted by real part, so that the slow mode
// is the one nearest +1 from below. known, when not nil, holds the
// Jacobians already evaluated at the rows of points (row-major D×D each);
// the chosen point's is then reused instead of evaluated again.
func FixedPointLine(f *fixedpoints.Finder, u []float32, points mat.Matrix, pca *PCA, known [][]float64) (*LineAttractor, error) {
	jac := FixedPointJacobian(f, u)
	if known != nil {
		eval := jac
		jac = func(x []float64) ([]float64, error) {
			for k := range known {
				if slices.Equal(mat.Row(nil, k, points), x) {
					return known[k], nil
				}
			}
			return eval(x)
		}
	}
	return FindLineAttractor(points, pca, jac, fixedpoints.ByReal)
}

// ExactPoints is the outcome of Newton's method started from a set of slow
// points (FindExact).
type ExactPoints struct {
	// Started is the number of slow points Newton's method started from,
	// and Converged how many of them reached a residual
	// max_d |s_d − F(u, s)_d| ≤ the tolerance; points that diverged or
	// stalled are not counted and do not enter Points.
	Started, Converged int
	// Points are the distinct exact fixed points the converged starts
	// reached (merged within the resolved Unique distance, the lowest q of
	// a cluster kept), Eigen their Jacobians' spectra sorted by real part
	// (slow modes first).
	Points *fixedpoints.FixedPoints
	Eigen  []*fixedpoints.Eigen
	// Report is Newton's per-start report.
	Report *fixedpoints.NewtonReport
}

// FindExact runs Newton's method (opts.Newton, resolved) from every point
// of slow (fixedpoints.Finder.Exact), keeps the converged starts only,
// merges those within opts.Unique (resolved) of each other and decomposes
// the Jacobian at each exact point, eigenvalues sorted by real part. It
// reports the number of converged starts to opts.Log.
func FindExact(f *fixedpoints.Finder, slow *fixedpoints.FixedPoints, opts FixedPointOptions) (*ExactPoints, error) {
	o := opts.resolve()
	exact, rep, err := f.Exact(slow, o.Newton, o.Unique)
	if err != nil {
		return nil, err
	}
	if o.Log != nil {
		fmt.Fprintf(o.Log, "Newton's method from the %d kept points: %d converged to max|r| <= %g.\n",
			slow.Len(), rep.NumConverged(), o.Newton.Tol)
	}
	eig, err := f.Decompose(exact, fixedpoints.ByReal, false)
	if err != nil {
		return nil, err
	}
	return &ExactPoints{Started: slow.Len(), Converged: rep.NumConverged(), Points: exact, Eigen: eig, Report: rep}, nil
}

// LeadingEigenvalues returns up to k leading eigenvalues (by real part) of
// Eigen: at the line attractor's chosen point, or at the first kept point
// without a line; none when no point is kept.
func (a *FixedPointAnalysis) LeadingEigenvalues(k int) []complex128 {
	if a.Eigen == nil {
		return nil
	}
	return a.Eigen.Values[:min(k, len(a.Eigen.Values))]
}

// MaxSpeed is the largest speed (mean squared residual) of the kept points
// (0 when none is kept).
func (a *FixedPointAnalysis) MaxSpeed() float64 {
	m := 0.0
	for _, s := range a.Points.Speed {
		m = math.Max(m, s)
	}
	return m
}
