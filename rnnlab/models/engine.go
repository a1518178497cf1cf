package models

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// Result is what an Engine computes for one batch.
type Result struct {
	// Loss is the objective of Config.Loss (mean cross-entropy over all
	// T*B steps, or the masked mean squared error) plus the rate penalties.
	Loss float32
	// Grads holds dLoss/dparam for each parameter, in the order of
	// Config.ParamNames, same lengths as Params.Values.
	Grads [][]float32
	// Logits holds the read-out o_t before any sigmoid, row-major
	// [T][B][NumOutput].
	Logits []float32
}

// ensure sizes res for parameters of the given lengths and nLogits logits,
// keeping the slices that already have the right lengths (so an engine
// writing into the same Result each step does not allocate them again).
func (res *Result) ensure(sizes []int, nLogits int) {
	if len(res.Grads) != len(sizes) {
		res.Grads = make([][]float32, len(sizes))
	}
	for i, n := range sizes {
		if len(res.Grads[i]) != n {
			res.Grads[i] = make([]float32, n)
		}
	}
	if len(res.Logits) != nLogits {
		res.Logits = make([]float32, nLogits)
	}
}

// Engine computes the loss, its gradient and the logits of a batch, running
// the network from the zero state. Implementations: the GoMLX engine (any
// cell, any backend, autodiff) and the CPU engine (hand-written kernels).
// Both must give the same numbers to float32 tolerance.
type Engine interface {
	// Name identifies the engine in logs and benchmarks ("gomlx:go", "cpu").
	Name() string
	// LossAndGrad evaluates the batch at parameters p. noise is nil or
	// [T][B][H] standard-normal draws, scaled by the cell (see
	// Config.SigmaRec); it is ignored when SigmaRec is 0.
	LossAndGrad(p *Params, b *tasks.Batch, noise []float32) (*Result, error)
	// Forward runs the batch without noise and returns the states
	// [T][B][StateSize] and the logits [T][B][NumOutput], row-major.
	Forward(p *Params, b *tasks.Batch) (states, logits []float32, err error)
}

// checkBatch validates p, b and noise against cfg; withLoss also checks
// what the loss reads (labels, or targets and mask).
func checkBatch(who string, cfg Config, p *Params, b *tasks.Batch, noise []float32, withLoss bool) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("models: %s: "+format, append([]any{who}, args...)...)
	}
	switch {
	case p == nil:
		return fail("nil params")
	case p.Config != cfg:
		return fail("params config %+v differs from the engine's %+v", p.Config, cfg)
	case b == nil:
		return fail("nil batch")
	case b.T <= 0 || b.B <= 0:
		return fail("batch has T = %d, B = %d; both must be > 0", b.T, b.B)
	case b.ObsSize != cfg.NumInput:
		return fail("batch has %d input channels, the network %d", b.ObsSize, cfg.NumInput)
	case len(b.Inputs) != b.T*b.B*b.ObsSize:
		return fail("batch has %d inputs, want T*B*ObsSize = %d", len(b.Inputs), b.T*b.B*b.ObsSize)
	case noise != nil && len(noise) != b.T*b.B*cfg.NumHidden:
		return fail("noise has %d values, want T*B*H = %d", len(noise), b.T*b.B*cfg.NumHidden)
	}
	if err := p.CheckShapes(); err != nil {
		return err
	}
	if !withLoss {
		return nil
	}
	if cfg.LossName() == LossMSE {
		n := b.T * b.B * cfg.NumOutput
		if len(b.Targets) != n || len(b.Mask) != n {
			return fail("the mse loss needs targets and mask of T*B*O = %d values, got %d and %d", n, len(b.Targets), len(b.Mask))
		}
		return nil
	}
	if len(b.Labels) != b.T*b.B {
		return fail("batch has %d labels, want T*B = %d", len(b.Labels), b.T*b.B)
	}
	O := int32(cfg.NumOutput)
	for i, y := range b.Labels {
		if y < 0 || y >= O {
			return fail("label %d at step %d, trial %d is outside [0, %d)", y, i/b.B, i%b.B, O)
		}
	}
	return nil
}
