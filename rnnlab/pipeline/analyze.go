package pipeline

import (
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

// AnalyzeOptions configure Analyze. The zero value is the tutorial's analysis.
type AnalyzeOptions struct {
	// Trials is the number of fresh trials run for the activity (default 100).
	Trials int
	// Seed seeds the trials of the analysis (default: seeds.Analysis of the run's seed).
	Seed *uint64
	// Input is the constant input of the fixed-point search; default
	// analysis.TutorialInput, the primer's [1, 0.5, 0.5].
	Input []float32
	// Search is the fixed-point search; nil means
	// fixedpoints.SlowPointSearch() (the seed's search with tolerance 1e-4).
	Search *fixedpoints.Search
	// NoNewton skips the search for exact fixed points: by default Newton's
	// method is started from every kept point and drives it, in a few
	// steps, to a point whose residual is at float precision (see Exact).
	NoNewton bool
	// Engine picks the fixed-point evaluator (analysis.EvaluatorFor):
	// "auto" (default), "cpu" or "gomlx".
	Engine string
	// Log receives the finder's progress; nil is silent.
	Log io.Writer
}

// Analysis is the outcome of Analyze: the activity and the fixed-point
// analysis (PCA, fixed points, Jacobians, spectra, line attractor).
type Analysis struct {
	// Activity holds the states and outcomes of the fresh trials.
	Activity *analysis.Activity
	// PCA is fitted (2 components) on all the activity's states.
	PCA *analysis.PCA
	// Finder evaluates the network's one-step map (use it for more
	// Jacobians).
	Finder *fixedpoints.Finder
	// Points are the kept (slow) points of the search; Points.Stages counts
	// the points after each step.
	Points *fixedpoints.FixedPoints
	// Jacobians[k] is dF/dh at point k, row-major D×D, and Eigen[k] its
	// decomposition sorted by real part (the slow modes of a discrete map
	// first). D is the cell's state size (models.Config.StateSize).
	Jacobians [][]float64
	Eigen     []*fixedpoints.Eigen
	// InputJacobians[k] is dF/du at point k, row-major D×I: the kick
	// J_u δu a small change δu of the constant input gives the state there
	// (Golub & Sussillo's input Jacobians).
	InputJacobians [][]float64
	// Line is the line attractor (nil when fewer than 2 points are kept).
	Line *analysis.LineAttractor
	// Input is the constant input of the search.
	Input []float32
	// Exact holds the exact fixed points that Newton's method reached from
	// the kept points (converged, de-duplicated with the search's
	// tolerance), and ExactEigen their spectra sorted by real part; both
	// empty with NoNewton. The kept points of the gradient search are slow
	// points (speed below the filter's tolerance), spread along the line
	// attractor; the exact ones are the few true fixed points among them.
	Exact      *fixedpoints.FixedPoints
	ExactEigen []*fixedpoints.Eigen
	// Newton reports the refinement (nil with NoNewton).
	Newton  *fixedpoints.NewtonReport
	Timings Timings
}

// Timings are the wall times of the analysis' parts, in seconds.
type Timings struct {
	Activity    float64 `json:"activity_s"`
	FixedPoints float64 `json:"fixed_points_s"`
	Newton      float64 `json:"newton_s"`
	Total       float64 `json:"total_s"`
}

// Analyze runs the tutorial's analysis of a trained run of any cell, the
// one orchestration of rnnlab's analysis: Trials fresh trials
// (analysis.CollectActivity), their states as fixed-point candidates, the
// search (SlowPointSearch unless opts.Search), the Jacobian and its
// eigenvalues and the input Jacobian at every kept point, a 2-component PCA
// of the activity, the
// line attractor (analysis.FindLineAttractor) and, unless NoNewton, the
// exact fixed points (fixedpoints.Finder.Exact). Eigenvalues are sorted by
// real part: the slow mode of a line attractor is the eigenvalue nearest 1
// from below, which need not be the largest in magnitude (trained networks
// often also have a fast mode near −1).
//
// Everything lives in the cell's state space (models.Config.StateSize): the
// rates of a CTRNN, the state s of an E-I network, h of a GRU and h then c
// of an LSTM (D = 2H); the one-step map is evaluated by
// analysis.EvaluatorFor (the CPU kernel for a relu CTRNN, GoMLX autodiff of
// the cell otherwise).
func Analyze(r *Run, opts AnalyzeOptions) (*Analysis, error) {
	start := time.Now()
	p := r.Params
	if err := opts.Check(r); err != nil {
		return nil, err
	}
	if opts.Trials == 0 {
		opts.Trials = 100
	}
	seed := seeds.Analysis(r.Summary.Seed)
	if opts.Seed != nil {
		seed = *opts.Seed
	}
	if opts.Input == nil {
		opts.Input = analysis.TutorialInput
	}
	task, err := r.NewTask(seed)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Input: opts.Input}
	if a.Activity, err = analysis.CollectActivity(p, task, opts.Trials); err != nil {
		return nil, err
	}
	if a.PCA, err = analysis.FitPCA(a.Activity.StackDense(), 2); err != nil {
		return nil, err
	}
	a.Timings.Activity = time.Since(start).Seconds()

	t0 := time.Now()
	search := fixedpoints.SlowPointSearch()
	if opts.Search != nil {
		search = *opts.Search
	}
	search.Options.Log = opts.Log
	ev, err := analysis.EvaluatorFor(p, opts.Engine)
	if err != nil {
		return nil, err
	}
	if a.Finder, a.Points, err = search.Find(ev, a.Activity.Stack(), opts.Input); err != nil {
		return nil, err
	}
	if err := a.linearize(); err != nil {
		return nil, err
	}
	a.Timings.FixedPoints = time.Since(t0).Seconds()
	if !opts.NoNewton && a.Points.Len() > 0 {
		t0 = time.Now()
		if err := a.refine(search.Unique); err != nil {
			return nil, err
		}
		a.Timings.Newton = time.Since(t0).Seconds()
	}
	a.Timings.Total = time.Since(start).Seconds()
	return a, nil
}

// linearize computes the Jacobian, its spectrum and the input Jacobian at
// every kept point and, from two points on, the line attractor.
func (a *Analysis) linearize() error {
	fp := a.Points
	if fp.Len() == 0 {
		return nil
	}
	var err error
	if a.Jacobians, err = a.Finder.PointJacobians(fp); err != nil {
		return err
	}
	for _, j := range a.Jacobians {
		e, err := fixedpoints.Decompose(j, fp.D, fixedpoints.ByReal, false)
		if err != nil {
			return err
		}
		a.Eigen = append(a.Eigen, e)
	}
	if a.InputJacobians, err = a.Finder.PointInputJacobians(fp); err != nil {
		return err
	}
	if fp.Len() < 2 {
		return nil
	}
	jac := func(x []float64) ([]float64, error) {
		// The line's point is one of the kept points: reuse its Jacobian.
		for k := 0; k < fp.Len(); k++ {
			if slices.Equal(fp.X[k*fp.D:(k+1)*fp.D], x) {
				return a.Jacobians[k], nil
			}
		}
		return analysis.FixedPointJacobian(a.Finder, a.Input)(x)
	}
	a.Line, err = analysis.FindLineAttractor(analysis.Points(fp), a.PCA, jac, fixedpoints.ByReal)
	return err
}

// refine runs Newton's method from every kept point and keeps the distinct
// converged ones (within unique, or 1e-3 if that is 0) as Exact.
func (a *Analysis) refine(unique float64) error {
	if unique <= 0 {
		unique = 1e-3
	}
	no := fixedpoints.DefaultNewtonOptions()
	exact, rep, err := a.Finder.Exact(a.Points, no, unique)
	if err != nil {
		return err
	}
	a.Exact, a.Newton = exact, rep
	if w := a.Points.Log; w != nil {
		fmt.Fprintf(w, "Newton's method from the %d kept points: %d converged to max|r| <= %g.\n",
			a.Points.Len(), rep.NumConverged(), no.Tol)
	}
	a.ExactEigen, err = a.Finder.Decompose(a.Exact, fixedpoints.ByReal, false)
	return err
}

// LeadingEigenvalues returns up to k leading eigenvalues (by real part) at
// the line attractor's chosen point, or at the first fixed point without a
// line.
func (a *Analysis) LeadingEigenvalues(k int) []complex128 {
	var e *fixedpoints.Eigen
	switch {
	case a.Line != nil:
		e = a.Line.Eigen
	case len(a.Eigen) > 0:
		e = a.Eigen[0]
	default:
		return nil
	}
	return e.Values[:min(k, len(e.Values))]
}

// MaxSpeed is the largest speed (mean squared residual) of the kept points.
func (a *Analysis) MaxSpeed() float64 {
	m := 0.0
	for _, s := range a.Points.Speed {
		m = math.Max(m, s)
	}
	return m
}
