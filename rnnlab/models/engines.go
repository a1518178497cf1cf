package models

import (
	"fmt"
	"os"

	"github.com/rnnlab/rnnlab/rnnlab/backend"
)

// Engine names accepted by NewEngine.
const (
	EngineAuto  = "auto"  // cpu unless GOMLX_BACKEND is set, then gomlx
	EngineCPU   = "cpu"   // the hand-written kernel of this standard cell
	EngineGoMLX = "gomlx" // GoMLX autodiff on the backend in force
)

// NewEngine returns the engine called name for networks of configuration
// cfg. "auto" (or "") picks the CPU kernel, the fastest on a CPU, unless the
// environment variable GOMLX_BACKEND asks for a GoMLX backend explicitly, in
// which case the GoMLX engine runs on it. Both give the same numbers to
// float32 tolerance.
func NewEngine(name string, cfg Config) (Engine, error) {
	switch name {
	case EngineAuto, "":
		if os.Getenv(backend.EnvVar) != "" {
			return NewGoMLXEngine(nil, cfg)
		}
		return NewCPUEngine(cfg)
	case EngineCPU:
		return NewCPUEngine(cfg)
	case EngineGoMLX:
		return NewGoMLXEngine(nil, cfg)
	}
	return nil, fmt.Errorf("unknown engine %q (want auto, cpu or gomlx)", name)
}
