package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/rnnlab/rnnlab/rnnlab/backend"
)

func testBackend(t testing.TB) compute.Backend {
	t.Helper()
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testParams(t testing.TB, cfg Config, seed uint64) *Params {
	t.Helper()
	p, err := NewParams(cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func randSlice(rng *rand.Rand, n int, lo, hi float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = lo + (hi-lo)*rng.Float32()
	}
	return s
}

func closeTo(a, b, tol float64) bool { return math.Abs(a-b) <= tol*(1+math.Abs(b)) }

// TestCellFunc checks CellFunc against Params.Step for a per-state input,
// a shared [I] input, a shared [1,I] input and a single [H] state, with
// alpha = 1 and alpha = 0.2.
func TestCellFunc(t *testing.T) {
	be := testBackend(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tau := range []float64{100, 500} {
		cfg := DefaultConfig()
		cfg.Tau = tau
		p := testParams(t, cfg, 3)
		I, H := cfg.NumInput, cfg.NumHidden
		const N = 5
		hs := randSlice(rng, N*H, 0, 1)
		us := randSlice(rng, N*I, 0, 1)
		want := func(u []float32, n int) []float32 {
			out := make([]float32, H)
			p.Step(u, hs[n*H:(n+1)*H], out)
			return out
		}
		f := p.CellFunc()
		check := func(name string, got []float32, wantFn func(n int) []float32, n int) {
			t.Helper()
			for k := 0; k < n; k++ {
				w := wantFn(k)
				for j := 0; j < H; j++ {
					if !closeTo(float64(got[k*H+j]), float64(w[j]), 1e-5) {
						t.Fatalf("tau %v %s: state %d unit %d: got %v want %v", tau, name, k, j, got[k*H+j], w[j])
					}
				}
			}
		}
		run := func(u *tensors.Tensor, h *tensors.Tensor) []float32 {
			e, err := graph.NewExec(be, f)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Finalize()
			out, err := e.Call1(u, h)
			if err != nil {
				t.Fatal(err)
			}
			defer out.MustFinalizeAll()
			return tensors.MustCopyFlatData[float32](out)
		}
		hT := tensors.FromFlatDataAndDimensions(hs, N, H)
		check("per-state", run(tensors.FromFlatDataAndDimensions(us, N, I), hT), func(n int) []float32 { return want(us[n*I:(n+1)*I], n) }, N)
		u0 := us[:I]
		check("shared [I]", run(tensors.FromFlatDataAndDimensions(u0, I), hT), func(n int) []float32 { return want(u0, n) }, N)
		check("shared [1,I]", run(tensors.FromFlatDataAndDimensions(u0, 1, I), hT), func(n int) []float32 { return want(u0, n) }, N)
		check("single [H]", run(tensors.FromFlatDataAndDimensions(u0, I), tensors.FromFlatDataAndDimensions(hs[:H], H)), func(n int) []float32 { return want(u0, n) }, 1)
		// float64 states.
		hs64 := make([]float64, N*H)
		for i, v := range hs {
			hs64[i] = float64(v)
		}
		e, err := graph.NewExec(be, f)
		if err != nil {
			t.Fatal(err)
		}
		out, err := e.Call1(tensors.FromFlatDataAndDimensions(u0, I), tensors.FromFlatDataAndDimensions(hs64, N, H))
		if err != nil {
			t.Fatal(err)
		}
		got64 := tensors.MustCopyFlatData[float64](out)
		got := make([]float32, len(got64))
		for i, v := range got64 {
			got[i] = float32(v)
		}
		check("float64", got, func(n int) []float32 { return want(u0, n) }, N)
		out.MustFinalizeAll()
		e.Finalize()
	}
}
