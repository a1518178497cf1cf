package workingmemory

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

// The criteria of a line attractor (see Score.FormsLine).
const (
	// MinLinePoints is the least number of distinct fixed points of a line
	// (a collapsed network keeps one or two).
	MinLinePoints = 10
	// SlowTolerance bounds |Re λ| of the leading eigenvalue λ of the
	// Jacobian of F(h) − h at the line's middle point.
	SlowTolerance = 0.05
	// MinF1Correlation bounds |r| between the fixed points' first principal
	// coordinate and f1.
	MinF1Correlation = 0.7
)

// AnalyzeOptions configure Analyze; the zero value is the notebook's
// analysis.
type AnalyzeOptions struct {
	// Trials is the number of analysis trials (default Trials = 100).
	Trials int
	// Candidates is the number of delay-period states the search starts
	// from, drawn without replacement (0 means DefaultCandidates; a number
	// at least the number of states takes them all).
	Candidates int
	// FixedPoints configure the fixed-point analysis
	// (analysis.AnalyzeFixedPoints): the search (SlowPointSearch by
	// default), Newton's method, the evaluator's engine and the progress
	// log.
	FixedPoints analysis.FixedPointOptions
}

// Analysis is the dynamical-systems analysis of a trained network: its
// delay-period activity and the fixed-point analysis under DelayInput,
// whose fields (Finder, Points, Jacobians, PointEigen, Line, Eigen, Exact,
// Newton, ...) it promotes.
type Analysis struct {
	// Seed is the run's seed.
	Seed uint64
	// Activity holds the delay-period states of the analysis trials
	// (delay AnalysisDelay, seeded with seeds.Analysis(Seed)).
	Activity *DelayActivity
	// PCA is fitted (3 components) on all delay-period states.
	PCA *analysis.PCA
	// FixedPointAnalysis is analysis.AnalyzeFixedPoints under DelayInput
	// from the candidates (every delay state times U(0.5, 1.5), unit by
	// unit): Points are the kept points, Eigen the spectrum at the line's
	// middle point (or the only point), sorted by real part, so that
	// Eigen.Values[0] is the slow mode, and PointEigen[k] the spectrum at
	// point k (for stability in the 3-D view).
	*analysis.FixedPointAnalysis
	// PointF1 is, for each kept point, f1 of the trial its candidate came
	// from.
	PointF1 []float64
	// Score summarises the analysis.
	Score Score
}

// DefaultCandidates is the default number of starting points of the
// search (nn-brain draws 64; more show the line's extent better).
const DefaultCandidates = 500

// Candidates returns the search's starting points as nn-brain draws them:
// n delay-period states of d drawn without replacement (all of them if n
// is at least their number), each multiplied, unit by unit, by an
// independent U(0.5, 1.5) factor, all from PCG(seed, 1). ids[k] is the
// row of d.Stack() that candidate k came from.
func Candidates(d *DelayActivity, n int, seed uint64) (x []float32, ids []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	all, H := d.Stack(), d.S
	rows := len(all) / H
	if n <= 0 || n >= rows {
		ids = make([]int, rows)
		for i := range ids {
			ids[i] = i
		}
	} else {
		ids = rng.Perm(rows)[:n]
	}
	x = make([]float32, 0, len(ids)*H)
	for _, r := range ids {
		x = append(x, all[r*H:(r+1)*H]...)
	}
	for k := range x {
		x[k] *= float32(0.5 + rng.Float64())
	}
	return x, ids
}

// Analyze runs the analysis of a trained working-memory run: Trials
// trials with a 3000 ms delay, the PCA (3 components) of their
// delay-period states and the fixed-point analysis
// (analysis.AnalyzeFixedPoints: search, Jacobians and spectra, line
// attractor, exact points) under DelayInput from Candidates, then the
// Score. What it adds to the one fixed-point analysis is only its choice
// of candidates, input and PCA.
func Analyze(r *pipeline.Run, opts AnalyzeOptions) (*Analysis, error) {
	if opts.Trials == 0 {
		opts.Trials = Trials
	}
	if opts.Candidates == 0 {
		opts.Candidates = DefaultCandidates
	}
	seed := r.Summary.Seed
	task, err := AnalysisTask(r.Summary.Config, seeds.Analysis(seed))
	if err != nil {
		return nil, err
	}
	a := &Analysis{Seed: seed}
	if a.Activity, err = CollectDelay(r.Params, task, opts.Trials); err != nil {
		return nil, err
	}
	if a.PCA, err = analysis.FitPCA(a.Activity.StackDense(), 3); err != nil {
		return nil, err
	}
	cand, rows := Candidates(a.Activity, opts.Candidates, seeds.Analysis(seed))
	if a.FixedPointAnalysis, err = analysis.AnalyzeFixedPoints(r.Params, cand, DelayInput, a.PCA, opts.FixedPoints); err != nil {
		return nil, err
	}
	trialOf := a.Activity.TrialOf()
	for _, id := range a.Points.IDs {
		a.PointF1 = append(a.PointF1, a.Activity.F1[trialOf[rows[id]]])
	}
	a.Score = a.score(r)
	return a, nil
}

// Score is how well one trained network solves the task and whether its
// fixed points form a line attractor that stores f1.
type Score struct {
	Seed uint64 `json:"seed"`
	// TrainAccuracy is the decision accuracy over the last 100 training
	// steps; Accuracy is the accuracy on the analysis trials (3000 ms
	// delay).
	TrainAccuracy float64 `json:"train_accuracy"`
	Accuracy      float64 `json:"accuracy"`
	// Points is the number of distinct kept fixed points, Exact the number
	// of distinct exact ones.
	Points int `json:"points"`
	Exact  int `json:"exact"`
	// Slow is Re λ of the leading eigenvalue of the Jacobian of F(h) − h
	// (that of F minus 1) at the middle point: 0 for a perfect line
	// attractor, negative when the points attract along the line; 0 when
	// no point is kept.
	Slow float64 `json:"slow"`
	// F1Corr is Pearson's r between the kept points' first principal
	// coordinate (of their own PCA) and f1 of the trials they started
	// from; 0 with fewer than 3 points.
	F1Corr float64 `json:"f1_corr"`
	// Line reports FormsLine.
	Line bool `json:"line"`
}

// FormsLine reports a line attractor that stores f1: at least
// MinLinePoints distinct fixed points, |Slow| <= SlowTolerance and
// |F1Corr| >= MinF1Correlation.
func (s Score) FormsLine() bool {
	return s.Points >= MinLinePoints && math.Abs(s.Slow) <= SlowTolerance && math.Abs(s.F1Corr) >= MinF1Correlation
}

// String is one line of the seeds' table.
func (s Score) String() string {
	line := "no line"
	if s.Line {
		line = "line attractor"
	}
	return fmt.Sprintf("seed %d: train acc %.3f, test acc %.3f, %d fixed points (%d exact), slow eigenvalue of F(h)-h %+.3f, |corr(PC1, f1)| %.2f: %s",
		s.Seed, s.TrainAccuracy, s.Accuracy, s.Points, s.Exact, s.Slow, math.Abs(s.F1Corr), line)
}

func (a *Analysis) score(r *pipeline.Run) Score {
	s := Score{Seed: a.Seed, TrainAccuracy: r.Summary.FinalAccuracy, Accuracy: a.Activity.Accuracy(), Points: a.Points.Len()}
	if a.Exact != nil {
		s.Exact = a.Exact.Len()
	}
	if a.Eigen != nil {
		s.Slow = real(a.Eigen.Values[0]) - 1
	}
	s.F1Corr = a.F1Correlation()
	s.Line = s.FormsLine()
	return s
}

// F1Correlation is Pearson's r between the kept points' coordinate on the
// first principal component of the points themselves and PointF1 (0 with
// fewer than 3 points).
func (a *Analysis) F1Correlation() float64 {
	if a.Points.Len() < 3 {
		return 0
	}
	pts := analysis.Points(a.Points)
	own, err := analysis.FitPCA(pts, 1)
	if err != nil {
		return 0
	}
	pc, err := own.Transform(pts)
	if err != nil {
		return 0
	}
	return correlation(mat.Col(nil, 0, pc), a.PointF1)
}
