package models

// The LSTM cell: its graph, plain-Go step, the per-step kernels of the
// gated CPU engine (cpu_gated.go) and of the gated fixed-point evaluator
// (fp_gated.go), and its gates over a sequence (LSTMGates).

import (
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/graph"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/internal/f32"
)

// CellLSTM is PyTorch's nn.LSTM; its state is (h, c), h first. With
// a = x W_ih + b_ih + b_hh + h W_hh (4H, gates i, f, g, o),
//
//	i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o)
//	c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
const CellLSTM = "lstm"

// lstmCell is CellLSTM.
type lstmCell struct{}

func (lstmCell) Name() string { return CellLSTM }

func (lstmCell) Summary() string {
	return "long short-term memory, PyTorch's nn.LSTM (gates i, f, g, o); state (h, c)"
}

func (lstmCell) Options() CellOptions { return CellOptions{} }

func (lstmCell) StateSize(c Config) int { return 2 * c.NumHidden }
func (lstmCell) ReadSize(c Config) int  { return c.NumHidden }

func (lstmCell) Params(c Config) []ParamSpec { return gatedParams(c, 4, "i, f, g, o") }

func (lstmCell) Init(c Config, rng *rand.Rand) [][]float32 { return initGated(c, rng) }

func (lstmCell) Graph(c Config, pn []*graph.Node, _ *graph.Node) CellGraph {
	return &lstmGraph{cfg: c, pn: pn}
}

type lstmGraph struct {
	cfg Config
	pn  []*graph.Node
}

func (c *lstmGraph) InputProj(x *graph.Node) *graph.Node { return graph.Dot(x, c.pn[0]).Product() }

func (c *lstmGraph) Rates(s *graph.Node) *graph.Node {
	return graph.SliceAxis(s, 1, graph.AxisRange(0, c.cfg.NumHidden))
}

func (c *lstmGraph) Step(xw, s, _ *graph.Node) *graph.Node {
	H := c.cfg.NumHidden
	g := graph.Add(xw, rowOf(graph.Add(c.pn[2], c.pn[3])))
	var cprev *graph.Node
	if s != nil {
		h := graph.SliceAxis(s, 1, graph.AxisRange(0, H))
		cprev = graph.SliceAxis(s, 1, graph.AxisRange(H, 2*H))
		g = graph.Add(g, graph.Dot(h, c.pn[1]).Product())
	}
	ig, fg := graph.Logistic(gateOf(g, 0, H)), graph.Logistic(gateOf(g, 1, H))
	gg, og := graph.Tanh(gateOf(g, 2, H)), graph.Logistic(gateOf(g, 3, H))
	cn := graph.Mul(ig, gg)
	if cprev != nil {
		cn = graph.Add(cn, graph.Mul(fg, cprev))
	}
	hn := graph.Mul(og, graph.Tanh(cn))
	return graph.Concatenate([]*graph.Node{hn, cn}, 1)
}

func (lstmCell) Step(p *Params, x, s, out []float32) {
	H := p.NumHidden
	g := make([]float32, 4*H)
	lstmStep(p, x, s, g, out)
}

// lstmStep is one step of the LSTM p from state s (h then c) and input x,
// in plain Go: it writes the gate pre-activations into z (4H) and the
// gates i, f, g, o into z in their place, and the next state into out.
func lstmStep(p *Params, x, s, z, out []float32) {
	H := p.NumHidden
	for j := range z {
		z[j] = p.Values[2][j] + p.Values[3][j]
	}
	matVecAdd(z, x, p.Values[0])
	matVecAdd(z, s[:H], p.Values[1])
	for j := range H {
		i, f := sigmoid(z[j]), sigmoid(z[H+j])
		gg, o := tanhf(z[2*H+j]), sigmoid(z[3*H+j])
		c := f*s[H+j] + i*gg
		out[H+j] = c
		out[j] = o * tanhf(c)
		z[j], z[H+j], z[2*H+j], z[3*H+j] = i, f, gg, o
	}
}

func (lstmCell) Rates(p *Params, s, out []float32) { copy(out, s[:p.NumHidden]) }

func (lstmCell) EffectiveRecurrent(*Params) []float32 { return nil }

func (lstmCell) NewCPUEngine(c Config) (Engine, error) { return asEngine(NewGatedCPUEngine(c)) }

func (lstmCell) NewCPUEvaluator(p *Params) (fixedpoints.InputJacobianEvaluator, error) {
	return asEvaluator(NewGatedEvaluator(p))
}

// gatedKernel implements gatedCell.
func (lstmCell) gatedKernel() gatedKernel { return lstmKernel{} }

// lstmKernel is the LSTM's part of the gated CPU engine and evaluator.
type lstmKernel struct{}

func (lstmKernel) gates() int         { return 4 }
func (lstmKernel) biasOnInput() bool  { return true }
func (lstmKernel) hasCellState() bool { return true }

// forward computes the gates i, f, g, o (into gt), c_t (into cn), h_t
// (into hn) and tanh c_t (into aux) from the input projection xg (biases
// included), gh = h W_hh and c = c_{t-1}.
func (lstmKernel) forward(xg, gh, _, c, gt, aux, hn, cn []float32) {
	H := len(c)
	gt = gt[:4*H]
	gi, gf, gg, gout := gt[:H], gt[H:2*H], gt[2*H:3*H], gt[3*H:4*H]
	cn, hn, aux = cn[:H], hn[:H], aux[:H]
	// The four gates, eight lanes at a time: σ for i, f, o and tanh for g.
	for j := range gt {
		gt[j] = xg[j] + gh[j]
	}
	f32.Sigmoid(gt[:2*H], gt[:2*H])
	f32.Tanh(gg, gg)
	f32.Sigmoid(gout, gout)
	for j, cp := range c {
		cn[j] = gf[j]*cp + gi[j]*gg[j]
	}
	f32.Tanh(aux, cn)
	for j, o := range gout {
		hn[j] = o * aux[j]
	}
}

// backward computes δa (into da and dg: the bias b_hh is on the input
// side) from δh_t (dh), the carried δc (dc, updated in place to the
// gradient reaching c_{t-1}), the gates, tanh c_t (aux) and c_{t-1} (cp),
// and clears dhp (δh_{t-1} has no direct part):
//
//	δc = δc_{t+1} + δh o (1 - tanh²c_t),  δo = δh tanh c_t
//	δa = (δc g i(1-i), δc c_{t-1} f(1-f), δc i (1-g²), δo o(1-o)),  δc_{t-1} = δc f
func (lstmKernel) backward(dh, dc, _, cp, gt, aux, da, dg, dhp []float32) {
	H := len(dh)
	gi, gf, gg, gout := gt[:H], gt[H:2*H], gt[2*H:3*H], gt[3*H:4*H]
	ai, af, ag, ao := da[:H], da[H:2*H], da[2*H:3*H], da[3*H:4*H]
	dc, aux, cp, dhp = dc[:H], aux[:H], cp[:H], dhp[:H]
	for j, d := range dh {
		i, f, g, o, th := gi[j], gf[j], gg[j], gout[j], aux[j]
		c := dc[j] + d*o*(1-th*th)
		ai[j] = c * g * i * (1 - i)
		af[j] = c * cp[j] * f * (1 - f)
		ag[j] = c * i * (1 - g*g)
		ao[j] = d * th * o * (1 - o)
		dc[j] = c * f
		dhp[j] = 0
	}
	copy(dg, da)
}

// vjp is gruKernel.vjp for the LSTM at state s = (h, c) and v = (v_h,
// v_c), with t = tanh(c'):
//
//	δc = v_c + v_h o (1 - t²)
//	dgh = dgi = (δc g i(1-i), δc c f(1-f), δc i (1-g²), v_h t o(1-o)),  ds = (0, δc f)
func (lstmKernel) vjp(s, gi, gh, v, dgh, dgi, ds []float32) {
	H := len(gi) / 4
	for j := range H {
		g0, g1, g2, g3 := gi[j]+gh[j], gi[H+j]+gh[H+j], gi[2*H+j]+gh[2*H+j], gi[3*H+j]+gh[3*H+j]
		ig, fg, gg, og := sigmoid(g0), sigmoid(g1), tanhf(g2), sigmoid(g3)
		c := s[H+j]
		t := tanhf(fg*c + ig*gg)
		dc := v[H+j] + v[j]*og*(1-t*t)
		dgh[j] = dc * gg * ig * (1 - ig)
		dgh[H+j] = dc * c * fg * (1 - fg)
		dgh[2*H+j] = dc * ig * (1 - gg*gg)
		dgh[3*H+j] = v[j] * t * og * (1 - og)
		ds[j], ds[H+j] = 0, dc*fg
	}
	copy(dgi, dgh)
}

// point is gruKernel.point for the LSTM (h then c): the residual into out,
// the direct part of v − Jᵀv into gout and the gate cotangents into d.
func (lstmKernel) point(s, gi, gh, d, out, gout []float32) {
	H := len(gi) / 4
	for j := range H {
		g0, g1, g2, g3 := gi[j]+gh[j], gi[H+j]+gh[H+j], gi[2*H+j]+gh[2*H+j], gi[3*H+j]+gh[3*H+j]
		ig, fg, gg, og := sigmoid(g0), sigmoid(g1), tanhf(g2), sigmoid(g3)
		c := s[H+j]
		cn := fg*c + ig*gg
		t := tanhf(cn)
		hn := og * t
		vh, vc := s[j]-hn, c-cn
		out[j], out[H+j] = vh, vc
		if gout == nil {
			continue
		}
		dc := vc + vh*og*(1-t*t)
		d[j] = dc * gg * ig * (1 - ig)
		d[H+j] = dc * c * fg * (1 - fg)
		d[2*H+j] = dc * ig * (1 - gg*gg)
		d[3*H+j] = vh * t * og * (1 - og)
		gout[j] = vh
		gout[H+j] = vc - dc*fg
	}
}

// LSTMGates holds what an LSTM computes inside its cell at every step of
// one sequence, each row-major [T][H]: with PyTorch's gate order (i, f, g,
// o) along the columns of w_ih (I,4H) and w_hh (H,4H),
//
//	z_t = x_t w_ih + h_{t-1} w_hh + b_ih + b_hh            (length 4H)
//	i_t = σ(z_t[0:H])      input gate
//	f_t = σ(z_t[H:2H])     forget gate
//	g_t = tanh(z_t[2H:3H]) cell input
//	o_t = σ(z_t[3H:4H])    output gate
//	c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t,   h_t = o_t ⊙ tanh(c_t)
//
// from h_0 = c_0 = 0: nn-brain's MyLSTM readout dictionary (ingate,
// forgetgate, input, outgate, cell, output).
type LSTMGates struct {
	// T is the number of steps and H the number of units.
	T, H int
	// Input, Forget, Cell and Output are i, f, g and o.
	Input, Forget, Cell, Output []float32
	// C and Hidden are the cell state c and the output h.
	C, Hidden []float32
	// Out is the network's read-out h_t w_ro + b_ro, [T][NumOutput].
	Out []float32
}

// Gates recomputes the gates of the LSTM p on the inputs xs, row-major
// [T][NumInput], without noise, with the step of Params.Step: Hidden and C
// are the h and c halves of p.Forward's states.
func (p *Params) Gates(xs []float32) (*LSTMGates, error) {
	if _, ok := p.cell().(lstmCell); !ok {
		return nil, errorf("Gates: the network is a %s, not an %s", p.CellName(), CellLSTM)
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
	}
	I, H, O := p.NumInput, p.NumHidden, p.NumOutput
	if len(xs) == 0 || len(xs)%I != 0 {
		return nil, errorf("Gates: %d input values is not a positive multiple of %d inputs", len(xs), I)
	}
	T := len(xs) / I
	g := &LSTMGates{T: T, H: H}
	for _, s := range []*[]float32{&g.Input, &g.Forget, &g.Cell, &g.Output, &g.C, &g.Hidden} {
		*s = make([]float32, T*H)
	}
	g.Out = make([]float32, T*O)
	s, next := make([]float32, 2*H), make([]float32, 2*H)
	z := make([]float32, 4*H)
	for t := range T {
		lstmStep(p, xs[t*I:(t+1)*I], s, z, next)
		s, next = next, s
		row := t * H
		copy(g.Input[row:row+H], z[:H])
		copy(g.Forget[row:row+H], z[H:2*H])
		copy(g.Cell[row:row+H], z[2*H:3*H])
		copy(g.Output[row:row+H], z[3*H:])
		copy(g.Hidden[row:row+H], s[:H])
		copy(g.C[row:row+H], s[H:])
		p.Readout(s, g.Out[t*O:(t+1)*O])
	}
	return g, nil
}

// tanhf is tanh in float64, rounded to float32.
func tanhf(x float32) float32 { return float32(math.Tanh(float64(x))) }
