package analysis

import (
	"fmt"

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
	// Points are the kept fixed points.
	Points *fixedpoints.FixedPoints
	// PCA is fitted (2 components) on all the activity's states.
	PCA *PCA
	// Line is the line attractor (nil when fewer than 2 points are kept).
	Line *LineAttractor
}

// Analyze runs the primer's fixed-point analysis of network p on its
// activity act: candidates = all states (Activity.Stack), the search pl
// (fixedpoints.TutorialPipeline() for the seed's settings) with input u
// (TutorialInput), a 2-component PCA of the activity and the line attractor
// with eigenvalues sorted by real part. It uses the shared GoMLX backend.
func Analyze(p *models.Params, act *Activity, u []float32, pl fixedpoints.Pipeline) (*FixedPointAnalysis, error) {
	if p == nil || act == nil || act.NumStates() == 0 {
		return nil, fmt.Errorf("analysis: Analyze: nil network or no activity")
	}
	if act.H != p.NumHidden {
		return nil, fmt.Errorf("analysis: Analyze: activity has %d units, network %d", act.H, p.NumHidden)
	}
	b, err := backend.Shared()
	if err != nil {
		return nil, err
	}
	ev, err := fixedpoints.NewGraphEvaluator(b, p.CellFunc(), fixedpoints.Discrete, p.NumHidden, p.NumInput)
	if err != nil {
		return nil, err
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
	if fp.Len() >= 2 {
		if out.Line, err = FindLineAttractor(Points(fp), pca, FixedPointJacobian(f, u), fixedpoints.ByReal); err != nil {
			return nil, err
		}
	}
	return out, nil
}
