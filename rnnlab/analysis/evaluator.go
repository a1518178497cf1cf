package analysis

import (
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// TutorialInput is the constant input of the primer's fixed-point search:
// fixation on, both stimulus channels at 0.5 (zero coherence).
var TutorialInput = []float32{1, 0.5, 0.5}

// EvaluatorFor returns the evaluator of network p's one-step map for an
// engine name: models.NewEvaluator, which picks the cell's hand-written
// CPU evaluator (models.Cell.NewCPUEvaluator) or GoMLX autodiff of
// p.CellFunc(). It is here so that the analysis reads in one package.
func EvaluatorFor(p *models.Params, engine string) (fixedpoints.InputJacobianEvaluator, error) {
	return models.NewEvaluator(p, engine)
}
