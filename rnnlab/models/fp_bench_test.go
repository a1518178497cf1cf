package models

import (
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/rnnlab/rnnlab/rnnlab/backend"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
)

// ctrnnCandidates returns a seeded random 64-unit CTRNN and n candidate
// states (non-negative, the range of ReLU activity).
func ctrnnCandidates(tb testing.TB, n int) (*Params, []float32) {
	tb.Helper()
	p, err := NewParams(DefaultConfig(), 1)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 5))
	x := make([]float32, n*p.NumHidden)
	for k := range x {
		x[k] = float32(rng.Float64() * 2)
	}
	return p, x
}

var tutorialInput = []float32{1, 0.5, 0.5}

// BenchmarkAdamStep2200x64 times one Adam iteration of the gradient method
// (graph evaluation of speeds and gradient + the Adam update in Go) on the
// seed's problem size.
func BenchmarkAdamStep2200x64(b *testing.B) {
	p, cands := ctrnnCandidates(b, 2200)
	ev := testBackendEval(b, p.CellFunc(), fixedpoints.Discrete, 64, 3)
	o := fixedpoints.PrimerOptions()
	o.Stop = fixedpoints.StopNever
	o.MaxIters = 1
	f, _ := fixedpoints.NewFinder(ev, o)
	if _, err := f.Find(cands, tutorialInput); err != nil { // compile
		b.Fatal(err)
	}
	f.Options.MaxIters = b.N
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := f.Find(cands, tutorialInput); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSpeedGrad2200x64 times the graph call alone.
func BenchmarkSpeedGrad2200x64(b *testing.B) {
	p, cands := ctrnnCandidates(b, 2200)
	ev := testBackendEval(b, p.CellFunc(), fixedpoints.Discrete, 64, 3)
	speed, grad := make([]float32, 2200), make([]float32, len(cands))
	if err := ev.SpeedGrad(cands, tutorialInput, speed, grad); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := ev.SpeedGrad(cands, tutorialInput, speed, grad); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAdamInGraph2200x64 times the alternative design: the whole Adam
// update inside the graph, state (x, m, v) in and out.
func BenchmarkAdamInGraph2200x64(b *testing.B) {
	p, cands := ctrnnCandidates(b, 2200)
	be, err := backend.Shared()
	if err != nil {
		b.Fatal(err)
	}
	fn := p.CellFunc()
	step := func(x, m, v, u, lrT *graph.Node) []*graph.Node {
		r := graph.Sub(x, fn(u, x))
		speed := graph.ReduceMean(graph.Square(r), 1)
		loss := graph.ReduceAllMean(speed)
		g := graph.Gradient(loss, x)[0]
		m2 := graph.Add(graph.MulScalar(m, 0.9), graph.MulScalar(g, 0.1))
		v2 := graph.Add(graph.MulScalar(v, 0.999), graph.MulScalar(graph.Square(g), 0.001))
		upd := graph.Div(m2, graph.AddScalar(graph.Sqrt(v2), 1e-8))
		x2 := graph.Sub(x, graph.Mul(lrT, upd))
		return []*graph.Node{x2, m2, v2, speed}
	}
	ex, err := graph.NewExec(be, step)
	if err != nil {
		b.Fatal(err)
	}
	x := tensors.FromFlatDataAndDimensions(cands, 2200, 64)
	m := tensors.FromFlatDataAndDimensions(make([]float32, len(cands)), 2200, 64)
	v := tensors.FromFlatDataAndDimensions(make([]float32, len(cands)), 2200, 64)
	u := tensors.FromFlatDataAndDimensions(tutorialInput, 3)
	run := func() {
		lr := tensors.FromScalar(float32(0.01))
		out := ex.MustCall(x, m, v, u, lr)
		x.MustFinalizeAll()
		m.MustFinalizeAll()
		v.MustFinalizeAll()
		lr.MustFinalizeAll()
		x, m, v = out[0], out[1], out[2]
		_ = tensors.MustCopyFlatData[float32](out[3]) // speeds, for the stop rules
		out[3].MustFinalizeAll()
	}
	run()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		run()
	}
}

// BenchmarkJacobians66x64 times the batched (replicate and contract)
// Jacobian at 66 points, the tutorial's typical number of kept points.
func BenchmarkJacobians66x64(b *testing.B) {
	p, cands := ctrnnCandidates(b, 66)
	ev := testBackendEval(b, p.CellFunc(), fixedpoints.Discrete, 64, 3)
	jac := make([]float32, 66*64*64)
	if err := ev.Jacobians(cands, tutorialInput, jac); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := ev.Jacobians(cands, tutorialInput, jac); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJacobianRowLoop66x64 times the alternative: one gradient call
// per output dimension (a one-hot cotangent as input), 64 calls for 66 points.
func BenchmarkJacobianRowLoop66x64(b *testing.B) {
	p, cands := ctrnnCandidates(b, 66)
	be, _ := backend.Shared()
	fn := p.CellFunc()
	ex, err := graph.NewExec(be, func(x, u, e *graph.Node) *graph.Node {
		return graph.Gradient(graph.ReduceAllSum(graph.Mul(fn(u, x), e)), x)[0]
	})
	if err != nil {
		b.Fatal(err)
	}
	x := tensors.FromFlatDataAndDimensions(cands, 66, 64)
	u := tensors.FromFlatDataAndDimensions(tutorialInput, 3)
	onehots := make([]*tensors.Tensor, 64)
	for a := range onehots {
		e := make([]float32, 64)
		e[a] = 1
		onehots[a] = tensors.FromFlatDataAndDimensions(e, 1, 64)
	}
	run := func() {
		for a := range 64 {
			out := ex.MustCall(x, u, onehots[a])
			_ = tensors.MustCopyFlatData[float32](out[0])
			out[0].MustFinalizeAll()
		}
	}
	run()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		run()
	}
}
