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
//     hand-written kernel (CTRNNEvaluator);
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
		return NewCTRNNEvaluator(p)
	case cpu && engine == models.EngineCPU && !hasGatedPath(p.Config):
		return nil, fmt.Errorf("analysis: no cpu fixed-point kernel for %s (relu ctrnn, gru and lstm have one); use the gomlx evaluator (engine auto or gomlx)", p.Describe())
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

// CTRNNEvaluator is the hand-written CPU evaluator of the relu CTRNN
// (models.CTRNNEvaluator, whose methods it has) with the input Jacobians of
// the cell. With z = (1−α) h + α (u W_ir + h W_rr + b_rr) and
// F(u, h) = relu(z),
//
//	∂F_a/∂u_k = 1[z_a > 0] · α W_ir[k][a]     (J_u = α diag(relu'(z)) W_irᵀ)
//
// in the layout of the recurrent Jacobians, row-major D×I per point (the
// mask 1[z_a > 0] is the one of models.CTRNNEvaluator.Jacobians).
type CTRNNEvaluator struct {
	*models.CTRNNEvaluator
	d, in int
	alpha float32
	wir   []float32 // W_ir, I×D (in, out)
	wrr   []float32 // W_rr, D×D (in, out)
	brr   []float32 // b_rr, D
}

// NewCTRNNEvaluator returns the CPU evaluator of the relu CTRNN p (an error
// for any other cell). The weights are copied: later changes to p are not
// seen.
func NewCTRNNEvaluator(p *models.Params) (*CTRNNEvaluator, error) {
	k, err := models.NewCTRNNEvaluator(p)
	if err != nil {
		return nil, err
	}
	q := p.Clone()
	return &CTRNNEvaluator{CTRNNEvaluator: k, d: q.NumHidden, in: q.NumInput, alpha: float32(q.Alpha()),
		wir: q.Values[0], wrr: q.Values[1], brr: q.Values[2]}, nil
}

// InputJacobians implements fixedpoints.InputJacobianEvaluator:
// jac[i][a][k] = 1[z_a > 0] α W_ir[k][a] at point i (x is n×D, u is I
// values shared by all points or n×I, jac is n×D×I).
func (e *CTRNNEvaluator) InputJacobians(x, u, jac []float32) error {
	d, in := e.d, e.in
	if len(x) == 0 || len(x)%d != 0 {
		return fmt.Errorf("fixedpoints: %d state values is not a positive multiple of the state size %d", len(x), d)
	}
	n := len(x) / d
	if len(u) != in && len(u) != n*in {
		return fmt.Errorf("fixedpoints: %d input values: want %d (shared) or %d×%d (one per point)", len(u), in, n, in)
	}
	if len(jac) != n*d*in {
		return fmt.Errorf("fixedpoints: input Jacobian buffer has %d values, want %d", len(jac), n*d*in)
	}
	a := e.alpha
	z := make([]float32, d)
	for i := 0; i < n; i++ {
		xi := x[i*d : (i+1)*d]
		ui := u
		if len(u) != in {
			ui = u[i*in : (i+1)*in]
		}
		// z = (1−α) h + α (u W_ir + h W_rr + b_rr)
		copy(z, e.brr)
		for k, uk := range ui {
			for c, w := range e.wir[k*d : (k+1)*d] {
				z[c] += uk * w
			}
		}
		for b, hb := range xi {
			if hb == 0 {
				continue
			}
			for c, w := range e.wrr[b*d : (b+1)*d] {
				z[c] += hb * w
			}
		}
		ji := jac[i*d*in : (i+1)*d*in]
		for c := range z {
			row := ji[c*in : (c+1)*in]
			if (1-a)*xi[c]+a*z[c] <= 0 {
				clear(row)
				continue
			}
			for k := range row {
				row[k] = a * e.wir[k*d+c]
			}
		}
	}
	return nil
}
