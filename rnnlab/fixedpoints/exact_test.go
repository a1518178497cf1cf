package fixedpoints

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
)

// expMap is h ↦ 0.5 h + 0.1 exp(h) (one unit; the input is unused). Its
// fixed points solve 5h = exp(h): h ≈ 0.2592 and h ≈ 2.5426. At h = 100,
// exp(h) overflows float32, so the residual there is +Inf: Newton cannot
// move such a point and Refine drops it as diverged.
func expMap(u, h *graph.Node) *graph.Node {
	half := graph.MulScalar(h, 0.5)
	return graph.Add(half, graph.MulScalar(graph.Exp(h), 0.1))
}

// TestExactSkipsDivergedPoints has a diverging point among the candidates:
// Refine drops it, and Exact must still pick the converged points by
// candidate, not by position in Refine's output.
func TestExactSkipsDivergedPoints(t *testing.T) {
	ev := testBackendEval(t, expMap, Discrete, 1, 1)
	f, err := NewFinder(ev, BrainPyOptions())
	if err != nil {
		t.Fatal(err)
	}
	// Candidates 0..3 at h = 0.3, 100 (diverges), 2.6 and 0.25; built by hand
	// because Evaluate already drops points whose speed is not finite.
	xs := []float64{0.3, 100, 2.6, 0.25}
	fp := &FixedPoints{Kind: Discrete, D: 1, I: 1, U: []float32{0}}
	for k, x := range xs {
		fp.IDs = append(fp.IDs, k)
		fp.X = append(fp.X, x)
		fp.Speed = append(fp.Speed, 1)
		fp.Q = append(fp.Q, 0.5)
	}
	exact, rep, err := f.Exact(fp, DefaultNewtonOptions(), 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, false, true, true}; len(rep.Converged) != 4 || rep.Converged[0] != want[0] ||
		rep.Converged[1] != want[1] || rep.Converged[2] != want[2] || rep.Converged[3] != want[3] {
		t.Fatalf("converged %v, want %v", rep.Converged, want)
	}
	// Two distinct exact points: 0.2592 (from candidates 0 and 3) and 2.5426.
	if exact.Len() != 2 {
		t.Fatalf("%d exact points %v (ids %v), want 2", exact.Len(), exact.X, exact.IDs)
	}
	for k := 0; k < exact.Len(); k++ {
		x := exact.X[k]
		if r := 0.5*x + 0.1*math.Exp(x) - x; math.Abs(r) > 1e-6 {
			t.Errorf("exact point %d at %v has residual %g (recomputed in float64)", k, x, r)
		}
		if exact.IDs[k] == 1 {
			t.Errorf("the diverged candidate 1 is among the exact points")
		}
	}
	if lo, hi := math.Min(exact.X[0], exact.X[1]), math.Max(exact.X[0], exact.X[1]); math.Abs(lo-0.2592) > 1e-3 || math.Abs(hi-2.5426) > 1e-3 {
		t.Errorf("exact points %v, want 0.2592 and 2.5426", exact.X)
	}
}

// TestExactNoneConverged: when no point converges (here the only candidate
// diverges), Exact returns an empty set, not an error.
func TestExactNoneConverged(t *testing.T) {
	ev := testBackendEval(t, expMap, Discrete, 1, 1)
	f, err := NewFinder(ev, BrainPyOptions())
	if err != nil {
		t.Fatal(err)
	}
	fp := &FixedPoints{Kind: Discrete, D: 1, I: 1, U: []float32{0}, IDs: []int{0}, X: []float64{100}, Speed: []float64{1}, Q: []float64{0.5}}
	exact, rep, err := f.Exact(fp, DefaultNewtonOptions(), 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	if exact.Len() != 0 || rep.NumConverged() != 0 {
		t.Errorf("%d exact points, %d converged; want none", exact.Len(), rep.NumConverged())
	}
	if eig, err := f.Decompose(exact, ByReal, false); err != nil || len(eig) != 0 {
		t.Errorf("spectra of no points: %v, %v", eig, err)
	}
}
