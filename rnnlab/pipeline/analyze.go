package pipeline

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
)

// AnalyzeOptions configure Analyze. The zero value is the tutorial's analysis.
type AnalyzeOptions struct {
	// Trials is the number of fresh trials run for the activity (default 100).
	Trials int
	// Seed seeds the trials of the analysis (default: the run's seed + 2000).
	Seed *uint64
	// Input is the constant input of the fixed-point search; default
	// analysis.TutorialInput, the primer's [1, 0.5, 0.5].
	Input []float32
	// Finder is the fixed-point search; nil means
	// fixedpoints.SlowPointPipeline() (the seed's search with tolerance 1e-4).
	Finder *fixedpoints.Pipeline
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
	*analysis.FixedPointAnalysis
	Activity *analysis.Activity
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

// Analyze runs the tutorial's analysis of a trained run: Trials fresh trials,
// their states as fixed-point candidates, the search, Jacobians, eigenvalues,
// PCA and the line attractor.
func Analyze(r *Run, opts AnalyzeOptions) (*Analysis, error) {
	start := time.Now()
	p := r.Params
	if opts.Trials == 0 {
		opts.Trials = 100
	}
	if opts.Trials < 0 {
		return nil, fmt.Errorf("number of trials must be > 0, got %d", opts.Trials)
	}
	seed := r.Summary.Seed + 2000
	if opts.Seed != nil {
		seed = *opts.Seed
	}
	if opts.Input == nil {
		opts.Input = analysis.TutorialInput
	}
	if len(opts.Input) != p.NumInput {
		return nil, fmt.Errorf("input has %d values, the network takes %d", len(opts.Input), p.NumInput)
	}
	task, err := r.NewTask(seed)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Input: opts.Input}
	if a.Activity, err = analysis.Run(p, task, opts.Trials); err != nil {
		return nil, err
	}
	a.Timings.Activity = time.Since(start).Seconds()

	t0 := time.Now()
	pl := fixedpoints.SlowPointPipeline()
	if opts.Finder != nil {
		pl = *opts.Finder
	}
	pl.Options.Log = opts.Log
	ev, err := analysis.EvaluatorFor(p, opts.Engine)
	if err != nil {
		return nil, err
	}
	if a.FixedPointAnalysis, err = analysis.Analyze(ev, a.Activity, opts.Input, pl); err != nil {
		return nil, err
	}
	a.Timings.FixedPoints = time.Since(t0).Seconds()
	if !opts.NoNewton && a.Points.Len() > 0 {
		t0 = time.Now()
		if err := a.refine(pl.Unique); err != nil {
			return nil, err
		}
		a.Timings.Newton = time.Since(t0).Seconds()
	}
	a.Timings.Total = time.Since(start).Seconds()
	return a, nil
}

// refine runs Newton's method from every kept point and keeps the distinct
// converged ones (within unique, or 1e-3 if that is 0) as Exact.
func (a *Analysis) refine(unique float64) error {
	ref, rep, err := a.Finder.Refine(a.Points, fixedpoints.DefaultNewtonOptions())
	if err != nil {
		return err
	}
	a.Newton = rep
	var conv []int
	for k, c := range rep.Converged {
		if c {
			conv = append(conv, k)
		}
	}
	if w := a.Points.Log; w != nil {
		fmt.Fprintf(w, "Newton's method from the %d kept points: %d converged to max|r| <= %g.\n",
			a.Points.Len(), len(conv), fixedpoints.DefaultNewtonOptions().Tol)
	}
	if unique <= 0 {
		unique = 1e-3
	}
	if a.Exact, err = ref.Select(conv).KeepUnique(unique, fixedpoints.LowestQ); err != nil {
		return err
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
