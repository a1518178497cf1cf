package fixedpoints

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestInputJacobianFiniteDifferences checks the GraphEvaluator's dF/du
// against central differences of the float64 twin of the map, with one
// input per point and with one shared input, for more points than one
// chunk holds.
func TestInputJacobianFiniteDifferences(t *testing.T) {
	d, in := 5, 3
	rng := rand.New(rand.NewPCG(8, 8))
	a, w, c := randn(rng, d*d, 0.8), randn(rng, in*d, 0.5), randn(rng, d, 0.3)
	ev := testBackendEval(t, tanhMap(a, w, c, d, in), Discrete, d, in)
	f, _ := NewFinder(ev, BrainPyOptions())
	if !f.HasInputJacobians() {
		t.Fatal("GraphEvaluator has no input Jacobians")
	}
	m := 70 // two chunks of the replicated graph
	x := randn(rng, m*d, 0.7)
	perPoint := randn(rng, m*in, 1)
	shared := randn(rng, in, 1)
	for _, tc := range []struct {
		name string
		u    []float64
	}{{"per point", perPoint}, {"shared", shared}} {
		js, err := f.InputJacobians(x, to32(tc.u))
		if err != nil {
			t.Fatal(err)
		}
		if len(js) != m || len(js[0]) != d*in {
			t.Fatalf("%s: %d Jacobians of %d values, want %d of %d", tc.name, len(js), len(js[0]), m, d*in)
		}
		const h = 1e-6
		for i := 0; i < m; i++ {
			xi, ui := x[i*d:(i+1)*d], tc.u
			if len(tc.u) != in {
				ui = tc.u[i*in : (i+1)*in]
			}
			for k := 0; k < in; k++ {
				up := append([]float64(nil), ui...)
				um := append([]float64(nil), ui...)
				up[k] += h
				um[k] -= h
				fp, fm := tanhCPU(a, w, c, d, in, up, xi), tanhCPU(a, w, c, d, in, um, xi)
				for aa := 0; aa < d; aa++ {
					fd := (fp[aa] - fm[aa]) / (2 * h)
					if got := js[i][aa*in+k]; math.Abs(got-fd) > 1e-5 {
						t.Fatalf("%s: point %d dF_%d/du_%d = %v, finite difference %v", tc.name, i, aa, k, got, fd)
					}
				}
			}
		}
	}
	// Points of a search: one Jacobian per kept point.
	fp, err := f.Evaluate(x[:2*d], to32(shared))
	if err != nil {
		t.Fatal(err)
	}
	if js, err := f.PointInputJacobians(fp); err != nil || len(js) != 2 {
		t.Fatalf("PointInputJacobians: %d, %v", len(js), err)
	}
	if js, err := f.PointInputJacobians(fp.Select(nil)); err != nil || js != nil {
		t.Fatalf("PointInputJacobians of no points: %v, %v", js, err)
	}
}

// noInputJacobians hides the input Jacobians of an evaluator.
type noInputJacobians struct{ Evaluator }

func TestInputJacobiansNeedTheMethod(t *testing.T) {
	ev := testBackendEval(t, tanhMap([]float64{0.5}, []float64{1}, []float64{0}, 1, 1), Discrete, 1, 1)
	f, _ := NewFinder(noInputJacobians{ev}, BrainPyOptions())
	if f.HasInputJacobians() {
		t.Error("HasInputJacobians on an evaluator without them")
	}
	if _, err := f.InputJacobians([]float64{0.1}, []float32{1}); err == nil {
		t.Error("want an error from an evaluator without input Jacobians")
	}
}
