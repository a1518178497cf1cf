package models

// The GoMLX graph of a network: its registered cell's step (Cell.Graph, the
// reference definition of every cell) and the read-out shared by all
// cells. The CPU kernels are tested against it (TestCellsAgree).

import (
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// netGraph is a network's cell step and read-out as GoMLX graphs. pn are
// the parameter nodes in the order of Config.ParamNames.
type netGraph struct {
	CellGraph
	cfg Config
	pn  []*graph.Node
}

// newNetGraph prepares the network of cfg on the parameter nodes pn. One
// node more than Config.ParamNames, last, is a connectivity mask M [H,H]
// (Params.Mask), for the cells that take one (CellOptions.Mask).
func newNetGraph(cfg Config, pn []*graph.Node) *netGraph {
	var mask *graph.Node
	if n := len(cfg.ParamNames()); len(pn) == n+1 {
		pn, mask = pn[:n], pn[n]
		if err := cfg.maskAllowed(); err != nil {
			panic("models: " + err.Error())
		}
	}
	return &netGraph{CellGraph: cfg.cell().Graph(cfg, pn, mask), cfg: cfg, pn: pn}
}

// readout returns the logits [N,O] of rates r [N,H]: the first ReadSize
// rates times W_ro plus b_ro.
func (c *netGraph) readout(r *graph.Node) *graph.Node {
	k := len(c.pn)
	wro, bro := c.pn[k-2], c.pn[k-1]
	if R := c.cfg.ReadSize(); R != c.cfg.NumHidden {
		r = graph.SliceAxis(r, 1, graph.AxisRange(0, R))
	}
	return graph.Add(graph.Dot(r, wro).Product(), rowOf(bro))
}

// rowOf reshapes a vector b [n] into a row [1,n], to broadcast over states.
func rowOf(b *graph.Node) *graph.Node { return graph.Reshape(b, 1, b.Shape().Dimensions[0]) }

// gateOf returns the columns [k·H, (k+1)·H) of x [N,G]: gate k of a gated
// cell's projection.
func gateOf(x *graph.Node, k, H int) *graph.Node {
	return graph.SliceAxis(x, 1, graph.AxisRange(k*H, (k+1)*H))
}

// shapeOf is the shape [N,S] of S values for each of the N rows of x, in
// x's dtype.
func shapeOf(x *graph.Node, S int) shapes.Shape {
	return shapes.Make(x.DType(), x.Shape().Dimensions[0], S)
}
