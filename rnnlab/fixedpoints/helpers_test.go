package fixedpoints

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/rnnlab/rnnlab/rnnlab/backend"
)

func testBackendEval(t testing.TB, fn MapFunc, kind Kind, d, i int) *GraphEvaluator {
	t.Helper()
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	ev, err := NewGraphEvaluator(b, fn, kind, d, i)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func constMat(g *graph.Graph, data []float64, dims ...int) *graph.Node {
	f := make([]float32, len(data))
	for k, v := range data {
		f[k] = float32(v)
	}
	return graph.Const(g, tensors.FromFlatDataAndDimensions(f, dims...))
}

// inputTerm returns u·W as [1, D] (shared u of shape [I]) or [B, D].
func inputTerm(u *graph.Node, w []float64, i, d int) *graph.Node {
	wn := constMat(u.Graph(), w, i, d)
	if u.Rank() == 1 {
		u = graph.InsertAxes(u, 0)
	}
	return graph.Dot(u, wn).Product()
}

// affineMap is h ↦ h·A + u·W + c (row vectors, A is (in, out)).
func affineMap(a, w, c []float64, d, i int) MapFunc {
	return func(u, h *graph.Node) *graph.Node {
		g := h.Graph()
		out := graph.Dot(h, constMat(g, a, d, d)).Product()
		out = graph.Add(out, inputTerm(u, w, i, d))
		return graph.Add(out, constMat(g, c, 1, d))
	}
}

// reluMap is h ↦ relu(h·A + u·W + c).
func reluMap(a, w, c []float64, d, i int) MapFunc {
	aff := affineMap(a, w, c, d, i)
	return func(u, h *graph.Node) *graph.Node { return activation.Relu(aff(u, h)) }
}

// tanhMap is h ↦ tanh(h·A + u·W + c).
func tanhMap(a, w, c []float64, d, i int) MapFunc {
	aff := affineMap(a, w, c, d, i)
	return func(u, h *graph.Node) *graph.Node { return graph.Tanh(aff(u, h)) }
}

// tanhCPU evaluates the same map in float64.
func tanhCPU(a, w, c []float64, d, i int, u, h []float64) []float64 {
	out := make([]float64, d)
	for q := 0; q < d; q++ {
		s := c[q]
		for p := 0; p < d; p++ {
			s += h[p] * a[p*d+q]
		}
		for p := 0; p < i; p++ {
			s += u[p] * w[p*d+q]
		}
		out[q] = math.Tanh(s)
	}
	return out
}

func randn(rng *rand.Rand, n int, scale float64) []float64 {
	out := make([]float64, n)
	for k := range out {
		out[k] = rng.NormFloat64() * scale
	}
	return out
}

func to32(x []float64) []float32 {
	out := make([]float32, len(x))
	for k, v := range x {
		out[k] = float32(v)
	}
	return out
}
