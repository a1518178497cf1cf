// Package models holds the continuous-time recurrent network (CTRNN) of the
// primer, its initialisation, its GoMLX graph and checkpoints.
//
// The network, Euler-discretised with alpha = dt/tau:
//
//	h_t = relu( (1-alpha) h_{t-1} + alpha (x_t W_ir + h_{t-1} W_rr + b_rr) )
//	o_t = h_t W_ro + b_ro
//
// Weights are stored as (in, out) matrices, row-major, as in the BrainPy seed
// (x @ W). The initial state is zero for every sequence.
//
// Initialisation (NewParams) follows BrainPy's primer network: the three
// matrices from KaimingNormal(scale=1), a normal truncated to ±2σ and rescaled
// to σ = 1/sqrt(fan_in); both biases uniform in ±1/sqrt(H).
//
// An Engine computes the mean cross-entropy of a batch, its gradient and the
// logits. GoMLXEngine differentiates the unrolled graph (SequenceLossGraph)
// with GoMLX on any backend; CPUEngine is a hand-written forward pass and
// backpropagation through time for this cell, several times faster on a CPU
// and tested to give the same numbers. NewEngine picks one by name. The
// one-step map alone, as a GoMLX function of (input, state), is
// Params.CellFunc: the fixed-point analysis differentiates it.
// CTRNNEvaluator is the same map as a hand-written fixed-point evaluator
// (residuals, speed gradients, Jacobians) on the CPU; both engine choices,
// for training and for the fixed-point search, are made by UseCPU.
//
// Save and Load keep a network and its metadata in one NumPy .npz file.
package models

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Config holds the sizes and time constants of a CTRNN.
type Config struct {
	NumInput  int     `json:"num_input"`
	NumHidden int     `json:"num_hidden"`
	NumOutput int     `json:"num_output"`
	Dt        float64 `json:"dt"`  // ms
	Tau       float64 `json:"tau"` // ms; the seed uses 100
}

// DefaultConfig returns the tutorial's network: 3 inputs, 64 hidden units,
// 3 outputs, dt = 100 ms, tau = 100 ms (alpha = 1).
func DefaultConfig() Config {
	return Config{NumInput: 3, NumHidden: 64, NumOutput: 3, Dt: 100, Tau: 100}
}

// Alpha is dt/tau, the Euler step as a fraction of the time constant.
func (c Config) Alpha() float64 { return c.Dt / c.Tau }

// Validate reports a configuration that cannot describe a network.
func (c Config) Validate() error {
	switch {
	case c.NumInput <= 0:
		return fmt.Errorf("models: num_input must be > 0, got %d", c.NumInput)
	case c.NumHidden <= 0:
		return fmt.Errorf("models: num_hidden must be > 0, got %d", c.NumHidden)
	case c.NumOutput <= 0:
		return fmt.Errorf("models: num_output must be > 0, got %d", c.NumOutput)
	case !(c.Dt > 0) || math.IsInf(c.Dt, 0):
		return fmt.Errorf("models: dt must be > 0, got %v", c.Dt)
	case !(c.Tau > 0) || math.IsInf(c.Tau, 0):
		return fmt.Errorf("models: tau must be > 0, got %v", c.Tau)
	case c.Alpha() > 1:
		return fmt.Errorf("models: alpha = dt/tau must be <= 1, got %v/%v", c.Dt, c.Tau)
	}
	return nil
}

// Params holds the weights of a CTRNN, each matrix row-major (in, out).
type Params struct {
	Config
	WIr []float32 // [NumInput][NumHidden]
	WRr []float32 // [NumHidden][NumHidden]
	BRr []float32 // [NumHidden]
	WRo []float32 // [NumHidden][NumOutput]
	BRo []float32 // [NumOutput]
}

// NewParams draws initial weights as BrainPy's primer network does:
// the three matrices from KaimingNormal(scale=1) (a standard normal truncated
// to [-2, 2], rescaled to standard deviation 1/sqrt(fan_in), fan_in = rows),
// both biases uniform in [-1/sqrt(H), 1/sqrt(H)).
func NewParams(cfg Config, seed uint64) (*Params, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x726e6e6c6162)) // "rnnlab"
	I, H, O := cfg.NumInput, cfg.NumHidden, cfg.NumOutput
	p := &Params{Config: cfg}
	p.WIr = kaimingNormal(rng, I, H)
	p.WRr = kaimingNormal(rng, H, H)
	p.WRo = kaimingNormal(rng, H, O)
	bound := 1 / math.Sqrt(float64(H))
	p.BRr = uniform(rng, H, bound)
	p.BRo = uniform(rng, O, bound)
	return p, nil
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
	q.WIr = append([]float32(nil), p.WIr...)
	q.WRr = append([]float32(nil), p.WRr...)
	q.BRr = append([]float32(nil), p.BRr...)
	q.WRo = append([]float32(nil), p.WRo...)
	q.BRo = append([]float32(nil), p.BRo...)
	return &q
}

// Tensors returns the five parameter slices in a fixed order:
// w_ir, w_rr, b_rr, w_ro, b_ro (the names of ParamNames).
func (p *Params) Tensors() [][]float32 { return [][]float32{p.WIr, p.WRr, p.BRr, p.WRo, p.BRo} }

// ParamNames are the names of the parameters, in the order of Params.Tensors.
var ParamNames = []string{"w_ir", "w_rr", "b_rr", "w_ro", "b_ro"}

// Shapes returns the shape of each parameter, in the order of Params.Tensors.
func (c Config) Shapes() [][]int {
	I, H, O := c.NumInput, c.NumHidden, c.NumOutput
	return [][]int{{I, H}, {H, H}, {H}, {H, O}, {O}}
}

// CheckShapes reports parameters whose lengths do not match the Config.
func (p *Params) CheckShapes() error {
	for i, t := range p.Tensors() {
		n := 1
		for _, d := range p.Shapes()[i] {
			n *= d
		}
		if len(t) != n {
			return fmt.Errorf("models: %s has %d values, want %d for shape %v", ParamNames[i], len(t), n, p.Shapes()[i])
		}
	}
	return nil
}

// Step advances one state h (length H) by one input x (length I), writing the
// new state into out (length H, may not alias h).
func (p *Params) Step(x, h, out []float32) {
	H := p.NumHidden
	a := float32(p.Alpha())
	for j := 0; j < H; j++ {
		out[j] = p.BRr[j]
	}
	for i, xi := range x {
		if xi == 0 {
			continue
		}
		row := p.WIr[i*H : (i+1)*H]
		for j := range out[:H] {
			out[j] += xi * row[j]
		}
	}
	for i, hi := range h {
		if hi == 0 {
			continue
		}
		row := p.WRr[i*H : (i+1)*H]
		for j := range out[:H] {
			out[j] += hi * row[j]
		}
	}
	for j := 0; j < H; j++ {
		v := (1-a)*h[j] + a*out[j]
		if v < 0 {
			v = 0
		}
		out[j] = v
	}
}

// Readout writes o = h W_ro + b_ro into out (length NumOutput).
func (p *Params) Readout(h, out []float32) {
	O := p.NumOutput
	copy(out, p.BRo)
	for i, hi := range h {
		if hi == 0 {
			continue
		}
		row := p.WRo[i*O : (i+1)*O]
		for k := range out[:O] {
			out[k] += hi * row[k]
		}
	}
}

// Forward runs one sequence from the zero state. xs is row-major [T][NumInput];
// it returns the states [T][NumHidden] and outputs [T][NumOutput], row-major.
func (p *Params) Forward(xs []float32) (states, outputs []float32) {
	I, H, O := p.NumInput, p.NumHidden, p.NumOutput
	T := len(xs) / I
	states = make([]float32, T*H)
	outputs = make([]float32, T*O)
	h := make([]float32, H)
	for t := 0; t < T; t++ {
		cur := states[t*H : (t+1)*H]
		p.Step(xs[t*I:(t+1)*I], h, cur)
		p.Readout(cur, outputs[t*O:(t+1)*O])
		h = cur
	}
	return states, outputs
}
