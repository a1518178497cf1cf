package models

import (
	"fmt"
	"math"
)

// Cell names accepted in Config.Cell.
const (
	// CellCTRNN is the primer's continuous-time network (the default, also
	// spelled ""): the state is the rate,
	//
	//	h' = f( (1-α) h + α (x W_ir + h W_rr + b_rr) + sqrt(2α) σ_rec ξ )
	CellCTRNN = "ctrnn"
	// CellEI is the excitatory-inhibitory network of Song, Yang & Wang
	// (2016) as nn-brain's EI_RNN builds it: a state s and a rate r = f(s),
	//
	//	s' = (1-α) s + α (x W_ir + r W_eff + b_rr) + sqrt(2α) σ_rec ξ,  r' = f(s')
	//
	// with W_eff = |W_rr| ⊙ D, D[i][j] = +1 for an excitatory presynaptic
	// unit i, -1 for an inhibitory one, 0 on the diagonal. The read-out
	// sees the excitatory rates only.
	CellEI = "ei"
	// CellGRU is PyTorch's nn.GRU (gates r, z, n).
	CellGRU = "gru"
	// CellLSTM is PyTorch's nn.LSTM (gates i, f, g, o); its state is (h, c).
	CellLSTM = "lstm"
)

// Cells lists the cell names, in the order of the docs.
var Cells = []string{CellCTRNN, CellEI, CellGRU, CellLSTM, CellLeaky}

// Activation names accepted in Config.Activation (CTRNN and E-I cells).
const (
	ActReLU     = "relu" // the default, also spelled ""
	ActSoftplus = "softplus"
	ActTanh     = "tanh"
	ActIdentity = "identity"
)

// Loss names accepted in Config.Loss.
const (
	// LossCE is the mean cross-entropy of the logits against the integer
	// labels over all T·B steps (the default, also spelled "").
	LossCE = "ce"
	// LossMSE is the masked mean squared error of Yang et al. (2019):
	//
	//	L = 1/(T B O) Σ_{t,b,o} ( m_tbo (y_tbo - target_tbo) )²
	//
	// with y the read-out (through a sigmoid when Config.Sigmoid is set)
	// and the targets and cost mask m taken from the batch.
	LossMSE = "mse"
)

// DefaultEFrac is the excitatory fraction of an E-I network when
// Config.EFrac is zero (nn-brain's e_prop).
const DefaultEFrac = 0.8

// Config describes a network: its cell, sizes, time constants, noise,
// read-out and training objective. The zero value of every option field
// means its default, so the tutorial's Config (DefaultConfig) stays as it
// was before cells had options, and its checkpoints load unchanged.
//
// Config is comparable: engines and trainers check that parameters and
// engines agree with ==.
type Config struct {
	// Cell is the recurrent cell, one of Cells; "" means CellCTRNN.
	Cell      string `json:"cell,omitempty"`
	NumInput  int    `json:"num_input"`
	NumHidden int    `json:"num_hidden"`
	NumOutput int    `json:"num_output"`
	// Dt and Tau set α = dt/tau for the CTRNN, E-I and leaky cells (ms);
	// the GRU and LSTM keep Dt for the record and ignore Tau.
	Dt  float64 `json:"dt"`  // ms
	Tau float64 `json:"tau"` // ms; the seed uses 100
	// Activation is f of the CTRNN, E-I and leaky cells; "" means relu.
	Activation string `json:"activation,omitempty"`
	// SigmaRec is σ_rec: the recurrent noise added to the state each step
	// has standard deviation sqrt(2α)·σ_rec (Yang 2019's and nn-brain's
	// convention: their sqrt(2/α)·σ_rec inside the α-weighted input). The
	// leaky cell adds sqrt(2/α)·σ_rec·ξ to its pre-activation, inside f
	// (CellLeaky). CTRNN, E-I and leaky cells only; training draws it,
	// analysis runs without.
	SigmaRec float64 `json:"sigma_rec,omitempty"`
	// SigmaIn is the standard deviation of the noise added to every input
	// channel at every step during training (any cell).
	SigmaIn float64 `json:"sigma_in,omitempty"`
	// EFrac is the excitatory fraction of an E-I network; 0 means
	// DefaultEFrac. The first int(EFrac·H) units are excitatory.
	EFrac float64 `json:"e_frac,omitempty"`
	// Sigmoid passes the read-out through a logistic sigmoid before the
	// mean squared error (Yang 2019's outputs). Logits for cross-entropy
	// are never squashed.
	Sigmoid bool `json:"sigmoid,omitempty"`
	// Loss is the objective, LossCE ("") or LossMSE.
	Loss string `json:"loss,omitempty"`
	// RateL1 and RateL2 add λ1·mean|r| and λ2·mean r² over all steps,
	// trials and units to the loss (PsychRNN's rate penalties).
	RateL1 float64 `json:"rate_l1,omitempty"`
	RateL2 float64 `json:"rate_l2,omitempty"`
}

// DefaultConfig returns the tutorial's network: a ReLU CTRNN with 3 inputs,
// 64 hidden units, 3 outputs, dt = 100 ms, tau = 100 ms (alpha = 1).
func DefaultConfig() Config {
	return Config{NumInput: 3, NumHidden: 64, NumOutput: 3, Dt: 100, Tau: 100}
}

// Alpha is dt/tau, the Euler step as a fraction of the time constant.
func (c Config) Alpha() float64 { return c.Dt / c.Tau }

// CellName is Cell with the default filled in.
func (c Config) CellName() string {
	if c.Cell == "" {
		return CellCTRNN
	}
	return c.Cell
}

// ActivationName is Activation with the default filled in.
func (c Config) ActivationName() string {
	if c.Activation == "" {
		return ActReLU
	}
	return c.Activation
}

// LossName is Loss with the default filled in.
func (c Config) LossName() string {
	if c.Loss == "" {
		return LossCE
	}
	return c.Loss
}

// NumExcitatory is the number of excitatory units of an E-I network,
// int(EFrac·H) as nn-brain computes it (0 for other cells).
func (c Config) NumExcitatory() int {
	if c.CellName() != CellEI {
		return 0
	}
	f := c.EFrac
	if f == 0 {
		f = DefaultEFrac
	}
	return int(f * float64(c.NumHidden))
}

// StateSize is the length of the state vector the cell carries from step
// to step: 2H for the LSTM (h then c), H otherwise. Fixed points live in
// this space.
func (c Config) StateSize() int {
	if c.CellName() == CellLSTM {
		return 2 * c.NumHidden
	}
	return c.NumHidden
}

// ReadSize is the number of rates the read-out sees: the excitatory units
// of an E-I network, all H units otherwise.
func (c Config) ReadSize() int {
	if c.CellName() == CellEI {
		return c.NumExcitatory()
	}
	return c.NumHidden
}

// familyCTRNN reports the cells with a leak α (CTRNN, E-I and leaky), an
// activation and recurrent noise, whose parameters are the CTRNN's.
func (c Config) familyCTRNN() bool {
	n := c.CellName()
	return n == CellCTRNN || n == CellEI || n == CellLeaky
}

// Describe is a short human description of the network, such as
// "ctrnn, 64 units, relu" or "ei, 50 units (40 E), relu, sigma_rec 0.15".
func (c Config) Describe() string {
	s := fmt.Sprintf("%s, %d units", c.CellName(), c.NumHidden)
	if c.CellName() == CellEI {
		s += fmt.Sprintf(" (%d E)", c.NumExcitatory())
	}
	if c.familyCTRNN() {
		s += ", " + c.ActivationName()
	}
	if c.SigmaRec != 0 {
		s += fmt.Sprintf(", sigma_rec %g", c.SigmaRec)
	}
	if c.SigmaIn != 0 {
		s += fmt.Sprintf(", sigma_in %g", c.SigmaIn)
	}
	if c.LossName() != LossCE {
		s += ", " + c.LossName() + " loss"
		if c.Sigmoid {
			s += " on sigmoid outputs"
		}
	}
	if c.RateL1 != 0 || c.RateL2 != 0 {
		s += fmt.Sprintf(", rate L1 %g L2 %g", c.RateL1, c.RateL2)
	}
	return s
}

// Validate reports a configuration that cannot describe a network, in one
// line naming the field.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("models: "+format, args...)
	}
	finiteNonNeg := func(name string, v float64) error {
		if !(v >= 0) || math.IsInf(v, 0) {
			return bad("%s must be a finite number >= 0, got %v", name, v)
		}
		return nil
	}
	switch c.CellName() {
	case CellCTRNN, CellEI, CellGRU, CellLSTM, CellLeaky:
	default:
		return bad("unknown cell %q (want ctrnn, ei, gru, lstm or leaky)", c.Cell)
	}
	switch c.ActivationName() {
	case ActReLU, ActSoftplus, ActTanh, ActIdentity:
	default:
		return bad("unknown activation %q (want relu, softplus, tanh or identity)", c.Activation)
	}
	switch c.LossName() {
	case LossCE, LossMSE:
	default:
		return bad("unknown loss %q (want ce or mse)", c.Loss)
	}
	switch {
	case c.NumInput <= 0:
		return bad("num_input must be > 0, got %d", c.NumInput)
	case c.NumHidden <= 0:
		return bad("num_hidden must be > 0, got %d", c.NumHidden)
	case c.NumOutput <= 0:
		return bad("num_output must be > 0, got %d", c.NumOutput)
	case !(c.Dt > 0) || math.IsInf(c.Dt, 0):
		return bad("dt must be > 0, got %v", c.Dt)
	case !(c.Tau > 0) || math.IsInf(c.Tau, 0):
		return bad("tau must be > 0, got %v", c.Tau)
	case c.familyCTRNN() && c.Alpha() > 1:
		return bad("alpha = dt/tau must be <= 1, got %v/%v", c.Dt, c.Tau)
	case !c.familyCTRNN() && c.Activation != "":
		return bad("activation is an option of the ctrnn and ei cells, not %s", c.CellName())
	case !c.familyCTRNN() && c.SigmaRec != 0:
		return bad("sigma_rec is an option of the ctrnn and ei cells, not %s", c.CellName())
	case c.CellName() != CellEI && c.EFrac != 0:
		return bad("e_frac is an option of the ei cell, not %s", c.CellName())
	case c.CellName() == CellEI && (c.EFrac < 0 || c.EFrac >= 1):
		return bad("e_frac must be in (0, 1), got %v", c.EFrac)
	case c.CellName() == CellEI && (c.NumExcitatory() < 1 || c.NumExcitatory() >= c.NumHidden):
		return bad("an ei network of %d units with e_frac %v has %d excitatory units; it needs at least one of each kind", c.NumHidden, c.EFrac, c.NumExcitatory())
	case c.Sigmoid && c.LossName() != LossMSE:
		return bad("sigmoid outputs go with the mse loss")
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"sigma_rec", c.SigmaRec}, {"sigma_in", c.SigmaIn}, {"rate_l1", c.RateL1}, {"rate_l2", c.RateL2}} {
		if err := finiteNonNeg(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// ParamNames are the names of the trainable tensors of the cell, in the
// order of Params.Values:
//
//	ctrnn, ei:  w_ir (I,H), w_rr (H,H), b_rr (H), w_ro (R,O), b_ro (O)
//	gru:        w_ih (I,3H), w_hh (H,3H), b_ih (3H), b_hh (3H), w_ro (H,O), b_ro (O)
//	lstm:       w_ih (I,4H), w_hh (H,4H), b_ih (4H), b_hh (4H), w_ro (H,O), b_ro (O)
//
// Matrices are (in, out), row-major (x @ W). The GRU's and LSTM's are
// PyTorch's weight_ih_l0, weight_hh_l0 transposed, gates in PyTorch's order
// (r, z, n and i, f, g, o) along the columns. R is ReadSize.
func (c Config) ParamNames() []string {
	if c.familyCTRNN() {
		return []string{"w_ir", "w_rr", "b_rr", "w_ro", "b_ro"}
	}
	return []string{"w_ih", "w_hh", "b_ih", "b_hh", "w_ro", "b_ro"}
}

// Shapes returns the shape of each parameter, in the order of ParamNames.
func (c Config) Shapes() [][]int {
	I, H, O, R := c.NumInput, c.NumHidden, c.NumOutput, c.ReadSize()
	switch c.CellName() {
	case CellGRU:
		return [][]int{{I, 3 * H}, {H, 3 * H}, {3 * H}, {3 * H}, {H, O}, {O}}
	case CellLSTM:
		return [][]int{{I, 4 * H}, {H, 4 * H}, {4 * H}, {4 * H}, {H, O}, {O}}
	}
	return [][]int{{I, H}, {H, H}, {H}, {R, O}, {O}}
}

// sizes returns the number of values of each parameter.
func (c Config) sizes() []int {
	var out []int
	for _, s := range c.Shapes() {
		n := 1
		for _, d := range s {
			n *= d
		}
		out = append(out, n)
	}
	return out
}
