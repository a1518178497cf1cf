package training

import (
	"fmt"
	"math"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
)

// IsWeightMatrix reports whether the parameter called name is one of the
// network's matrices (w_ir, w_rr, w_ih, w_hh, w_ro...), the tensors the
// weight penalties act on: its name starts with "w_". Biases are not
// penalised.
func IsWeightMatrix(name string) bool { return strings.HasPrefix(name, "w_") }

// WeightPenalty returns the weight penalty of p (PsychRNN's convention: one
// mean per matrix, as for the rate penalties),
//
//	P = Σ_W ( λ1 · mean_ij |W_ij|  +  λ2 · mean_ij W_ij² )
//
// over the matrices W of p (IsWeightMatrix), and, when grads is not nil,
// adds its gradient to grads (in the order of p.ParamNames(), the lengths
// of p.Values):
//
//	dP/dW_ij = ( λ1 · sign(W_ij) + 2 λ2 · W_ij ) / n_W
//
// with n_W the number of entries of W and sign(0) = 0 (PyTorch's
// subgradient of |x|). The sums run in float64. It returns 0 and leaves
// grads alone when λ1 = λ2 = 0.
func WeightPenalty(p *models.Params, l1, l2 float64, grads [][]float32) float64 {
	if l1 == 0 && l2 == 0 {
		return 0
	}
	total := 0.0
	for i, name := range p.ParamNames() {
		if !IsWeightMatrix(name) {
			continue
		}
		w := p.Values[i]
		if len(w) == 0 {
			continue
		}
		n := float64(len(w))
		s1, s2 := 0.0, 0.0
		for _, x := range w {
			v := float64(x)
			s1 += math.Abs(v)
			s2 += v * v
		}
		total += l1*s1/n + l2*s2/n
		if grads == nil {
			continue
		}
		g := grads[i]
		for j, x := range w {
			v := float64(x)
			sign := 0.0
			switch {
			case v > 0:
				sign = 1
			case v < 0:
				sign = -1
			}
			g[j] += float32((l1*sign + 2*l2*v) / n)
		}
	}
	return total
}

// GradNorm is the global Euclidean norm of the gradients, sqrt(Σ g²) over
// every value of every slice, summed in float64.
func GradNorm(grads [][]float32) float64 {
	s := 0.0
	for _, g := range grads {
		for _, x := range g {
			s += float64(x) * float64(x)
		}
	}
	return math.Sqrt(s)
}

// ClipGradNorm scales the gradients in place as
// torch.nn.utils.clip_grad_norm_(params, maxNorm) does: with the global
// norm N = GradNorm(grads) and c = maxNorm / (N + 1e-6), every gradient is
// multiplied by c when c < 1 (and left alone otherwise). It returns N, the
// norm before clipping. maxNorm <= 0 disables clipping.
func ClipGradNorm(grads [][]float32, maxNorm float64) float64 {
	n := GradNorm(grads)
	if maxNorm <= 0 {
		return n
	}
	c := maxNorm / (n + 1e-6)
	if c >= 1 {
		return n
	}
	cf := float32(c)
	for _, g := range grads {
		for j := range g {
			g[j] *= cf
		}
	}
	return n
}

// ClipGradValue clips every gradient value in place to [−c, c], as
// TensorFlow's tf.clip_by_value(g, −c, c) in gyyang/multitask's training
// (c = 1 there), and returns how many values it changed. c <= 0 disables
// clipping. A NaN stays NaN: clipping never hides a diverged gradient.
func ClipGradValue(grads [][]float32, c float64) int {
	if c <= 0 {
		return 0
	}
	hi := float32(c)
	n := 0
	for _, g := range grads {
		for j, x := range g {
			switch {
			case x > hi:
				g[j], n = hi, n+1
			case x < -hi:
				g[j], n = -hi, n+1
			}
		}
	}
	return n
}

// LRSchedule is the learning-rate schedule of a run, in JSON-friendly form.
// Its zero value is a constant learning rate. With DecayRate r > 0, update k
// (k = 0, 1, ...) uses
//
//	lr_k = LR · r^(k / DecaySteps)
//
// BrainPy's smooth ExponentialDecay (optim.ExponentialDecay); DecaySteps 0
// means 1 (a factor r per step).
type LRSchedule struct {
	// DecayRate is r, in (0, 1]; 0 means no decay.
	DecayRate float64 `json:"decay_rate,omitempty"`
	// DecaySteps is the number of updates over which the rate falls by a
	// factor r; 0 means 1.
	DecaySteps float64 `json:"decay_steps,omitempty"`
}

// IsZero reports the constant schedule.
func (s LRSchedule) IsZero() bool { return s == LRSchedule{} }

// Schedule returns the optim.Schedule of the run with base learning rate
// lr: optim.Constant(lr) for the zero LRSchedule, else
// optim.Exponential(lr, DecaySteps, DecayRate).
func (s LRSchedule) Schedule(lr float64) optim.Schedule {
	if s.DecayRate == 0 {
		return optim.Constant(lr)
	}
	steps := s.DecaySteps
	if steps == 0 {
		steps = 1
	}
	return optim.Exponential(lr, steps, s.DecayRate)
}

// Validate reports a schedule that cannot work, in one line.
func (s LRSchedule) Validate() error {
	switch {
	case !(s.DecayRate >= 0 && s.DecayRate <= 1):
		return fmt.Errorf("training: lr decay rate must be in (0, 1], got %v", s.DecayRate)
	case !(s.DecaySteps >= 0) || math.IsInf(s.DecaySteps, 0):
		return fmt.Errorf("training: lr decay steps must be a finite number > 0, got %v", s.DecaySteps)
	case s.DecayRate == 0 && s.DecaySteps != 0:
		return fmt.Errorf("training: lr decay steps %v given without a decay rate", s.DecaySteps)
	}
	return nil
}
