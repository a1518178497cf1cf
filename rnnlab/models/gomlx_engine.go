package models

import (
	"fmt"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/rnnlab/rnnlab/rnnlab/backend"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// GoMLXEngine computes the loss, gradients and logits of a batch with a GoMLX
// graph, for any cell: the time loop is unrolled (autodiff through
// graph.While is not reliable on the go backend), the gradient comes from
// graph.Gradient.
//
// The parameters are graph inputs, not GoMLX variables, so the optimiser
// can live in plain Go (see package training). One graph is compiled per
// (T, B) shape and cached by the underlying graph.Exec. The graph's inputs
// are x, then the labels (cross-entropy) or the targets and mask (mean
// squared error), then the noise when Config.SigmaRec > 0, then the
// parameters, then the connectivity mask when the Params have one
// (Params.Mask: a second compiled graph, cached the same way; the gradient
// is taken with respect to the parameters only, so dW_rr = dW_eff ⊙ M).
//
// A GoMLXEngine is safe for concurrent use.
type GoMLXEngine struct {
	backend compute.Backend
	cfg     Config

	mu      sync.Mutex
	train   *graph.Exec // outputs: loss, logits, grads...
	forward *graph.Exec // inputs: x, params...; outputs: states, logits
}

var _ Engine = (*GoMLXEngine)(nil)

// NewGoMLXEngine returns an engine for networks of configuration cfg running
// on be; a nil be means backend.Shared() (the go backend unless GOMLX_BACKEND
// says otherwise).
func NewGoMLXEngine(be compute.Backend, cfg Config) (*GoMLXEngine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if be == nil {
		var err error
		if be, err = backend.Shared(); err != nil {
			return nil, err
		}
	}
	e := &GoMLXEngine{backend: be, cfg: cfg}
	var err error
	e.train, err = graph.NewExec(be, func(in []*graph.Node) []*graph.Node {
		x := in[0]
		in = in[1:]
		var labels, targets, mask, noise *graph.Node
		if cfg.LossName() == LossMSE {
			targets, mask, in = in[0], in[1], in[2:]
		} else {
			labels, in = in[0], in[1:]
		}
		if cfg.SigmaRec > 0 {
			noise, in = in[0], in[1:]
		}
		loss, logits := LossGraph(cfg, in, x, noise, labels, targets, mask)
		grads := graph.Gradient(loss, in[:len(cfg.ParamNames())]...)
		return append([]*graph.Node{loss, logits}, grads...)
	})
	if err != nil {
		return nil, err
	}
	e.train.WithName("rnnlab_loss_and_grad")
	e.forward, err = graph.NewExec(be, func(in []*graph.Node) []*graph.Node {
		states, _, logits := SequenceGraph(cfg, in[1:], in[0], nil)
		return []*graph.Node{states, logits}
	})
	if err != nil {
		return nil, err
	}
	e.forward.WithName("rnnlab_forward")
	return e, nil
}

// Name returns "gomlx:" followed by the backend's short name (see
// BackendName), such as "gomlx:go".
func (e *GoMLXEngine) Name() string { return "gomlx:" + e.BackendName() }

// BackendName is the short, lower-case name of the backend: the first word
// of its Name ("Go Backend" gives "go", "xla" stays "xla").
func (e *GoMLXEngine) BackendName() string {
	f := strings.Fields(e.backend.Name())
	if len(f) == 0 {
		return "unknown"
	}
	return strings.ToLower(f[0])
}

// Backend returns the compute backend the engine runs on.
func (e *GoMLXEngine) Backend() compute.Backend { return e.backend }

// Config returns the network configuration the engine was built for.
func (e *GoMLXEngine) Config() Config { return e.cfg }

// Finalize releases the compiled graphs. The engine must not be used after.
func (e *GoMLXEngine) Finalize() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.train.Finalize()
	e.forward.Finalize()
}

func paramTensors(p *Params) []any {
	shp := p.Shapes()
	out := make([]any, 0, len(p.Values))
	for i, t := range p.Tensors() {
		out = append(out, tensors.FromFlatDataAndDimensions(t, shp[i]...))
	}
	if p.Mask != nil {
		out = append(out, tensors.FromFlatDataAndDimensions(p.Mask, p.NumHidden, p.NumHidden))
	}
	return out
}

func finalizeArgs(args []any) {
	for _, a := range args {
		if t, ok := a.(*tensors.Tensor); ok {
			t.FinalizeAll()
		}
	}
}

func finalizeAll(ts []*tensors.Tensor) {
	for _, t := range ts {
		t.FinalizeAll()
	}
}

// LossAndGrad runs the batch from the zero state at parameters p and returns
// the loss of Config.Loss, its gradient with respect to every parameter and
// the logits [T][B][O]. noise is as Engine.LossAndGrad.
func (e *GoMLXEngine) LossAndGrad(p *Params, b *tasks.Batch, noise []float32) (res *Result, err error) {
	if err := checkBatch(e.Name(), e.cfg, p, b, noise, true); err != nil {
		return nil, err
	}
	T, B, O := b.T, b.B, e.cfg.NumOutput
	args := []any{tensors.FromFlatDataAndDimensions(b.Inputs, T, B, b.ObsSize)}
	if e.cfg.LossName() == LossMSE {
		args = append(args, tensors.FromFlatDataAndDimensions(b.Targets, T, B, O), tensors.FromFlatDataAndDimensions(b.Mask, T, B, O))
	} else {
		args = append(args, tensors.FromFlatDataAndDimensions(b.Labels, T, B))
	}
	if e.cfg.SigmaRec > 0 {
		if noise == nil {
			noise = make([]float32, T*B*e.cfg.NumHidden)
		}
		args = append(args, tensors.FromFlatDataAndDimensions(noise, T, B, e.cfg.NumHidden))
	}
	args = append(args, paramTensors(p)...)
	defer finalizeArgs(args)
	e.mu.Lock()
	outs, err := e.train.Call(args...)
	e.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("models: %s: %w", e.Name(), err)
	}
	defer finalizeAll(outs)
	res = &Result{
		Loss:   tensors.MustCopyFlatData[float32](outs[0])[0],
		Logits: tensors.MustCopyFlatData[float32](outs[1]),
		Grads:  make([][]float32, len(p.Values)),
	}
	for i := range res.Grads {
		res.Grads[i] = tensors.MustCopyFlatData[float32](outs[2+i])
	}
	return res, nil
}

// Forward runs the batch from the zero state at parameters p, without
// noise, and returns the states [T][B][S] and the logits [T][B][O],
// row-major. Labels are not used.
func (e *GoMLXEngine) Forward(p *Params, b *tasks.Batch) (states, logits []float32, err error) {
	if err := checkBatch(e.Name(), e.cfg, p, b, nil, false); err != nil {
		return nil, nil, err
	}
	args := []any{tensors.FromFlatDataAndDimensions(b.Inputs, b.T, b.B, b.ObsSize)}
	args = append(args, paramTensors(p)...)
	defer finalizeArgs(args)
	e.mu.Lock()
	outs, err := e.forward.Call(args...)
	e.mu.Unlock()
	if err != nil {
		return nil, nil, fmt.Errorf("models: %s: %w", e.Name(), err)
	}
	defer finalizeAll(outs)
	return tensors.MustCopyFlatData[float32](outs[0]), tensors.MustCopyFlatData[float32](outs[1]), nil
}
