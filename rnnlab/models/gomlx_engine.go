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
// graph: the time loop is unrolled (autodiff through graph.While is not
// reliable on the go backend), the gradient comes from graph.Gradient.
//
// The five parameters are graph inputs, not GoMLX variables, so the optimiser
// can live in plain Go (see package training). One graph is compiled per
// (T, B) shape and cached by the underlying graph.Exec.
//
// A GoMLXEngine is safe for concurrent use.
type GoMLXEngine struct {
	backend compute.Backend
	cfg     Config

	mu      sync.Mutex
	train   *graph.Exec // inputs: x, labels, 5 params; outputs: loss, logits, 5 grads
	forward *graph.Exec // inputs: x, 5 params; outputs: states, logits
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
	alpha := cfg.Alpha()
	var err error
	e.train, err = graph.NewExec(be, func(in []*graph.Node) []*graph.Node {
		x, labels := in[0], in[1]
		pn := ParamNodesFromSlice(in[2:7])
		loss, logits := SequenceLossGraph(alpha, pn, x, labels)
		grads := graph.Gradient(loss, pn.Slice()...)
		return append([]*graph.Node{loss, logits}, grads...)
	})
	if err != nil {
		return nil, err
	}
	e.train.WithName("rnnlab_loss_and_grad")
	e.forward, err = graph.NewExec(be, func(in []*graph.Node) []*graph.Node {
		states, logits := SequenceGraph(alpha, ParamNodesFromSlice(in[1:6]), in[0])
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

// check validates p and b against the engine's configuration.
func (e *GoMLXEngine) check(p *Params, b *tasks.Batch, labels bool) error {
	if p == nil || b == nil {
		return fmt.Errorf("models: %s: nil params or batch", e.Name())
	}
	if p.Config != e.cfg {
		return fmt.Errorf("models: %s: params config %+v differs from the engine's %+v", e.Name(), p.Config, e.cfg)
	}
	if err := p.CheckShapes(); err != nil {
		return err
	}
	if b.T <= 0 || b.B <= 0 {
		return fmt.Errorf("models: empty batch (T=%d, B=%d)", b.T, b.B)
	}
	if b.ObsSize != e.cfg.NumInput {
		return fmt.Errorf("models: batch has %d input channels, network has %d", b.ObsSize, e.cfg.NumInput)
	}
	if len(b.Inputs) != b.T*b.B*b.ObsSize {
		return fmt.Errorf("models: batch inputs have %d values, want T*B*I = %d", len(b.Inputs), b.T*b.B*b.ObsSize)
	}
	if !labels {
		return nil
	}
	if len(b.Labels) != b.T*b.B {
		return fmt.Errorf("models: batch labels have %d values, want T*B = %d", len(b.Labels), b.T*b.B)
	}
	for i, l := range b.Labels {
		if l < 0 || int(l) >= e.cfg.NumOutput {
			return fmt.Errorf("models: label %d at step %d, trial %d is outside [0, %d)", l, i/b.B, i%b.B, e.cfg.NumOutput)
		}
	}
	return nil
}

func paramTensors(p *Params) []any {
	shp := p.Shapes()
	out := make([]any, 0, 5)
	for i, t := range p.Tensors() {
		out = append(out, tensors.FromFlatDataAndDimensions(t, shp[i]...))
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
// the mean cross-entropy over all T*B steps, its gradient with respect to the
// five parameters and the logits [T][B][O]. Labels must lie in
// [0, NumOutput).
func (e *GoMLXEngine) LossAndGrad(p *Params, b *tasks.Batch) (res *Result, err error) {
	if err := e.check(p, b, true); err != nil {
		return nil, err
	}
	args := make([]any, 0, 7)
	args = append(args,
		tensors.FromFlatDataAndDimensions(b.Inputs, b.T, b.B, b.ObsSize),
		tensors.FromFlatDataAndDimensions(b.Labels, b.T, b.B))
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
		Grads:  make([][]float32, 5),
	}
	for i := range res.Grads {
		res.Grads[i] = tensors.MustCopyFlatData[float32](outs[2+i])
	}
	return res, nil
}

// Forward runs the batch from the zero state at parameters p and returns the
// hidden states [T][B][H] and the logits [T][B][O], row-major. Labels are
// not used.
func (e *GoMLXEngine) Forward(p *Params, b *tasks.Batch) (states, logits []float32, err error) {
	if err := e.check(p, b, false); err != nil {
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
