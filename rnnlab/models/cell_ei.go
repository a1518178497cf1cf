package models

// The excitatory-inhibitory cell: the CTRNN's step (cell_ctrnn.go) with
// Dale's law on the recurrent weights and the leak on the state. Its CPU
// training engine is the CTRNN family's (cpu_engine.go, cpu_general.go,
// cpu_blas.go), with the settings of rateKernel below; its fixed points are
// found by GoMLX autodiff.

import (
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/graph"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
)

// CellEI is the excitatory-inhibitory network of Song, Yang & Wang (2016)
// as nn-brain's EI_RNN builds it: a state s and a rate r = f(s),
//
//	s' = (1-α) s + α (x W_ir + r W_eff + b_rr) + sqrt(2α) σ_rec ξ,  r' = f(s')
//
// with W_eff = |W_rr| ⊙ D, D[i][j] = +1 for an excitatory presynaptic unit
// i, -1 for an inhibitory one, 0 on the diagonal. The first
// Config.NumExcitatory units are excitatory; the read-out sees their rates
// only.
const CellEI = "ei"

// eiCell is CellEI.
type eiCell struct{}

func (eiCell) Name() string { return CellEI }

func (eiCell) Summary() string {
	return "excitatory-inhibitory rate network with Dale's law, W_eff = |W_rr| ⊙ D (Song, Yang & Wang 2016; nn-brain's EI_RNN)"
}

func (eiCell) Options() CellOptions {
	return CellOptions{Leak: true, Activation: true, SigmaRec: true, EFrac: true}
}

func (eiCell) StateSize(c Config) int { return c.NumHidden }
func (eiCell) ReadSize(c Config) int  { return c.NumExcitatory() }

func (eiCell) Params(c Config) []ParamSpec {
	return rateParams(c, "W_rr, whose effective weights are |W_rr| ⊙ D (the first NumExcitatory rows excitatory, a zero diagonal)")
}

// Init is nn-brain's EI_RNN: every nn.Linear as PyTorch initialises it
// (weights and biases uniform in ±1/sqrt(fan_in)), the rows of the
// excitatory presynaptic units of W_rr divided by E/I, and nn-brain's two
// biases of the recurrent input summed into b_rr.
func (eiCell) Init(c Config, rng *rand.Rand) [][]float32 {
	I, H, O, R := c.NumInput, c.NumHidden, c.NumOutput, c.ReadSize()
	bi, bh, br := 1/math.Sqrt(float64(I)), 1/math.Sqrt(float64(H)), 1/math.Sqrt(float64(R))
	wir := uniform(rng, I*H, bi)
	bir := uniform(rng, H, bi) // nn-brain's input2h bias
	wrr := uniform(rng, H*H, bh)
	brr := uniform(rng, H, bh)
	E := c.NumExcitatory()
	ratio := float32(E) / float32(H-E)
	for i := range E {
		for j := range H {
			wrr[i*H+j] /= ratio
		}
	}
	for j := range brr {
		brr[j] += bir[j] // two biases in nn-brain, one sum here
	}
	return [][]float32{wir, wrr, brr, uniform(rng, R*O, br), uniform(rng, O, br)}
}

func (eiCell) Graph(c Config, pn []*graph.Node, _ *graph.Node) CellGraph {
	d := graph.ConstAsDType(pn[1].Graph(), pn[1].DType(), daleSigns(c))
	return &rateGraph{cfg: c, pn: pn, wrr: graph.Mul(graph.Abs(pn[1]), d), onState: true}
}

// daleSigns is D as an [H][H] constant: +1 on the rows of excitatory
// (presynaptic) units, -1 on inhibitory ones, 0 on the diagonal.
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

func (k eiCell) Step(p *Params, x, s, out []float32) {
	r := make([]float32, p.NumHidden)
	k.Rates(p, s, r)
	rateStep(p, x, s, out, k.EffectiveRecurrent(p), r, true)
}

func (eiCell) Rates(p *Params, s, out []float32) {
	copy(out, s[:p.NumHidden])
	activate(p.ActivationName(), out[:p.NumHidden])
}

func (eiCell) EffectiveRecurrent(p *Params) []float32 {
	w := make([]float32, p.NumHidden*p.NumHidden)
	packDale(p.Config, p.Values[1], w)
	return w
}

func (eiCell) NewCPUEngine(c Config) (Engine, error) { return asEngine(NewCPUEngine(c)) }

// NewCPUEvaluator: none; the fixed points of an E-I network are found by
// GoMLX autodiff.
func (eiCell) NewCPUEvaluator(*Params) (fixedpoints.InputJacobianEvaluator, error) {
	return nil, nil
}

// rateKernel implements rateCell: the state q is not the rate f(q), the
// leak acts on q, the recurrent matrix is W_eff, and the BLAS kernels run
// at every size (the dense backward pass gains at H = 50 already, and no
// published number depends on the scalar kernels' rounding).
func (eiCell) rateKernel() rateKernel {
	return rateKernel{onState: true, preferBLAS: true, pack: packDale, gradFromEffective: daleGrad}
}

// packDale writes W_eff = |W_rr| ⊙ D into dst[:H*H].
func packDale(cfg Config, wrr, dst []float32) {
	H, E := cfg.NumHidden, cfg.NumExcitatory()
	for i := range H {
		row, out := wrr[i*H:(i+1)*H], dst[i*H:(i+1)*H]
		for j, v := range row {
			v = float32(math.Abs(float64(v)))
			switch {
			case i == j:
				v = 0
			case i >= E:
				v = -v
			}
			out[j] = v
		}
	}
}

// daleGrad turns dW_eff (in place, [H][H]) into dW_rr = dW_eff ⊙ D ⊙
// sgn(W_rr), sgn(0) = +1 as GoMLX's gradient of Abs.
func daleGrad(cfg Config, wrr, g []float32) {
	H, E := cfg.NumHidden, cfg.NumExcitatory()
	for i := range H {
		row, out := wrr[i*H:(i+1)*H], g[i*H:(i+1)*H]
		for j, v := range row {
			d := signPM(v)
			switch {
			case i == j:
				d = 0
			case i >= E:
				d = -d
			}
			out[j] *= d
		}
	}
}
