package fixedpoints

import (
	"fmt"
	"io"
	"math"
)

// Schedule gives the learning rate of the k-th optimiser update, k = 0, 1, ...
type Schedule interface {
	Rate(k int) float64
	String() string
}

// Constant is a fixed learning rate.
type Constant float64

// Rate implements Schedule.
func (c Constant) Rate(int) float64 { return float64(c) }

// String describes the schedule.
func (c Constant) String() string { return fmt.Sprintf("Constant(%g)", float64(c)) }

// ExponentialDecay is BrainPy's ExponentialDecay(lr, decay_steps, decay_rate):
// the k-th update (k = 0, 1, ...) uses LR0 · DecayRate^(k/DecaySteps), a smooth
// (not staircase) exponential. ExponentialDecay{0.01, 1, 0.9999} is the
// seed's schedule, 0.01·0.9999^k.
type ExponentialDecay struct {
	LR0        float64
	DecaySteps float64
	DecayRate  float64
}

// Rate implements Schedule.
func (e ExponentialDecay) Rate(k int) float64 {
	return e.LR0 * math.Pow(e.DecayRate, float64(k)/e.DecaySteps)
}

// String describes the schedule in BrainPy's terms.
func (e ExponentialDecay) String() string {
	return fmt.Sprintf("ExponentialDecay(lr=%g, decay_steps=%g, decay_rate=%g)", e.LR0, e.DecaySteps, e.DecayRate)
}

// Exponential returns ExponentialDecay{lr0, decaySteps, rate}.
func Exponential(lr0, decaySteps, rate float64) ExponentialDecay {
	return ExponentialDecay{LR0: lr0, DecaySteps: decaySteps, DecayRate: rate}
}

// EpsMode says where Adam adds ε.
type EpsMode int

const (
	// EpsUncorrected is BrainPy's (and TF1's) Adam: the bias correction is
	// folded into the step size, lr_t = lr·sqrt(1−β2^t)/(1−β1^t), and
	// x ← x − lr_t · m / (sqrt(v) + ε) with the uncorrected v.
	EpsUncorrected EpsMode = iota
	// EpsCorrected is PyTorch's Adam: x ← x − lr · m̂ / (sqrt(v̂) + ε) with
	// m̂ = m/(1−β1^t), v̂ = v/(1−β2^t).
	EpsCorrected
)

// Adam holds the optimiser settings. Moments start at zero; t = k+1 counts
// updates.
type Adam struct {
	LR    Schedule
	Beta1 float64
	Beta2 float64
	Eps   float64
	Mode  EpsMode
}

// String describes the optimiser (printed in the progress log).
func (a Adam) String() string {
	mode := "eps on uncorrected sqrt(v)"
	if a.Mode == EpsCorrected {
		mode = "eps on corrected sqrt(v)"
	}
	return fmt.Sprintf("Adam(lr=%v, beta1=%g, beta2=%g, eps=%g, %s)", a.LR, a.Beta1, a.Beta2, a.Eps, mode)
}

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
	Adam      Adam
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
		Adam:         Adam{LR: Exponential(0.2, 1, 0.9999), Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Mode: EpsUncorrected},
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
	o.Adam.LR = Exponential(0.01, 1, 0.9999)
	o.NumBatch = 200
	return o
}

func finitePositive(x float64) bool { return x > 0 && !math.IsInf(x, 0) && !math.IsNaN(x) }

// Validate reports unusable settings.
func (o Options) Validate() error {
	a := o.Adam
	switch {
	case a.LR == nil:
		return fmt.Errorf("fixedpoints: Adam.LR schedule is nil")
	case !validSchedule(a.LR):
		return fmt.Errorf("fixedpoints: bad learning-rate schedule %v: need lr0 > 0, decay steps > 0, 0 < rate <= 1", a.LR)
	case !finitePositive(a.LR.Rate(0)):
		return fmt.Errorf("fixedpoints: learning rate must be > 0, got %v", a.LR.Rate(0))
	case !(a.Beta1 >= 0 && a.Beta1 < 1) || !(a.Beta2 >= 0 && a.Beta2 < 1):
		return fmt.Errorf("fixedpoints: Adam betas must be in [0, 1), got %v, %v", a.Beta1, a.Beta2)
	case !finitePositive(a.Eps):
		return fmt.Errorf("fixedpoints: Adam eps must be > 0, got %v", a.Eps)
	case a.Mode != EpsUncorrected && a.Mode != EpsCorrected:
		return fmt.Errorf("fixedpoints: unknown EpsMode %d", a.Mode)
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

func validSchedule(s Schedule) bool {
	if e, ok := s.(ExponentialDecay); ok {
		return finitePositive(e.LR0) && finitePositive(e.DecaySteps) && e.DecayRate > 0 && e.DecayRate <= 1
	}
	return true
}
