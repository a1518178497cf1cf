package pipeline

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/mat"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/finite"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"github.com/rnnlab/rnnlab/rnnlab/plots/plot3d"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// SlowPointsFile is the file, in a run folder, where Session.SaveFixedPoints keeps the (slow) fixed
// points found by a search for later notebook cells.
const SlowPointsFile = "slow_points.npz"

// Session is what a notebook's analysis cells share: a trained run, its activity on fresh trials and
// the principal components of that activity. GoNB runs each cell as a new program, so a cell opens the
// session again (a fraction of a second: no training, no search) and finds in the run folder what
// earlier cells saved there (SaveFixedPoints).
type Session struct {
	// Run is the trained network, loaded from its folder.
	Run *Run
	// Activity holds the states of the trials (analysis.CollectActivity from the zero state).
	Activity *analysis.Activity
	// PCA has 3 components fitted on all the activity's states (the first two are those of a
	// 2-component fit: components are the leading eigenvectors of the same covariance).
	PCA *analysis.PCA
	// Input is the constant input of the fixed-point analysis (analysis.DefaultInput).
	Input []float32
	// FixedPoints configure the session's fixed-point analysis (AnalyzeFixedPoints, Finder, LineAttractor): the
	// zero value is the analysis of rnnlab analyze (analysis.FixedPointOptions).
	FixedPoints analysis.FixedPointOptions
}

// OpenSession loads the run in dir and runs it on trials fresh trials of its task seeded with seed
// (seeds.Analysis of the training seed in the tutorial), from the zero state, and fits the PCA of the
// states. The fixed-point input is analysis.DefaultInput (analysis.TutorialInput when the network
// takes 3 inputs); set Session.Input otherwise.
func OpenSession(dir string, trials int, seed uint64) (*Session, error) {
	if trials <= 0 {
		return nil, fmt.Errorf("number of trials must be > 0, got %d", trials)
	}
	run, err := LoadRun(dir)
	if err != nil {
		return nil, err
	}
	task, err := run.NewTask(seed)
	if err != nil {
		return nil, err
	}
	act, err := analysis.CollectActivity(run.Params, task, trials)
	if err != nil {
		return nil, err
	}
	pca, err := analysis.FitPCA(act.StackDense(), min(3, act.H))
	if err != nil {
		return nil, err
	}
	return &Session{Run: run, Activity: act, PCA: pca, Input: analysis.DefaultInput(run.Params.NumInput)}, nil
}

// ColorBy chooses the colour of a trial's trajectory.
type ColorBy int

const (
	// ByGroundTruth colours a trial by its correct choice.
	ByGroundTruth ColorBy = iota
	// ByChoice colours a trial by the network's choice, or by the ground truth where the network kept
	// fixating (as Analysis.Trajectories does).
	ByChoice
)

// Project returns every trial of act on the first two principal components of pca, trial i's point
// at step t being (PC1, PC2) of (h_t − mean), coloured by ground truth or by choice.
func Project(act *analysis.Activity, pca *analysis.PCA, by ColorBy) ([]plots.Trajectory, error) {
	if pca.K() < 2 {
		return nil, fmt.Errorf("the projection needs 2 principal components, the PCA has %d", pca.K())
	}
	out := make([]plots.Trajectory, len(act.Trials))
	for i, tr := range act.Trials {
		pc, err := pca.Transform(act.TrialDense(i))
		if err != nil {
			return nil, err
		}
		c := tr.GroundTruth
		if by == ByChoice && tr.Choice >= 0 {
			c = tr.Choice
		}
		out[i] = plots.Trajectory{X: mat.Col(nil, 0, pc), Y: mat.Col(nil, 1, pc), Choice: c}
	}
	return out, nil
}

// ProjectPoints returns points (one per row, in state space) on the first two principal components.
func ProjectPoints(points mat.Matrix, pca *analysis.PCA) (plots.Points, error) {
	pc, err := pca.Transform(points)
	if err != nil {
		return plots.Points{}, err
	}
	return plots.Points{X: mat.Col(nil, 0, pc), Y: mat.Col(nil, 1, pc)}, nil
}

// Trajectories is Project of the session's activity.
func (s *Session) Trajectories(by ColorBy) ([]plots.Trajectory, error) {
	return Project(s.Activity, s.PCA, by)
}

// Finder returns the fixed-point finder of the network's one-step map under the session's options
// (analysis.FixedPointFinder: the CPU evaluator of the cell when it has one, the gradient method of
// fixedpoints.SlowPointSearch by default), after checking that Session.Input fits the network.
func (s *Session) Finder() (*fixedpoints.Finder, error) {
	if len(s.Input) != s.Run.Params.NumInput {
		return nil, fmt.Errorf("the fixed-point input has %d values, the network takes %d: set Session.Input", len(s.Input), s.Run.Params.NumInput)
	}
	return analysis.FixedPointFinder(s.Run.Params, s.FixedPoints)
}

// AnalyzeFixedPoints runs the whole fixed-point analysis in one call (analysis.AnalyzeFixedPoints):
// the session's states as candidates, under Session.Input, with its PCA and Session.FixedPoints,
// the analysis the notebook's cells run one step at a time (Finder, FindExact, LineAttractor).
func (s *Session) AnalyzeFixedPoints() (*analysis.FixedPointAnalysis, error) {
	return analysis.AnalyzeFixedPoints(s.Run.Params, s.Activity.Stack(), s.Input, s.PCA, s.FixedPoints)
}

// SaveFixedPoints writes the points of fp (one row per point) to SlowPointsFile in the run folder, as
// the array "points" (float64, n×D).
func (s *Session) SaveFixedPoints(fp *fixedpoints.FixedPoints) error {
	return SaveFixedPoints(filepath.Join(s.Run.Dir, SlowPointsFile), fp)
}

// LoadFixedPoints reads the points saved by SaveFixedPoints, one row per point.
func (s *Session) LoadFixedPoints() (*mat.Dense, error) {
	m, err := LoadFixedPoints(filepath.Join(s.Run.Dir, SlowPointsFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no fixed points saved in %s yet: run the search first", s.Run.Dir)
	}
	return m, err
}

// SaveFixedPoints writes the points of fp, n×D float64, as the array "points" of an .npz file.
func SaveFixedPoints(path string, fp *fixedpoints.FixedPoints) error {
	w := npz.NewWriter()
	if err := w.Add("points", []int{fp.Len(), fp.D}, fp.X); err != nil {
		return err
	}
	return w.WriteFile(path)
}

// LoadFixedPoints reads the array "points" written by SaveFixedPoints, one row per point. A file
// without points, with an empty set or with a value that is not finite ("points[3,5] is NaN") is an
// error.
func LoadFixedPoints(path string) (*mat.Dense, error) {
	f, err := npz.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a, ok := f.Arrays["points"]
	if !ok {
		return nil, fmt.Errorf("%s has no array \"points\"", path)
	}
	x, ok := a.Data.([]float64)
	if !ok || len(a.Shape) != 2 || a.Shape[0] == 0 || a.Shape[1] == 0 || len(x) != a.Shape[0]*a.Shape[1] {
		return nil, fmt.Errorf("%s holds no fixed points (want float64 n×D, n > 0)", path)
	}
	if err := finite.Check("points", a.Shape, x); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return mat.NewDense(a.Shape[0], a.Shape[1], x), nil
}

// ExactPoints is the outcome of Newton's method started from a set of slow points
// (analysis.ExactPoints), with the tutorial's text (Text).
type ExactPoints struct{ *analysis.ExactPoints }

// FindExact runs Newton's method from every row of slow, at input u, keeps the converged starts only,
// merges those within unique of each other (0: the default of analysis.FixedPointOptions) and
// decomposes the Jacobian at each exact point: analysis.FindExact from the points evaluated by f.
func FindExact(f *fixedpoints.Finder, slow mat.Matrix, u []float32, unique float64) (*ExactPoints, error) {
	n, d := slow.Dims()
	x := make([]float64, 0, n*d)
	for i := range n {
		x = append(x, mat.Row(nil, i, slow)...)
	}
	start, err := f.Evaluate(x, u)
	if err != nil {
		return nil, err
	}
	ex, err := analysis.FindExact(f, start, analysis.FixedPointOptions{Unique: unique})
	if err != nil {
		return nil, err
	}
	return &ExactPoints{ex}, nil
}

// LineAttractor linearises the network at the point in the middle of points (along PC 1), sorting
// the Jacobian's eigenvalues by real part, and finds the line through the points
// (analysis.FixedPointLine, the step of the whole analysis).
func (s *Session) LineAttractor(points mat.Matrix) (*analysis.LineAttractor, error) {
	f, err := s.Finder()
	if err != nil {
		return nil, err
	}
	return analysis.FixedPointLine(f, s.Input, points, s.PCA, nil)
}

// Scene3D returns the rotatable 3-D view of the first nTrials trials' trajectories on PC 1-3 (coloured
// by by) with the fixed points over them, marked as Golub & Sussillo's plot_fps marks them
// (FixedPointMarker, the Jacobian's eigenvalues sorted by magnitude): a point is stable (black) when
// every eigenvalue of its Jacobian lies inside the unit circle and unstable (red) otherwise, and each
// unstable mode (|λ| ≥ 1) is drawn as the segment x ± 0.25·v/|v| through the point (plot3d.ModeSegment,
// v the real part of the mode's eigenvector).
func (s *Session) Scene3D(points mat.Matrix, nTrials int, by ColorBy) (*plot3d.Scene, error) {
	if s.PCA.K() < 3 {
		return nil, fmt.Errorf("the 3-D view needs 3 principal components, the PCA has %d", s.PCA.K())
	}
	scene := &plot3d.Scene{Title: "Trajectories and fixed points on PC 1-3 (drag to rotate)"}
	for i, tr := range s.Activity.Trials[:min(nTrials, len(s.Activity.Trials))] {
		pc, err := s.PCA.Transform(s.Activity.TrialDense(i))
		if err != nil {
			return nil, err
		}
		c := tr.GroundTruth
		if by == ByChoice && tr.Choice >= 0 {
			c = tr.Choice
		}
		scene.Trajectories = append(scene.Trajectories, plot3d.Trajectory{
			X: mat.Col(nil, 0, pc), Y: mat.Col(nil, 1, pc), Z: mat.Col(nil, 2, pc), Choice: c})
	}
	if points == nil {
		return scene, nil
	}
	f, err := s.Finder()
	if err != nil {
		return nil, err
	}
	n, _ := points.Dims()
	project := func(x []float64) [3]float64 {
		p := s.PCA.TransformRow(x)
		return [3]float64{p[0], p[1], p[2]}
	}
	for k := range n {
		x := mat.Row(nil, k, points)
		js, err := f.Jacobians(x, s.Input)
		if err != nil {
			return nil, err
		}
		e, err := fixedpoints.Decompose(js[0], len(x), fixedpoints.ByMagnitude, false)
		if err != nil {
			return nil, err
		}
		scene.FixedPoints = append(scene.FixedPoints, FixedPointMarker(x, e, ModeScale, project))
	}
	return scene, nil
}

// ModeScale is the half-length of an unstable mode's segment in the 3-D views, Golub & Sussillo's
// plot_fps default.
const ModeScale = 0.25

// FixedPointMarker is the 3-D views' mark of the fixed point x (full state space) whose Jacobian has
// the spectrum e, as Golub & Sussillo's plot_fps marks it: at project(x), stable (black) when every
// eigenvalue lies inside the unit circle (e.Stable for a discrete map) and unstable (red) otherwise,
// with each unstable mode (|λ| ≥ 1), in e's order, drawn as the segment x ± scale·v/|v|
// (plot3d.ModeSegment, v the real part of the mode's right eigenvector; a mode whose real part is
// zero has no direction to draw).
func FixedPointMarker(x []float64, e *fixedpoints.Eigen, scale float64, project func([]float64) [3]float64) plot3d.FixedPoint {
	p := project(x)
	fp := plot3d.FixedPoint{X: p[0], Y: p[1], Z: p[2], Stable: e.Stable(fixedpoints.Discrete)}
	for m, v := range e.Values {
		if cmplx.Abs(v) < 1 {
			continue
		}
		vec := e.RightVector(m)
		re := make([]float64, len(vec))
		for i, c := range vec {
			re[i] = real(c)
		}
		if seg, err := plot3d.ModeSegment(x, re, scale, project); err == nil {
			fp.Modes = append(fp.Modes, seg)
		}
	}
	return fp
}

// overridden is a task whose every trial is drawn with the condition ov.
type overridden struct {
	tasks.Task
	ov tasks.Override
}

func (o overridden) NewTrial(tasks.Override) (*tasks.Trial, error) { return o.Task.NewTrial(o.ov) }

// TrialAt runs the network on one trial of its task with the condition forced by ov (for
// PerceptualDecisionMaking, PDMCondition), the rest of the trial drawn with seed, from the zero state.
func (s *Session) TrialAt(ov tasks.Override, seed uint64) (*analysis.Activity, error) {
	task, err := s.Run.NewTask(seed)
	if err != nil {
		return nil, err
	}
	return analysis.CollectActivity(s.Run.Params, overridden{task, ov}, 1)
}

// PDMCondition is the PerceptualDecisionMaking condition of a signed coherence c (percent, the
// convention of analysis.TrialResult.SignedCoh): ground truth 1 when c > 0, else 0, and coherence |c|.
func PDMCondition(c float64) tasks.Override {
	gt := 0.0
	if c > 0 {
		gt = 1
	}
	return tasks.Override{"ground_truth": gt, "coh": math.Abs(c)}
}

// TrialOverAttractor draws one trial of condition ov (TrialAt) on PC 1-2, coloured by the network's
// choice, over points (the fixed points, one per row): the figure plots.FixedPoints draws.
func (s *Session) TrialOverAttractor(ov tasks.Override, seed uint64, points mat.Matrix) (*plots.Figure, error) {
	act, err := s.TrialAt(ov, seed)
	if err != nil {
		return nil, err
	}
	trajs, err := Project(act, s.PCA, ByChoice)
	if err != nil {
		return nil, err
	}
	fps, err := ProjectPoints(points, s.PCA)
	if err != nil {
		return nil, err
	}
	return plots.FixedPoints(trajs, fps, 1)
}
