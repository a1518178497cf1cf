package models

import (
	"fmt"
	"math"
)

// Activation names accepted in Config.Activation (the cells with
// CellOptions.Activation: CTRNN, E-I and leaky).
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
	// Cell is the recurrent cell, one of Cells (the registry, cell.go);
	// "" means CellCTRNN.
	Cell      string `json:"cell,omitempty"`
	NumInput  int    `json:"num_input"`
	NumHidden int    `json:"num_hidden"`
	NumOutput int    `json:"num_output"`
	// Dt and Tau set α = dt/tau for the cells with a leak
	// (CellOptions.Leak: CTRNN, E-I and leaky, ms); the gated cells keep
	// Dt for the record and ignore Tau.
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
		return registry[0].Name()
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

// NumExcitatory is the number of excitatory units of a cell with an E-I
// split (CellOptions.EFrac), int(EFrac·H) as nn-brain computes it (0 for
// other cells).
func (c Config) NumExcitatory() int {
	if !c.CellOptions().EFrac {
		return 0
	}
	f := c.EFrac
	if f == 0 {
		f = DefaultEFrac
	}
	return int(f * float64(c.NumHidden))
}

// StateSize is the length of the state vector the cell carries from step
// to step (Cell.StateSize: 2H for the LSTM, h then c; H otherwise). Fixed
// points live in this space.
func (c Config) StateSize() int { return c.cell().StateSize(c) }

// ReadSize is the number of rates the read-out sees (Cell.ReadSize: the
// excitatory units of an E-I network, all H units otherwise).
func (c Config) ReadSize() int { return c.cell().ReadSize(c) }

// Describe is a short human description of the network, such as
// "ctrnn, 64 units, relu" or "ei, 50 units (40 E), relu, sigma_rec 0.15".
func (c Config) Describe() string {
	o := c.CellOptions()
	s := fmt.Sprintf("%s, %d units", c.CellName(), c.NumHidden)
	if o.EFrac {
		s += fmt.Sprintf(" (%d E)", c.NumExcitatory())
	}
	if o.Activation {
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
	k, err := LookupCell(c.Cell)
	if err != nil {
		return bad("%v", err)
	}
	o := k.Options()
	optionOf := func(name string, has func(CellOptions) bool) error {
		return bad("%s is an option of the %s cells, not %s", name, CellList(has), c.CellName())
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
	case o.Leak && c.Alpha() > 1:
		return bad("alpha = dt/tau must be <= 1, got %v/%v", c.Dt, c.Tau)
	case !o.Activation && c.Activation != "":
		return optionOf("activation", func(o CellOptions) bool { return o.Activation })
	case !o.SigmaRec && c.SigmaRec != 0:
		return optionOf("sigma_rec", func(o CellOptions) bool { return o.SigmaRec })
	case !o.EFrac && c.EFrac != 0:
		return optionOf("e_frac", func(o CellOptions) bool { return o.EFrac })
	case o.EFrac && (c.EFrac < 0 || c.EFrac >= 1):
		return bad("e_frac must be in (0, 1), got %v", c.EFrac)
	case o.EFrac && (c.NumExcitatory() < 1 || c.NumExcitatory() >= c.NumHidden):
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
// order of Params.Values: the cell's Params (Cell.Params, in its file,
// with the shape and meaning of each), the read-out w_ro (R,O), b_ro (O)
// last, R = ReadSize. For example
//
//	ctrnn, ei:  w_ir (I,H), w_rr (H,H), b_rr (H), w_ro (R,O), b_ro (O)
//	gru:        w_ih (I,3H), w_hh (H,3H), b_ih (3H), b_hh (3H), w_ro (H,O), b_ro (O)
//
// Matrices are (in, out), row-major (x @ W); ExampleConfig_ParamNames
// prints every registered cell's.
func (c Config) ParamNames() []string {
	var out []string
	for _, s := range c.cell().Params(c) {
		out = append(out, s.Name)
	}
	return out
}

// Shapes returns the shape of each parameter, in the order of ParamNames.
func (c Config) Shapes() [][]int {
	var out [][]int
	for _, s := range c.cell().Params(c) {
		out = append(out, s.Shape)
	}
	return out
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
