package analysis

// A CPU fast path for the fixed-point analysis of the gated cells (GRU and
// LSTM): the residuals and the gradient of the speed, which the gradient
// method evaluates thousands of times, and the Jacobians, in plain Go with
// gonum's Sgemm.
//
// # GRU (PyTorch's nn.GRU)
//
// With g_i = u W_ih + b_ih and g_h = h W_hh + b_hh (3H each, gates r, z, n):
//
//	r = σ(g_i,r + g_h,r),  z = σ(g_i,z + g_h,z),  n = tanh(g_i,n + r ⊙ g_h,n)
//	F(h) = (1 − z) ⊙ n + z ⊙ h
//
// and the vector-Jacobian product Jᵀv (J = ∂F/∂h) is
//
//	a_n = v ⊙ (1 − z) ⊙ (1 − n²),  a_z = v ⊙ (h − n) ⊙ z (1 − z),
//	a_r = a_n ⊙ g_h,n ⊙ r (1 − r)
//	Jᵀv = v ⊙ z + [a_r, a_z, a_n ⊙ r] W_hhᵀ.
//
// # LSTM (PyTorch's nn.LSTM), state (h, c)
//
// With g = u W_ih + b_ih + b_hh + h W_hh (4H, gates i, f, g, o):
//
//	c' = σ(g_f) ⊙ c + σ(g_i) ⊙ tanh(g_g),  h' = σ(g_o) ⊙ tanh(c')
//
// and for v = (v_h, v_c), with t = tanh(c'):
//
//	δc = v_c + v_h ⊙ o ⊙ (1 − t²)
//	d = [δc ⊙ gg ⊙ i(1−i), δc ⊙ c ⊙ f(1−f), δc ⊙ i ⊙ (1−gg²), v_h ⊙ t ⊙ o(1−o)]
//	Jᵀv = (d W_hhᵀ, δc ⊙ f).
//
// In both, r = s − F(s), speed = mean r² and ∂speed/∂s = (2/S)(r − Jᵀr).

import (
	"fmt"
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// gatedChunk is the number of points processed together.
const gatedChunk = 128

// GatedEvaluator is the fixed-point evaluator of a GRU or LSTM on the CPU:
// Residuals, SpeedGrad, Jacobians and InputJacobians in plain Go (the
// equations above; a Jacobian's row a is the vector-Jacobian product with
// the unit vector e_a). The embedded GraphEvaluator, GoMLX autodiff of
// Params.CellFunc, is the reference it is tested against. It is a Discrete
// map of StateSize states.
type GatedEvaluator struct {
	*fixedpoints.GraphEvaluator
	lstm         bool
	h, s, in, gw int       // hidden units, state size, inputs, gate width (3H or 4H)
	wih, whh     []float32 // (I, G) and (H, G), row-major
	bi, bh       []float32 // input-side and hidden-side biases (G)
	// scratch, one chunk
	gi, gh, e []float32
}

// NewGatedEvaluator returns the CPU evaluator of the GRU or LSTM p; graph
// is the GoMLX evaluator of the same map (for the Jacobians). The weights
// are copied.
func NewGatedEvaluator(p *models.Params, graph *fixedpoints.GraphEvaluator) (*GatedEvaluator, error) {
	if p == nil || graph == nil {
		return nil, fmt.Errorf("analysis: NewGatedEvaluator: nil network or graph evaluator")
	}
	cell := p.CellName()
	if cell != models.CellGRU && cell != models.CellLSTM {
		return nil, fmt.Errorf("analysis: the gated fixed-point evaluator is for gru and lstm, not %s", p.Describe())
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
	}
	if graph.StateDim() != p.StateSize() || graph.InputDim() != p.NumInput || graph.Kind() != fixedpoints.Discrete {
		return nil, fmt.Errorf("analysis: graph evaluator of D=%d I=%d, network of %d states and %d inputs", graph.StateDim(), graph.InputDim(), p.StateSize(), p.NumInput)
	}
	q := p.Clone()
	H := q.NumHidden
	e := &GatedEvaluator{GraphEvaluator: graph, lstm: cell == models.CellLSTM, h: H, s: q.StateSize(), in: q.NumInput,
		wih: q.Values[0], whh: q.Values[1], bi: q.Values[2], bh: q.Values[3]}
	e.gw = len(e.bi)
	if e.lstm { // one bias: b_ih + b_hh, on the input side
		e.bi = append([]float32(nil), e.bi...)
		for k, v := range e.bh {
			e.bi[k] += v
		}
		e.bh = make([]float32, e.gw)
	}
	e.gi = make([]float32, gatedChunk*e.gw)
	e.gh = make([]float32, gatedChunk*e.gw)
	e.e = make([]float32, gatedChunk*e.gw)
	return e, nil
}

var blas32 gonum.Implementation

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
		blas32.Sgemm(blas.NoTrans, blas.NoTrans, m, G, I, 1, u[lo*I:hi*I], I, e.wih, G, 1, gi, G)
	}
	// h is the first H values of each state (lda = S).
	blas32.Sgemm(blas.NoTrans, blas.NoTrans, m, G, H, 1, x[lo*S:], S, e.whh, G, 1, gh, G)
}

func sigm(v float32) float32   { return float32(1 / (1 + math.Exp(-float64(v)))) }
func tanh32(v float32) float32 { return float32(math.Tanh(float64(v))) }

// Residuals implements fixedpoints.Evaluator: r = s − F(u, s).
func (e *GatedEvaluator) Residuals(x, u, r []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	if len(r) != n*e.s {
		return fmt.Errorf("fixedpoints: residual buffer has %d values, want %d", len(r), n*e.s)
	}
	return e.run(x, u, r, nil, nil)
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
	return e.run(x, u, nil, speed, grad)
}

// run computes the residuals into r (Residuals) or the speeds and
// gradients (SpeedGrad), chunk by chunk.
func (e *GatedEvaluator) run(x, u, r, speed, grad []float32) error {
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
			if e.lstm {
				e.lstmPoint(xi, gi, gh, d, out, gout)
			} else {
				e.gruPoint(xi, gi, gh, d, out, gout)
			}
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
			blas32.Sgemm(blas.NoTrans, blas.Trans, m, H, G, -1, e.e[:m*G], G, e.whh, G, 1, grad[lo*S:], S)
			sc := 2 / float32(S)
			for k := range grad[lo*S : hi*S] {
				grad[lo*S+k] *= sc
			}
		}
	}
	return nil
}

// gruPoint writes the residual of one GRU point into out and, when gout is
// not nil, r − v ⊙ z into gout (v = r) and the gate cotangents into d, whose
// product with W_hhᵀ run subtracts.
func (e *GatedEvaluator) gruPoint(h, gi, gh, d, out, gout []float32) {
	H := e.h
	for j := 0; j < H; j++ {
		rg := sigm(gi[j] + gh[j])
		z := sigm(gi[H+j] + gh[H+j])
		nn := tanh32(gi[2*H+j] + rg*gh[2*H+j])
		f := (1-z)*nn + z*h[j]
		v := h[j] - f
		out[j] = v
		if gout == nil {
			continue
		}
		an := v * (1 - z) * (1 - nn*nn)
		d[j] = an * gh[2*H+j] * rg * (1 - rg)
		d[H+j] = v * (h[j] - nn) * z * (1 - z)
		d[2*H+j] = an * rg
		gout[j] = v - v*z
	}
}

// lstmPoint is gruPoint for one LSTM point (h then c).
func (e *GatedEvaluator) lstmPoint(s, gi, gh, d, out, gout []float32) {
	H := e.h
	for j := 0; j < H; j++ {
		g0, g1, g2, g3 := gi[j]+gh[j], gi[H+j]+gh[H+j], gi[2*H+j]+gh[2*H+j], gi[3*H+j]+gh[3*H+j]
		ig, fg, gg, og := sigm(g0), sigm(g1), tanh32(g2), sigm(g3)
		c := s[H+j]
		cn := fg*c + ig*gg
		t := tanh32(cn)
		hn := og * t
		vh, vc := s[j]-hn, c-cn
		out[j], out[H+j] = vh, vc
		if gout == nil {
			continue
		}
		dc := vc + vh*og*(1-t*t)
		d[j] = dc * gg * ig * (1 - ig)
		d[H+j] = dc * c * fg * (1 - fg)
		d[2*H+j] = dc * ig * (1 - gg*gg)
		d[3*H+j] = vh * t * og * (1 - og)
		gout[j] = vh
		gout[H+j] = vc - dc*fg
	}
}

// vjp writes the vector-Jacobian products of one point's map with the
// cotangent v (length S) at state s, given its gate pre-activations gi and
// gh: the cotangents of the hidden-side gates dgh and of the input-side
// gates dgi (length G each), and the direct part ds (length S) of Jᵀv, so
// that Jᵀv = ds + [dgh W_hhᵀ, 0] and (∂F/∂u)ᵀv = dgi W_ihᵀ.
func (e *GatedEvaluator) vjp(s, gi, gh, v, dgh, dgi, ds []float32) {
	H := e.h
	for j := 0; j < H; j++ {
		if !e.lstm {
			rg := sigm(gi[j] + gh[j])
			z := sigm(gi[H+j] + gh[H+j])
			nn := tanh32(gi[2*H+j] + rg*gh[2*H+j])
			an := v[j] * (1 - z) * (1 - nn*nn)
			dr := an * gh[2*H+j] * rg * (1 - rg)
			dz := v[j] * (s[j] - nn) * z * (1 - z)
			dgh[j], dgh[H+j], dgh[2*H+j] = dr, dz, an*rg
			dgi[j], dgi[H+j], dgi[2*H+j] = dr, dz, an
			ds[j] = v[j] * z
			continue
		}
		g0, g1, g2, g3 := gi[j]+gh[j], gi[H+j]+gh[H+j], gi[2*H+j]+gh[2*H+j], gi[3*H+j]+gh[3*H+j]
		ig, fg, gg, og := sigm(g0), sigm(g1), tanh32(g2), sigm(g3)
		c := s[H+j]
		t := tanh32(fg*c + ig*gg)
		dc := v[H+j] + v[j]*og*(1-t*t)
		dgh[j] = dc * gg * ig * (1 - ig)
		dgh[H+j] = dc * c * fg * (1 - fg)
		dgh[2*H+j] = dc * ig * (1 - gg*gg)
		dgh[3*H+j] = v[j] * t * og * (1 - og)
		ds[j], ds[H+j] = 0, dc*fg
	}
	if e.lstm {
		copy(dgi, dgh)
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
				e.vjp(xi, gi, gh, v, dgh[a*G:(a+1)*G], dgi[a*G:(a+1)*G], ji[a*S:(a+1)*S])
				v[a] = 0
			}
			if jac != nil {
				blas32.Sgemm(blas.NoTrans, blas.Trans, S, H, G, 1, dgh, G, e.whh, G, 1, ji, S)
			}
			if ijac != nil {
				jo := ijac[p*S*I : (p+1)*S*I]
				blas32.Sgemm(blas.NoTrans, blas.Trans, S, I, G, 1, dgi, G, e.wih, G, 0, jo, I)
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
