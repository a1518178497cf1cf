package models

import (
	"fmt"
	"os"

	"github.com/rnnlab/rnnlab/rnnlab/backend"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
)

// Engine names accepted by NewEngine.
const (
	EngineAuto  = "auto"  // cpu unless GOMLX_BACKEND is set, then gomlx
	EngineCPU   = "cpu"   // the cells' hand-written kernels (Cell.NewCPUEngine)
	EngineGoMLX = "gomlx" // GoMLX autodiff on the backend in force
)

// UseCPU is the one place where an engine name is resolved, for training
// engines (NewEngine) and fixed-point evaluators alike: "cpu" is the
// hand-written CPU kernels, "gomlx" GoMLX's autodiff on the
// backend in force, and "auto" (or "") the CPU kernel, the fastest on a
// CPU, unless the environment variable GOMLX_BACKEND asks for a GoMLX
// backend explicitly. Any other name is an error listing the valid ones.
func UseCPU(name string) (bool, error) {
	switch name {
	case EngineAuto, "":
		return os.Getenv(backend.EnvVar) == "", nil
	case EngineCPU:
		return true, nil
	case EngineGoMLX:
		return false, nil
	}
	return false, fmt.Errorf("unknown engine %q (want auto, cpu or gomlx)", name)
}

// NewEngine returns the engine called name (see UseCPU) for networks of
// configuration cfg: on the CPU, the cell's hand-written engine
// (Cell.NewCPUEngine: CPUEngine for the CTRNN family, GatedCPUEngine for
// the gated cells, LeakyCPUEngine for the leaky cell); otherwise, or for "auto" when the cell declares none,
// GoMLXEngine. An explicit "cpu" for a cell without a CPU engine is an
// error. All give the same numbers to float32 tolerance (TestCellsAgree).
func NewEngine(name string, cfg Config) (Engine, error) {
	cpu, err := UseCPU(name)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cpu {
		e, err := cfg.cell().NewCPUEngine(cfg)
		switch {
		case err != nil:
			return nil, err
		case e != nil:
			return e, nil
		case name == EngineCPU:
			return nil, fmt.Errorf("models: no cpu engine for %s; use the gomlx engine (engine auto or gomlx)", cfg.Describe())
		}
	}
	return NewGoMLXEngine(nil, cfg)
}

// NewEvaluator returns the fixed-point evaluator of network p's one-step
// map s_{t+1} = F(u, s_t) on its whole state (Config.StateSize: 2H for an
// LSTM, h then c; the state s, not the rate, of an E-I network), for an
// engine name resolved as for training (UseCPU):
//
//   - on the CPU ("cpu", or "auto" without GOMLX_BACKEND), the cell's
//     hand-written evaluator (Cell.NewCPUEvaluator: CTRNNEvaluator for a
//     relu CTRNN, GatedEvaluator for the gated cells, LeakyEvaluator for
//     the leaky cell);
//   - otherwise, or for "auto" when the cell declares none, GoMLX autodiff
//     of p.CellFunc() on the backend in force
//     (fixedpoints.NewGraphEvaluator, a Discrete map of StateSize states
//     and NumInput inputs). An explicit "cpu" for a cell without a CPU
//     evaluator is an error, as for training engines.
//
// All give the same numbers to float32 rounding, and all give the input
// Jacobians ∂F/∂u. Recurrent noise (SigmaRec) is not part of the map.
func NewEvaluator(p *Params, engine string) (fixedpoints.InputJacobianEvaluator, error) {
	if p == nil {
		return nil, fmt.Errorf("models: NewEvaluator: nil network")
	}
	cpu, err := UseCPU(engine)
	if err != nil {
		return nil, err
	}
	if err := p.Config.Validate(); err != nil {
		return nil, err
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
	}
	if cpu {
		ev, err := p.cell().NewCPUEvaluator(p)
		switch {
		case err != nil:
			return nil, err
		case ev != nil:
			return ev, nil
		case engine == EngineCPU:
			return nil, fmt.Errorf("models: no cpu fixed-point kernel for %s; use the gomlx evaluator (engine auto or gomlx)", p.Describe())
		}
	}
	b, err := backend.Shared()
	if err != nil {
		return nil, err
	}
	return fixedpoints.NewGraphEvaluator(b, p.CellFunc(), fixedpoints.Discrete, p.StateSize(), p.NumInput)
}
