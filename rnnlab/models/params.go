// Package models holds the recurrent networks of rnnlab: their cells,
// options, initialisation, GoMLX graphs, training engines, fixed-point
// evaluators and checkpoints.
//
// The primer's network (the default cell), Euler-discretised with
// alpha = dt/tau:
//
//	h_t = relu( (1-alpha) h_{t-1} + alpha (x_t W_ir + h_{t-1} W_rr + b_rr) )
//	o_t = h_t W_ro + b_ro
//
// Weights are stored as (in, out) matrices, row-major, as in the BrainPy seed
// (x @ W). The initial state is zero for every sequence.
//
// # Cells
//
// A cell is one value of type Cell, defined in its own file and listed once
// in the registry (cell.go; Cells lists the names):
//
//	cell_ctrnn.go  CellCTRNN  the primer's CTRNN (and the step the E-I cell shares)
//	cell_ei.go     CellEI     the E-I network with Dale's law (Song, Yang & Wang 2016)
//	cell_gru.go    CellGRU    PyTorch's nn.GRU
//	cell_lstm.go   CellLSTM   PyTorch's nn.LSTM, state (h, c); its gates over a sequence (Params.Gates)
//	cell_ugrnn.go  CellUGRNN  the update-gate RNN (Collins, Sohl-Dickstein & Sussillo 2017)
//	cell_leaky.go  CellLeaky  Yang et al. 2019's leaky-rate cell (LeakyRNNCell), noise inside f
//
// Each file holds the cell's equations (on its Cell constant), parameters
// (Cell.Params: the array names and shapes of a checkpoint, with what a
// numpy user needs), initialisation (NewParams), options (CellOptions),
// GoMLX step (Cell.Graph, the reference), plain-Go step (Params.Step) and
// the per-step arithmetic of its CPU kernels. Everything else asks the
// cell of a Config; no code outside these files compares cell names
// (TestCellsNoSwitch). Adding a cell is one file and one line in the
// registry.
//
// # Engines and evaluators
//
// The GoMLX graph (SequenceGraph, LossGraph) differentiated by GoMLX on any
// backend (GoMLXEngine) trains every cell. A cell may add a hand-written
// CPU engine (Cell.NewCPUEngine), several times faster on a CPU:
// CPUEngine for the CTRNN family, ctrnn and ei (cpu_engine.go,
// cpu_general.go, cpu_blas.go; each cell gives its rateKernel) and
// GatedCPUEngine for the gated cells (cpu_gated.go; each cell gives its
// gatedKernel); a cell with an engine of its own returns it from
// NewCPUEngine, from a file of its own (LeakyCPUEngine, cpu_leaky.go).
// NewEngine picks one by name (UseCPU is the one engine choice), falling
// back to GoMLX for a cell without one; TestCellsAgree holds every CPU engine to
// the graph and the graph to finite differences, for every registered
// cell.
//
// The one-step map alone, as a GoMLX function of (input, state), is
// Params.CellFunc: the fixed-point analysis differentiates it. A cell may
// add a hand-written CPU fixed-point evaluator (Cell.NewCPUEvaluator):
// CTRNNEvaluator for the relu CTRNN (fp_eval.go), GatedEvaluator for the
// gated cells (fp_gated.go) and LeakyEvaluator for the leaky cell
// (fp_leaky.go). NewEvaluator picks one, or GoMLX autodiff of
// CellFunc.
//
// Save and Load keep a network, optionally its optimiser state, and its
// metadata in one NumPy .npz file.
package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Params holds the trainable tensors of a network, each row-major, in the
// order and shapes of Config.ParamNames and Config.Shapes.
type Params struct {
	Config
	// Values are the tensors, in the order of Config.ParamNames.
	Values [][]float32
	// Mask is an optional fixed (not trained) connectivity mask M of the
	// CTRNN cell, (H, H) row-major with presynaptic rows like W_rr, values
	// typically 0 or 1; nil means none. The network uses W_rr ⊙ M
	// everywhere (EffectiveRecurrent) and the gradient of W_rr is
	// dL/dW_eff ⊙ M, so entries where M is 0 never change. It lives here,
	// not in Config, so Config stays comparable. Other cells reject it
	// (CheckShapes).
	Mask []float32
}

// NewParams draws initial weights as each cell's reference does
// (Cell.Init):
//
//   - ctrnn: BrainPy's primer network: the three matrices from
//     KaimingNormal(scale=1) (a standard normal truncated to [-2, 2],
//     rescaled to standard deviation 1/sqrt(fan_in), fan_in = rows), both
//     biases uniform in [-1/sqrt(H), 1/sqrt(H)).
//   - ei: nn-brain's EI_RNN: every nn.Linear as PyTorch initialises it
//     (weights and biases uniform in ±1/sqrt(fan_in)), then the rows of the
//     excitatory presynaptic units of W_rr divided by E/I (the number of
//     excitatory over inhibitory units).
//   - gru, lstm, ugrnn: PyTorch's recurrent layers: every weight and bias
//     uniform in ±1/sqrt(H); the read-out as nn.Linear(H, O).
//   - leaky: Yang et al. (2019)'s 'diag' networks (LeakyInit).
//
// The same seed gives the same weights.
func NewParams(cfg Config, seed uint64) (*Params, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x726e6e6c6162)) // "rnnlab"
	return &Params{Config: cfg, Values: cfg.cell().Init(cfg, rng)}, nil
}

// uniformAll draws every tensor of sizes uniform in ±bound, in order: the
// initialisation of PyTorch's recurrent layers, whose read-out nn.Linear(H,
// O) has the same bound.
func uniformAll(rng *rand.Rand, sizes []int, bound float64) [][]float32 {
	out := make([][]float32, len(sizes))
	for i, n := range sizes {
		out[i] = uniform(rng, n, bound)
	}
	return out
}

// truncNormalStd is the standard deviation of a standard normal truncated to [-2, 2].
const truncNormalStd = 0.87962566103423978

func kaimingNormal(rng *rand.Rand, fanIn, fanOut int) []float32 {
	w := make([]float32, fanIn*fanOut)
	scale := (1 / math.Sqrt(float64(fanIn))) / truncNormalStd
	for i := range w {
		z := rng.NormFloat64()
		for z < -2 || z > 2 {
			z = rng.NormFloat64()
		}
		w[i] = float32(z * scale)
	}
	return w
}

func uniform(rng *rand.Rand, n int, bound float64) []float32 {
	b := make([]float32, n)
	for i := range b {
		b[i] = float32((2*rng.Float64() - 1) * bound)
	}
	return b
}

// Clone returns a deep copy.
func (p *Params) Clone() *Params {
	q := *p
	q.Values = make([][]float32, len(p.Values))
	for i, v := range p.Values {
		q.Values[i] = slices.Clone(v)
	}
	q.Mask = slices.Clone(p.Mask)
	return &q
}

// Tensors returns the parameter slices (Values), in the order of
// Config.ParamNames.
func (p *Params) Tensors() [][]float32 { return p.Values }

// Get returns the tensor called name (see Config.ParamNames), or nil.
func (p *Params) Get(name string) []float32 {
	if i := slices.Index(p.ParamNames(), name); i >= 0 && i < len(p.Values) {
		return p.Values[i]
	}
	return nil
}

// CheckShapes reports parameters whose number or lengths do not match the
// Config.
func (p *Params) CheckShapes() error {
	names, sizes := p.ParamNames(), p.sizes()
	if len(p.Values) != len(names) {
		return fmt.Errorf("models: %s network has %d parameter tensors, want %d (%v)", p.CellName(), len(p.Values), len(names), names)
	}
	for i, t := range p.Values {
		if len(t) != sizes[i] {
			return fmt.Errorf("models: %s has %d values, want %d for shape %v", names[i], len(t), sizes[i], p.Shapes()[i])
		}
	}
	if p.Mask != nil {
		if err := p.Config.maskAllowed(); err != nil {
			return fmt.Errorf("models: %w", err)
		}
		if H := p.NumHidden; len(p.Mask) != H*H {
			return fmt.Errorf("models: the connectivity mask has %d values, want H*H = %d", len(p.Mask), H*H)
		}
	}
	return nil
}

// EffectiveRecurrent returns the recurrent weights the network uses, as an
// (H, H) row-major matrix (presynaptic rows), as a fresh copy
// (Cell.EffectiveRecurrent): W_rr itself for the CTRNN and the leaky cell,
// or W_rr ⊙ M with a CTRNN's connectivity mask M (Params.Mask); |W_rr| ⊙ D
// for the E-I network (see CellEI); nil for the gated cells (their
// recurrent weights are per gate: Get("w_hh")).
func (p *Params) EffectiveRecurrent() []float32 { return p.cell().EffectiveRecurrent(p) }

// maskAllowed reports an error unless the cell of c takes a connectivity
// mask (CellOptions.Mask).
func (c Config) maskAllowed() error {
	if c.CellOptions().Mask {
		return nil
	}
	return fmt.Errorf("a connectivity mask needs cell %s, not %s", orList(CellsWith(func(o CellOptions) bool { return o.Mask })), c.CellName())
}

// applyMask multiplies w by the mask m elementwise, in place; a nil m does
// nothing.
func applyMask(w, m []float32) {
	if m == nil {
		return
	}
	for i := range w {
		w[i] *= m[i]
	}
}
