package models

import (
	"fmt"
	"os"

	"github.com/rnnlab/rnnlab/rnnlab/backend"
)

// Engine names accepted by NewEngine.
const (
	EngineAuto  = "auto"  // cpu unless GOMLX_BACKEND is set, then gomlx
	EngineCPU   = "cpu"   // the hand-written kernels (CPUEngine, GatedCPUEngine)
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
// configuration cfg: on the CPU, GatedCPUEngine for the GRU and LSTM,
// LeakyCPUEngine for the leaky cell and CPUEngine for the CTRNN and E-I
// cells; otherwise GoMLXEngine. All give the same
// numbers to float32 tolerance (TestCellsAgree).
func NewEngine(name string, cfg Config) (Engine, error) {
	cpu, err := UseCPU(name)
	switch {
	case err != nil:
		return nil, err
	case cpu && cfg.CellName() == CellLeaky:
		return NewLeakyCPUEngine(cfg)
	case cpu && gatedSupports(cfg) == nil:
		return NewGatedCPUEngine(cfg)
	case cpu:
		return NewCPUEngine(cfg)
	}
	return NewGoMLXEngine(nil, cfg)
}

// cpuSupports reports why the CPU engine cannot run networks of cfg (nil
// when it can): it has kernels for every configuration of the CTRNN family
// (cells "ctrnn" and "ei": any activation, recurrent noise, either loss,
// rate penalties), none for the gated cells.
func cpuSupports(cfg Config) error {
	switch cfg.CellName() {
	case CellCTRNN, CellEI:
		return nil
	}
	return fmt.Errorf("models: the cpu engine has no kernel for this network (%s); use the gomlx engine", cfg.Describe())
}
