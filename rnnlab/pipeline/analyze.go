package pipeline

import (
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

// AnalyzeOptions configure Analyze. The zero value is the tutorial's analysis.
type AnalyzeOptions struct {
	// Trials is the number of fresh trials run for the activity (default 100).
	Trials int
	// Seed seeds the trials of the analysis (default: seeds.Analysis of the run's seed).
	Seed *uint64
	// Input is the constant input of the fixed-point search; default
	// analysis.DefaultInput (the primer's [1, 0.5, 0.5] for 3 inputs).
	Input []float32
	// FixedPoints configure the fixed-point analysis
	// (analysis.AnalyzeFixedPoints): the search (SlowPointSearch by
	// default), Newton's method (skipped with NoNewton), the evaluator's
	// engine and the progress log.
	FixedPoints analysis.FixedPointOptions
}

// Analysis is the outcome of Analyze: the activity, its PCA and the
// fixed-point analysis (slow points, Jacobians, spectra, line attractor,
// exact points), whose fields it promotes.
type Analysis struct {
	// Activity holds the states and outcomes of the fresh trials.
	Activity *analysis.Activity
	// PCA is fitted (2 components) on all the activity's states.
	PCA *analysis.PCA
	// FixedPointAnalysis is analysis.AnalyzeFixedPoints from the
	// activity's states under the input: Points, Jacobians, PointEigen,
	// InputJacobians, Line, Eigen, Exact, ExactEigen, Newton.
	*analysis.FixedPointAnalysis
	Timings Timings
}

// Timings are the wall times of the analysis' parts, in seconds.
type Timings struct {
	Activity    float64 `json:"activity_s"`
	FixedPoints float64 `json:"fixed_points_s"`
	Newton      float64 `json:"newton_s"`
	Total       float64 `json:"total_s"`
}

// Analyze runs the tutorial's analysis of a trained run of any cell:
// Trials fresh trials (analysis.CollectActivity), a 2-component PCA of
// their states, and the fixed-point analysis (analysis.AnalyzeFixedPoints)
// with those states as candidates under opts.Input. What Analyze adds to
// the one fixed-point analysis is only its choice of candidates, input and
// PCA.
//
// Everything lives in the cell's state space (models.Config.StateSize): the
// rates of a CTRNN, the state s of an E-I network, h of a GRU and h then c
// of an LSTM (D = 2H).
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
		opts.Input = analysis.DefaultInput(p.NumInput) // Check refused a nil input for any other input size
	}
	task, err := r.NewTask(seed)
	if err != nil {
		return nil, err
	}
	a := &Analysis{}
	if a.Activity, err = analysis.CollectActivity(p, task, opts.Trials); err != nil {
		return nil, err
	}
	if a.PCA, err = analysis.FitPCA(a.Activity.StackDense(), 2); err != nil {
		return nil, err
	}
	a.Timings.Activity = time.Since(start).Seconds()
	if a.FixedPointAnalysis, err = analysis.AnalyzeFixedPoints(p, a.Activity.Stack(), opts.Input, a.PCA, opts.FixedPoints); err != nil {
		return nil, err
	}
	a.Timings.FixedPoints, a.Timings.Newton = a.SearchSeconds, a.NewtonSeconds
	a.Timings.Total = time.Since(start).Seconds()
	return a, nil
}
