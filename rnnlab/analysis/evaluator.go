package analysis

import (
	"github.com/rnnlab/rnnlab/rnnlab/backend"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// TutorialInput is the constant input of the primer's fixed-point search:
// fixation on, both stimulus channels at 0.5 (zero coherence).
var TutorialInput = []float32{1, 0.5, 0.5}

// EvaluatorFor returns the evaluator of network p's one-step map for an
// engine name, resolved as for training (models.UseCPU): the hand-written
// kernel of the standard cell (models.NewCTRNNEvaluator) or the GoMLX
// autodiff of p.CellFunc() on the backend in force. Both give the same
// numbers to float32 rounding.
func EvaluatorFor(p *models.Params, engine string) (fixedpoints.Evaluator, error) {
	cpu, err := models.UseCPU(engine)
	switch {
	case err != nil:
		return nil, err
	case cpu:
		return models.NewCTRNNEvaluator(p)
	}
	b, err := backend.Shared()
	if err != nil {
		return nil, err
	}
	return fixedpoints.NewGraphEvaluator(b, p.CellFunc(), fixedpoints.Discrete, p.NumHidden, p.NumInput)
}
