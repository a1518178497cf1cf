package models

// The CPU fixed-point evaluator of the gated cells (those that implement
// gatedCell: GRU, LSTM, UGRNN): the residuals and the gradient of the
// speed, which the gradient method evaluates thousands of times, and the
// Jacobians, in plain Go with gonum's Sgemm. Each cell's gatedKernel (in
// its cell file) gives the per-point arithmetic; this file the products.
//
// # Equations
//
// With gi = u W_ih + b_i and gh = h W_hh + b_h (G = k·H values each; b_i
// and b_h are b_ih and b_hh, or b_ih + b_hh and 0 when the cell has its
// hidden bias on the input side), the cell's map is F(s) and, for a
// cotangent v, its kernel's vjp gives the cotangents dgh, dgi and a direct
// part ds with
//
//	Jᵀv = ds + [dgh W_hhᵀ, 0],   (∂F/∂u)ᵀv = dgi W_ihᵀ.
//
// The residual is r = s − F(s), the speed mean r² and its gradient
// (2/S)(r − Jᵀr); row a of a Jacobian is the vector-Jacobian product with
// the unit vector e_a.

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"gonum.org/v1/gonum/blas"
)

// gatedChunk is the number of points processed together.
const gatedChunk = 128

// GatedEvaluator is the fixed-point evaluator of a gated cell's network on
// the CPU: Residuals, SpeedGrad, Jacobians and InputJacobians in plain Go
// (the equations above), tested against GoMLX autodiff of Params.CellFunc.
// It is a Discrete map of StateSize states. Like every evaluator it is not
// safe for concurrent use.
type GatedEvaluator struct {
	k            gatedKernel
	h, s, in, gw int       // hidden units, state size, inputs, gate width G
	wih, whh     []float32 // (I, G) and (H, G), row-major
	bi, bh       []float32 // input-side and hidden-side biases (G)
	// scratch, one chunk
	gi, gh, e []float32
}

var _ fixedpoints.InputJacobianEvaluator = (*GatedEvaluator)(nil)

// NewGatedEvaluator returns the CPU evaluator of the network p of a gated
// cell; other cells are an error. The weights are copied.
func NewGatedEvaluator(p *Params) (*GatedEvaluator, error) {
	if p == nil {
		return nil, fmt.Errorf("models: NewGatedEvaluator: nil network")
	}
	if err := p.Config.Validate(); err != nil {
		return nil, err
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
	}
	gc, ok := p.cell().(gatedCell)
	if !ok {
		return nil, fmt.Errorf("models: the gated fixed-point evaluator is for the gated cells, not %s", p.Describe())
	}
	q := p.Clone()
	k := gc.gatedKernel()
	e := &GatedEvaluator{k: k, h: q.NumHidden, s: q.StateSize(), in: q.NumInput,
		wih: q.Values[0], whh: q.Values[1], bi: q.Values[2], bh: q.Values[3]}
	e.gw = len(e.bi)
	if k.biasOnInput() { // one bias: b_ih + b_hh, on the input side
		for j, v := range e.bh {
			e.bi[j] += v
		}
		e.bh = make([]float32, e.gw)
	}
	e.gi = make([]float32, gatedChunk*e.gw)
	e.gh = make([]float32, gatedChunk*e.gw)
	e.e = make([]float32, gatedChunk*e.gw)
	return e, nil
}

// Kind implements fixedpoints.Evaluator: the cell is a Discrete map.
func (e *GatedEvaluator) Kind() fixedpoints.Kind { return fixedpoints.Discrete }

// StateDim implements fixedpoints.Evaluator (Config.StateSize).
func (e *GatedEvaluator) StateDim() int { return e.s }

// InputDim implements fixedpoints.Evaluator (the number of inputs).
func (e *GatedEvaluator) InputDim() int { return e.in }

// check validates x and u and returns the number of points.
func (e *GatedEvaluator) check(x, u []float32) (int, error) {
	if len(x) == 0 || len(x)%e.s != 0 {
		return 0, fmt.Errorf("fixedpoints: %d state values is not a positive multiple of the state size %d", len(x), e.s)
	}
	n := len(x) / e.s
	if len(u) != e.in && len(u) != n*e.in {
		return 0, fmt.Errorf("fixedpoints: %d input values: want %d (shared) or %d×%d (one per point)", len(u), e.in, n, e.in)
	}
	return n, nil
}

// forward fills e.gi (u W_ih + b_i) and e.gh (h W_hh + b_h) for points
// [lo, hi).
func (e *GatedEvaluator) forward(x, u []float32, lo, hi int) {
	m, G, H, S, I := hi-lo, e.gw, e.h, e.s, e.in
	gi, gh := e.gi[:m*G], e.gh[:m*G]
	for i := 0; i < m; i++ {
		copy(gi[i*G:(i+1)*G], e.bi)
		copy(gh[i*G:(i+1)*G], e.bh)
	}
	if len(u) == I {
		row := gi[:G]
		for k, uk := range u {
			for j, w := range e.wih[k*G : (k+1)*G] {
				row[j] += uk * w
			}
		}
		for i := 1; i < m; i++ {
			copy(gi[i*G:(i+1)*G], row)
		}
	} else {
		gemm.Sgemm(blas.NoTrans, blas.NoTrans, m, G, I, 1, u[lo*I:hi*I], I, e.wih, G, 1, gi, G)
	}
	// h is the first H values of each state (lda = S).
	gemm.Sgemm(blas.NoTrans, blas.NoTrans, m, G, H, 1, x[lo*S:], S, e.whh, G, 1, gh, G)
}

// Residuals implements fixedpoints.Evaluator: r = s − F(u, s).
func (e *GatedEvaluator) Residuals(x, u, r []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	if len(r) != n*e.s {
		return fmt.Errorf("fixedpoints: residual buffer has %d values, want %d", len(r), n*e.s)
	}
	e.run(x, u, r, nil, nil)
	return nil
}

// SpeedGrad implements fixedpoints.Evaluator: speed_i = mean r_i² and
// ∂speed_i/∂s_i = (2/S)(r_i − J_iᵀ r_i).
func (e *GatedEvaluator) SpeedGrad(x, u, speed, grad []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	if len(speed) != n || len(grad) != n*e.s {
		return fmt.Errorf("fixedpoints: speed/grad buffers have %d and %d values, want %d and %d", len(speed), len(grad), n, n*e.s)
	}
	e.run(x, u, nil, speed, grad)
	return nil
}

// run computes the residuals into r (Residuals) or the speeds and
// gradients (SpeedGrad), chunk by chunk.
func (e *GatedEvaluator) run(x, u, r, speed, grad []float32) {
	n := len(x) / e.s
	S, H, G := e.s, e.h, e.gw
	res := make([]float32, S)
	for lo := 0; lo < n; lo += gatedChunk {
		hi := min(n, lo+gatedChunk)
		e.forward(x, u, lo, hi)
		m := hi - lo
		for i := 0; i < m; i++ {
			xi := x[(lo+i)*S : (lo+i+1)*S]
			gi, gh, d := e.gi[i*G:(i+1)*G], e.gh[i*G:(i+1)*G], e.e[i*G:(i+1)*G]
			out := res
			if r != nil {
				out = r[(lo+i)*S : (lo+i+1)*S]
			}
			var gout []float32
			if grad != nil {
				gout = grad[(lo+i)*S : (lo+i+1)*S]
			}
			e.k.point(xi, gi, gh, d, out, gout)
			if speed != nil {
				var sum float32
				for _, v := range out {
					sum += v * v
				}
				speed[lo+i] = sum / float32(S)
			}
		}
		if grad != nil {
			// grad −= d W_hhᵀ on the h part, then scale by 2/S.
			gemm.Sgemm(blas.NoTrans, blas.Trans, m, H, G, -1, e.e[:m*G], G, e.whh, G, 1, grad[lo*S:], S)
			sc := 2 / float32(S)
			for k := range grad[lo*S : hi*S] {
				grad[lo*S+k] *= sc
			}
		}
	}
}

// jacobians writes, for every point, J = ∂F/∂s (S×S, when jac is not nil)
// and ∂F/∂u (S×I, when ijac is not nil), row a from the vector-Jacobian
// product with the unit vector e_a.
func (e *GatedEvaluator) jacobians(x, u, jac, ijac []float32) {
	n := len(x) / e.s
	S, H, G, I := e.s, e.h, e.gw, e.in
	dgh, dgi := make([]float32, S*G), make([]float32, S*G)
	v := make([]float32, S)
	for lo := 0; lo < n; lo += gatedChunk {
		hi := min(n, lo+gatedChunk)
		e.forward(x, u, lo, hi)
		for i := 0; i < hi-lo; i++ {
			p := lo + i
			xi := x[p*S : (p+1)*S]
			gi, gh := e.gi[i*G:(i+1)*G], e.gh[i*G:(i+1)*G]
			var ji []float32
			if jac != nil {
				ji = jac[p*S*S : (p+1)*S*S]
			} else {
				ji = make([]float32, S*S)
			}
			for a := 0; a < S; a++ {
				v[a] = 1
				e.k.vjp(xi, gi, gh, v, dgh[a*G:(a+1)*G], dgi[a*G:(a+1)*G], ji[a*S:(a+1)*S])
				v[a] = 0
			}
			if jac != nil {
				gemm.Sgemm(blas.NoTrans, blas.Trans, S, H, G, 1, dgh, G, e.whh, G, 1, ji, S)
			}
			if ijac != nil {
				jo := ijac[p*S*I : (p+1)*S*I]
				gemm.Sgemm(blas.NoTrans, blas.Trans, S, I, G, 1, dgi, G, e.wih, G, 0, jo, I)
			}
		}
	}
}

// Jacobians implements fixedpoints.Evaluator in plain Go:
// jac[i][a][b] = ∂F_a/∂s_b at point i.
func (e *GatedEvaluator) Jacobians(x, u, jac []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	if len(jac) != n*e.s*e.s {
		return fmt.Errorf("fixedpoints: Jacobian buffer has %d values, want %d", len(jac), n*e.s*e.s)
	}
	e.jacobians(x, u, jac, nil)
	return nil
}

// InputJacobians implements fixedpoints.InputJacobianEvaluator in plain Go:
// jac[i][a][k] = ∂F_a/∂u_k at point i.
func (e *GatedEvaluator) InputJacobians(x, u, jac []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	if len(jac) != n*e.s*e.in {
		return fmt.Errorf("fixedpoints: input Jacobian buffer has %d values, want %d", len(jac), n*e.s*e.in)
	}
	e.jacobians(x, u, nil, jac)
	return nil
}
