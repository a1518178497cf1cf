package models

// The GoMLX graph of every cell: the reference definition. The CPU kernels
// are tested against it (cell_engines_test.go).

import (
	"math"

	"github.com/gomlx/gomlx/core/graph"
)

// activationGraph applies f (Config.Activation) elementwise.
func activationGraph(name string, x *graph.Node) *graph.Node {
	switch name {
	case ActSoftplus:
		return graph.Softplus(x)
	case ActTanh:
		return graph.Tanh(x)
	case ActIdentity:
		return x
	}
	return graph.Max(x, graph.ZerosLike(x))
}

// cellGraph is one cell's step and read-out as GoMLX graphs. pn are the
// parameter nodes in the order of Config.ParamNames.
type cellGraph struct {
	cfg Config
	pn  []*graph.Node
	// wrr is the recurrent matrix the CTRNN family uses (W_rr, or the E-I
	// effective weights |W_rr| ⊙ D).
	wrr *graph.Node
}

// newCellGraph prepares the cell of cfg on the parameter nodes pn. One
// node more than Config.ParamNames, last, is the CTRNN's connectivity mask
// M [H,H] (Params.Mask): the cell then uses W_rr ⊙ M.
func newCellGraph(cfg Config, pn []*graph.Node) *cellGraph {
	var mask *graph.Node
	if n := len(cfg.ParamNames()); len(pn) == n+1 {
		pn, mask = pn[:n], pn[n]
		if cfg.CellName() != CellCTRNN {
			panic("models: a connectivity mask needs cell ctrnn, not " + cfg.CellName())
		}
	}
	c := &cellGraph{cfg: cfg, pn: pn}
	switch cfg.CellName() {
	case CellCTRNN:
		c.wrr = pn[1]
		if mask != nil {
			c.wrr = graph.Mul(pn[1], mask)
		}
	case CellEI:
		c.wrr = graph.Mul(graph.Abs(pn[1]), graph.ConstAsDType(pn[1].Graph(), pn[1].DType(), daleSigns(cfg)))
	}
	return c
}

// daleSigns is D of CellEI as an [H][H] constant: +1 on the rows of
// excitatory (presynaptic) units, -1 on inhibitory ones, 0 on the diagonal.
func daleSigns(cfg Config) [][]float64 {
	H, E := cfg.NumHidden, cfg.NumExcitatory()
	d := make([][]float64, H)
	for i := range d {
		d[i] = make([]float64, H)
		for j := range d[i] {
			switch {
			case i == j:
			case i < E:
				d[i][j] = 1
			default:
				d[i][j] = -1
			}
		}
	}
	return d
}

// inputProj is x W_in for x [N,I]: [N,H] for the CTRNN family, [N,3H] for
// the GRU, [N,4H] for the LSTM.
func (c *cellGraph) inputProj(x *graph.Node) *graph.Node {
	return graph.Dot(x, c.pn[0]).Product()
}

// rates returns the rates [N,H] of states s [N,S].
func (c *cellGraph) rates(s *graph.Node) *graph.Node {
	switch c.cfg.CellName() {
	case CellEI:
		return activationGraph(c.cfg.ActivationName(), s)
	case CellLSTM:
		return graph.SliceAxis(s, 1, graph.AxisRange(0, c.cfg.NumHidden))
	}
	return s
}

// step advances states s [N,S] (nil: the zero state) given the input
// projection xw [N,·] (inputProj) and standard-normal recurrent noise
// [N,H] (nil: none; used when SigmaRec > 0).
func (c *cellGraph) step(xw, s, noise *graph.Node) *graph.Node {
	cfg := c.cfg
	H := cfg.NumHidden
	N := xw.Shape().Dimensions[0]
	row := func(b *graph.Node) *graph.Node { return graph.Reshape(b, 1, b.Shape().Dimensions[0]) }
	switch cfg.CellName() {
	case CellCTRNN, CellEI:
		a := cfg.Alpha()
		z := xw
		if s != nil {
			z = graph.Add(z, graph.Dot(c.rates(s), c.wrr).Product())
		}
		z = graph.Add(z, row(c.pn[2]))
		pre := z
		if a != 1 {
			pre = graph.MulScalar(z, a)
			if s != nil {
				pre = graph.Add(pre, graph.MulScalar(s, 1-a))
			}
		}
		if noise != nil && cfg.SigmaRec > 0 {
			pre = graph.Add(pre, graph.MulScalar(noise, math.Sqrt(2*a)*cfg.SigmaRec))
		}
		if cfg.CellName() == CellEI {
			return pre // the state; the rate is f(state)
		}
		return activationGraph(cfg.ActivationName(), pre)
	case CellLeaky:
		return c.leakyStepGraph(xw, s, noise)
	case CellGRU:
		gi := graph.Add(xw, row(c.pn[2]))
		gh := graph.BroadcastToDims(row(c.pn[3]), N, 3*H)
		if s != nil {
			gh = graph.Add(graph.Dot(s, c.pn[1]).Product(), gh)
		}
		part := func(x *graph.Node, k int) *graph.Node { return graph.SliceAxis(x, 1, graph.AxisRange(k*H, (k+1)*H)) }
		r := graph.Logistic(graph.Add(part(gi, 0), part(gh, 0)))
		z := graph.Logistic(graph.Add(part(gi, 1), part(gh, 1)))
		n := graph.Tanh(graph.Add(part(gi, 2), graph.Mul(r, part(gh, 2))))
		one := graph.OnesLike(z)
		hn := graph.Mul(graph.Sub(one, z), n)
		if s != nil {
			hn = graph.Add(hn, graph.Mul(z, s))
		}
		return hn
	case CellLSTM:
		g := graph.Add(xw, row(graph.Add(c.pn[2], c.pn[3])))
		var cprev *graph.Node
		if s != nil {
			h := graph.SliceAxis(s, 1, graph.AxisRange(0, H))
			cprev = graph.SliceAxis(s, 1, graph.AxisRange(H, 2*H))
			g = graph.Add(g, graph.Dot(h, c.pn[1]).Product())
		}
		part := func(k int) *graph.Node { return graph.SliceAxis(g, 1, graph.AxisRange(k*H, (k+1)*H)) }
		ig, fg, gg, og := graph.Logistic(part(0)), graph.Logistic(part(1)), graph.Tanh(part(2)), graph.Logistic(part(3))
		cn := graph.Mul(ig, gg)
		if cprev != nil {
			cn = graph.Add(cn, graph.Mul(fg, cprev))
		}
		hn := graph.Mul(og, graph.Tanh(cn))
		return graph.Concatenate([]*graph.Node{hn, cn}, 1)
	}
	panic("models: unknown cell " + cfg.Cell)
}

// readout returns the logits [N,O] of rates r [N,H]: the first ReadSize
// rates times W_ro plus b_ro.
func (c *cellGraph) readout(r *graph.Node) *graph.Node {
	k := len(c.pn)
	wro, bro := c.pn[k-2], c.pn[k-1]
	if R := c.cfg.ReadSize(); R != c.cfg.NumHidden {
		r = graph.SliceAxis(r, 1, graph.AxisRange(0, R))
	}
	O := bro.Shape().Dimensions[0]
	return graph.Add(graph.Dot(r, wro).Product(), graph.Reshape(bro, 1, O))
}
