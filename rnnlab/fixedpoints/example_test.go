package fixedpoints_test

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/rnnlab/rnnlab/rnnlab/backend"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
)

// Find the fixed point of the scalar map h ↦ 0.5·h + u, which is h* = 2u,
// with Adam from three candidates, then polish it with Newton.
func ExampleFinder() {
	b, err := backend.Shared()
	if err != nil {
		panic(err)
	}
	half := func(u, h *graph.Node) *graph.Node {
		return graph.Add(graph.MulScalar(h, 0.5), graph.InsertAxes(u, 0)) // u is [1], shared
	}
	ev, err := fixedpoints.NewGraphEvaluator(b, half, fixedpoints.Discrete, 1, 1)
	if err != nil {
		panic(err)
	}
	opts := fixedpoints.BrainPyOptions()
	opts.Adam.LR = optim.Constant(0.05)
	f, err := fixedpoints.NewFinder(ev, opts)
	if err != nil {
		panic(err)
	}
	fp, err := f.Find([]float32{-1, 0, 5}, []float32{1.5})
	if err != nil {
		panic(err)
	}
	fp, _, err = f.Refine(fp, fixedpoints.DefaultNewtonOptions())
	if err != nil {
		panic(err)
	}
	fp, _ = fp.KeepUnique(0.03, fixedpoints.FirstIndex)
	js, _ := f.PointJacobians(fp)
	eig, _ := fixedpoints.Decompose(js[0], 1, fixedpoints.ByMagnitude, false)
	fmt.Printf("%d unique point(s): h* = %.4f, candidate %d\n", fp.Len(), fp.X[0], fp.IDs[0])
	fmt.Printf("eigenvalue %.2f, stable %v\n", real(eig.Values[0]), eig.Stable(fixedpoints.Discrete))
	// Output:
	// 1 unique point(s): h* = 3.0000, candidate 0
	// eigenvalue 0.50, stable true
}
