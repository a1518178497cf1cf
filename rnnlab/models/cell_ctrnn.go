package models

// The primer's CTRNN cell, and the step it shares with the E-I cell
// (cell_ei.go): the graph, the plain-Go step and the CPU kernels' settings.
// Its CPU training engine is cpu_engine.go (with cpu_general.go and
// cpu_blas.go), its CPU fixed-point evaluator fp_eval.go.

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gomlx/gomlx/core/graph"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
)

// CellCTRNN is the primer's continuous-time network (the default, also
// spelled ""): the state is the rate,
//
//	h' = f( (1-α) h + α (x W_ir + h W_rr + b_rr) + sqrt(2α) σ_rec ξ )
//
// with α = Dt/Tau, f = Config.Activation and, with a connectivity mask M
// (Params.Mask), W_rr ⊙ M in place of W_rr.
const CellCTRNN = "ctrnn"

// ctrnnCell is CellCTRNN.
type ctrnnCell struct{}

func (ctrnnCell) Name() string { return CellCTRNN }

func (ctrnnCell) Summary() string {
	return "continuous-time rate network, h' = f((1-α)h + α(x W_ir + h W_rr + b_rr)) (Yang & Wang 2020's primer, BrainPy)"
}

func (ctrnnCell) Options() CellOptions {
	return CellOptions{Leak: true, Activation: true, SigmaRec: true, Mask: true}
}

func (ctrnnCell) StateSize(c Config) int { return c.NumHidden }
func (ctrnnCell) ReadSize(c Config) int  { return c.NumHidden }

func (ctrnnCell) Params(c Config) []ParamSpec { return rateParams(c, "W_rr") }

// rateParams are the tensors of the CTRNN family; wrr names what the
// recurrent matrix stores.
func rateParams(c Config, wrr string) []ParamSpec {
	I, H, O, R := c.NumInput, c.NumHidden, c.NumOutput, c.ReadSize()
	return []ParamSpec{
		{"w_ir", []int{I, H}, "input weights W_ir, x @ W_ir"},
		{"w_rr", []int{H, H}, "recurrent weights " + wrr + ", presynaptic rows: r @ W"},
		{"b_rr", []int{H}, "recurrent bias b_rr"},
		{"w_ro", []int{R, O}, "read-out weights W_ro, r[:R] @ W_ro"},
		{"b_ro", []int{O}, "read-out bias b_ro"},
	}
}

// Init is BrainPy's primer network: the three matrices from
// KaimingNormal(scale=1), both biases uniform in ±1/sqrt(H).
func (ctrnnCell) Init(c Config, rng *rand.Rand) [][]float32 {
	I, H, O := c.NumInput, c.NumHidden, c.NumOutput
	bound := 1 / math.Sqrt(float64(H))
	wir := kaimingNormal(rng, I, H)
	wrr := kaimingNormal(rng, H, H)
	wro := kaimingNormal(rng, H, O)
	return [][]float32{wir, wrr, uniform(rng, H, bound), wro, uniform(rng, O, bound)}
}

func (ctrnnCell) Graph(c Config, pn []*graph.Node, mask *graph.Node) CellGraph {
	wrr := pn[1]
	if mask != nil {
		wrr = graph.Mul(pn[1], mask)
	}
	return &rateGraph{cfg: c, pn: pn, wrr: wrr}
}

func (ctrnnCell) Step(p *Params, x, s, out []float32) {
	rateStep(p, x, s, out, p.ctrnnRecurrent(), s, false)
}

func (ctrnnCell) Rates(p *Params, s, out []float32) { copy(out, s[:p.NumHidden]) }

func (ctrnnCell) EffectiveRecurrent(p *Params) []float32 {
	w := slices.Clone(p.Values[1])
	applyMask(w, p.Mask)
	return w
}

func (ctrnnCell) NewCPUEngine(c Config) (Engine, error) { return asEngine(NewCPUEngine(c)) }

// NewCPUEvaluator is CTRNNEvaluator for a relu CTRNN; other activations
// use GoMLX.
func (ctrnnCell) NewCPUEvaluator(p *Params) (fixedpoints.InputJacobianEvaluator, error) {
	if p.ActivationName() != ActReLU {
		return nil, nil
	}
	return asEvaluator(NewCTRNNEvaluator(p))
}

// rateKernel implements rateCell: the state is the rate, the recurrent
// matrix W_rr (⊙ M), and the relu/cross-entropy configuration runs the
// primer's path.
func (ctrnnCell) rateKernel() rateKernel {
	return rateKernel{primer: true, pack: func(_ Config, wrr, dst []float32) { copy(dst, wrr) }}
}

// ctrnnRecurrent is the CTRNN's effective W_rr: Values[1] itself (not a
// copy) without a mask, else W_rr ⊙ M (EffectiveRecurrent).
func (p *Params) ctrnnRecurrent() []float32 {
	if p.Mask == nil {
		return p.Values[1]
	}
	return p.EffectiveRecurrent()
}

// rateGraph is the step of the CTRNN family as a GoMLX graph:
//
//	pre = (1-α) s + α (x W_ir + r W + b_rr) + sqrt(2α) σ_rec ξ
//
// with r the rates of s and W = wrr; the next state is f(pre) for the
// CTRNN (the state is the rate) and pre itself when onState is set (the
// E-I cell: the state is q, the rate f(q)).
type rateGraph struct {
	cfg     Config
	pn      []*graph.Node
	wrr     *graph.Node
	onState bool
}

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

func (c *rateGraph) InputProj(x *graph.Node) *graph.Node { return graph.Dot(x, c.pn[0]).Product() }

func (c *rateGraph) Rates(s *graph.Node) *graph.Node {
	if c.onState {
		return activationGraph(c.cfg.ActivationName(), s)
	}
	return s
}

func (c *rateGraph) Step(xw, s, noise *graph.Node) *graph.Node {
	cfg := c.cfg
	a := cfg.Alpha()
	if s == nil && c.onState {
		// The zero state's rates f(0) need not be zero.
		s = graph.Zeros(xw.Graph(), shapeOf(xw, cfg.StateSize()))
	}
	z := xw
	if s != nil {
		z = graph.Add(z, graph.Dot(c.Rates(s), c.wrr).Product())
	}
	z = graph.Add(z, rowOf(c.pn[2]))
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
	if c.onState {
		return pre
	}
	return activationGraph(cfg.ActivationName(), pre)
}

// rateStep is rateGraph.Step in plain Go for one state s, without noise:
// out = (1-α) s + α (x W_ir + r W + b_rr), then f(out) unless onState; r
// are the rates of s (s itself for the CTRNN).
func rateStep(p *Params, x, s, out, w, r []float32, onState bool) {
	H := p.NumHidden
	a := float32(p.Alpha())
	z := out[:H]
	copy(z, p.Values[2])
	matVecAdd(z, x, p.Values[0])
	matVecAdd(z, r, w)
	for j := range z {
		z[j] = (1-a)*s[j] + a*z[j]
	}
	if !onState {
		activate(p.ActivationName(), z)
	}
}
