package fixedpoints

import (
	"fmt"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
	"io"
	"math"
)

// Objective is the scalar the gradient method minimises.
type Objective int

const (
	// MeanSpeed: mean over points of speed_i = mean_d r_id² (BrainPy).
	MeanSpeed Objective = iota
	// MeanQ: mean over points of q_i = ½ Σ_d r_id² = (D/2)·speed_i (Golub).
	MeanQ
)

// Stop chooses the stopping rule of the gradient method (besides MaxIters).
type Stop int

const (
	// StopMeanSpeed is BrainPy's rule: after every NumBatch iterations,
	// stop if the mean speed recorded at the last iteration (measured before
	// its update) is < Tolerance.
	StopMeanSpeed Stop = iota
	// StopPerPoint is Golub's rule: stop (checked every iteration from the
	// second on) when every point has q_i < TolQ or |q_i − q_i(previous
	// iteration)| < TolDQ·lr.
	StopPerPoint
	// StopEither applies both rules.
	StopEither
	// StopNever runs exactly MaxIters iterations.
	StopNever
)

// Options configures the gradient method.
type Options struct {
	Adam      optim.Adam
	Objective Objective
	// MaxIters is the exact maximum number of iterations (BrainPy's
	// num_opt; BrainPy itself rounds it up to whole batches).
	MaxIters int
	// NumBatch is how often (in iterations) progress is printed and the
	// StopMeanSpeed rule is checked (BrainPy's num_batch).
	NumBatch int
	Stop     Stop
	// Tolerance on the mean speed for StopMeanSpeed (BrainPy's tolerance).
	Tolerance float64
	// TolQ and TolDQ for StopPerPoint (Golub: 1e-12 and 1e-20).
	TolQ, TolDQ float64
	// DivergeSpeed: a returned point whose speed is above this (or not
	// finite) is reported as diverged and dropped. Default 1e6.
	DivergeSpeed float64
	// Log receives BrainPy-style progress lines and filter reports; nil is
	// silent.
	Log io.Writer
}

// BrainPyOptions are BrainPy's find_fps_with_gd_method defaults: Adam with
// lr 0.2·0.9999^k, β1 0.9, β2 0.999, ε 1e-8 on the uncorrected sqrt(v);
// mean-speed objective; at most 10000 iterations; NumBatch 100; stop when
// the mean speed < 1e-5. Golub's TolQ/TolDQ are set to his defaults (1e-12,
// 1e-20) but only used with StopPerPoint or StopEither.
func BrainPyOptions() Options {
	return Options{
		Adam:         optim.Adam{LR: optim.Exponential(0.2, 1, 0.9999), Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Mode: optim.EpsUncorrected},
		Objective:    MeanSpeed,
		MaxIters:     10000,
		NumBatch:     100,
		Stop:         StopMeanSpeed,
		Tolerance:    1e-5,
		TolQ:         1e-12,
		TolDQ:        1e-20,
		DivergeSpeed: 1e6,
	}
}

// PrimerOptions are the primer seed's settings: BrainPyOptions with lr
// 0.01·0.9999^k, tolerance 1e-5 and NumBatch 200.
func PrimerOptions() Options {
	o := BrainPyOptions()
	o.Adam.LR = optim.Exponential(0.01, 1, 0.9999)
	o.NumBatch = 200
	return o
}

func finitePositive(x float64) bool { return x > 0 && !math.IsInf(x, 0) && !math.IsNaN(x) }

// Validate reports unusable settings.
func (o Options) Validate() error {
	if err := o.Adam.Validate(); err != nil {
		return fmt.Errorf("fixedpoints: %w", err)
	}
	switch {
	case o.Objective != MeanSpeed && o.Objective != MeanQ:
		return fmt.Errorf("fixedpoints: unknown objective %d", o.Objective)
	case o.MaxIters <= 0:
		return fmt.Errorf("fixedpoints: MaxIters must be > 0, got %d", o.MaxIters)
	case o.NumBatch <= 0:
		return fmt.Errorf("fixedpoints: NumBatch must be > 0, got %d", o.NumBatch)
	case o.Stop < StopMeanSpeed || o.Stop > StopNever:
		return fmt.Errorf("fixedpoints: unknown stop rule %d", o.Stop)
	case (o.Stop == StopMeanSpeed || o.Stop == StopEither) && !finitePositive(o.Tolerance):
		return fmt.Errorf("fixedpoints: tolerance must be > 0, got %v", o.Tolerance)
	case (o.Stop == StopPerPoint || o.Stop == StopEither) && (!finitePositive(o.TolQ) || !finitePositive(o.TolDQ)):
		return fmt.Errorf("fixedpoints: TolQ and TolDQ must be > 0, got %v and %v", o.TolQ, o.TolDQ)
	case !finitePositive(o.DivergeSpeed):
		return fmt.Errorf("fixedpoints: DivergeSpeed must be > 0, got %v", o.DivergeSpeed)
	}
	return nil
}
