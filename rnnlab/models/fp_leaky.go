package models

// A hand-written fixed-point Evaluator for the leaky cell (CellLeaky): what
// GraphEvaluator computes with p.CellFunc(), on the CPU.
//
// # Equations
//
// For a state r (the rates) under a constant input u,
//
//	z = u W_ir + b_rr + r W_rr,   F(r) = (1-α) r + α f(z)
//	ρ = r - F(r) = α (r - f(z)),  speed = mean_d ρ_d²
//	J[a][b] = ∂F_a/∂r_b = (1-α) δ_ab + α f'(z_a) W_rr[b][a]
//	Jᵀv = (1-α) v + α (f'(z) ⊙ v) W_rrᵀ
//	∂speed/∂r = (2/D)(ρ - Jᵀρ) = (2α/D)(ρ - (f'(z) ⊙ ρ) W_rrᵀ)
//	∂F_a/∂u_k = α f'(z_a) W_ir[k][a]
//
// # Kernels
//
// Points are processed in chunks of leakyFPChunk rows; z of a chunk is one
// matrix product (f32.MulAddFused) and so is (f'(z) ⊙ ρ) W_rrᵀ; f and f'
// come from activateDeriv (the training engine's). The chunks are split
// over GOMAXPROCS goroutines, each with its own scratch.

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/internal/f32"
)

// leakyFPChunk is the number of points a worker evaluates together.
const leakyFPChunk = 64

// LeakyEvaluator is the CPU fixed-point evaluator of a CellLeaky network,
// the Discrete map F(u, r) = (1-α) r + α f(u W_ir + b_rr + r W_rr) without
// noise (see the equations in fp_leaky.go). It gives the numbers of
// NewGraphEvaluator(b, p.CellFunc(), Discrete, H, I) to float32 rounding,
// with its Jacobians and input Jacobians.
//
// The weights are copied at construction. Like every Evaluator it is not
// safe for concurrent use; one call may use several goroutines.
type LeakyEvaluator struct {
	d, in int
	alpha float32
	act   int
	wrr   []float32 // W_rr, (D, D) row-major (in, out)
	wrrT  []float32 // W_rrᵀ
	wir   []float32 // W_ir, (I, D)
	b     []float32 // b_rr
	work  []*leakyFPWork
}

// leakyFPWork is one goroutine's scratch: z (then f'(z)) and f(z) of a
// chunk.
type leakyFPWork struct{ z, f []float32 }

var _ fixedpoints.InputJacobianEvaluator = (*LeakyEvaluator)(nil)

// NewLeakyEvaluator returns the CPU evaluator of the leaky network p.
func NewLeakyEvaluator(p *Params) (*LeakyEvaluator, error) {
	if p == nil {
		return nil, fmt.Errorf("models: NewLeakyEvaluator: nil network")
	}
	if err := p.Config.Validate(); err != nil {
		return nil, err
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
	}
	if !isLeaky(p.Config) {
		return nil, fmt.Errorf("models: the leaky fixed-point evaluator needs a %s network, not %s", CellLeaky, p.Describe())
	}
	D := p.NumHidden
	q := p.Clone()
	e := &LeakyEvaluator{d: D, in: p.NumInput, alpha: float32(p.Alpha()), act: actKind(p.ActivationName()),
		wrr: q.Values[1], wrrT: make([]float32, D*D), wir: q.Values[0], b: q.Values[2]}
	transpose(e.wrrT, e.wrr, D, D)
	return e, nil
}

// Kind implements Evaluator: the cell is a Discrete map.
func (e *LeakyEvaluator) Kind() fixedpoints.Kind { return fixedpoints.Discrete }

// StateDim implements Evaluator (the number of hidden units).
func (e *LeakyEvaluator) StateDim() int { return e.d }

// InputDim implements Evaluator.
func (e *LeakyEvaluator) InputDim() int { return e.in }

// check validates x and u and returns the number of points.
func (e *LeakyEvaluator) check(x, u []float32) (int, error) {
	if len(x) == 0 || len(x)%e.d != 0 {
		return 0, fmt.Errorf("fixedpoints: %d state values is not a positive multiple of the state size %d", len(x), e.d)
	}
	n := len(x) / e.d
	if len(u) != e.in && len(u) != n*e.in {
		return 0, fmt.Errorf("fixedpoints: %d input values: want %d (shared) or %d×%d (one per point)", len(u), e.in, n, e.in)
	}
	return n, nil
}

// each runs fn on every chunk [lo, hi) of n points, with the chunk's f(z)
// in w.f and f'(z) in w.z, split over the workers.
func (e *LeakyEvaluator) each(x, u []float32, n int, fn func(w *leakyFPWork, lo, hi int)) {
	chunks := (n + leakyFPChunk - 1) / leakyFPChunk
	nw := min(runtime.GOMAXPROCS(0), chunks)
	for len(e.work) < nw {
		e.work = append(e.work, &leakyFPWork{z: make([]float32, leakyFPChunk*e.d), f: make([]float32, leakyFPChunk*e.d)})
	}
	var wg sync.WaitGroup
	for k := range nw {
		w := e.work[k]
		wg.Go(func() {
			for c := k; c < chunks; c += nw {
				lo, hi := c*leakyFPChunk, min((c+1)*leakyFPChunk, n)
				e.pre(w, x, u, lo, hi)
				fn(w, lo, hi)
			}
		})
	}
	wg.Wait()
}

// pre sets w.f = f(z) and w.z = f'(z) for points [lo, hi), z = u W_ir +
// b_rr + r W_rr.
func (e *LeakyEvaluator) pre(w *leakyFPWork, x, u []float32, lo, hi int) {
	D, I, m := e.d, e.in, hi-lo
	z := w.z[:m*D]
	for i := range m {
		copy(z[i*D:(i+1)*D], e.b)
	}
	if len(u) == I {
		f32.AccumRows(z[:D], u, e.wir, D)
		for i := 1; i < m; i++ {
			copy(z[i*D:(i+1)*D], z[:D])
		}
	} else {
		f32.MulAddFused(m, D, I, u[lo*I:hi*I], I, e.wir, D, z, D)
	}
	f32.MulAddFused(m, D, D, x[lo*D:hi*D], D, e.wrr, D, z, D)
	activateDeriv(e.act, z, w.f[:m*D])
}

// Residuals implements Evaluator: ρ = r − F(u, r) = α (r − f(z)).
func (e *LeakyEvaluator) Residuals(x, u, res []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	if len(res) != n*e.d {
		return fmt.Errorf("fixedpoints: residual buffer has %d values, want %d", len(res), n*e.d)
	}
	e.each(x, u, n, func(w *leakyFPWork, lo, hi int) {
		D := e.d
		for j, f := range w.f[:(hi-lo)*D] {
			res[lo*D+j] = e.alpha * (x[lo*D+j] - f)
		}
	})
	return nil
}

// SpeedGrad implements Evaluator: speed_i = mean_d ρ_id² and the gradient
// of Σ_i speed_i, (2α/D)(ρ_i − (f'(z_i) ⊙ ρ_i) W_rrᵀ).
func (e *LeakyEvaluator) SpeedGrad(x, u, speed, grad []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	if len(speed) != n || len(grad) != n*e.d {
		return fmt.Errorf("fixedpoints: speed/grad buffers have %d and %d values, want %d and %d", len(speed), len(grad), n, n*e.d)
	}
	e.each(x, u, n, func(w *leakyFPWork, lo, hi int) {
		D, m := e.d, hi-lo
		a := e.alpha
		c := 2 * a / float32(D)
		g := grad[lo*D : hi*D]
		// g = c ρ, w.z = -c f'(z) ⊙ ρ; then g += w.z W_rrᵀ.
		for i := range m {
			var s float64
			for j := i * D; j < (i+1)*D; j++ {
				r := a * (x[lo*D+j] - w.f[j])
				s += float64(r) * float64(r)
				g[j] = c * r
				w.z[j] *= -c * r
			}
			speed[lo+i] = float32(s / float64(D))
		}
		f32.MulAddFused(m, D, D, w.z[:m*D], D, e.wrrT, D, g, D)
	})
	return nil
}

// Jacobians implements Evaluator: jac[i][a][b] = ∂F_a/∂r_b =
// (1−α) δ_ab + α f'(z_a) W_rr[b][a].
func (e *LeakyEvaluator) Jacobians(x, u, jac []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	D := e.d
	if len(jac) != n*D*D {
		return fmt.Errorf("fixedpoints: Jacobian buffer has %d values, want %d", len(jac), n*D*D)
	}
	e.each(x, u, n, func(w *leakyFPWork, lo, hi int) {
		for i := range hi - lo {
			ji := jac[(lo+i)*D*D : (lo+i+1)*D*D]
			for a, d := range w.z[i*D : (i+1)*D] {
				row := ji[a*D : (a+1)*D]
				s := e.alpha * d
				for b, v := range e.wrrT[a*D : (a+1)*D] {
					row[b] = s * v
				}
				row[a] += 1 - e.alpha
			}
		}
	})
	return nil
}

// InputJacobians implements fixedpoints.InputJacobianEvaluator:
// jac[i][a][k] = ∂F_a/∂u_k = α f'(z_a) W_ir[k][a], row-major D×I per point.
func (e *LeakyEvaluator) InputJacobians(x, u, jac []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	D, I := e.d, e.in
	if len(jac) != n*D*I {
		return fmt.Errorf("fixedpoints: input Jacobian buffer has %d values, want %d", len(jac), n*D*I)
	}
	e.each(x, u, n, func(w *leakyFPWork, lo, hi int) {
		for i := range hi - lo {
			ji := jac[(lo+i)*D*I : (lo+i+1)*D*I]
			for a, d := range w.z[i*D : (i+1)*D] {
				s := e.alpha * d
				for k := range I {
					ji[a*I+k] = s * e.wir[k*D+a]
				}
			}
		}
	})
	return nil
}
