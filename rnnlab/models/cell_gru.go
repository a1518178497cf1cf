package models

// The GRU cell: its graph, plain-Go step, the per-step kernels of the gated
// CPU engine (cpu_gated.go) and of the gated fixed-point evaluator
// (fp_gated.go).

import (
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/graph"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/internal/f32"
)

// CellGRU is PyTorch's nn.GRU: with a = x W_ih + b_ih and g = h W_hh + b_hh
// (3H each, gates r, z, n),
//
//	r = σ(a_r + g_r),  z = σ(a_z + g_z),  n = tanh(a_n + r ⊙ g_n)
//	h' = (1 - z) ⊙ n + z ⊙ h
const CellGRU = "gru"

// gruCell is CellGRU.
type gruCell struct{}

func (gruCell) Name() string { return CellGRU }

func (gruCell) Summary() string { return "gated recurrent unit, PyTorch's nn.GRU (gates r, z, n)" }

func (gruCell) Options() CellOptions { return CellOptions{} }

func (gruCell) StateSize(c Config) int { return c.NumHidden }
func (gruCell) ReadSize(c Config) int  { return c.NumHidden }

func (gruCell) Params(c Config) []ParamSpec { return gatedParams(c, 3, "r, z, n") }

// gatedParams are the tensors of a gated cell of k gates: PyTorch's
// weight_ih_l0, weight_hh_l0 transposed, bias_ih_l0, bias_hh_l0, then an
// nn.Linear read-out.
func gatedParams(c Config, k int, gates string) []ParamSpec {
	I, H, O := c.NumInput, c.NumHidden, c.NumOutput
	return []ParamSpec{
		{"w_ih", []int{I, k * H}, "input weights, x @ w_ih; column blocks of H for the gates " + gates + " (PyTorch's weight_ih_l0 transposed)"},
		{"w_hh", []int{H, k * H}, "recurrent weights, h @ w_hh; gates " + gates + " (PyTorch's weight_hh_l0 transposed)"},
		{"b_ih", []int{k * H}, "input-side bias, gates " + gates + " (PyTorch's bias_ih_l0)"},
		{"b_hh", []int{k * H}, "recurrent-side bias, gates " + gates + " (PyTorch's bias_hh_l0)"},
		{"w_ro", []int{H, O}, "read-out weights, h @ w_ro"},
		{"b_ro", []int{O}, "read-out bias"},
	}
}

// initGated is PyTorch's initialisation of a recurrent layer and an
// nn.Linear(H, O) read-out: every tensor uniform in ±1/sqrt(H).
func initGated(c Config, rng *rand.Rand) [][]float32 {
	return uniformAll(rng, c.sizes(), 1/math.Sqrt(float64(c.NumHidden)))
}

func (gruCell) Init(c Config, rng *rand.Rand) [][]float32 { return initGated(c, rng) }

func (gruCell) Graph(c Config, pn []*graph.Node, _ *graph.Node) CellGraph {
	return &gruGraph{cfg: c, pn: pn}
}

type gruGraph struct {
	cfg Config
	pn  []*graph.Node
}

func (c *gruGraph) InputProj(x *graph.Node) *graph.Node { return graph.Dot(x, c.pn[0]).Product() }
func (c *gruGraph) Rates(s *graph.Node) *graph.Node     { return s }

func (c *gruGraph) Step(xw, s, _ *graph.Node) *graph.Node {
	H := c.cfg.NumHidden
	N := xw.Shape().Dimensions[0]
	gi := graph.Add(xw, rowOf(c.pn[2]))
	gh := graph.BroadcastToDims(rowOf(c.pn[3]), N, 3*H)
	if s != nil {
		gh = graph.Add(graph.Dot(s, c.pn[1]).Product(), gh)
	}
	r := graph.Logistic(graph.Add(gateOf(gi, 0, H), gateOf(gh, 0, H)))
	z := graph.Logistic(graph.Add(gateOf(gi, 1, H), gateOf(gh, 1, H)))
	n := graph.Tanh(graph.Add(gateOf(gi, 2, H), graph.Mul(r, gateOf(gh, 2, H))))
	hn := graph.Mul(graph.Sub(graph.OnesLike(z), z), n)
	if s != nil {
		hn = graph.Add(hn, graph.Mul(z, s))
	}
	return hn
}

func (gruCell) Step(p *Params, x, s, out []float32) {
	H := p.NumHidden
	gi := make([]float32, 3*H)
	gh := make([]float32, 3*H)
	copy(gi, p.Values[2])
	copy(gh, p.Values[3])
	matVecAdd(gi, x, p.Values[0])
	matVecAdd(gh, s[:H], p.Values[1])
	for j := range H {
		r := sigmoid(gi[j] + gh[j])
		z := sigmoid(gi[H+j] + gh[H+j])
		n := float32(math.Tanh(float64(gi[2*H+j] + r*gh[2*H+j])))
		out[j] = (1-z)*n + z*s[j]
	}
}

func (gruCell) Rates(p *Params, s, out []float32) { copy(out, s[:p.NumHidden]) }

func (gruCell) EffectiveRecurrent(*Params) []float32 { return nil }

func (gruCell) NewCPUEngine(c Config) (Engine, error) { return asEngine(NewGatedCPUEngine(c)) }

func (gruCell) NewCPUEvaluator(p *Params) (fixedpoints.InputJacobianEvaluator, error) {
	return asEvaluator(NewGatedEvaluator(p))
}

// gatedKernel implements gatedCell.
func (gruCell) gatedKernel() gatedKernel { return gruKernel{} }

// gruKernel is the GRU's part of the gated CPU engine and evaluator.
type gruKernel struct{}

func (gruKernel) gates() int         { return 3 }
func (gruKernel) biasOnInput() bool  { return false }
func (gruKernel) hasCellState() bool { return false }

// forward computes the gates r, z, n (into gt), g_n (into aux) and h_t
// (into hn) from the input projection xg, gh = h W_hh + b_hh and h =
// h_{t-1}.
func (gruKernel) forward(xg, gh, h, _, gt, aux, hn, _ []float32) {
	H := len(h)
	xn := xg[2*H : 3*H]
	hnn := gh[2*H : 3*H]
	gr, gz, gn := gt[:H], gt[H:2*H], gt[2*H:3*H]
	aux, hn = aux[:H], hn[:H]
	// r and z: σ of the summed projections, eight lanes at a time.
	rz := gt[:2*H]
	for j := range rz {
		rz[j] = xg[j] + gh[j]
	}
	f32.Sigmoid(rz, rz)
	for j, v := range hnn {
		aux[j] = v
		gn[j] = xn[j] + gr[j]*v
	}
	f32.Tanh(gn, gn)
	for j, hp := range h {
		z := gz[j]
		hn[j] = (1-z)*gn[j] + z*hp
	}
}

// backward computes δa (into da) and δg (into dg) from δh_t (dh), h_{t-1}
// (hp), the gates and g_n (aux), and sets dhp to the direct part z ⊙ δh of
// δh_{t-1}:
//
//	δa_n = δh (1-z)(1-n²),  δa_r = δa_n g_n r(1-r),  δa_z = δh (h_{t-1} - n) z(1-z)
//	δg = (δa_r, δa_z, r ⊙ δa_n),  δa = (δa_r, δa_z, δa_n)
func (gruKernel) backward(dh, _, hp, _, gt, aux, da, dg, dhp []float32) {
	H := len(dh)
	gr, gz, gn := gt[:H], gt[H:2*H], gt[2*H:3*H]
	ar, az, an := da[:H], da[H:2*H], da[2*H:3*H]
	hr, hz, hn := dg[:H], dg[H:2*H], dg[2*H:3*H]
	hp, aux, dhp = hp[:H], aux[:H], dhp[:H]
	for j, d := range dh {
		r, z, n := gr[j], gz[j], gn[j]
		dan := d * (1 - z) * (1 - n*n)
		dar := dan * aux[j] * r * (1 - r)
		daz := d * (hp[j] - n) * z * (1 - z)
		ar[j], az[j], an[j] = dar, daz, dan
		hr[j], hz[j], hn[j] = dar, daz, r*dan
		dhp[j] = z * d
	}
}

// vjp writes, at state h with gate pre-activations gi = u W_ih + b_ih and
// gh = h W_hh + b_hh, the vector-Jacobian products with the cotangent v:
// the cotangents dgh and dgi of gh and gi and the direct part ds of Jᵀv,
// so that Jᵀv = ds + dgh W_hhᵀ and (∂F/∂u)ᵀv = dgi W_ihᵀ:
//
//	a_n = v (1-z)(1-n²),  a_z = v (h-n) z(1-z),  a_r = a_n g_h,n r(1-r)
//	dgh = (a_r, a_z, a_n r),  dgi = (a_r, a_z, a_n),  ds = v z
func (gruKernel) vjp(h, gi, gh, v, dgh, dgi, ds []float32) {
	H := len(gi) / 3
	for j := range H {
		rg := sigmoid(gi[j] + gh[j])
		z := sigmoid(gi[H+j] + gh[H+j])
		nn := tanhf(gi[2*H+j] + rg*gh[2*H+j])
		an := v[j] * (1 - z) * (1 - nn*nn)
		dr := an * gh[2*H+j] * rg * (1 - rg)
		dz := v[j] * (h[j] - nn) * z * (1 - z)
		dgh[j], dgh[H+j], dgh[2*H+j] = dr, dz, an*rg
		dgi[j], dgi[H+j], dgi[2*H+j] = dr, dz, an
		ds[j] = v[j] * z
	}
}

// point writes the residual v = h − F(h) into out and, when gout is not
// nil, the direct part v − v ⊙ z of v − Jᵀv into gout and the gate
// cotangents dgh of vjp(v) into d (the evaluator subtracts d W_hhᵀ).
func (gruKernel) point(h, gi, gh, d, out, gout []float32) {
	H := len(gi) / 3
	for j := range H {
		rg := sigmoid(gi[j] + gh[j])
		z := sigmoid(gi[H+j] + gh[H+j])
		nn := tanhf(gi[2*H+j] + rg*gh[2*H+j])
		v := h[j] - ((1-z)*nn + z*h[j])
		out[j] = v
		if gout == nil {
			continue
		}
		an := v * (1 - z) * (1 - nn*nn)
		d[j] = an * gh[2*H+j] * rg * (1 - rg)
		d[H+j] = v * (h[j] - nn) * z * (1 - z)
		d[2*H+j] = an * rg
		gout[j] = v - v*z
	}
}
