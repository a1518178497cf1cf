package fixedpoints

import (
	"bytes"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
	"gonum.org/v1/gonum/mat"
)

// linearProblem is F(u, h) = h·A + u·W + c with a contracting A.
type linearProblem struct {
	d, i    int
	a, w, c []float64
}

func newLinear(seed uint64, d, i int) linearProblem {
	rng := rand.New(rand.NewPCG(seed, 1))
	return linearProblem{d: d, i: i, a: randn(rng, d*d, 0.4/math.Sqrt(float64(d))), w: randn(rng, i*d, 1), c: randn(rng, d, 1)}
}

// solve returns x* with x* = x*·A + u·W + c, i.e. (I − Aᵀ) x* = Wᵀu + c.
func (p linearProblem) solve(u []float64) []float64 {
	m := mat.NewDense(p.d, p.d, nil)
	rhs := make([]float64, p.d)
	for a := 0; a < p.d; a++ {
		for b := 0; b < p.d; b++ {
			v := -p.a[b*p.d+a]
			if a == b {
				v++
			}
			m.Set(a, b, v)
		}
		rhs[a] = p.c[a]
		for k := 0; k < p.i; k++ {
			rhs[a] += u[k] * p.w[k*p.d+a]
		}
	}
	var x mat.VecDense
	if err := x.SolveVec(m, mat.NewVecDense(p.d, rhs)); err != nil {
		panic(err)
	}
	return x.RawVector().Data
}

func quietOptions() Options {
	o := BrainPyOptions()
	o.Adam.LR = optim.Exponential(0.05, 1, 0.999)
	o.MaxIters = 3000
	o.Tolerance = 1e-10
	return o
}

func TestLinearMapFixedPointAndJacobian(t *testing.T) {
	p := newLinear(1, 6, 2)
	ev := testBackendEval(t, affineMap(p.a, p.w, p.c, p.d, p.i), Discrete, p.d, p.i)
	var log bytes.Buffer
	o := quietOptions()
	o.Log = &log
	f, err := NewFinder(ev, o)
	if err != nil {
		t.Fatal(err)
	}
	u := []float64{1, -0.5}
	rng := rand.New(rand.NewPCG(2, 2))
	cands := to32(randn(rng, 20*p.d, 2))
	fp, err := f.Find(cands, to32(u))
	if err != nil {
		t.Fatal(err)
	}
	if fp.Len() != 20 || len(fp.Diverged) != 0 {
		t.Fatalf("kept %d points, diverged %v", fp.Len(), fp.Diverged)
	}
	if !strings.Contains(log.String(), "Optimizing with Adam(") || !strings.Contains(log.String(), "Training loss") {
		t.Errorf("progress log missing lines:\n%s", log.String())
	}
	want := p.solve(u)
	for k := 0; k < fp.Len(); k++ {
		if got := fp.Q[k] / fp.Speed[k]; math.Abs(got-float64(p.d)/2) > 1e-9 {
			t.Fatalf("Q/Speed = %v, want D/2", got)
		}
		for d, v := range fp.Point(k) {
			if math.Abs(v-want[d]) > 1e-2 {
				t.Fatalf("Adam point %d dim %d = %v, want %v", k, d, v, want[d])
			}
		}
	}
	// Newton: exact for an affine map, one step (up to float32 rounding).
	one, _, err := f.Refine(fp, NewtonOptions{MaxIters: 1, Tol: 1e-7, MaxHalvings: 30})
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < one.Len(); k++ {
		for d, v := range one.Point(k) {
			if math.Abs(v-want[d]) > 1e-5 {
				t.Fatalf("after one Newton step point %d dim %d = %v, want %v", k, d, v, want[d])
			}
		}
	}
	ref, rep, err := f.Refine(fp, DefaultNewtonOptions())
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < ref.Len(); k++ {
		if rep.Iters[k] > 5 {
			t.Errorf("point %d: %d Newton steps for an affine map", k, rep.Iters[k])
		}
		for d, v := range ref.Point(k) {
			if math.Abs(v-want[d]) > 1e-6 {
				t.Fatalf("refined point %d dim %d = %v, want %v", k, d, v, want[d])
			}
		}
	}
	// Jacobian is Aᵀ; eigenvalues are those of A.
	js, err := f.PointJacobians(ref.Select([]int{0}))
	if err != nil {
		t.Fatal(err)
	}
	for a := 0; a < p.d; a++ {
		for b := 0; b < p.d; b++ {
			if math.Abs(js[0][a*p.d+b]-p.a[b*p.d+a]) > 1e-6 {
				t.Fatalf("J[%d][%d] = %v, want %v", a, b, js[0][a*p.d+b], p.a[b*p.d+a])
			}
		}
	}
	eig, err := Decompose(js[0], p.d, ByMagnitude, true)
	if err != nil {
		t.Fatal(err)
	}
	var ge mat.Eigen
	ge.Factorize(mat.NewDense(p.d, p.d, p.a), mat.EigenNone)
	wantVals := ge.Values(nil)
	sort.Slice(wantVals, func(i, j int) bool { return cmplx.Abs(wantVals[i]) > cmplx.Abs(wantVals[j]) })
	for k := range wantVals {
		if cmplx.Abs(eig.Values[k])-cmplx.Abs(wantVals[k]) > 1e-6 || math.Abs(cmplx.Abs(eig.Values[k])-cmplx.Abs(wantVals[k])) > 1e-6 {
			t.Fatalf("eigenvalue %d: %v, want %v", k, eig.Values[k], wantVals[k])
		}
	}
	if !eig.Stable(Discrete) {
		t.Errorf("contracting map reported unstable (radius %v)", eig.SpectralRadius())
	}
}

func TestPerCandidateInputs(t *testing.T) {
	p := newLinear(3, 4, 2)
	ev := testBackendEval(t, affineMap(p.a, p.w, p.c, p.d, p.i), Discrete, p.d, p.i)
	f, err := NewFinder(ev, quietOptions())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 4))
	n := 5
	u := randn(rng, n*p.i, 1)
	fp, err := f.Find(to32(randn(rng, n*p.d, 1)), to32(u))
	if err != nil {
		t.Fatal(err)
	}
	fp, _, err = f.Refine(fp, NewtonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < n; k++ {
		want := p.solve(u[k*p.i : (k+1)*p.i])
		for d, v := range fp.Point(k) {
			if math.Abs(v-want[d]) > 1e-5 {
				t.Fatalf("point %d dim %d = %v, want %v", k, d, v, want[d])
			}
		}
	}
	// Per-point Jacobians use per-point inputs too (constant here: Aᵀ).
	if _, err := f.PointJacobians(fp); err != nil {
		t.Fatal(err)
	}
}

func TestContinuousLinear(t *testing.T) {
	// dh/dt = h·A − h + c has the same fixed point as the discrete map
	// h ↦ h·A + c, and Jacobian Aᵀ − I.
	p := newLinear(5, 5, 1)
	aMinusI := append([]float64(nil), p.a...)
	for k := 0; k < p.d; k++ {
		aMinusI[k*p.d+k]--
	}
	ev := testBackendEval(t, affineMap(aMinusI, p.w, p.c, p.d, p.i), Continuous, p.d, p.i)
	f, _ := NewFinder(ev, quietOptions())
	fp, err := f.Find(make([]float32, 3*p.d), []float32{0.3})
	if err != nil {
		t.Fatal(err)
	}
	fp, _, err = f.Refine(fp, NewtonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := p.solve([]float64{0.3})
	for d, v := range fp.Point(0) {
		if math.Abs(v-want[d]) > 1e-5 {
			t.Fatalf("dim %d = %v, want %v", d, v, want[d])
		}
	}
	eigs, err := f.Decompose(fp, ByReal, false)
	if err != nil {
		t.Fatal(err)
	}
	if !eigs[0].Stable(Continuous) {
		t.Errorf("expected stable continuous fixed point, max Re = %v", eigs[0].MaxReal())
	}
}

// The ReLU map h ↦ relu(h·diag(2, 0.5) + (−1, 1)) has exactly two fixed
// points: (0, 2) (stable: slope 0 in dim 0) and (1, 2) (unstable: slope 2).
func TestReluFixedPoints(t *testing.T) {
	a := []float64{2, 0, 0, 0.5}
	w := []float64{0, 0}
	c := []float64{-1, 1}
	ev := testBackendEval(t, reluMap(a, w, c, 2, 1), Discrete, 2, 1)
	o := quietOptions()
	o.Tolerance = 1e-12
	f, _ := NewFinder(ev, o)
	cands := []float32{0.2, 1.5, 0.3, 2.5, 0.1, 2.2, 0.8, 1.0, 0.7, 3.0, 0.9, 2.1}
	fp, err := f.Find(cands, []float32{0})
	if err != nil {
		t.Fatal(err)
	}
	fp, rep, err := f.Refine(fp, NewtonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for k, it := range rep.Iters {
		if it > 3 {
			t.Errorf("point %d took %d Newton steps in a linear region", k, it)
		}
	}
	u, err := fp.KeepUnique(0.03, FirstIndex)
	if err != nil {
		t.Fatal(err)
	}
	if u.Len() != 2 {
		t.Fatalf("found %d unique points: %v", u.Len(), u.X)
	}
	want := map[int][2]float64{0: {0, 2}, 3: {1, 2}} // candidate id -> fixed point
	eigs, err := f.Decompose(u, ByMagnitude, false)
	if err != nil {
		t.Fatal(err)
	}
	for k, id := range u.IDs {
		w, ok := want[id]
		if !ok {
			t.Fatalf("unexpected representative id %d", id)
		}
		x := u.Point(k)
		if math.Abs(x[0]-w[0]) > 1e-6 || math.Abs(x[1]-w[1]) > 1e-6 {
			t.Errorf("candidate %d: %v, want %v", id, x, w)
		}
		if stable := eigs[k].Stable(Discrete); stable != (w[0] == 0) {
			t.Errorf("point %v stable=%v, eigenvalues %v", w, stable, eigs[k].Values)
		}
	}
}

func TestJacobianFiniteDifferences(t *testing.T) {
	d, in := 5, 3
	rng := rand.New(rand.NewPCG(7, 7))
	a, w, c := randn(rng, d*d, 0.8), randn(rng, in*d, 0.5), randn(rng, d, 0.3)
	ev := testBackendEval(t, tanhMap(a, w, c, d, in), Discrete, d, in)
	f, _ := NewFinder(ev, BrainPyOptions())
	m := 3
	x := randn(rng, m*d, 0.7)
	u := randn(rng, m*in, 1)
	js, err := f.Jacobians(x, to32(u))
	if err != nil {
		t.Fatal(err)
	}
	// The graph map agrees with the CPU one.
	r := make([]float32, m*d)
	if err := ev.Residuals(to32(x), to32(u), r); err != nil {
		t.Fatal(err)
	}
	const h = 1e-6
	for i := 0; i < m; i++ {
		xi, ui := x[i*d:(i+1)*d], u[i*in:(i+1)*in]
		fx := tanhCPU(a, w, c, d, in, ui, xi)
		for k := 0; k < d; k++ {
			if got := xi[k] - fx[k]; math.Abs(got-float64(r[i*d+k])) > 1e-5 {
				t.Fatalf("residual mismatch %v vs %v", got, r[i*d+k])
			}
		}
		for b := 0; b < d; b++ {
			xp := append([]float64(nil), xi...)
			xm := append([]float64(nil), xi...)
			xp[b] += h
			xm[b] -= h
			fp, fm := tanhCPU(a, w, c, d, in, ui, xp), tanhCPU(a, w, c, d, in, ui, xm)
			for aa := 0; aa < d; aa++ {
				fd := (fp[aa] - fm[aa]) / (2 * h)
				if got := js[i][aa*d+b]; math.Abs(got-fd) > 1e-5 {
					t.Fatalf("point %d J[%d][%d] = %v, finite difference %v", i, aa, b, got, fd)
				}
			}
		}
	}
}

func TestNewtonFewIterationsSmooth(t *testing.T) {
	d, in := 8, 1
	rng := rand.New(rand.NewPCG(9, 9))
	a, w, c := randn(rng, d*d, 0.5/math.Sqrt(float64(d))), randn(rng, in*d, 1), randn(rng, d, 0.5)
	ev := testBackendEval(t, tanhMap(a, w, c, d, in), Discrete, d, in)
	o := quietOptions()
	o.MaxIters = 200 // a rough start
	f, _ := NewFinder(ev, o)
	fp, err := f.Find(to32(randn(rng, 4*d, 1)), []float32{0.5})
	if err != nil {
		t.Fatal(err)
	}
	ref, rep, err := f.Refine(fp, DefaultNewtonOptions())
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < ref.Len(); k++ {
		if !rep.Converged[k] || rep.Iters[k] > 6 {
			t.Errorf("point %d: converged=%v after %d steps, residual %g -> %g", k, rep.Converged[k], rep.Iters[k], rep.Before[k], rep.After[k])
		}
		if ref.Speed[k] > 1e-13 {
			t.Errorf("point %d speed %g", k, ref.Speed[k])
		}
	}
}

func TestStopRulesAndHistory(t *testing.T) {
	p := newLinear(11, 4, 1)
	ev := testBackendEval(t, affineMap(p.a, p.w, p.c, p.d, p.i), Discrete, p.d, p.i)
	cands := to32(randn(rand.New(rand.NewPCG(1, 1)), 6*p.d, 1))

	// BrainPy rule: checked every NumBatch iterations.
	o := BrainPyOptions()
	o.Adam.LR = optim.Constant(0.05)
	o.NumBatch = 50
	o.Tolerance = 1e-4
	var log bytes.Buffer
	o.Log = &log
	f, _ := NewFinder(ev, o)
	fp, err := f.Find(cands, []float32{1})
	if err != nil {
		t.Fatal(err)
	}
	if fp.Iters%50 != 0 || fp.Iters == o.MaxIters || len(fp.Losses) != fp.Iters {
		t.Errorf("iterations %d (history %d): want an early stop at a multiple of 50", fp.Iters, len(fp.Losses))
	}
	if fp.Losses[fp.Iters-1] >= 1e-4 || !strings.Contains(log.String(), "Stop optimization as mean training loss") {
		t.Errorf("last loss %g; log:\n%s", fp.Losses[fp.Iters-1], log.String())
	}
	if !strings.Contains(log.String(), "    Batches 1-50 in ") {
		t.Errorf("log lacks BrainPy batch line:\n%s", log.String())
	}

	// Golub rule: stops when every point has q < TolQ (or tiny dq).
	o = BrainPyOptions()
	o.Adam.LR = optim.Exponential(0.05, 1, 0.999)
	o.Stop = StopPerPoint
	o.TolQ = 1e-6
	o.TolDQ = 1e-12
	f, _ = NewFinder(ev, o)
	fp, err = f.Find(cands, []float32{1})
	if err != nil {
		t.Fatal(err)
	}
	if fp.Iters >= o.MaxIters {
		t.Fatalf("per-point rule never stopped")
	}
	for k, q := range fp.Q {
		if q >= 1e-6*1.0001 {
			// Only allowed if its dq was below TolDQ·lr; with these settings q converges first.
			t.Errorf("point %d q = %g at stop", k, q)
		}
	}

	// Exactly MaxIters with StopNever.
	o.Stop = StopNever
	o.MaxIters = 123
	f, _ = NewFinder(ev, o)
	fp, err = f.Find(cands, []float32{1})
	if err != nil {
		t.Fatal(err)
	}
	if fp.Iters != 123 {
		t.Errorf("StopNever ran %d iterations, want 123", fp.Iters)
	}
}

func TestScheduleAndAdamEpsPlacement(t *testing.T) {
	s := optim.Exponential(0.2, 1, 0.9999)
	if got := s.Rate(10000); math.Abs(got-0.2*math.Pow(0.9999, 10000)) > 1e-15 || math.Abs(got-0.0736) > 1e-4 {
		t.Errorf("0.2·0.9999^10000 = %v", got)
	}
	if got := optim.Exponential(0.01, 2, 0.9999).Rate(4); math.Abs(got-0.01*0.9999*0.9999) > 1e-15 {
		t.Errorf("decay_steps 2: %v", got)
	}
	// dh/dt = 2h (D = 1): speed 4h², gradient 8h. Compare three Adam steps
	// with both ε placements against the formulas, with a large ε so the
	// placements differ visibly.
	ev := testBackendEval(t, func(u, h *graph.Node) *graph.Node { return graph.MulScalar(h, 2) }, Continuous, 1, 1)
	for _, mode := range []optim.EpsMode{optim.EpsUncorrected, optim.EpsCorrected} {
		o := BrainPyOptions()
		o.Adam = optim.Adam{LR: optim.Constant(0.1), Beta1: 0.9, Beta2: 0.999, Eps: 0.5, Mode: mode}
		o.Stop, o.MaxIters = StopNever, 3
		f, _ := NewFinder(ev, o)
		fp, err := f.Find([]float32{1}, []float32{0})
		if err != nil {
			t.Fatal(err)
		}
		x, m, v := 1.0, 0.0, 0.0
		for k := 1; k <= 3; k++ {
			g := 8 * x
			m = 0.9*m + 0.1*g
			v = 0.999*v + 0.001*g*g
			c1, c2 := 1-math.Pow(0.9, float64(k)), 1-math.Pow(0.999, float64(k))
			if mode == optim.EpsCorrected {
				x -= 0.1 * (m / c1) / (math.Sqrt(v/c2) + 0.5)
			} else {
				x -= 0.1 * math.Sqrt(c2) / c1 * m / (math.Sqrt(v) + 0.5)
			}
		}
		if got := fp.X[0]; math.Abs(got-x) > 1e-6 {
			t.Errorf("mode %d: x after 3 steps = %v, want %v", mode, got, x)
		}
	}
}

func TestContinuousIdentityMap(t *testing.T) {
	// dh/dt = h returns its input node unchanged; the only fixed point is 0.
	ev := testBackendEval(t, func(u, h *graph.Node) *graph.Node { return h }, Continuous, 2, 1)
	f, _ := NewFinder(ev, quietOptions())
	fp, err := f.Find([]float32{1, -2}, []float32{0})
	if err != nil {
		t.Fatal(err)
	}
	fp, _, err = f.Refine(fp, NewtonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fp.X[0]) > 1e-6 || math.Abs(fp.X[1]) > 1e-6 {
		t.Errorf("fixed point %v, want 0", fp.X)
	}
}

func TestDivergedPointsAreDropped(t *testing.T) {
	// F(h) = sqrt(h): fixed points 0 and 1; a negative candidate gives NaN.
	ev := testBackendEval(t, func(u, h *graph.Node) *graph.Node { return graph.Sqrt(h) }, Discrete, 1, 1)
	o := quietOptions()
	o.MaxIters = 200
	f, _ := NewFinder(ev, o)
	fp, err := f.Find([]float32{0.8, -1, 1.3}, []float32{0})
	if err != nil {
		t.Fatal(err)
	}
	if len(fp.Diverged) != 1 || fp.Diverged[0] != 1 {
		t.Fatalf("diverged = %v, want [1]", fp.Diverged)
	}
	if fp.Len() != 2 || fp.IDs[0] != 0 || fp.IDs[1] != 2 {
		t.Fatalf("kept ids %v", fp.IDs)
	}
}

func TestBadInputs(t *testing.T) {
	p := newLinear(1, 3, 1)
	ev := testBackendEval(t, affineMap(p.a, p.w, p.c, p.d, p.i), Discrete, p.d, p.i)
	f, err := NewFinder(ev, BrainPyOptions())
	if err != nil {
		t.Fatal(err)
	}
	nan := float32(math.NaN())
	cases := map[string]func() error{
		"empty":       func() error { _, err := f.Find(nil, []float32{1}); return err },
		"shape":       func() error { _, err := f.Find(make([]float32, 4), []float32{1}); return err },
		"input shape": func() error { _, err := f.Find(make([]float32, 6), []float32{1, 2, 3}); return err },
		"nan":         func() error { _, err := f.Find([]float32{0, nan, 0}, []float32{1}); return err },
		"inf input":   func() error { _, err := f.Find([]float32{0, 0, 0}, []float32{float32(math.Inf(1))}); return err },
		"tol 0": func() error {
			o := BrainPyOptions()
			o.Tolerance = 0
			_, err := NewFinder(ev, o)
			return err
		},
		"negative lr": func() error {
			o := BrainPyOptions()
			o.Adam.LR = optim.Constant(-1)
			_, err := NewFinder(ev, o)
			return err
		},
		"bad schedule": func() error {
			o := BrainPyOptions()
			o.Adam.LR = optim.Exponential(0.1, 0, 0.9)
			_, err := NewFinder(ev, o)
			return err
		},
		"filter tol": func() error { _, err := (&FixedPoints{}).FilterLoss(-1); return err },
		"unique tol": func() error { _, err := (&FixedPoints{}).KeepUnique(0, FirstIndex); return err },
		"outlier tol": func() error {
			_, err := (&FixedPoints{}).ExcludeOutliers(math.NaN(), NearestNeighbour)
			return err
		},
		"decompose nan":   func() error { _, err := Decompose([]float64{1, math.NaN(), 0, 1}, 2, ByReal, false); return err },
		"decompose shape": func() error { _, err := Decompose([]float64{1, 2, 3}, 2, ByReal, false); return err },
		"refine empty":    func() error { _, _, err := f.Refine(&FixedPoints{D: 3, I: 1}, NewtonOptions{}); return err },
	}
	for name, fn := range cases {
		if err := fn(); err == nil {
			t.Errorf("%s: no error", name)
		} else if !strings.Contains(err.Error(), "fixedpoints") {
			t.Errorf("%s: error %q does not name the package", name, err)
		}
	}
}

// TestEvaluateGivenPoints checks speeds at given points of F(h) = h/2 + 1
// (residual r = h/2 − 1, fixed point 2) and Newton from them.
func TestEvaluateGivenPoints(t *testing.T) {
	ev := testBackendEval(t, func(u, h *graph.Node) *graph.Node {
		return graph.AddScalar(graph.MulScalar(h, 0.5), 1)
	}, Discrete, 2, 1)
	f, err := NewFinder(ev, BrainPyOptions())
	if err != nil {
		t.Fatal(err)
	}
	fp, err := f.Evaluate([]float64{2, 2, 4, 0}, []float32{0})
	if err != nil {
		t.Fatal(err)
	}
	// Point 0 is the fixed point; point 1 has r = (1, −1): speed 1, q 1.
	if fp.Len() != 2 || fp.Speed[0] != 0 || math.Abs(fp.Speed[1]-1) > 1e-6 || math.Abs(fp.Q[1]-1) > 1e-6 || fp.IDs[1] != 1 {
		t.Fatalf("speeds %v, q %v, ids %v", fp.Speed, fp.Q, fp.IDs)
	}
	ref, _, err := f.Refine(fp, DefaultNewtonOptions())
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 2; k++ {
		if p := ref.Point(k); math.Abs(p[0]-2) > 1e-5 || math.Abs(p[1]-2) > 1e-5 {
			t.Errorf("Newton from point %d reached %v, want (2, 2)", k, p)
		}
	}
	if _, err := f.Evaluate([]float64{math.NaN(), 0}, []float32{0}); err == nil {
		t.Error("want an error for a NaN point")
	}
}
