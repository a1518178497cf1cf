package fixedpoints

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// NewtonOptions configures Refine.
type NewtonOptions struct {
	// MaxIters caps the Newton iterations per point (default 20).
	MaxIters int
	// Tol: a point is converged when max_d |r_d| ≤ Tol (default 1e-6; the
	// float32 graphs cannot do much better than ~1.2e-7·|x|, so states of
	// size 1..10 stall at a few 1e-7).
	Tol float64
	// MaxHalvings caps the step halvings of the damping line search
	// (default 30). A point whose residual cannot be reduced is "stalled":
	// it stays where it is (typically at float precision already).
	MaxHalvings int
}

// DefaultNewtonOptions returns MaxIters 20, Tol 1e-6, MaxHalvings 30.
func DefaultNewtonOptions() NewtonOptions {
	return NewtonOptions{MaxIters: 20, Tol: 1e-6, MaxHalvings: 30}
}

// NewtonReport summarises a Refine run, per point (same order as the input).
type NewtonReport struct {
	// Iters is the number of Newton steps taken by each point.
	Iters []int
	// Converged reports max|r| ≤ Tol at the end.
	Converged []bool
	// Before and After are max_d |r_d| before and after refinement.
	Before, After []float64
}

// NumConverged is the number of points that converged.
func (r *NewtonReport) NumConverged() int {
	n := 0
	for _, c := range r.Converged {
		if c {
			n++
		}
	}
	return n
}

// Refine polishes fixed points by Newton's method with the exact Jacobian:
// with A = dr/dh (I − J for Discrete, J for Continuous, J = dF/dh) each step
// solves A δ = r by LU and sets h ← h − s·δ, with s = 1 halved until the
// residual norm decreases (damping). When A is numerically singular (a
// perfect line attractor has an eigenvalue 1 of J) the step is the
// least-squares solution of the Tikhonov-regularised system
// (AᵀA + μI) δ = Aᵀr with μ = 1e-12·‖A‖²_F.
//
// Newton converges quadratically near a regular fixed point, and for a
// piecewise-linear (ReLU) map it is exact within a linear region: one step
// lands on the fixed point of the region's affine map. It does not find
// basins from far away; use Find (Adam) from the data cloud first, then
// Refine. Points whose residual grows to NaN/Inf are dropped and listed in
// Diverged.
func (f *Finder) Refine(fp *FixedPoints, no NewtonOptions) (*FixedPoints, *NewtonReport, error) {
	if no.MaxIters == 0 && no.Tol == 0 && no.MaxHalvings == 0 {
		no = DefaultNewtonOptions()
	}
	if no.MaxIters <= 0 || no.MaxHalvings < 0 || !finitePositive(no.Tol) {
		return nil, nil, fmt.Errorf("fixedpoints: Refine: need MaxIters > 0, MaxHalvings ≥ 0, Tol > 0; got %+v", no)
	}
	if fp == nil || fp.Len() == 0 {
		return nil, nil, fmt.Errorf("fixedpoints: Refine: no points")
	}
	ev := f.Eval
	d := ev.StateDim()
	if fp.D != d || fp.I != ev.InputDim() {
		return nil, nil, fmt.Errorf("fixedpoints: Refine: points are D=%d, I=%d, evaluator D=%d, I=%d", fp.D, fp.I, d, ev.InputDim())
	}
	m := fp.Len()
	x := make([]float32, m*d)
	for i, v := range fp.X {
		x[i] = float32(v)
	}
	if _, err := checkInputs(ev, x, fp.U); err != nil {
		return nil, nil, err
	}
	rep := &NewtonReport{Iters: make([]int, m), Converged: make([]bool, m), Before: make([]float64, m), After: make([]float64, m)}
	r := make([]float32, m*d)
	if err := ev.Residuals(x, fp.U, r); err != nil {
		return nil, nil, err
	}
	norm := func(r []float32, i int) float64 { // Euclidean norm of point i's residual
		s := 0.0
		for _, v := range r[i*d : (i+1)*d] {
			s += float64(v) * float64(v)
		}
		return math.Sqrt(s)
	}
	maxAbs := func(r []float32, i int) float64 {
		s := 0.0
		for _, v := range r[i*d : (i+1)*d] {
			s = math.Max(s, math.Abs(float64(v)))
		}
		if math.IsNaN(s) {
			return math.Inf(1)
		}
		return s
	}
	active := make([]bool, m)
	for i := 0; i < m; i++ {
		rep.Before[i] = maxAbs(r, i)
		active[i] = rep.Before[i] > no.Tol
	}
	jac := make([]float32, m*d*d)
	xt := make([]float32, m*d)
	rt := make([]float32, m*d)
	delta := make([]float64, m*d)
	step := make([]float64, m)
	for it := 0; it < no.MaxIters; it++ {
		if !anyTrue(active) {
			break
		}
		if err := ev.Jacobians(x, fp.U, jac); err != nil {
			return nil, nil, err
		}
		for i := 0; i < m; i++ {
			if !active[i] {
				continue
			}
			if err := newtonStep(jac[i*d*d:(i+1)*d*d], r[i*d:(i+1)*d], d, ev.Kind(), delta[i*d:(i+1)*d]); err != nil {
				active[i] = false // cannot step: keep the point as it is
				continue
			}
			step[i] = 1
		}
		pending := append([]bool(nil), active...)
		for h := 0; h <= no.MaxHalvings && anyTrue(pending); h++ {
			copy(xt, x)
			for i := 0; i < m; i++ {
				if pending[i] {
					for k := i * d; k < (i+1)*d; k++ {
						xt[k] = float32(float64(x[k]) - step[i]*delta[k])
					}
				}
			}
			if err := ev.Residuals(xt, fp.U, rt); err != nil {
				return nil, nil, err
			}
			for i := 0; i < m; i++ {
				if !pending[i] {
					continue
				}
				if nt := norm(rt, i); nt < norm(r, i) {
					copy(x[i*d:(i+1)*d], xt[i*d:(i+1)*d])
					copy(r[i*d:(i+1)*d], rt[i*d:(i+1)*d])
					rep.Iters[i]++
					pending[i] = false
				} else {
					step[i] /= 2
				}
			}
		}
		for i := 0; i < m; i++ {
			if pending[i] { // no decrease found: stalled
				active[i] = false
			}
			if active[i] && maxAbs(r, i) <= no.Tol {
				active[i] = false
			}
		}
	}
	out := &FixedPoints{Kind: fp.Kind, D: d, I: fp.I, Init: fp.Init, Losses: fp.Losses, Iters: fp.Iters,
		Diverged: append([]int(nil), fp.Diverged...), Log: fp.Log}
	shared := fp.SharedInput()
	if shared {
		out.U = fp.U
	}
	for i := 0; i < m; i++ {
		rep.After[i] = maxAbs(r, i)
		rep.Converged[i] = rep.After[i] <= no.Tol
		n2 := norm(r, i)
		s := n2 * n2 / float64(d)
		if math.IsNaN(s) || math.IsInf(s, 0) || !finite32(x[i*d:(i+1)*d]) {
			out.Diverged = append(out.Diverged, fp.IDs[i])
			continue
		}
		out.IDs = append(out.IDs, fp.IDs[i])
		out.Speed = append(out.Speed, s)
		out.Q = append(out.Q, s*float64(d)/2)
		for _, v := range x[i*d : (i+1)*d] {
			out.X = append(out.X, float64(v))
		}
		if !shared {
			out.U = append(out.U, fp.Input(i)...)
		}
	}
	out.Stages = append(append([]Stage(nil), fp.Stages...), Stage{"newton", out.Len()})
	return out, rep, nil
}

func anyTrue(b []bool) bool {
	for _, v := range b {
		if v {
			return true
		}
	}
	return false
}

// newtonStep solves A δ = r with A = I − J (Discrete) or J (Continuous).
func newtonStep(j []float32, r []float32, d int, kind Kind, delta []float64) error {
	a := mat.NewDense(d, d, nil)
	for p := 0; p < d; p++ {
		for q := 0; q < d; q++ {
			v := float64(j[p*d+q])
			if kind == Discrete {
				v = -v
				if p == q {
					v++
				}
			}
			a.Set(p, q, v)
		}
	}
	rv := make([]float64, d)
	for k := range rv {
		rv[k] = float64(r[k])
	}
	b := mat.NewVecDense(d, rv)
	dv := mat.NewVecDense(d, delta)
	var lu mat.LU
	lu.Factorize(a)
	if lu.Cond() < 1e12 {
		if err := lu.SolveVecTo(dv, false, b); err == nil {
			return nil
		}
	}
	// Regularised least squares for a (nearly) singular A.
	var ata mat.Dense
	ata.Mul(a.T(), a)
	mu := 1e-12 * mat.Norm(a, 2) * mat.Norm(a, 2)
	if mu == 0 {
		mu = 1e-12
	}
	for k := 0; k < d; k++ {
		ata.Set(k, k, ata.At(k, k)+mu)
	}
	var atb mat.VecDense
	atb.MulVec(a.T(), b)
	return dv.SolveVec(&ata, &atb)
}

// Exact runs Newton's method (Refine, with options no) from the points fp and
// returns the exact fixed points it reached: the points that converged
// (max_d |r_d| ≤ no.Tol), de-duplicated within unique (LowestQ rule, so the
// most exact of a cluster stays), with the report of the refinement.
//
// The converged points are matched to Refine's output by candidate id, not by
// position: Refine drops points that diverge, so positions in its output and
// in the report (which is indexed like fp) differ as soon as one diverges.
// unique must be > 0. No converged point gives an empty set, not an error.
func (f *Finder) Exact(fp *FixedPoints, no NewtonOptions, unique float64) (*FixedPoints, *NewtonReport, error) {
	ref, rep, err := f.Refine(fp, no)
	if err != nil {
		return nil, nil, err
	}
	converged := make(map[int]bool, fp.Len())
	for k, c := range rep.Converged {
		converged[fp.IDs[k]] = c
	}
	var keep []int
	for k, id := range ref.IDs {
		if converged[id] {
			keep = append(keep, k)
		}
	}
	exact, err := ref.Select(keep).KeepUnique(unique, LowestQ)
	if err != nil {
		return nil, nil, err
	}
	exact.Stages = append(exact.Stages[:len(exact.Stages):len(exact.Stages)], Stage{"exact", exact.Len()})
	return exact, rep, nil
}
