package fixedpoints

// A hand-written Evaluator for the standard CTRNN cell of package models,
// the map the primer searches: it computes in plain Go, with no graph and
// no allocation per call, what GraphEvaluator computes with p.CellFunc().
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
// Both products are sums of selected rows of a row-major matrix: the forward
// h Wα adds the rows b of Wα weighted by h_b (rows with h_b = 0 skipped), the
// backward Jᵀ r adds the rows a of Wαᵀ weighted by r_a over the active units
// only (m_a = 1), which is where the ReLU saves work: at a typical point of
// the primer's data cloud about half of the units are inactive. The sums run
// in blocks of 8 output columns held in local accumulators, so each weight is
// loaded once per point and no partial sum goes through memory.
//
// Points are independent, so a batch is split in contiguous ranges over a
// few goroutines (the calling one plus long-lived helpers owned by the
// evaluator).

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/rnnlab/rnnlab/rnnlab/models"
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
func NewCTRNNEvaluator(p *models.Params) (*CTRNNEvaluator, error) {
	if p == nil {
		return nil, fmt.Errorf("fixedpoints: nil CTRNN parameters")
	}
	if err := p.Config.Validate(); err != nil {
		return nil, err
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
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
	for b := 0; b < d; b++ {
		for a := 0; a < d; a++ {
			v := a32 * p.WRr[b*d+a]
			if a == b {
				v += leak
			}
			e.w[b*d+a] = v
			e.wt[a*d+b] = v
		}
	}
	for k, v := range p.WIr {
		e.wir[k] = a32 * v
	}
	for k, v := range p.BRr {
		e.bias[k] = a32 * v
	}
	e.pool = newCTRNNPool(d)
	// The helpers reference only the pool, so the evaluator can become
	// unreachable; then its cleanup stops them.
	runtime.AddCleanup(e, func(p *ctrnnPool) { p.close() }, e.pool)
	return e, nil
}

// Kind implements Evaluator: the cell is a Discrete map.
func (e *CTRNNEvaluator) Kind() Kind { return Discrete }

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

// ctrnnWork is one worker's scratch space.
type ctrnnWork struct {
	offs []int32   // row offsets of the rows to add
	val  []float32 // their weights
	y    []float32 // a product row, D
	c    []float32 // per-point input term, D
	r    []float32 // residual row, D
}

func newCTRNNWork(d int) *ctrnnWork {
	return &ctrnnWork{
		offs: make([]int32, d), val: make([]float32, d),
		y: make([]float32, d), c: make([]float32, d), r: make([]float32, d),
	}
}

func (j *ctrnnJob) do(w *ctrnnWork) {
	e := j.e
	d, in := e.d, e.in
	perPoint := len(j.u) != in
	c := e.shared
	for i := j.lo; i < j.hi; i++ {
		h := j.x[i*d : (i+1)*d]
		if perPoint {
			e.inputTerm(j.u[i*in:(i+1)*in], w.c)
			c = w.c
		}
		switch j.op {
		case opResidual:
			e.forward(w, h, c, j.out[i*d:(i+1)*d])
		case opSpeedGrad:
			j.speed[i] = e.speedGrad(w, h, c, j.out[i*d:(i+1)*d])
		case opJacobian:
			e.jacobian(w, h, c, j.out[i*d*d:(i+1)*d*d])
		}
	}
}

// preact writes z − c = h Wα into w.y, skipping the rows with h_b = 0.
func (e *CTRNNEvaluator) preact(w *ctrnnWork, h []float32) {
	d := e.d
	nz := 0
	for b, v := range h[:d] {
		if v != 0 {
			w.offs[nz] = int32(b * d)
			w.val[nz] = v
			nz++
		}
	}
	sumRows(w.y, e.w, w.offs[:nz], w.val[:nz])
}

// forward writes r = h − relu(h Wα + c).
func (e *CTRNNEvaluator) forward(w *ctrnnWork, h, c, r []float32) {
	e.preact(w, h)
	y, c, r := w.y[:e.d], c[:e.d], r[:e.d]
	for a, ya := range y {
		z := ya + c[a]
		r[a] = h[a] - max(z, 0)
	}
}

// speedGrad writes the gradient of the point's speed into g and returns the
// speed.
func (e *CTRNNEvaluator) speedGrad(w *ctrnnWork, h, c, g []float32) float32 {
	d := e.d
	e.preact(w, h)
	y, c, r, g := w.y[:d], c[:d], w.r[:d], g[:d]
	var sum float32
	na := 0
	for a, ya := range y {
		z := ya + c[a]
		ra := h[a]
		if z > 0 {
			ra -= z
			if ra != 0 {
				w.offs[na] = int32(a * d)
				w.val[na] = ra
				na++
			}
		}
		r[a] = ra
		sum += ra * ra
	}
	// y = Jᵀ r = Σ_{a active} r_a Wαᵀ[a, :]
	sumRows(y, e.wt, w.offs[:na], w.val[:na])
	s := 2 / float32(d)
	for b, rb := range r {
		g[b] = s * (rb - y[b])
	}
	return sum / float32(d)
}

// jacobian writes J[a][b] = m_a Wα[b][a] = m_a Wαᵀ[a][b].
func (e *CTRNNEvaluator) jacobian(w *ctrnnWork, h, c, jac []float32) {
	d := e.d
	e.preact(w, h)
	for a, ya := range w.y[:d] {
		row := jac[a*d : (a+1)*d]
		if ya+c[a] > 0 {
			copy(row, e.wt[a*d:(a+1)*d])
		} else {
			clear(row)
		}
	}
}

// sumRows sets out[j] = Σ_k val[k]·m[offs[k]+j] for j < len(out): a weighted
// sum of selected rows of a row-major matrix m (offs[k] is where row k
// starts), 8 output columns at a time in local accumulators.
func sumRows(out, m []float32, offs []int32, val []float32) {
	n := len(out)
	val = val[:len(offs)]
	j := 0
	for ; j+8 <= n; j += 8 {
		var a0, a1, a2, a3, a4, a5, a6, a7 float32
		for k, o := range offs {
			v := val[k]
			s := int(o) + j
			row := m[s : s+8 : s+8]
			a0 += v * row[0]
			a1 += v * row[1]
			a2 += v * row[2]
			a3 += v * row[3]
			a4 += v * row[4]
			a5 += v * row[5]
			a6 += v * row[6]
			a7 += v * row[7]
		}
		o := out[j : j+8 : j+8]
		o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = a0, a1, a2, a3, a4, a5, a6, a7
	}
	for ; j < n; j++ {
		var acc float32
		for k, o := range offs {
			acc += val[k] * m[int(o)+j]
		}
		out[j] = acc
	}
}
