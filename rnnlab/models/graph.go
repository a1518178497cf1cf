package models

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// ConstParamNodes puts the weights of p into g as float32 constants, in the
// order of Config.ParamNames.
func ConstParamNodes(g *graph.Graph, p *Params) []*graph.Node {
	shp := p.Shapes()
	nodes := make([]*graph.Node, len(p.Values))
	for i, data := range p.Values {
		t := tensors.FromFlatDataAndDimensions(append([]float32(nil), data...), shp[i]...)
		nodes[i] = graph.ConstTensor(g, t)
	}
	return nodes
}

// constCellNodes is ConstParamNodes plus, when p has a connectivity mask,
// the mask [H,H] as one more constant (see SequenceGraph).
func constCellNodes(g *graph.Graph, p *Params) []*graph.Node {
	nodes := ConstParamNodes(g, p)
	if p.Mask != nil {
		H := p.NumHidden
		t := tensors.FromFlatDataAndDimensions(append([]float32(nil), p.Mask...), H, H)
		nodes = append(nodes, graph.ConstTensor(g, t))
	}
	return nodes
}

// convertAll returns the nodes converted to dtype (no-op when equal).
func convertAll(nodes []*graph.Node, dtype dtypes.DType) []*graph.Node {
	out := make([]*graph.Node, len(nodes))
	for i, n := range nodes {
		out[i] = n
		if n.DType() != dtype {
			out[i] = graph.ConvertDType(n, dtype)
		}
	}
	return out
}

// CellFunc returns the trained one-step map F(u, s) of p, with the weights
// baked in as constants of s's graph, for fixed-point analysis. The state
// s is the cell's whole state (Config.StateSize: 2H for the LSTM, h then
// c); there is no noise.
//
// s is [N,S] (N states) or [S] (one state, returned as [S]). u is [N,I] (one
// input per state) or [I] / [1,I] (one input shared by all states, broadcast).
// The weights are converted to s's dtype, so float64 states work too; u is
// converted to s's dtype as well.
func (p *Params) CellFunc() func(u, s *graph.Node) *graph.Node {
	q := p.Clone()
	I, S := q.NumInput, q.StateSize()
	return func(u, s *graph.Node) *graph.Node {
		g := s.Graph()
		dtype := s.DType()
		c := newNetGraph(q.Config, convertAll(constCellNodes(g, q), dtype))
		if u.DType() != dtype {
			u = graph.ConvertDType(u, dtype)
		}
		squeeze := false
		if s.Rank() == 1 {
			s = graph.Reshape(s, 1, S)
			squeeze = true
		}
		if s.Rank() != 2 || s.Shape().Dimensions[1] != S {
			panic(fmt.Sprintf("models: CellFunc: state shape %s, want [N,%d] or [%d]", s.Shape(), S, S))
		}
		N := s.Shape().Dimensions[0]
		if u.Rank() == 1 {
			u = graph.Reshape(u, 1, I)
		}
		if u.Rank() != 2 || u.Shape().Dimensions[1] != I {
			panic(fmt.Sprintf("models: CellFunc: input shape %s, want [N,%d], [1,%d] or [%d]", u.Shape(), I, I, I))
		}
		uw := c.InputProj(u) // [1,G] or [N,G]
		switch un := u.Shape().Dimensions[0]; {
		case un == N:
		case un == 1:
			uw = graph.BroadcastToDims(uw, N, uw.Shape().Dimensions[1])
		default:
			panic(fmt.Sprintf("models: CellFunc: %d inputs for %d states", un, N))
		}
		out := c.Step(uw, s, nil)
		if squeeze {
			out = graph.Reshape(out, S)
		}
		return out
	}
}

// SequenceGraph runs the network of cfg over a whole batch from the zero
// state, unrolled in time (no While loop, so autodiff works on every
// backend). pn are the parameters in the order of Config.ParamNames,
// optionally followed by a fixed connectivity mask M [H,H] (Params.Mask)
// for the cells that take one (the CTRNN then uses W_rr ⊙ M).
//
// x is [T,B,I] (time-major, as tasks.Batch); noise is nil or [T,B,H] of
// standard-normal draws (scaled by the cell, see Config.SigmaRec). It
// returns the states [T,B,S], the rates [T,B,H] and the logits [T,B,O].
func SequenceGraph(cfg Config, pn []*graph.Node, x, noise *graph.Node) (states, rates, logits *graph.Node) {
	dims := x.Shape().Dimensions
	T, B, I := dims[0], dims[1], dims[2]
	H, S, O := cfg.NumHidden, cfg.StateSize(), cfg.NumOutput
	c := newNetGraph(cfg, pn)
	// One product for all input projections: [T*B, I] x [I, G].
	xw := c.InputProj(graph.Reshape(x, T*B, I))
	G := xw.Shape().Dimensions[1]
	xw = graph.Reshape(xw, T, B, G)
	ss := make([]*graph.Node, T)
	var s *graph.Node // nil: the zero state
	for t := 0; t < T; t++ {
		xt := graph.Reshape(graph.Slice(xw, graph.AxisElem(t)), B, G)
		var nt *graph.Node
		if noise != nil && cfg.SigmaRec > 0 {
			nt = graph.Reshape(graph.Slice(noise, graph.AxisElem(t)), B, H)
		}
		s = c.Step(xt, s, nt)
		ss[t] = s
	}
	states = graph.Stack(ss, 0) // [T,B,S]
	flat := c.Rates(graph.Reshape(states, T*B, S))
	logits = graph.Reshape(c.readout(flat), T, B, O)
	return states, graph.Reshape(flat, T, B, H), logits
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

// MaskedMSEGraph is LossMSE: the mean over all elements of
// (mask ⊙ (y - targets))², with y = sigmoid(logits) when sigmoid is set.
// logits, targets and mask have the same shape.
func MaskedMSEGraph(logits, targets, mask *graph.Node, sigmoid bool) *graph.Node {
	y := logits
	if sigmoid {
		y = graph.Logistic(y)
	}
	return graph.ReduceAllMean(graph.Square(graph.Mul(mask, graph.Sub(y, targets))))
}

// LossGraph is the training objective of cfg for a batch: SequenceGraph,
// then cross-entropy against labels [T,B] (LossCE) or the masked mean
// squared error against targets and mask [T,B,O] (LossMSE; labels unused;
// pn as SequenceGraph, with an optional connectivity mask last),
// plus the rate penalties RateL1·mean|r| + RateL2·mean r². It returns the
// loss and the logits [T,B,O].
func LossGraph(cfg Config, pn []*graph.Node, x, noise, labels, targets, mask *graph.Node) (loss, logits *graph.Node) {
	_, rates, logits := SequenceGraph(cfg, pn, x, noise)
	if cfg.LossName() == LossMSE {
		loss = MaskedMSEGraph(logits, targets, mask, cfg.Sigmoid)
	} else {
		loss = CrossEntropyGraph(logits, labels)
	}
	if cfg.RateL1 > 0 {
		loss = graph.Add(loss, graph.MulScalar(graph.ReduceAllMean(graph.Abs(rates)), cfg.RateL1))
	}
	if cfg.RateL2 > 0 {
		loss = graph.Add(loss, graph.MulScalar(graph.ReduceAllMean(graph.Square(rates)), cfg.RateL2))
	}
	return loss, logits
}
