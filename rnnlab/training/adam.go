package training

import (
	"fmt"
	"math"
)

// Adam is the Adam optimiser (Kingma & Ba 2015) on flat float32 parameter
// slices, with PyTorch's update (torch.optim.Adam, no weight decay, no
// amsgrad). For every parameter p with gradient g, at step t = 1, 2, ...:
//
//	m = Beta1 m + (1-Beta1) g
//	v = Beta2 v + (1-Beta2) g²
//	m̂ = m / (1 - Beta1^t)
//	v̂ = v / (1 - Beta2^t)
//	p = p - LR m̂ / (sqrt(v̂) + Eps)
//
// Eps is added to the square root of the bias-corrected second moment, as in
// PyTorch. BrainPy's Adam folds the bias corrections into the learning rate
// and adds Eps to sqrt(v) before correction, which is the same update with
// Eps scaled by sqrt(1-Beta2^t); with Eps = 1e-8 the two differ only when
// |g| is itself of order 1e-8. GoMLX's optimizer.Adam uses Eps = 1e-7 by
// default; here the default is PyTorch's and BrainPy's 1e-8.
//
// The moments are accumulated in float64 arithmetic and stored as float32.
// All fields are exported so the state can be saved (encoding/json) and
// resumed.
type Adam struct {
	LR    float64 `json:"lr"`
	Beta1 float64 `json:"beta1"`
	Beta2 float64 `json:"beta2"`
	Eps   float64 `json:"eps"`
	// Step is the number of updates applied so far (t of the last update).
	Step int `json:"step"`
	// M and V are the first and second moments, one slice per parameter.
	M [][]float32 `json:"m"`
	V [][]float32 `json:"v"`
}

// Default Adam hyper-parameters (PyTorch's and BrainPy's).
const (
	DefaultLR    = 1e-3
	DefaultBeta1 = 0.9
	DefaultBeta2 = 0.999
	DefaultEps   = 1e-8
)

// NewAdam returns an Adam optimiser with learning rate lr (0 means
// DefaultLR), the default betas and epsilon, and zero moments for parameters
// of the given lengths.
func NewAdam(lr float64, sizes ...int) *Adam {
	if lr == 0 {
		lr = DefaultLR
	}
	a := &Adam{LR: lr, Beta1: DefaultBeta1, Beta2: DefaultBeta2, Eps: DefaultEps}
	for _, n := range sizes {
		a.M = append(a.M, make([]float32, n))
		a.V = append(a.V, make([]float32, n))
	}
	return a
}

// Update applies one Adam step to params in place, given their gradients
// (same number of slices, same lengths as the moments).
func (a *Adam) Update(params, grads [][]float32) error {
	if len(params) != len(a.M) || len(grads) != len(a.M) {
		return fmt.Errorf("adam: %d parameters and %d gradients for %d moment slots", len(params), len(grads), len(a.M))
	}
	for i := range params {
		if len(params[i]) != len(a.M[i]) || len(grads[i]) != len(a.M[i]) {
			return fmt.Errorf("adam: parameter %d has %d values and %d gradients, want %d", i, len(params[i]), len(grads[i]), len(a.M[i]))
		}
	}
	a.Step++
	t := float64(a.Step)
	c1 := 1 - math.Pow(a.Beta1, t)
	c2 := 1 - math.Pow(a.Beta2, t)
	b1, b2 := a.Beta1, a.Beta2
	for i, p := range params {
		g, m, v := grads[i], a.M[i], a.V[i]
		for j := range p {
			gj := float64(g[j])
			mj := b1*float64(m[j]) + (1-b1)*gj
			vj := b2*float64(v[j]) + (1-b2)*gj*gj
			m[j], v[j] = float32(mj), float32(vj)
			p[j] = float32(float64(p[j]) - a.LR*(mj/c1)/(math.Sqrt(vj/c2)+a.Eps))
		}
	}
	return nil
}
