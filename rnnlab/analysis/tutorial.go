package analysis

import (
	"fmt"
	"os"
	"slices"

	"github.com/rnnlab/rnnlab/rnnlab/backend"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// TutorialInput is the constant input of the primer's fixed-point search:
// fixation on, both stimulus channels at 0.5 (zero coherence).
var TutorialInput = []float32{1, 0.5, 0.5}

// FixedPointAnalysis is the outcome of Analyze.
type FixedPointAnalysis struct {
	// Finder evaluates the network's cell (use it for more Jacobians).
	Finder *fixedpoints.Finder
	// Points are the kept fixed points; Points.Stages counts each step.
	Points *fixedpoints.FixedPoints
	// Jacobians[k] is dF/dh at point k, row-major D×D.
	Jacobians [][]float64
	// Eigen[k] is the decomposition of Jacobians[k], sorted by real part
	// (the slow modes of a discrete map first).
	Eigen []*fixedpoints.Eigen
	// PCA is fitted (2 components) on all the activity's states.
	PCA *PCA
	// Line is the line attractor (nil when fewer than 2 points are kept).
	Line *LineAttractor
}

// NewEvaluator returns the evaluator of network p's one-step map (a
// discrete map of the hidden state), chosen as models.NewEngine chooses a
// training engine: EvaluatorFor(p, models.EngineAuto).
func NewEvaluator(p *models.Params) (fixedpoints.Evaluator, error) {
	return EvaluatorFor(p, models.EngineAuto)
}

// EvaluatorFor returns the evaluator of network p's one-step map for an
// engine name: "cpu" is the hand-written kernel of the standard cell
// (fixedpoints.NewCTRNNEvaluator), "gomlx" the GoMLX autodiff of p.CellFunc()
// on the backend in force, and "auto" (or "") the CPU kernel unless the
// environment variable GOMLX_BACKEND asks for a GoMLX backend. Both give the
// same numbers to float32 rounding.
func EvaluatorFor(p *models.Params, engine string) (fixedpoints.Evaluator, error) {
	switch engine {
	case models.EngineAuto, "":
		if os.Getenv(backend.EnvVar) == "" {
			return fixedpoints.NewCTRNNEvaluator(p)
		}
	case models.EngineCPU:
		return fixedpoints.NewCTRNNEvaluator(p)
	case models.EngineGoMLX:
	default:
		return nil, fmt.Errorf("unknown engine %q (want auto, cpu or gomlx)", engine)
	}
	b, err := backend.Shared()
	if err != nil {
		return nil, err
	}
	return fixedpoints.NewGraphEvaluator(b, p.CellFunc(), fixedpoints.Discrete, p.NumHidden, p.NumInput)
}

// Analyze runs the primer's fixed-point analysis of a network, whose
// one-step map ev evaluates (see NewEvaluator), on its activity act:
// candidates = all states (Activity.Stack), the search pl
// (fixedpoints.TutorialPipeline() for the seed's settings) with input u
// (TutorialInput), the Jacobian and its eigenvalues at every kept point, a
// 2-component PCA of the activity and the line attractor. Eigenvalues are
// sorted by real part: the slow mode of a line attractor is the eigenvalue
// nearest 1 from below, which need not be the largest in magnitude (trained
// networks often also have a fast mode near −1).
func Analyze(ev fixedpoints.Evaluator, act *Activity, u []float32, pl fixedpoints.Pipeline) (*FixedPointAnalysis, error) {
	if ev == nil || act == nil || act.NumStates() == 0 {
		return nil, fmt.Errorf("analysis: Analyze: nil evaluator or no activity")
	}
	if act.H != ev.StateDim() {
		return nil, fmt.Errorf("analysis: Analyze: activity has %d units, network %d", act.H, ev.StateDim())
	}
	f, fp, err := pl.Run(ev, act.Stack(), u)
	if err != nil {
		return nil, err
	}
	pca, err := FitPCA(act.StackDense(), 2)
	if err != nil {
		return nil, err
	}
	out := &FixedPointAnalysis{Finder: f, Points: fp, PCA: pca}
	if fp.Len() > 0 {
		if out.Jacobians, err = f.PointJacobians(fp); err != nil {
			return nil, err
		}
		for _, j := range out.Jacobians {
			e, err := fixedpoints.Decompose(j, fp.D, fixedpoints.ByReal, false)
			if err != nil {
				return nil, err
			}
			out.Eigen = append(out.Eigen, e)
		}
	}
	if fp.Len() >= 2 {
		jac := func(x []float64) ([]float64, error) {
			// The line's point is one of the kept points: reuse its Jacobian.
			for k := 0; k < fp.Len(); k++ {
				if slices.Equal(fp.X[k*fp.D:(k+1)*fp.D], x) {
					return out.Jacobians[k], nil
				}
			}
			return FixedPointJacobian(f, u)(x)
		}
		if out.Line, err = FindLineAttractor(Points(fp), pca, jac, fixedpoints.ByReal); err != nil {
			return nil, err
		}
	}
	return out, nil
}
