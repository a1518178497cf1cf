package models

// The update-gate RNN: its graph, plain-Go step, and the per-step kernels
// with which the gated CPU engine (cpu_gated.go) trains it and the gated
// fixed-point evaluator (fp_gated.go) analyses it.

import (
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/graph"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/internal/f32"
)

// CellUGRNN is the update-gate RNN of Collins, Sohl-Dickstein & Sussillo
// (2017, "Capacity and trainability in recurrent neural networks", ICLR):
//
//	c  = tanh(W^cx x + W^ch h + b^c)
//	g  = σ(W^gx x + W^gh h + b^g)
//	h' = g ⊙ h + (1 - g) ⊙ c
//
// The gate g retains: g → 1 keeps the old state, g → 0 replaces it by the
// candidate c (the convention of the paper and of TensorFlow's UGRNNCell;
// PyTorch's GRU writes its update gate z the same way). The parameters
// follow PyTorch's recurrent layers, as the GRU's and LSTM's: w_ih (I,2H)
// and w_hh (H,2H) hold the columns of c then g, and the paper's bias is
// split in two, b_ih + b_hh = (b^c, b^g). There is no forget bias: both
// biases are drawn like the weights.
const CellUGRNN = "ugrnn"

// ugrnnCell is CellUGRNN.
type ugrnnCell struct{}

func (ugrnnCell) Name() string { return CellUGRNN }

func (ugrnnCell) Summary() string {
	return "update-gate RNN, h' = g ⊙ h + (1-g) ⊙ tanh(W_c [x, h] + b_c) (Collins, Sohl-Dickstein & Sussillo 2017)"
}

func (ugrnnCell) Options() CellOptions { return CellOptions{} }

func (ugrnnCell) StateSize(c Config) int { return c.NumHidden }
func (ugrnnCell) ReadSize(c Config) int  { return c.NumHidden }

func (ugrnnCell) Params(c Config) []ParamSpec { return gatedParams(c, 2, "c, g") }

func (ugrnnCell) Init(c Config, rng *rand.Rand) [][]float32 { return initGated(c, rng) }

func (ugrnnCell) Graph(c Config, pn []*graph.Node, _ *graph.Node) CellGraph {
	return &ugrnnGraph{cfg: c, pn: pn}
}

type ugrnnGraph struct {
	cfg Config
	pn  []*graph.Node
}

func (c *ugrnnGraph) InputProj(x *graph.Node) *graph.Node { return graph.Dot(x, c.pn[0]).Product() }
func (c *ugrnnGraph) Rates(s *graph.Node) *graph.Node     { return s }

func (c *ugrnnGraph) Step(xw, s, _ *graph.Node) *graph.Node {
	H := c.cfg.NumHidden
	a := graph.Add(xw, rowOf(graph.Add(c.pn[2], c.pn[3])))
	if s != nil {
		a = graph.Add(a, graph.Dot(s, c.pn[1]).Product())
	}
	cand := graph.Tanh(gateOf(a, 0, H))
	g := graph.Logistic(gateOf(a, 1, H))
	hn := graph.Mul(graph.Sub(graph.OnesLike(g), g), cand)
	if s != nil {
		hn = graph.Add(hn, graph.Mul(g, s))
	}
	return hn
}

func (ugrnnCell) Step(p *Params, x, s, out []float32) {
	H := p.NumHidden
	a := make([]float32, 2*H)
	for j := range a {
		a[j] = p.Values[2][j] + p.Values[3][j]
	}
	matVecAdd(a, x, p.Values[0])
	matVecAdd(a, s[:H], p.Values[1])
	for j := range H {
		c, g := tanhf(a[j]), sigmoid(a[H+j])
		out[j] = g*s[j] + (1-g)*c
	}
}

func (ugrnnCell) Rates(p *Params, s, out []float32) { copy(out, s[:p.NumHidden]) }

func (ugrnnCell) EffectiveRecurrent(*Params) []float32 { return nil }

func (ugrnnCell) NewCPUEngine(c Config) (Engine, error) { return asEngine(NewGatedCPUEngine(c)) }

func (ugrnnCell) NewCPUEvaluator(p *Params) (fixedpoints.InputJacobianEvaluator, error) {
	return asEvaluator(NewGatedEvaluator(p))
}

// gatedKernel implements gatedCell.
func (ugrnnCell) gatedKernel() gatedKernel { return ugrnnKernel{} }

// ugrnnKernel is the UGRNN's part of the gated CPU engine and evaluator.
type ugrnnKernel struct{}

func (ugrnnKernel) gates() int         { return 2 }
func (ugrnnKernel) biasOnInput() bool  { return true }
func (ugrnnKernel) hasCellState() bool { return false }

// forward computes c and g (into gt) and h_t (into hn) from the input
// projection xg (both biases included), gh = h W_hh and h = h_{t-1}.
func (ugrnnKernel) forward(xg, gh, h, _, gt, _, hn, _ []float32) {
	H := len(h)
	gt = gt[:2*H]
	for j := range gt {
		gt[j] = xg[j] + gh[j]
	}
	gc, gg := gt[:H], gt[H:2*H]
	f32.Tanh(gc, gc)
	f32.Sigmoid(gg, gg)
	for j, hp := range h {
		g := gg[j]
		hn[j] = g*hp + (1-g)*gc[j]
	}
}

// backward computes δa (into da and dg: both biases are on the input side)
// from δh_t (dh), h_{t-1} (hp) and the gates, and sets dhp to the direct
// part g ⊙ δh of δh_{t-1}:
//
//	δa_c = δh (1-g)(1-c²),  δa_g = δh (h_{t-1} - c) g(1-g)
func (ugrnnKernel) backward(dh, _, hp, _, gt, _, da, dg, dhp []float32) {
	H := len(dh)
	gc, gg := gt[:H], gt[H:2*H]
	ac, ag := da[:H], da[H:2*H]
	hp, dhp = hp[:H], dhp[:H]
	for j, d := range dh {
		c, g := gc[j], gg[j]
		ac[j] = d * (1 - g) * (1 - c*c)
		ag[j] = d * (hp[j] - c) * g * (1 - g)
		dhp[j] = g * d
	}
	copy(dg, da)
}

// vjp is gruKernel.vjp for the UGRNN:
//
//	dgh = dgi = (v (1-g)(1-c²), v (h-c) g(1-g)),  ds = v g
func (ugrnnKernel) vjp(h, gi, gh, v, dgh, dgi, ds []float32) {
	H := len(gi) / 2
	for j := range H {
		c, g := tanhf(gi[j]+gh[j]), sigmoid(gi[H+j]+gh[H+j])
		dgh[j] = v[j] * (1 - g) * (1 - c*c)
		dgh[H+j] = v[j] * (h[j] - c) * g * (1 - g)
		ds[j] = v[j] * g
	}
	copy(dgi, dgh)
}

// point is gruKernel.point for the UGRNN: the residual v = h − F(h) into
// out, the direct part v − v ⊙ g into gout and the gate cotangents into d.
func (ugrnnKernel) point(h, gi, gh, d, out, gout []float32) {
	H := len(gi) / 2
	for j := range H {
		c, g := tanhf(gi[j]+gh[j]), sigmoid(gi[H+j]+gh[H+j])
		v := h[j] - (g*h[j] + (1-g)*c)
		out[j] = v
		if gout == nil {
			continue
		}
		d[j] = v * (1 - g) * (1 - c*c)
		d[H+j] = v * (h[j] - c) * g * (1 - g)
		gout[j] = v - v*g
	}
}
