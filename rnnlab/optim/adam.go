package optim

import (
	"fmt"
	"math"
)

// EpsMode says where Adam adds ε (see the package doc).
type EpsMode int

const (
	// EpsUncorrected is BrainPy's (and TF1's) Adam: the bias correction is
	// folded into the step size, lr_t = lr·sqrt(1−β2^t)/(1−β1^t), and
	// x ← x − lr_t · m / (sqrt(v) + ε) with the uncorrected v.
	EpsUncorrected EpsMode = iota
	// EpsCorrected is PyTorch's Adam (torch.optim.Adam, no weight decay, no
	// amsgrad): x ← x − lr · m̂ / (sqrt(v̂) + ε) with m̂ = m/(1−β1^t),
	// v̂ = v/(1−β2^t).
	EpsCorrected
)

// Default hyper-parameters (PyTorch's and BrainPy's).
const (
	DefaultBeta1 = 0.9
	DefaultBeta2 = 0.999
	DefaultEps   = 1e-8
)

// Adam holds the optimiser's settings. Its state (moments, update count)
// lives with the caller: in a State for parameter sets, in the finder's
// per-candidate arrays for fixed points.
type Adam struct {
	LR    Schedule
	Beta1 float64
	Beta2 float64
	Eps   float64
	Mode  EpsMode
}

// PyTorchAdam is torch.optim.Adam's defaults with a constant learning rate
// lr: β 0.9/0.999, ε 1e-8 added to sqrt(v̂). (GoMLX's optimizer.Adam uses
// ε = 1e-7.)
func PyTorchAdam(lr float64) Adam {
	return Adam{LR: Constant(lr), Beta1: DefaultBeta1, Beta2: DefaultBeta2, Eps: DefaultEps, Mode: EpsCorrected}
}

// String describes the optimiser (printed in progress logs).
func (a Adam) String() string {
	mode := "eps on uncorrected sqrt(v)"
	if a.Mode == EpsCorrected {
		mode = "eps on corrected sqrt(v)"
	}
	return fmt.Sprintf("Adam(lr=%v, beta1=%g, beta2=%g, eps=%g, %s)", a.LR, a.Beta1, a.Beta2, a.Eps, mode)
}

// Validate reports settings that cannot work: a nil or bad schedule (a
// learning rate that is not finite and positive), betas outside
// [0, 1), a negative or non-finite ε, an unknown mode.
func (a Adam) Validate() error {
	switch {
	case a.LR == nil:
		return fmt.Errorf("adam: no learning-rate schedule")
	case !validSchedule(a.LR):
		return fmt.Errorf("adam: bad learning-rate schedule %v: need lr0 > 0, decay steps > 0, 0 < rate <= 1", a.LR)
	case !(a.LR.Rate(0) > 0) || math.IsInf(a.LR.Rate(0), 0):
		return fmt.Errorf("adam: learning rate must be finite and > 0, got %v", a.LR.Rate(0))
	case !(a.Beta1 >= 0 && a.Beta1 < 1) || !(a.Beta2 >= 0 && a.Beta2 < 1):
		return fmt.Errorf("adam: betas must be in [0, 1), got %g and %g", a.Beta1, a.Beta2)
	case !(a.Eps >= 0) || math.IsInf(a.Eps, 0):
		return fmt.Errorf("adam: eps must be finite and >= 0, got %g", a.Eps)
	case a.Mode != EpsUncorrected && a.Mode != EpsCorrected:
		return fmt.Errorf("adam: unknown eps mode %d", a.Mode)
	}
	return nil
}

// Step is update t of an Adam with its constants folded; Apply it to every
// parameter slice of that update.
type Step struct {
	mode          EpsMode
	b1, b2, s, lr float64
	c1, c2        float64 // 1−β1^t, 1−β2^t
	lrt           float64 // EpsUncorrected: lr·sqrt(c2)/c1
	eps           float64
}

// At returns update t (t = 1, 2, ...) with learning rate LR.Rate(t−1) and
// gradient scale s.
func (a Adam) At(t int, s float64) Step {
	lr := a.LR.Rate(t - 1)
	c1, c2 := 1-math.Pow(a.Beta1, float64(t)), 1-math.Pow(a.Beta2, float64(t))
	return Step{mode: a.Mode, b1: a.Beta1, b2: a.Beta2, s: s, lr: lr, c1: c1, c2: c2, lrt: lr * math.Sqrt(c2) / c1, eps: a.Eps}
}

// LR is the learning rate of this update.
func (s Step) LR() float64 { return s.lr }

// Apply updates x in place from its gradient g and its moments m, v (all of
// len(x)). A value of x that becomes non-finite stays so; callers that care
// check it.
func (s Step) Apply(x, m, v, g []float32) {
	b1, b2, d1, d2 := s.b1, s.b2, 1-s.b1, 1-s.b2
	m, v, g = m[:len(x)], v[:len(x)], g[:len(x)]
	if s.mode == EpsCorrected {
		for j := range x {
			gj := float64(g[j]) * s.s
			mj := b1*float64(m[j]) + d1*gj
			vj := b2*float64(v[j]) + d2*gj*gj
			m[j], v[j] = float32(mj), float32(vj)
			x[j] = float32(float64(x[j]) - s.lr*(mj/s.c1)/(math.Sqrt(vj/s.c2)+s.eps))
		}
		return
	}
	for j := range x {
		gj := float64(g[j]) * s.s
		mj := b1*float64(m[j]) + d1*gj
		vj := b2*float64(v[j]) + d2*gj*gj
		m[j], v[j] = float32(mj), float32(vj)
		x[j] -= float32(s.lrt * mj / (math.Sqrt(vj) + s.eps))
	}
}

// State is Adam with its state for a set of parameter slices (a network's
// weights): the update count and the moments, one slice per parameter. All
// fields are exported so the state can be saved and resumed.
type State struct {
	Adam Adam `json:"-"`
	// Step is the number of updates applied so far (t of the last update).
	Step int `json:"step"`
	// M and V are the first and second moments, one slice per parameter.
	M [][]float32 `json:"m"`
	V [][]float32 `json:"v"`
}

// NewState returns a with zero moments for parameters of the given lengths.
func (a Adam) NewState(sizes ...int) *State {
	s := &State{Adam: a}
	for _, n := range sizes {
		s.M = append(s.M, make([]float32, n))
		s.V = append(s.V, make([]float32, n))
	}
	return s
}

// Update applies one Adam update to params in place, given their gradients
// (same number of slices, same lengths as the moments).
func (s *State) Update(params, grads [][]float32) error {
	if len(params) != len(s.M) || len(grads) != len(s.M) {
		return fmt.Errorf("adam: %d parameters and %d gradients for %d moment slots", len(params), len(grads), len(s.M))
	}
	for i := range params {
		if len(params[i]) != len(s.M[i]) || len(grads[i]) != len(s.M[i]) {
			return fmt.Errorf("adam: parameter %d has %d values and %d gradients, want %d", i, len(params[i]), len(grads[i]), len(s.M[i]))
		}
	}
	s.Step++
	st := s.Adam.At(s.Step, 1)
	for i, p := range params {
		st.Apply(p, s.M[i], s.V[i], grads[i])
	}
	return nil
}

func validSchedule(s Schedule) bool {
	if e, ok := s.(ExponentialDecay); ok {
		pos := func(x float64) bool { return x > 0 && !math.IsInf(x, 0) }
		return pos(e.LR0) && pos(e.DecaySteps) && e.DecayRate > 0 && e.DecayRate <= 1
	}
	return true
}
