package models

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// ParamNodes holds the five parameters of a CTRNN as nodes of one graph,
// shaped as in Params: WIr [I,H], WRr [H,H], BRr [H], WRo [H,O], BRo [O].
// They may be constants (ConstParamNodes), graph parameters fed at run time
// (the GoMLX engine) or anything else of those shapes.
type ParamNodes struct{ WIr, WRr, BRr, WRo, BRo *graph.Node }

// Slice returns the nodes in the order of Params.Tensors and ParamNames.
func (pn ParamNodes) Slice() []*graph.Node {
	return []*graph.Node{pn.WIr, pn.WRr, pn.BRr, pn.WRo, pn.BRo}
}

// ParamNodesFromSlice is the inverse of ParamNodes.Slice.
func ParamNodesFromSlice(nodes []*graph.Node) ParamNodes {
	return ParamNodes{WIr: nodes[0], WRr: nodes[1], BRr: nodes[2], WRo: nodes[3], BRo: nodes[4]}
}

// ConstParamNodes puts the weights of p into g as float32 constants.
func ConstParamNodes(g *graph.Graph, p *Params) ParamNodes {
	shp := p.Shapes()
	ts := p.Tensors()
	nodes := make([]*graph.Node, len(ts))
	for i, data := range ts {
		t := tensors.FromFlatDataAndDimensions(append([]float32(nil), data...), shp[i]...)
		nodes[i] = graph.ConstTensor(g, t)
	}
	return ParamNodesFromSlice(nodes)
}

// convert returns pn with every node converted to dtype (no-op when equal).
func (pn ParamNodes) convert(dtype dtypes.DType) ParamNodes {
	if pn.WIr.DType() == dtype {
		return pn
	}
	nodes := pn.Slice()
	for i, n := range nodes {
		nodes[i] = graph.ConvertDType(n, dtype)
	}
	return ParamNodesFromSlice(nodes)
}

// CellGraph builds one Euler step of the network for a batch:
//
//	h' = relu( (1-alpha) h + alpha (x W_ir + h W_rr + b_rr) )
//
// with x [B,I] and h [B,H]; it returns h' [B,H]. When alpha == 1 the leak
// term is left out (it is exactly zero).
func CellGraph(alpha float64, pn ParamNodes, x, h *graph.Node) *graph.Node {
	ins := graph.Add(graph.Dot(x, pn.WIr).Product(), graph.Dot(h, pn.WRr).Product())
	return leakRelu(alpha, pn, ins, h)
}

// leakRelu finishes a step given ins = x W_ir + h W_rr (bias not yet added).
func leakRelu(alpha float64, pn ParamNodes, ins, h *graph.Node) *graph.Node {
	H := pn.BRr.Shape().Dimensions[0]
	ins = graph.Add(ins, graph.Reshape(pn.BRr, 1, H))
	var state *graph.Node
	if alpha == 1 {
		state = ins
	} else {
		state = graph.Add(graph.MulScalar(h, 1-alpha), graph.MulScalar(ins, alpha))
	}
	return graph.Max(state, graph.ZerosLike(state))
}

// ReadoutGraph builds the linear read-out o = h W_ro + b_ro for h [N,H],
// returning [N,O].
func ReadoutGraph(pn ParamNodes, h *graph.Node) *graph.Node {
	O := pn.BRo.Shape().Dimensions[0]
	return graph.Add(graph.Dot(h, pn.WRo).Product(), graph.Reshape(pn.BRo, 1, O))
}

// CellFunc returns the trained one-step map F(u, h) of p, with the weights
// baked in as constants of h's graph, for fixed-point analysis.
//
// h is [N,H] (N states) or [H] (one state, returned as [H]). u is [N,I] (one
// input per state) or [I] / [1,I] (one input shared by all states, broadcast).
// The weights are converted to h's dtype, so float64 states work too; u is
// converted to h's dtype as well.
func (p *Params) CellFunc() func(u, h *graph.Node) *graph.Node {
	q := p.Clone()
	alpha := q.Alpha()
	return func(u, h *graph.Node) *graph.Node {
		g := h.Graph()
		dtype := h.DType()
		pn := ConstParamNodes(g, q).convert(dtype)
		if u.DType() != dtype {
			u = graph.ConvertDType(u, dtype)
		}
		I, H := q.NumInput, q.NumHidden
		squeeze := false
		if h.Rank() == 1 {
			h = graph.Reshape(h, 1, H)
			squeeze = true
		}
		if h.Rank() != 2 || h.Shape().Dimensions[1] != H {
			panic(fmt.Sprintf("models: CellFunc: state shape %s, want [N,%d] or [%d]", h.Shape(), H, H))
		}
		N := h.Shape().Dimensions[0]
		if u.Rank() == 1 {
			u = graph.Reshape(u, 1, I)
		}
		if u.Rank() != 2 || u.Shape().Dimensions[1] != I {
			panic(fmt.Sprintf("models: CellFunc: input shape %s, want [N,%d], [1,%d] or [%d]", u.Shape(), I, I, I))
		}
		uw := graph.Dot(u, pn.WIr).Product() // [1,H] or [N,H]
		switch un := u.Shape().Dimensions[0]; {
		case un == N:
		case un == 1:
			uw = graph.BroadcastToDims(uw, N, H)
		default:
			panic(fmt.Sprintf("models: CellFunc: %d inputs for %d states", un, N))
		}
		out := leakRelu(alpha, pn, graph.Add(uw, graph.Dot(h, pn.WRr).Product()), h)
		if squeeze {
			out = graph.Reshape(out, H)
		}
		return out
	}
}

// SequenceGraph runs the network over a whole batch from the zero state,
// unrolled in time (no While loop, so autodiff works on every backend).
//
// x is [T,B,I] (time-major, as tasks.Batch). It returns the states [T,B,H]
// and the logits [T,B,O].
func SequenceGraph(alpha float64, pn ParamNodes, x *graph.Node) (states, logits *graph.Node) {
	g := x.Graph()
	dims := x.Shape().Dimensions
	T, B, I := dims[0], dims[1], dims[2]
	H := pn.WRr.Shape().Dimensions[0]
	O := pn.WRo.Shape().Dimensions[1]
	hs := make([]*graph.Node, T)
	var h *graph.Node
	for t := 0; t < T; t++ {
		xt := graph.Reshape(graph.Slice(x, graph.AxisElem(t)), B, I)
		ins := graph.Dot(xt, pn.WIr).Product()
		if h == nil {
			// Zero initial state: h W_rr = 0 and the leak term vanishes.
			h = leakRelu(alpha, pn, ins, graph.Zeros(g, shapes.Make(x.DType(), B, H)))
		} else {
			h = leakRelu(alpha, pn, graph.Add(ins, graph.Dot(h, pn.WRr).Product()), h)
		}
		hs[t] = h
	}
	states = graph.Stack(hs, 0) // [T,B,H]
	logits = ReadoutGraph(pn, graph.Reshape(states, T*B, H))
	return states, graph.Reshape(logits, T, B, O)
}

// CrossEntropyGraph is the mean cross-entropy of logits [T,B,O] against
// integer labels [T,B] over all T*B samples:
//
//	L = 1/(T B) sum_{t,b} ( logsumexp(o_tb) - o_tb[y_tb] )
//
// the 'mean' reduction of BrainPy's cross_entropy_loss and of PyTorch's
// nn.CrossEntropyLoss on the flattened (T*B, O) logits.
func CrossEntropyGraph(logits, labels *graph.Node) *graph.Node {
	dims := logits.Shape().Dimensions
	O := dims[len(dims)-1]
	N := logits.Shape().Size() / O
	flat := graph.Reshape(logits, N, O)
	logp := graph.LogSoftmax(flat, -1)
	onehot := graph.OneHot(graph.Reshape(labels, N), O, logits.DType())
	return graph.MulScalar(graph.ReduceAllSum(graph.Mul(logp, onehot)), -1/float64(N))
}

// SequenceLossGraph runs the network over x [T,B,I] from the zero state and
// returns the mean cross-entropy against labels [T,B] (see
// CrossEntropyGraph) and the logits [T,B,O].
func SequenceLossGraph(alpha float64, pn ParamNodes, x, labels *graph.Node) (loss, logits *graph.Node) {
	_, logits = SequenceGraph(alpha, pn, x)
	return CrossEntropyGraph(logits, labels), logits
}
