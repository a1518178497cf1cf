package models

// A hand-written Evaluator for the standard CTRNN cell of package models,
// the map the primer searches: it computes on the CPU with gonum's BLAS, with
// no graph and no allocation per call, what GraphEvaluator computes with
// p.CellFunc().
//
// # Equations
//
// With the weights stored (in, out) as in models.Params, fold the leak into
// the recurrent matrix and the input and bias into one vector:
//
//	Wα = α W_rr + (1−α) I           (D×D, (in, out))
//	c  = α (u W_ir + b_rr)           (one per input row)
//	z  = h Wα + c,   F(h) = relu(z)
//
// so z_a = Σ_b h_b Wα[b][a] + c_a and, with m_a = 1[z_a > 0],
//
//	J[a][b] = ∂F_a/∂h_b = m_a Wα[b][a]           (J = diag(m) Wαᵀ)
//	r = h − F(h),   s = mean_d r_d²
//	∂s/∂h = (2/D) (r − Jᵀ r),   (Jᵀ r)_b = Σ_a Wα[b][a] m_a r_a.
//
// # Kernels
//
// Points are processed in chunks of 128. For a chunk X (m×D) the forward
// pass is one matrix product Z = C + X Wα, and the backward pass another,
// G = (2/D)(R − E Wαᵀ) with E = 1[Z>0] ⊙ R, both computed exactly as
// gonum's serial Sgemm computes them (f32.MulAdd: AVX2 assembly on amd64
// that keeps a row block of the product in registers, gonum's Sgemm
// elsewhere, bit-identical results): an axpy over rows of the weight matrix
// that skips zero coefficients, so rows of inactive units (E = 0, about half
// of them at a typical point of the primer's data cloud) cost nothing, nor
// do zero coordinates of the points (ReLU activity). Products are issued in
// blocks of at most 192 rows and 64 columns, which run on the calling
// goroutine without allocating (and which gonum's fallback computes
// serially, the order the kernel reproduces). The element-wise parts (ReLU, residual,
// speed, mask) are single loops over the chunk, which stays in cache.
//
// Chunks are independent, so a batch is split in contiguous ranges over a
// few goroutines (the calling one plus long-lived helpers owned by the
// evaluator).

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/internal/f32"
	"gonum.org/v1/gonum/blas/gonum"
)

// ctrnnMinPointsPerWorker is the smallest share of points worth a helper
// goroutine (at D = 64 a point costs about a microsecond; the hand-off a few).
const ctrnnMinPointsPerWorker = 64

// ctrnnMaxWorkers caps the goroutines of one call.
const ctrnnMaxWorkers = 64

// CTRNNEvaluator is a fast CPU Evaluator for the standard CTRNN cell
// F(u, h) = relu((1−α)h + α(u W_ir + h W_rr + b_rr)) of models.Params, a
// Discrete map. It gives the numbers of
// NewGraphEvaluator(b, p.CellFunc(), Discrete, H, I) to float32 rounding
// (summation order differs), typically several times faster on a CPU.
//
// The weights are copied at construction: later changes to the Params are
// not seen. Calls do not allocate. Like every Evaluator it is not safe for
// concurrent use; one call may use several goroutines (see SetWorkers).
// Close releases the helper goroutines (an evaluator that becomes
// unreachable releases them too).
type CTRNNEvaluator struct {
	d, in int
	alpha float64

	w    []float32 // Wα = α W_rr + (1−α) I, D×D row-major (in, out)
	wt   []float32 // Wαᵀ, D×D row-major (out, in)
	wir  []float32 // α W_ir, I×D
	bias []float32 // α b_rr, D

	shared []float32 // c for a shared input, D

	workers int // requested (0: automatic)
	pool    *ctrnnPool
}

// NewCTRNNEvaluator returns the fast evaluator for the cell of p (any
// sizes, 0 < α ≤ 1).
func NewCTRNNEvaluator(p *Params) (*CTRNNEvaluator, error) {
	if p == nil {
		return nil, fmt.Errorf("fixedpoints: nil CTRNN parameters")
	}
	if err := p.Config.Validate(); err != nil {
		return nil, err
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
	}
	k, err := cpuSupports(p.Config)
	if err != nil || k.onState || p.ActivationName() != ActReLU {
		return nil, fmt.Errorf("models: the CTRNN fixed-point kernel needs a relu network whose state is its rate (ctrnn), not %s; use the gomlx evaluator", p.Describe())
	}
	d, in := p.NumHidden, p.NumInput
	alpha := p.Alpha()
	a32, leak := float32(alpha), float32(1-alpha)
	e := &CTRNNEvaluator{
		d: d, in: in, alpha: alpha,
		w:      make([]float32, d*d),
		wt:     make([]float32, d*d),
		wir:    make([]float32, in*d),
		bias:   make([]float32, d),
		shared: make([]float32, d),
	}
	wrr := make([]float32, d*d) // the effective W_rr (⊙ M with a mask)
	k.pack(p.Config, p.Values[1], wrr)
	applyMask(wrr, p.Mask)
	for b := 0; b < d; b++ {
		for a := 0; a < d; a++ {
			v := a32 * wrr[b*d+a]
			if a == b {
				v += leak
			}
			e.w[b*d+a] = v
			e.wt[a*d+b] = v
		}
	}
	for k, v := range p.Values[0] {
		e.wir[k] = a32 * v
	}
	for k, v := range p.Values[2] {
		e.bias[k] = a32 * v
	}
	e.pool = newCTRNNPool(d)
	// The helpers reference only the pool, so the evaluator can become
	// unreachable; then its cleanup stops them.
	runtime.AddCleanup(e, func(p *ctrnnPool) { p.close() }, e.pool)
	return e, nil
}

// Kind implements Evaluator: the cell is a Discrete map.
func (e *CTRNNEvaluator) Kind() fixedpoints.Kind { return fixedpoints.Discrete }

// StateDim implements Evaluator (the number of hidden units).
func (e *CTRNNEvaluator) StateDim() int { return e.d }

// InputDim implements Evaluator (the number of inputs).
func (e *CTRNNEvaluator) InputDim() int { return e.in }

// SetWorkers sets how many goroutines one call may use: n ≤ 0 restores the
// default, min(GOMAXPROCS, 2) (the machine the tutorial targets has two
// cores; more rarely pays at D = 64). A batch never uses more workers than
// it has groups of 64 points.
func (e *CTRNNEvaluator) SetWorkers(n int) { e.workers = n }

// Close stops the helper goroutines. The evaluator stays usable, on the
// calling goroutine only. Close is idempotent.
func (e *CTRNNEvaluator) Close() { e.pool.close() }

// Residuals implements Evaluator: r = h − F(u, h) at every point.
func (e *CTRNNEvaluator) Residuals(x, u, r []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	if len(r) != n*e.d {
		return fmt.Errorf("fixedpoints: residual buffer has %d values, want %d", len(r), n*e.d)
	}
	e.run(ctrnnJob{op: opResidual, x: x, u: u, out: r}, n)
	return nil
}

// SpeedGrad implements Evaluator: speed_i = mean_d r_id² and the gradient of
// Σ_i speed_i, (2/D)(r_i − J_iᵀ r_i).
func (e *CTRNNEvaluator) SpeedGrad(x, u, speed, grad []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	if len(speed) != n || len(grad) != n*e.d {
		return fmt.Errorf("fixedpoints: speed/grad buffers have %d and %d values, want %d and %d", len(speed), len(grad), n, n*e.d)
	}
	e.run(ctrnnJob{op: opSpeedGrad, x: x, u: u, out: grad, speed: speed}, n)
	return nil
}

// Jacobians implements Evaluator: jac[i][a][b] = ∂F_a/∂h_b =
// 1[z_a > 0]·((1−α)δ_ab + α W_rr[b][a]).
func (e *CTRNNEvaluator) Jacobians(x, u, jac []float32) error {
	n, err := e.check(x, u)
	if err != nil {
		return err
	}
	if len(jac) != n*e.d*e.d {
		return fmt.Errorf("fixedpoints: Jacobian buffer has %d values, want %d", len(jac), n*e.d*e.d)
	}
	e.run(ctrnnJob{op: opJacobian, x: x, u: u, out: jac}, n)
	return nil
}

// check validates the shapes of x and u and, for a shared input, computes
// its constant c. It returns the number of points.
func (e *CTRNNEvaluator) check(x, u []float32) (int, error) {
	d, in := e.d, e.in
	if len(x)%d != 0 {
		return 0, fmt.Errorf("fixedpoints: %d state values is not a multiple of the state size %d", len(x), d)
	}
	n := len(x) / d
	switch len(u) {
	case in:
		e.inputTerm(u, e.shared)
	case n * in:
	default:
		return 0, fmt.Errorf("fixedpoints: %d input values: want %d (shared) or %d×%d (one per point)", len(u), in, n, in)
	}
	return n, nil
}

// inputTerm writes c = α(u W_ir + b_rr) for one input row u.
func (e *CTRNNEvaluator) inputTerm(u, c []float32) {
	d := e.d
	copy(c, e.bias)
	for k, uk := range u[:e.in] {
		if uk == 0 {
			continue
		}
		row := e.wir[k*d : (k+1)*d]
		for a, w := range row {
			c[a] += uk * w
		}
	}
}

// run splits the n points of job over the workers and waits for them.
func (e *CTRNNEvaluator) run(job ctrnnJob, n int) {
	nw := e.workers
	if nw <= 0 {
		nw = min(runtime.GOMAXPROCS(0), 2)
	}
	nw = max(1, min(nw, n/ctrnnMinPointsPerWorker, ctrnnMaxWorkers))
	p := e.pool
	if nw > 1 {
		nw = p.ensure(nw)
	}
	for k := 1; k < nw; k++ {
		j := job
		j.e, j.lo, j.hi = e, k*n/nw, (k+1)*n/nw
		p.helpers[k-1].jobs <- j
	}
	job.e, job.lo, job.hi = e, 0, n/nw
	job.do(p.main)
	for k := 1; k < nw; k++ {
		<-p.done
	}
}

// ctrnnPool holds the workspaces and helper goroutines of one evaluator.
type ctrnnPool struct {
	d       int
	mu      sync.Mutex
	closed  bool
	main    *ctrnnWork
	helpers []*ctrnnHelper
	done    chan struct{}
}

type ctrnnHelper struct {
	jobs chan ctrnnJob
	work *ctrnnWork
}

func newCTRNNPool(d int) *ctrnnPool {
	return &ctrnnPool{d: d, main: newCTRNNWork(d), done: make(chan struct{}, ctrnnMaxWorkers)}
}

// ensure starts helpers until nw−1 exist and returns the number of workers
// available (1 after close).
func (p *ctrnnPool) ensure(nw int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return 1
	}
	for len(p.helpers) < nw-1 {
		h := &ctrnnHelper{jobs: make(chan ctrnnJob, 1), work: newCTRNNWork(p.d)}
		p.helpers = append(p.helpers, h)
		go func() {
			for j := range h.jobs {
				j.do(h.work)
				p.done <- struct{}{}
			}
		}()
	}
	return nw
}

func (p *ctrnnPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	for _, h := range p.helpers {
		close(h.jobs)
	}
	p.helpers = nil
}

type ctrnnOp int

const (
	opResidual ctrnnOp = iota
	opSpeedGrad
	opJacobian
)

// ctrnnJob is the work on points [lo, hi) of one call.
type ctrnnJob struct {
	e      *CTRNNEvaluator
	op     ctrnnOp
	lo, hi int
	x, u   []float32
	out    []float32 // r, grad or jac
	speed  []float32
}

// ctrnnChunk is the number of points processed together: one matrix
// product per chunk (at most 192 rows, with at most 64 columns, keeps
// gonum's Sgemm on the calling goroutine, with no allocation), small enough
// that a chunk's buffers stay in the core's cache.
const ctrnnChunk = 128

// ctrnnCols is the widest column block of one Sgemm call (at most 64
// columns, so that gonum never splits the product over goroutines).
const ctrnnCols = 64

// ctrnnWork is one worker's scratch space.
type ctrnnWork struct {
	z []float32 // pre-activations of a chunk, ctrnnChunk×D
	e []float32 // masked residuals of a chunk, ctrnnChunk×D
}

func newCTRNNWork(d int) *ctrnnWork {
	return &ctrnnWork{z: make([]float32, ctrnnChunk*d), e: make([]float32, ctrnnChunk*d)}
}

var gemm gonum.Implementation

// mulAdd does c += alpha·a·b for row-major a (m×k), b (k×n), c (m×n), in
// column blocks of at most ctrnnCols, with f32.MulAdd: bit-identical to
// gonum's serial Sgemm (for each element, in order over l, t = alpha·a[i][l]
// and, if t ≠ 0, c[i][j] = c[i][j] + round(t·b[l][j]), no fused
// multiply-add), with AVX2 kernels that keep a row block of c in registers
// on amd64, and gonum's Sgemm itself elsewhere.
func mulAdd(m, n, k int, alpha float32, a, b, c []float32) {
	for j := 0; j < n; j += ctrnnCols {
		nb := min(ctrnnCols, n-j)
		f32.MulAdd(m, nb, k, alpha, a, k, b[j:], n, c[j:], n)
	}
}

func (j *ctrnnJob) do(w *ctrnnWork) {
	e := j.e
	d, in := e.d, e.in
	perPoint := len(j.u) != in
	for lo := j.lo; lo < j.hi; lo += ctrnnChunk {
		hi := min(lo+ctrnnChunk, j.hi)
		m := hi - lo
		x := j.x[lo*d : hi*d]
		// z = c + x Wα
		z := w.z[:m*d]
		for i := 0; i < m; i++ {
			if perPoint {
				e.inputTerm(j.u[(lo+i)*in:(lo+i+1)*in], z[i*d:(i+1)*d])
			} else {
				copy(z[i*d:(i+1)*d], e.shared)
			}
		}
		mulAdd(m, d, d, 1, x, e.w, z)
		switch j.op {
		case opResidual:
			r := j.out[lo*d : hi*d]
			for k, zk := range z {
				r[k] = x[k] - max(zk, 0)
			}
		case opSpeedGrad:
			j.speedGrad(w, lo, hi, x, z)
		case opJacobian:
			jac := j.out[lo*d*d : hi*d*d]
			for k, zk := range z {
				row := jac[k*d : (k+1)*d]
				if zk > 0 {
					a := k % d
					copy(row, e.wt[a*d:(a+1)*d])
				} else {
					clear(row)
				}
			}
		}
	}
}

// speedGrad finishes SpeedGrad on points [lo, hi) given their
// pre-activations z: r = h − relu(z), speed = mean r², and
// grad = (2/D)(r − Jᵀr) with Jᵀr = (1[z>0] ⊙ r) Wαᵀ.
func (j *ctrnnJob) speedGrad(w *ctrnnWork, lo, hi int, x, z []float32) {
	d := j.e.d
	m := hi - lo
	g := j.out[lo*d : hi*d]
	em := w.e[:m*d]
	for i := 0; i < m; i++ {
		xi, zi, gi, ei := x[i*d:(i+1)*d], z[i*d:(i+1)*d], g[i*d:(i+1)*d], em[i*d:(i+1)*d]
		var sum float32
		for a, za := range zi {
			ra := xi[a]
			ea := float32(0)
			if za > 0 {
				ra -= za
				ea = ra
			}
			gi[a] = ra
			ei[a] = ea
			sum += ra * ra
		}
		j.speed[lo+i] = sum / float32(d)
	}
	// g = r − e Wαᵀ, then scaled by 2/D.
	mulAdd(m, d, d, -1, em, j.e.wt, g)
	s := 2 / float32(d)
	for k := range g {
		g[k] *= s
	}
}

// InputJacobians implements fixedpoints.InputJacobianEvaluator, the input
// Jacobians of the relu CTRNN: with pre = (1−α) h + α (u W_ir + h W_rr + b_rr)
// and F(u, h) = relu(pre),
//
//	∂F_a/∂u_k = 1[pre_a > 0] · α W_ir[k][a]     (J_u = α diag(relu'(pre)) W_irᵀ)
//
// written row-major D×I per point into jac (n×D×I); x is n×D, u is I values
// shared by all points or n×I.
func (e *CTRNNEvaluator) InputJacobians(x, u, jac []float32) error {
	d, in := e.d, e.in
	if len(x) == 0 || len(x)%d != 0 {
		return fmt.Errorf("fixedpoints: %d state values is not a positive multiple of the state size %d", len(x), d)
	}
	n := len(x) / d
	if len(u) != in && len(u) != n*in {
		return fmt.Errorf("fixedpoints: %d input values: want %d (shared) or %d×%d (one per point)", len(u), in, n, in)
	}
	if len(jac) != n*d*in {
		return fmt.Errorf("fixedpoints: input Jacobian buffer has %d values, want %d", len(jac), n*d*in)
	}
	pre := make([]float32, d)
	for i := 0; i < n; i++ {
		xi := x[i*d : (i+1)*d]
		ui := u
		if len(u) != in {
			ui = u[i*in : (i+1)*in]
		}
		// pre = h Wα + u (α W_ir) + α b_rr
		copy(pre, e.bias)
		for k, uk := range ui {
			for c, w := range e.wir[k*d : (k+1)*d] {
				pre[c] += uk * w
			}
		}
		for b, hb := range xi {
			if hb == 0 {
				continue
			}
			for c, w := range e.w[b*d : (b+1)*d] {
				pre[c] += hb * w
			}
		}
		ji := jac[i*d*in : (i+1)*d*in]
		for c, v := range pre {
			row := ji[c*in : (c+1)*in]
			if v <= 0 {
				clear(row)
				continue
			}
			for k := range row {
				row[k] = e.wir[k*d+c]
			}
		}
	}
	return nil
}
