package fixedpoints

import (
	"fmt"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Kind says what a fixed point of the map is.
type Kind int

const (
	// Discrete: F is a one-step map h_{t+1} = F(u, h_t); a fixed point has
	// F(u, h) = h and the residual is r = h − F(u, h).
	Discrete Kind = iota
	// Continuous: F is a vector field dh/dt = F(u, h); a fixed point has
	// F(u, h) = 0 and the residual is r = F(u, h).
	Continuous
)

// String names the kind ("discrete" or "continuous", as BrainPy's f_type).
func (k Kind) String() string {
	switch k {
	case Discrete:
		return "discrete"
	case Continuous:
		return "continuous"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// MapFunc is a map F(u, h) built as a GoMLX graph. h is [B, D]; u is either
// [I] (one input shared by every row of h) or [B, I] (one input per row).
// It must return [B, D], each row depending only on its own row of h (rows do
// not interact), which is what models.Params.CellFunc returns.
type MapFunc func(u, h *graph.Node) *graph.Node

// Evaluator evaluates residuals, their gradients and Jacobians of one map for
// a batch of n points. All slices are row-major float32: x is n×D; u is either
// I values (shared by all points) or n×I. Implementations: the GoMLX one
// (NewGraphEvaluator) and any hand-written fast path for a specific map.
//
// Implementations need not be safe for concurrent use.
type Evaluator interface {
	// Kind is the kind of system (it defines the residual).
	Kind() Kind
	// StateDim is D, InputDim is I.
	StateDim() int
	InputDim() int
	// Residuals writes r (n×D) at points x.
	Residuals(x, u, r []float32) error
	// SpeedGrad writes each point's speed s_i = mean_d r_id² into speed (n)
	// and the gradient of Σ_i s_i with respect to x into grad (n×D).
	SpeedGrad(x, u, speed, grad []float32) error
	// Jacobians writes dF/dh at each point into jac (n×D×D):
	// jac[i][a][b] = ∂F_a/∂h_b at point i (the map itself, not the residual).
	Jacobians(x, u, jac []float32) error
}

// InputJacobianEvaluator is an Evaluator that also evaluates the input
// Jacobians of Golub & Sussillo (2018), the linear response of the map to a
// change of its input at each point: with h* a fixed point under input u*,
//
//	F(u* + δu, h* + δh) ≈ h* + J_h δh + J_u δu,   J_u = ∂F/∂u (D×I),
//
// so that J_u δu is the kick an input perturbation gives the state and, with
// the left eigenvectors of J_h, how much of it the slow modes keep.
// GraphEvaluator implements it by GoMLX autodiff; hand-written kernels may.
type InputJacobianEvaluator interface {
	Evaluator
	// InputJacobians writes dF/du at each point into jac (n×D×I):
	// jac[i][a][k] = ∂F_a/∂u_k at point i with its input (row-major D×I
	// per point, the layout of Jacobians with I columns).
	InputJacobians(x, u, jac []float32) error
}

// GraphEvaluator is the Evaluator for any MapFunc, on GoMLX autodiff. Each
// graph is compiled once per input shape and reused (GoMLX caches up to 32
// shapes per graph).
type GraphEvaluator struct {
	backend        compute.Backend
	fn             MapFunc
	kind           Kind
	d, i           int
	mu             sync.Mutex
	res, grad, jac *graph.Exec
	ijac           *graph.Exec
}

// NewGraphEvaluator wraps fn, a map of states of size stateDim and inputs of
// size inputDim, for the given backend (see rnnlab/backend.Shared).
func NewGraphEvaluator(b compute.Backend, fn MapFunc, kind Kind, stateDim, inputDim int) (*GraphEvaluator, error) {
	if b == nil {
		return nil, fmt.Errorf("fixedpoints: nil backend")
	}
	if fn == nil {
		return nil, fmt.Errorf("fixedpoints: nil map function")
	}
	if kind != Discrete && kind != Continuous {
		return nil, fmt.Errorf("fixedpoints: unknown kind %v", kind)
	}
	if stateDim <= 0 || inputDim <= 0 {
		return nil, fmt.Errorf("fixedpoints: state and input sizes must be > 0, got %d and %d", stateDim, inputDim)
	}
	e := &GraphEvaluator{backend: b, fn: fn, kind: kind, d: stateDim, i: inputDim}
	var err error
	if e.res, err = graph.NewExec(b, e.residualGraph); err != nil {
		return nil, err
	}
	if e.grad, err = graph.NewExec(b, e.speedGradGraph); err != nil {
		return nil, err
	}
	if e.jac, err = graph.NewExec(b, e.jacobianGraph); err != nil {
		return nil, err
	}
	if e.ijac, err = graph.NewExec(b, e.inputJacobianGraph); err != nil {
		return nil, err
	}
	for _, ex := range []*graph.Exec{e.res, e.grad, e.jac, e.ijac} {
		ex.SetMaxCache(-1)
	}
	return e, nil
}

// Kind implements Evaluator.
func (e *GraphEvaluator) Kind() Kind { return e.kind }

// StateDim implements Evaluator.
func (e *GraphEvaluator) StateDim() int { return e.d }

// InputDim implements Evaluator.
func (e *GraphEvaluator) InputDim() int { return e.i }

func (e *GraphEvaluator) residual(u, x *graph.Node) *graph.Node {
	f := e.fn(u, x)
	if e.kind == Continuous {
		if f == x { // F returned its input node: the backend cannot output a parameter as is
			f = graph.Neg(graph.Neg(f))
		}
		return f
	}
	return graph.Sub(x, f)
}

func (e *GraphEvaluator) residualGraph(x, u *graph.Node) *graph.Node { return e.residual(u, x) }

func (e *GraphEvaluator) speedGradGraph(x, u *graph.Node) (*graph.Node, *graph.Node) {
	r := e.residual(u, x)
	speed := graph.ReduceMean(graph.Square(r), 1)
	total := graph.ReduceAllSum(speed)
	return speed, graph.Gradient(total, x)[0]
}

// jacobianGraph replicates each of the m points D times, so that row k of
// replica block i is point i; contracting F of the replicas with the identity
// and differentiating gives, in block i row a, the gradient of F_a at point i.
func (e *GraphEvaluator) jacobianGraph(x, u *graph.Node) *graph.Node {
	m, d := x.Shape().Dimensions[0], e.d
	xr := graph.Reshape(graph.BroadcastToDims(graph.InsertAxes(x, 1), m, d, d), m*d, d)
	ur := u
	if u.Rank() == 2 {
		ur = graph.Reshape(graph.BroadcastToDims(graph.InsertAxes(u, 1), m, d, e.i), m*d, e.i)
	}
	f := graph.Reshape(e.fn(ur, xr), m, d, d)
	eye := make([]float32, d*d)
	for k := 0; k < d; k++ {
		eye[k*d+k] = 1
	}
	id := graph.Const(x.Graph(), tensors.FromFlatDataAndDimensions(eye, 1, d, d))
	total := graph.ReduceAllSum(graph.Mul(f, id))
	return graph.Reshape(graph.Gradient(total, xr)[0], m, d, d)
}

// inputJacobianGraph replicates each of the m points and its input D times
// as jacobianGraph does, and differentiates with respect to the replicated
// inputs: block i row a of the gradient is ∂F_a/∂u at point i. A shared
// input [I] is broadcast to one row per replica first, so that each replica
// has its own input to differentiate.
func (e *GraphEvaluator) inputJacobianGraph(x, u *graph.Node) *graph.Node {
	m, d, in := x.Shape().Dimensions[0], e.d, e.i
	xr := graph.Reshape(graph.BroadcastToDims(graph.InsertAxes(x, 1), m, d, d), m*d, d)
	var ur *graph.Node
	if u.Rank() == 2 {
		ur = graph.Reshape(graph.BroadcastToDims(graph.InsertAxes(u, 1), m, d, in), m*d, in)
	} else {
		ur = graph.BroadcastToDims(graph.Reshape(u, 1, in), m*d, in)
	}
	f := graph.Reshape(e.fn(ur, xr), m, d, d)
	eye := make([]float32, d*d)
	for k := 0; k < d; k++ {
		eye[k*d+k] = 1
	}
	id := graph.Const(x.Graph(), tensors.FromFlatDataAndDimensions(eye, 1, d, d))
	total := graph.ReduceAllSum(graph.Mul(f, id))
	return graph.Reshape(graph.Gradient(total, ur)[0], m, d, in)
}

// padRows is the batch size a call with n points is compiled for: small
// batches are padded (with copies of the last point) to a power of two, so
// that filtering and refining subsets of many sizes compile few graphs;
// batches of 512 or more run at their own size.
func padRows(n int) int {
	if n >= 512 {
		return n
	}
	p := 1
	for p < n {
		p *= 2
	}
	return p
}

func padTo(x []float32, n, np, w int) []float32 {
	if np == n {
		return x
	}
	out := make([]float32, np*w)
	copy(out, x)
	last := x[(n-1)*w : n*w]
	for i := n; i < np; i++ {
		copy(out[i*w:], last)
	}
	return out
}

func (e *GraphEvaluator) tensors(x, u []float32) (n, np int, xt, ut *tensors.Tensor, err error) {
	if len(x) == 0 || len(x)%e.d != 0 {
		return 0, 0, nil, nil, fmt.Errorf("fixedpoints: %d state values is not a positive multiple of D=%d", len(x), e.d)
	}
	n = len(x) / e.d
	np = padRows(n)
	switch len(u) {
	case e.i:
		ut = tensors.FromFlatDataAndDimensions(u, e.i)
	case n * e.i:
		ut = tensors.FromFlatDataAndDimensions(padTo(u, n, np, e.i), np, e.i)
	default:
		return 0, 0, nil, nil, fmt.Errorf("fixedpoints: %d input values: want %d (shared) or %d×%d (one per point)", len(u), e.i, n, e.i)
	}
	xt = tensors.FromFlatDataAndDimensions(padTo(x, n, np, e.d), np, e.d)
	return n, np, xt, ut, nil
}

func (e *GraphEvaluator) call(ex *graph.Exec, x, u []float32, outs ...[]float32) error {
	n, np, xt, ut, err := e.tensors(x, u)
	if err != nil {
		return err
	}
	e.mu.Lock()
	res, err := ex.Call(xt, ut)
	e.mu.Unlock()
	xt.MustFinalizeAll()
	ut.MustFinalizeAll()
	if err != nil {
		return fmt.Errorf("fixedpoints: evaluating the map: %w", err)
	}
	defer func() {
		for _, t := range res {
			t.MustFinalizeAll()
		}
	}()
	if len(res) != len(outs) {
		return fmt.Errorf("fixedpoints: graph returned %d outputs, want %d", len(res), len(outs))
	}
	for k, t := range res {
		if len(outs[k]) == 0 || len(outs[k])%n != 0 {
			return fmt.Errorf("fixedpoints: output buffer %d has %d values for %d points", k, len(outs[k]), n)
		}
		if t.Shape().Size() != len(outs[k])/n*np {
			return fmt.Errorf("fixedpoints: map output has shape %s, want %d values (is F(u, h) [B, D]?)", t.Shape(), len(outs[k]))
		}
		var cerr error
		if err := t.ConstFlatData(func(flat any) {
			f, ok := flat.([]float32)
			if !ok {
				cerr = fmt.Errorf("fixedpoints: map output has dtype %s, want float32", t.Shape().DType)
				return
			}
			copy(outs[k], f[:len(outs[k])])
		}); err != nil {
			return err
		}
		if cerr != nil {
			return cerr
		}
	}
	return nil
}

// Residuals implements Evaluator.
func (e *GraphEvaluator) Residuals(x, u, r []float32) error { return e.call(e.res, x, u, r) }

// SpeedGrad implements Evaluator.
func (e *GraphEvaluator) SpeedGrad(x, u, speed, grad []float32) error {
	return e.call(e.grad, x, u, speed, grad)
}

// Jacobians implements Evaluator. Points are processed in chunks of at most
// 64 so that the replicated batch stays small.
func (e *GraphEvaluator) Jacobians(x, u, jac []float32) error {
	return e.chunked(e.jac, "Jacobians", e.d, x, u, jac)
}

// InputJacobians implements InputJacobianEvaluator, by autodiff of the map
// with respect to its input, in chunks of at most 64 points as Jacobians.
func (e *GraphEvaluator) InputJacobians(x, u, jac []float32) error {
	return e.chunked(e.ijac, "InputJacobians", e.i, x, u, jac)
}

// chunked runs a replicated-Jacobian graph (D×cols values per point) over
// the points in chunks of at most 64.
func (e *GraphEvaluator) chunked(ex *graph.Exec, name string, cols int, x, u, jac []float32) error {
	n := len(x) / e.d
	if len(x) == 0 || len(x)%e.d != 0 {
		return fmt.Errorf("fixedpoints: %d state values is not a positive multiple of D=%d", len(x), e.d)
	}
	if len(jac) != n*e.d*cols {
		return fmt.Errorf("fixedpoints: %s: jac has %d values, want %d", name, len(jac), n*e.d*cols)
	}
	perPoint := len(u) == n*e.i && n > 1
	const chunk = 64
	per := e.d * cols
	for s := 0; s < n; s += chunk {
		t := min(n, s+chunk)
		uc := u
		if perPoint {
			uc = u[s*e.i : t*e.i]
		}
		if err := e.call(ex, x[s*e.d:t*e.d], uc, jac[s*per:t*per]); err != nil {
			return err
		}
	}
	return nil
}
