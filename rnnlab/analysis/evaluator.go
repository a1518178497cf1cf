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

// HasCPUKernel reports whether the one-step map of networks of cfg has a
// hand-written CPU fixed-point kernel: the relu CTRNN (models.CTRNNEvaluator).
// Every other cell is evaluated by GoMLX autodiff of Params.CellFunc.
func HasCPUKernel(cfg models.Config) bool {
	return cfg.CellName() == models.CellCTRNN && cfg.ActivationName() == models.ActReLU
}

// EvaluatorFor returns the evaluator of network p's one-step map
// s_{t+1} = F(u, s_t) on its whole state (Config.StateSize: 2H for an LSTM,
// h then c; the state s, not the rate, of an E-I network), for an engine
// name resolved as for training (models.UseCPU):
//
//   - "cpu", or "auto" without GOMLX_BACKEND, for a relu CTRNN: the
//     hand-written kernel (models.CTRNNEvaluator); for the leaky cell
//     models.LeakyEvaluator;
//   - otherwise GoMLX autodiff of p.CellFunc() on the backend in force
//     (fixedpoints.NewGraphEvaluator, a Discrete map of StateSize states and
//     NumInput inputs). "auto" falls back to it for cells without a kernel;
//     an explicit "cpu" is then an error, as for training engines. On the
//     CPU ("auto" without GOMLX_BACKEND, or "cpu") the GRU and LSTM run in
//     plain Go instead (GatedEvaluator, tested against that graph).
//
// Both give the same numbers to float32 rounding, and both give the input
// Jacobians ∂F/∂u. Recurrent noise (SigmaRec) is not part of the map.
func EvaluatorFor(p *models.Params, engine string) (fixedpoints.InputJacobianEvaluator, error) {
	if p == nil {
		return nil, fmt.Errorf("analysis: EvaluatorFor: nil network")
	}
	cpu, err := models.UseCPU(engine)
	switch {
	case err != nil:
		return nil, err
	case cpu && HasCPUKernel(p.Config):
		return models.NewCTRNNEvaluator(p)
	case cpu && p.CellName() == models.CellLeaky:
		return models.NewLeakyEvaluator(p)
	case cpu && engine == models.EngineCPU && !hasGatedPath(p.Config):
		return nil, fmt.Errorf("analysis: no cpu fixed-point kernel for %s (relu ctrnn, leaky, gru and lstm have one); use the gomlx evaluator (engine auto or gomlx)", p.Describe())
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
	}
	b, err := backend.Shared()
	if err != nil {
		return nil, err
	}
	g, err := fixedpoints.NewGraphEvaluator(b, p.CellFunc(), fixedpoints.Discrete, p.StateSize(), p.NumInput)
	if err != nil {
		return nil, err
	}
	if cpu && hasGatedPath(p.Config) {
		return NewGatedEvaluator(p, g)
	}
	return g, nil
}

// hasGatedPath reports the cells whose search runs on GatedEvaluator's
// plain-Go residuals and speed gradients (GRU and LSTM).
func hasGatedPath(cfg models.Config) bool {
	return cfg.CellName() == models.CellGRU || cfg.CellName() == models.CellLSTM
}
