package fixedpoints

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/finite"
)

// Finder searches for fixed points of the map behind an Evaluator.
type Finder struct {
	Eval    Evaluator
	Options Options
}

// NewFinder checks the options and returns a Finder.
func NewFinder(ev Evaluator, opts Options) (*Finder, error) {
	if ev == nil {
		return nil, fmt.Errorf("fixedpoints: nil evaluator")
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return &Finder{Eval: ev, Options: opts}, nil
}

func (f *Finder) logf(format string, args ...any) {
	if f.Options.Log != nil {
		fmt.Fprintf(f.Options.Log, format, args...)
	}
}

// checkInputs validates candidates (n×D) and the input (I or n×I).
func checkInputs(ev Evaluator, candidates, u []float32) (int, error) {
	d, in := ev.StateDim(), ev.InputDim()
	if len(candidates) == 0 {
		return 0, fmt.Errorf("fixedpoints: empty candidate set")
	}
	if len(candidates)%d != 0 {
		return 0, fmt.Errorf("fixedpoints: %d candidate values is not a multiple of the state size %d", len(candidates), d)
	}
	n := len(candidates) / d
	if len(u) != in && len(u) != n*in {
		return 0, fmt.Errorf("fixedpoints: %d input values: want %d (shared) or %d×%d (one per candidate)", len(u), in, n, in)
	}
	if err := finite.Check("candidates", []int{n, d}, candidates); err != nil {
		return 0, fmt.Errorf("fixedpoints: %w", err)
	}
	if err := finite.Check("input", nil, u); err != nil {
		return 0, fmt.Errorf("fixedpoints: %w", err)
	}
	return n, nil
}

// finite32 reports whether every value of xs is finite.
func finite32(xs []float32) bool { return finite.Index(xs) < 0 }

// Find runs the gradient method (Adam) from the candidates (row-major n×D)
// with input u (I values shared by all candidates, or n×I). It returns every
// point that did not diverge, with Speed and Q evaluated at the returned
// points, and the loss history.
//
// One iteration evaluates the per-point speeds and the gradient at the
// current points, records the objective (mean speed, or mean q with
// Objective MeanQ) and applies one Adam update with learning rate
// LR.Rate(k). A point whose value or residual becomes NaN/Inf is frozen,
// excluded from the objective and reported in Diverged.
func (f *Finder) Find(candidates, u []float32) (*FixedPoints, error) {
	ev, o := f.Eval, f.Options
	if err := o.Validate(); err != nil {
		return nil, err
	}
	n, err := checkInputs(ev, candidates, u)
	if err != nil {
		return nil, err
	}
	d := ev.StateDim()
	x := append([]float32(nil), candidates...)
	m := make([]float32, len(x))
	v := make([]float32, len(x))
	grad := make([]float32, len(x))
	speed := make([]float32, n)
	qPrev := make([]float64, n)
	dead := make([]bool, n)
	var losses []float64
	qScale := float64(d) / 2

	f.logf("Optimizing with %v to find fixed points:\n", o.Adam)
	start := time.Now()
	batchStart := 0
	for k := 0; k < o.MaxIters; k++ {
		if err := ev.SpeedGrad(x, u, speed, grad); err != nil {
			return nil, err
		}
		// Objective over live points; freeze points that went non-finite.
		sum, live := f.checkPoints(speed, dead)
		if live == 0 {
			return nil, fmt.Errorf("fixedpoints: every candidate diverged (NaN/Inf) at iteration %d", k)
		}
		loss := sum / float64(live)
		if o.Objective == MeanQ {
			loss *= qScale
		}
		losses = append(losses, loss)
		lr := o.Adam.LR.Rate(k)

		if o.Stop == StopPerPoint || o.Stop == StopEither {
			if k > 0 {
				all := true
				for i := 0; i < n && all; i++ {
					if dead[i] {
						continue
					}
					q := qScale * float64(speed[i])
					if !(q < o.TolQ || math.Abs(q-qPrev[i]) < o.TolDQ*lr) {
						all = false
					}
				}
				if all {
					f.logf("    Stop optimization at iteration %d: every point has q < %g or |dq| < %g·lr.\n", k, o.TolQ, o.TolDQ)
					break
				}
			}
			for i := 0; i < n; i++ {
				qPrev[i] = qScale * float64(speed[i])
			}
		}

		// Adam update.
		gScale := 1 / float64(live)
		if o.Objective == MeanQ {
			gScale *= qScale
		}
		step := o.Adam.At(k+1, gScale)
		parallel(n, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				if !dead[i] {
					step.Apply(x[i*d:(i+1)*d], m[i*d:(i+1)*d], v[i*d:(i+1)*d], grad[i*d:(i+1)*d])
				}
			}
		})

		if (k+1)%o.NumBatch == 0 || k+1 == o.MaxIters {
			f.logf("    Batches %d-%d in %.2f sec, Training loss %.10f\n", batchStart+1, k+1, time.Since(start).Seconds(), loss)
			start, batchStart = time.Now(), k+1
			if (o.Stop == StopMeanSpeed || o.Stop == StopEither) && loss < o.Tolerance {
				f.logf("    Stop optimization as mean training loss %.10f is below tolerance %.10f.\n", loss, o.Tolerance)
				break
			}
		}
	}
	fp, err := f.collect(x, u, n, dead)
	if err != nil {
		return nil, err
	}
	fp.Init = candidates
	fp.Losses = losses
	fp.Iters = len(losses)
	return fp, nil
}

// collect evaluates the residuals at x and builds the result, dropping
// diverged points.
func (f *Finder) collect(x, u []float32, n int, dead []bool) (*FixedPoints, error) {
	ev := f.Eval
	d := ev.StateDim()
	r := make([]float32, len(x))
	if err := ev.Residuals(x, u, r); err != nil {
		return nil, err
	}
	fp := &FixedPoints{Kind: ev.Kind(), D: d, I: ev.InputDim(), Log: f.Options.Log}
	shared := len(u) == ev.InputDim()
	if shared {
		fp.U = append([]float32(nil), u...)
	}
	for i := 0; i < n; i++ {
		s := 0.0
		for _, ri := range r[i*d : (i+1)*d] {
			s += float64(ri) * float64(ri)
		}
		s /= float64(d)
		if dead[i] || math.IsNaN(s) || math.IsInf(s, 0) || s > f.Options.DivergeSpeed || !finite32(x[i*d:(i+1)*d]) {
			fp.Diverged = append(fp.Diverged, i)
			continue
		}
		fp.IDs = append(fp.IDs, i)
		fp.Speed = append(fp.Speed, s)
		fp.Q = append(fp.Q, s*float64(d)/2)
		for _, xi := range x[i*d : (i+1)*d] {
			fp.X = append(fp.X, float64(xi))
		}
		if !shared {
			fp.U = append(fp.U, u[i*ev.InputDim():(i+1)*ev.InputDim()]...)
		}
	}
	if len(fp.Diverged) > 0 {
		f.logf("    %d of %d points diverged and were dropped (ids %v).\n", len(fp.Diverged), n, head(fp.Diverged, 10))
	}
	fp.Stages = []Stage{{"optimized", fp.Len()}}
	return fp, nil
}

func head(s []int, k int) []int {
	if len(s) > k {
		return s[:k]
	}
	return s
}

// Jacobians returns dF/dh at the points x (row-major m×D, float64) with input
// u (I values or m×I), as m row-major D×D matrices: J[i][a*D+b] = ∂F_a/∂h_b.
func (f *Finder) Jacobians(x []float64, u []float32) ([][]float64, error) {
	d := f.Eval.StateDim()
	x32 := make([]float32, len(x))
	for i, v := range x {
		x32[i] = float32(v)
	}
	m, err := checkInputs(f.Eval, x32, u)
	if err != nil {
		return nil, err
	}
	jac := make([]float32, m*d*d)
	if err := f.Eval.Jacobians(x32, u, jac); err != nil {
		return nil, err
	}
	out := make([][]float64, m)
	for i := range out {
		out[i] = make([]float64, d*d)
		for k := range out[i] {
			out[i][k] = float64(jac[i*d*d+k])
		}
	}
	return out, nil
}

// InputJacobians returns dF/du at the points x (row-major m×D, float64)
// with input u (I values or m×I), as m row-major D×I matrices:
// J[i][a*I+k] = ∂F_a/∂u_k (see InputJacobianEvaluator). The evaluator must
// implement InputJacobianEvaluator.
func (f *Finder) InputJacobians(x []float64, u []float32) ([][]float64, error) {
	ie, ok := f.Eval.(InputJacobianEvaluator)
	if !ok {
		return nil, fmt.Errorf("fixedpoints: the evaluator %T has no input Jacobians", f.Eval)
	}
	d, in := f.Eval.StateDim(), f.Eval.InputDim()
	x32 := make([]float32, len(x))
	for i, v := range x {
		x32[i] = float32(v)
	}
	m, err := checkInputs(f.Eval, x32, u)
	if err != nil {
		return nil, err
	}
	jac := make([]float32, m*d*in)
	if err := ie.InputJacobians(x32, u, jac); err != nil {
		return nil, err
	}
	out := make([][]float64, m)
	for i := range out {
		out[i] = make([]float64, d*in)
		for k := range out[i] {
			out[i][k] = float64(jac[i*d*in+k])
		}
	}
	return out, nil
}

// HasInputJacobians reports whether the finder's evaluator gives input
// Jacobians (InputJacobians, PointInputJacobians).
func (f *Finder) HasInputJacobians() bool {
	_, ok := f.Eval.(InputJacobianEvaluator)
	return ok
}

// PointInputJacobians returns dF/du at every point of fp, row-major D×I
// each (none for an empty set).
func (f *Finder) PointInputJacobians(fp *FixedPoints) ([][]float64, error) {
	if fp.Len() == 0 {
		return nil, nil
	}
	return f.InputJacobians(fp.X, fp.U)
}

// PointJacobians returns dF/dh at every point of fp (none for an empty set).
func (f *Finder) PointJacobians(fp *FixedPoints) ([][]float64, error) {
	if fp.Len() == 0 {
		return nil, nil // no points, no Jacobians (Jacobians refuses an empty set of states)
	}
	return f.Jacobians(fp.X, fp.U)
}

// Decompose returns the eigen-decomposition of dF/dh at every point of fp,
// sorted by sortBy; see Decompose.
func (f *Finder) Decompose(fp *FixedPoints, sortBy SortBy, left bool) ([]*Eigen, error) {
	js, err := f.PointJacobians(fp)
	if err != nil {
		return nil, err
	}
	out := make([]*Eigen, len(js))
	for i, j := range js {
		if out[i], err = Decompose(j, fp.D, sortBy, left); err != nil {
			return nil, fmt.Errorf("point %d (candidate %d): %w", i, fp.IDs[i], err)
		}
	}
	return out, nil
}

// checkPoints marks as dead the live points whose speed is not finite and
// returns the sum of the live points' speeds and their number. (A point
// whose gradient or update is not finite has a non-finite speed at the next
// evaluation, so it is caught then, before it affects any other point.)
func (f *Finder) checkPoints(speed []float32, dead []bool) (float64, int) {
	sum, live := 0.0, 0
	for i, sp := range speed {
		if dead[i] {
			continue
		}
		s := float64(sp)
		if math.IsNaN(s) || math.IsInf(s, 0) {
			dead[i] = true
			continue
		}
		sum += s
		live++
	}
	return sum, live
}

// parallel runs fn over [0, n) in up to two contiguous chunks on separate
// goroutines (the work per point is independent, so the result does not
// depend on the split).
func parallel(n int, fn func(lo, hi int)) {
	w := min(runtime.GOMAXPROCS(0), 2)
	if w < 2 || n < 256 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	mid := n / 2
	wg.Add(1)
	go func() {
		defer wg.Done()
		fn(mid, n)
	}()
	fn(0, mid)
	wg.Wait()
}

// Evaluate returns the given points (row-major n×D) as a FixedPoints with
// their speeds and q evaluated, ids 0..n−1 and no search history: for
// refining or filtering points found elsewhere (a saved search, say). A
// point that is not finite is an error, as in Find.
func (f *Finder) Evaluate(x []float64, u []float32) (*FixedPoints, error) {
	x32 := make([]float32, len(x))
	for i, v := range x {
		x32[i] = float32(v)
	}
	n, err := checkInputs(f.Eval, x32, u)
	if err != nil {
		return nil, err
	}
	fp, err := f.collect(x32, u, n, make([]bool, n))
	if err != nil {
		return nil, err
	}
	fp.Init = x32
	return fp, nil
}
