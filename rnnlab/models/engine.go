package models

import "github.com/rnnlab/rnnlab/rnnlab/tasks"

// Result is what an Engine computes for one batch.
type Result struct {
	// Loss is the mean cross-entropy over all T*B time steps and trials.
	Loss float32
	// Grads holds dLoss/dparam for each parameter, in the order of
	// Params.Tensors (w_ir, w_rr, b_rr, w_ro, b_ro), same lengths.
	Grads [][]float32
	// Logits holds the read-out o_t, row-major [T][B][NumOutput].
	Logits []float32
}

// Engine computes the loss, its gradient and the logits of a batch, running
// the network from the zero state. Implementations: the GoMLX engine (any
// backend, autodiff) and the CPU engine (a hand-written kernel for this
// standard cell). Both must give the same numbers to float32 tolerance.
type Engine interface {
	// Name identifies the engine in logs and benchmarks ("gomlx:go", "cpu").
	Name() string
	// LossAndGrad evaluates the batch at parameters p.
	LossAndGrad(p *Params, b *tasks.Batch) (*Result, error)
}
