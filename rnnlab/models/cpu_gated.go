package models

// Gated CPU engine: a hand-written forward pass and backpropagation through
// time for the gated cells (those that implement gatedCell: GRU, LSTM,
// UGRNN), in float32, pure Go. The engine runs the products, the loss and
// the sums; each cell's gatedKernel (in its cell file) computes its gates
// from the projections and their gradients.
//
// # Equations
//
// For every trial and t = 0..T-1 from h_{-1} = 0 (and c_{-1} = 0), with
// the input projections of all steps computed first, in one pass per trial,
// for instance (the UGRNN's are in cell_ugrnn.go):
//
//	GRU:  a = x_t W_ih + b_ih,  g = h_{t-1} W_hh + b_hh        (gates r, z, n)
//	      r = σ(a_r + g_r),  z = σ(a_z + g_z),  n = tanh(a_n + r ⊙ g_n)
//	      h_t = (1-z) ⊙ n + z ⊙ h_{t-1}
//	LSTM: a = x_t W_ih + b_ih + b_hh + h_{t-1} W_hh              (gates i, f, g, o)
//	      i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o)
//	      c_t = f ⊙ c_{t-1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)
//	o_t = h_t W_ro + b_ro
//
// The loss is the cross-entropy 1/(T B) Σ [logsumexp(o_tb) - o_tb[y_tb]], or
// the masked error 1/(T B O) Σ (m (y - target))² with y = σ(o) when
// Config.Sigmoid is set, plus λ1·mean|h| + λ2·mean h² over T·B·H (the
// LSTM's c is not a rate).
//
// Backward, t = T-1..0, with δh the gradient reaching h_t from step t+1,
// to which the read-out and the rate penalty add
//
//	dL/do_t = (softmax(o_t) - onehot(y_t)) / (T B)            (cross-entropy)
//	dL/do_t = 2 m² (y - target) [⊙ y(1-y) with the sigmoid] / (T B O)   (mse)
//	δh += dL/do_t W_roᵀ + λ1 sign(h_t) / (T B H) + 2 λ2 h_t / (T B H)
//	dW_ro += h_tᵀ dL/do_t,  db_ro += dL/do_t
//
//	GRU:  δn = δh (1-z),  δz = δh (h_{t-1} - n)
//	      δa_n = δn (1-n²),  δa_r = δa_n g_n r(1-r),  δa_z = δz z(1-z)
//	      δg = (δa_r, δa_z, r ⊙ δa_n),  δa = (δa_r, δa_z, δa_n)
//	      δh_{t-1} = z ⊙ δh + δg W_hhᵀ
//	LSTM: δc = δc_{t+1} + δh o (1 - tanh²c_t),  δo = δh tanh c_t
//	      δa = (δc g i(1-i), δc c_{t-1} f(1-f), δc i (1-g²), δo o(1-o))
//	      δc_t passed back = δc f,  δg = δa,  δh_{t-1} = δa W_hhᵀ
//	dW_ih += x_tᵀ δa,  db_ih += δa,  dW_hh += h_{t-1}ᵀ δg,  db_hh += δg
//
// # Kernels
//
// The products run on internal/f32's kernels (AVX2 assembly with fused
// multiply-adds on amd64, gonum's SSE Saxpy/Sdot elsewhere): the input
// projections x_t W_ih and h W_hh by AccumRows, which keeps 64 columns of
// the result in registers over all rows; δg W_hhᵀ and h_{t-1}ᵀ δg together
// by RankOneDot, which reads δg once per row of W_hh for both; x_tᵀ δa by
// Axpy rows. The weight gradient h_{t-1}ᵀ δg is accumulated step by step
// into the shard's dW_hh. Sigmoid and tanh use a float32 exponential
// (exp32) accurate to about 1e-7, much cheaper than math.Exp in float64;
// the gates of a step evaluate it eight lanes at a time (f32.Sigmoid,
// f32.Tanh: AVX2 on amd64).
//
// # Parallelism
//
// As in the CTRNN engine, the batch is split in contiguous shards of
// trials, one worker per shard with its own workspace (one trial's states
// and gates) and gradient accumulators, summed at the end. The workers are
// goroutines parked on a channel between calls, so that a call allocates
// nothing; they exit when the engine is garbage collected.

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/rnnlab/rnnlab/rnnlab/internal/f32"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// gatedCell is a gated cell, which the gated CPU engine trains and the
// gated evaluator (fp_gated.go) analyses: its state is h (then c), and
// with the projections a = x W_ih + b_ih (+ b_hh) and g = h W_hh (+ b_hh)
// of k gates each, its gatedKernel computes everything else.
type gatedCell interface {
	gatedKernel() gatedKernel
}

// gatedKernel is a gated cell's per-step arithmetic, for one trial or one
// point; every slice holds one step: G = gates()·H values for gate
// vectors, H for the others.
type gatedKernel interface {
	// gates is k, the number of blocks of H columns of w_ih and w_hh.
	gates() int
	// biasOnInput: b_hh is added to the input projection (it multiplies
	// no gate; LSTM, UGRNN) rather than to g (GRU, whose n gate uses
	// r ⊙ g_n).
	biasOnInput() bool
	// hasCellState: the state is (h, c) (LSTM); otherwise h.
	hasCellState() bool
	// forward writes the gate values gt, the auxiliary values aux (what
	// backward needs besides gt), h_t into hn and c_t into cn, from the
	// input projection xg, gh = h W_hh (+ b_hh), h = h_{t-1} and
	// c = c_{t-1}.
	forward(xg, gh, h, c, gt, aux, hn, cn []float32)
	// backward writes δa (the gradient of the input projection) into da
	// and δg (of h W_hh + b_hh) into dg, and the direct part of δh_{t-1}
	// into dhp, from δh_t (dh), h_{t-1} (hp), c_{t-1} (cp) and the step's
	// gt and aux; dc, the gradient carried to c_t, is updated in place to
	// the gradient reaching c_{t-1}.
	backward(dh, dc, hp, cp, gt, aux, da, dg, dhp []float32)
	// vjp writes, at state s with gate pre-activations gi (input side,
	// with its biases) and gh (hidden side), the cotangents dgh of gh and
	// dgi of gi and the direct part ds of Jᵀv for the cotangent v, so that
	// Jᵀv = ds + [dgh W_hhᵀ, 0] and (∂F/∂u)ᵀv = dgi W_ihᵀ.
	vjp(s, gi, gh, v, dgh, dgi, ds []float32)
	// point writes the residual v = s − F(s) into out and, when gout is
	// not nil, the direct part of v − Jᵀv into gout and the cotangents
	// dgh of vjp(v) into d.
	point(s, gi, gh, d, out, gout []float32)
}

// gatedSupports returns the gatedKernel of cfg's cell, or why the gated CPU
// engine cannot run networks of cfg: the gated cells, with either loss and
// any rate penalty (SigmaRec is not an option of these cells).
func gatedSupports(cfg Config) (gatedKernel, error) {
	gc, ok := cfg.cell().(gatedCell)
	if !ok {
		return nil, fmt.Errorf("models: the gated cpu engine runs the gated cells, not %s", cfg.CellName())
	}
	if cfg.SigmaRec != 0 {
		return nil, fmt.Errorf("models: the gated cpu engine has no recurrent noise (sigma_rec %g)", cfg.SigmaRec)
	}
	return gc.gatedKernel(), nil
}

// GatedCPUEngine is a hand-written CPU Engine for the gated cells (GRU,
// LSTM, UGRNN):
// forward pass and backpropagation through time in float32 for both losses
// and the rate penalties (see the equations in the file doc).
//
// An engine keeps workspaces and worker goroutines between calls, so a
// call after the first does not allocate (with LossAndGradInto). All
// methods are internally synchronised: concurrent calls are safe but run
// one at a time.
type GatedCPUEngine struct {
	cfg   Config
	k     gatedKernel
	sizes []int // the number of values of each parameter (Config.sizes)

	mu      sync.Mutex
	workers int // 0: automatic
	shards  []*gatedShard
	pool    *gatedPool
}

var _ Engine = (*GatedCPUEngine)(nil)

// gatedPool holds the parked worker goroutines. It does not reference the
// engine, so that the engine can be collected; a cleanup then closes jobs.
type gatedPool struct {
	jobs    chan *gatedShard
	wg      sync.WaitGroup
	started int
}

// NewGatedCPUEngine returns a CPU engine for networks of a gated cell of
// configuration cfg; other cells are an error.
func NewGatedCPUEngine(cfg Config) (*GatedCPUEngine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	k, err := gatedSupports(cfg)
	if err != nil {
		return nil, err
	}
	pool := &gatedPool{jobs: make(chan *gatedShard)}
	e := &GatedCPUEngine{cfg: cfg, k: k, sizes: cfg.sizes(), pool: pool}
	runtime.AddCleanup(e, func(p *gatedPool) { close(p.jobs) }, pool)
	return e, nil
}

// Name returns "cpu".
func (e *GatedCPUEngine) Name() string { return "cpu" }

// Config returns the configuration the engine was built for.
func (e *GatedCPUEngine) Config() Config { return e.cfg }

// SetWorkers sets the number of goroutines a batch is split across. n <= 0
// restores the default, GOMAXPROCS; a batch never uses more workers than it
// has trials.
func (e *GatedCPUEngine) SetWorkers(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.workers = max(n, 0)
}

// LossAndGrad evaluates the loss of batch b at parameters p (Config.Loss
// plus the rate penalties), its gradient and the logits. noise is checked
// but unused: these cells have no recurrent noise. The returned Result is
// newly allocated and owned by the caller.
func (e *GatedCPUEngine) LossAndGrad(p *Params, b *tasks.Batch, noise []float32) (*Result, error) {
	res := &Result{}
	if err := e.LossAndGradInto(p, b, noise, res); err != nil {
		return nil, err
	}
	return res, nil
}

// LossAndGradInto is LossAndGrad writing into res: it reuses res.Grads and
// res.Logits when they have the right lengths and allocates them otherwise,
// so a training loop that passes the same Result does not allocate.
func (e *GatedCPUEngine) LossAndGradInto(p *Params, b *tasks.Batch, noise []float32, res *Result) error {
	if err := e.check(p, b, noise, true); err != nil {
		return err
	}
	res.ensure(e.sizes, b.T*b.B*e.cfg.NumOutput)

	e.mu.Lock()
	defer e.mu.Unlock()
	shards := e.prepare(p, b, res.Logits, nil, true)
	e.run(shards)

	var lsum, abs, sq float64
	for k, s := range shards {
		lsum += s.loss
		abs += s.abs
		sq += s.sq
		for i, g := range res.Grads {
			src := s.grads[s.offs[i]:s.offs[i+1]]
			if k == 0 {
				copy(g, src)
			} else {
				addTo(g, src)
			}
		}
	}
	T, B, H := b.T, b.B, e.cfg.NumHidden
	n := float64(T * B)
	if e.cfg.LossName() == LossMSE {
		n *= float64(e.cfg.NumOutput)
	}
	loss := lsum / n
	nh := float64(T * B * H)
	if e.cfg.RateL1 > 0 {
		loss += e.cfg.RateL1 * abs / nh
	}
	if e.cfg.RateL2 > 0 {
		loss += e.cfg.RateL2 * sq / nh
	}
	res.Loss = float32(loss)
	for _, s := range shards {
		s.release()
	}
	return nil
}

// Forward runs the batch from the zero state and returns the states,
// row-major [T][B][StateSize] (h, then c for the LSTM), and the logits,
// row-major [T][B][NumOutput]. The labels and targets of b are not used.
func (e *GatedCPUEngine) Forward(p *Params, b *tasks.Batch) (states, logits []float32, err error) {
	if err := e.check(p, b, nil, false); err != nil {
		return nil, nil, err
	}
	states = make([]float32, b.T*b.B*e.cfg.StateSize())
	logits = make([]float32, b.T*b.B*e.cfg.NumOutput)
	e.mu.Lock()
	defer e.mu.Unlock()
	shards := e.prepare(p, b, logits, states, false)
	e.run(shards)
	for _, s := range shards {
		s.release()
	}
	return states, logits, nil
}

// check is checkBatch without its allocations (Params.CheckShapes builds
// the shape lists) when everything is valid: an allocation-free test of the
// same conditions, and checkBatch itself, for its message, when one fails.
func (e *GatedCPUEngine) check(p *Params, b *tasks.Batch, noise []float32, withLoss bool) error {
	if !e.valid(p, b, noise, withLoss) {
		if err := checkBatch(e.Name(), e.cfg, p, b, noise, withLoss); err != nil {
			return err
		}
	}
	return nil
}

// valid reports whether checkBatch would accept the call.
func (e *GatedCPUEngine) valid(p *Params, b *tasks.Batch, noise []float32, withLoss bool) bool {
	cfg := e.cfg
	if p == nil || p.Config != cfg || b == nil || b.T <= 0 || b.B <= 0 || b.ObsSize != cfg.NumInput ||
		len(b.Inputs) != b.T*b.B*b.ObsSize || (noise != nil && len(noise) != b.T*b.B*cfg.NumHidden) ||
		len(p.Values) != len(e.sizes) {
		return false
	}
	for i, v := range p.Values {
		if len(v) != e.sizes[i] {
			return false
		}
	}
	if !withLoss {
		return true
	}
	if cfg.LossName() == LossMSE {
		n := b.T * b.B * cfg.NumOutput
		return len(b.Targets) == n && len(b.Mask) == n
	}
	if len(b.Labels) != b.T*b.B {
		return false
	}
	O := int32(cfg.NumOutput)
	for _, y := range b.Labels {
		if y < 0 || y >= O {
			return false
		}
	}
	return true
}

// prepare sizes the shards for batch b and gives each its job. It must be
// called with e.mu held.
func (e *GatedCPUEngine) prepare(p *Params, b *tasks.Batch, logits, states []float32, withGrad bool) []*gatedShard {
	nw := e.workers
	if nw <= 0 {
		nw = runtime.GOMAXPROCS(0)
	}
	nw = min(nw, b.B)
	for len(e.shards) < nw {
		e.shards = append(e.shards, &gatedShard{})
	}
	shards := e.shards[:nw]
	for k, s := range shards {
		s.lo = k * b.B / nw
		s.hi = (k + 1) * b.B / nw
		s.size(e.cfg, e.k, e.sizes, b.T)
		s.cfg, s.k, s.p, s.b, s.logits, s.states, s.withGrad = e.cfg, e.k, p, b, logits, states, withGrad
	}
	return shards
}

// run runs every shard's job, the first on the calling goroutine and the
// others on the pool's workers (started on first need). It must be called
// with e.mu held.
func (e *GatedCPUEngine) run(shards []*gatedShard) {
	pool := e.pool
	for pool.started < len(shards)-1 {
		pool.started++
		go pool.work()
	}
	pool.wg.Add(len(shards) - 1)
	for _, s := range shards[1:] {
		pool.jobs <- s
	}
	shards[0].job()
	pool.wg.Wait()
}

// work runs the shards sent to the pool until the channel is closed.
func (pool *gatedPool) work() {
	for s := range pool.jobs {
		s.job()
		pool.wg.Done()
	}
}

// gatedShard is the workspace of one worker, which handles trials [lo, hi).
type gatedShard struct {
	lo, hi int

	// The job of the current call.
	cfg            Config
	k              gatedKernel
	p              *Params
	b              *tasks.Batch
	logits, states []float32
	withGrad       bool

	xg    []float32 // input projections plus biases of one trial, [T][G]
	hs    []float32 // h of one trial, [T+1][H]; row 0 is h_{-1} = 0
	cs    []float32 // LSTM: c of one trial, [T+1][H]; row 0 is c_{-1} = 0
	gates []float32 // gate values: GRU r, z, n; LSTM i, f, g, o; [T][G]
	aux   []float32 // GRU: g_n = (h W_hh + b_hh)_n; LSTM: tanh c_t; [T][H]
	dO    []float32 // dL/do of one trial, [T][O]
	gh    []float32 // forward: h W_hh (+ b_hh), [G]
	dh    []float32 // backward: δh_t, [H]
	dhp   []float32 // backward: δh_{t-1} being built, [H]
	dc    []float32 // backward: LSTM δc carried to c_t, [H]
	da    []float32 // backward: δa (gradient of the input projection), [G]
	dg    []float32 // backward: δg (gradient of h W_hh + b_hh), [G]

	loss, abs, sq float64   // sums over the shard: loss terms, |h|, h²
	grads         []float32 // the gradients of all parameters, concatenated
	offs          []int     // grads[offs[i]:offs[i+1]] is parameter i's
}

// size allocates the workspace for configuration cfg of kernel k (whose
// parameters have sizes values) and sequences of length T, keeping buffers
// that are large enough.
func (s *gatedShard) size(cfg Config, k gatedKernel, sizes []int, T int) {
	H, O := cfg.NumHidden, cfg.NumOutput
	G := k.gates() * H
	s.xg = grow(s.xg, T*G)
	s.hs = grow(s.hs, (T+1)*H)
	s.cs = grow(s.cs, (T+1)*H)
	s.gates = grow(s.gates, T*G)
	s.aux = grow(s.aux, T*H)
	s.dO = grow(s.dO, T*O)
	s.gh = grow(s.gh, G)
	s.dh = grow(s.dh, H)
	s.dhp = grow(s.dhp, H)
	s.dc = grow(s.dc, H)
	s.da = grow(s.da, G)
	s.dg = grow(s.dg, G)
	s.offs = grow(s.offs, len(sizes)+1)
	s.offs[0] = 0
	for i, n := range sizes {
		s.offs[i+1] = s.offs[i] + n
	}
	s.grads = grow(s.grads, s.offs[len(sizes)])
}

// release drops the job's references once the call is over.
func (s *gatedShard) release() {
	s.p, s.b, s.logits, s.states = nil, nil, nil, nil
}

// job runs the shard's trials: forward and backward, accumulating loss and
// gradients, or forward only.
func (s *gatedShard) job() {
	s.loss, s.abs, s.sq = 0, 0, 0
	if s.withGrad {
		clear(s.grads)
	}
	for tr := s.lo; tr < s.hi; tr++ {
		s.forward(tr)
		if s.withGrad {
			s.backward(tr)
		}
	}
}

// axpy sets y += a·x (len(y) values) with f32.Axpy: 8-wide fused
// multiply-adds (AVX2 assembly) on amd64, gonum's Saxpy elsewhere.
func axpy(a float32, x, y []float32) { f32.Axpy(a, x, y) }

// dot returns x·y over len(y) values with f32.Dot (AVX2 FMA on amd64,
// gonum's Sdot elsewhere).
func dot(x, y []float32) float32 { return f32.Dot(x, y) }

// forward runs trial tr from the zero state: it fills the workspace and
// writes the logits, the states when s.states is set, and with s.withGrad
// the loss sums and dO.
func (s *gatedShard) forward(tr int) {
	cfg, p, b := s.cfg, s.p, s.b
	I, H, O := cfg.NumInput, cfg.NumHidden, cfg.NumOutput
	T, B := b.T, b.B
	k, onInput := s.k, s.k.biasOnInput()
	G := len(s.gh)
	wih, whh, bih, bhh, wro, bro := p.Values[0], p.Values[1], p.Values[2], p.Values[3], p.Values[4], p.Values[5]

	// All input projections of the trial, with the biases that add to them.
	for t := range T {
		xg := s.xg[t*G : (t+1)*G]
		copy(xg, bih)
		if onInput {
			addTo(xg, bhh)
		}
		x := b.Inputs[(t*B+tr)*I : (t*B+tr+1)*I]
		f32.AccumRows(xg, x, wih, G)
	}

	clear(s.hs[:H])
	clear(s.cs[:H])
	gh := s.gh
	out := s.logits
	for t := range T {
		h := s.hs[t*H : (t+1)*H]
		hn := s.hs[(t+1)*H : (t+2)*H]
		xg := s.xg[t*G : (t+1)*G]
		gt := s.gates[t*G : (t+1)*G]
		aux := s.aux[t*H : (t+1)*H]

		// gh = h W_hh (+ b_hh unless it is on the input side).
		if onInput {
			clear(gh)
		} else {
			copy(gh, bhh)
		}
		if t > 0 {
			f32.AccumRows(gh, h, whh, G)
		}

		c, cn := s.cs[t*H:(t+1)*H], s.cs[(t+1)*H:(t+2)*H]
		k.forward(xg, gh, h, c, gt, aux, hn, cn)
		if s.states != nil {
			S := cfg.StateSize()
			st := s.states[(t*B+tr)*S : (t*B+tr+1)*S]
			copy(st, hn)
			if k.hasCellState() {
				copy(st[H:], cn)
			}
		}

		// o_t = h_t W_ro + b_ro.
		o := out[(t*B+tr)*O : (t*B+tr+1)*O]
		copy(o, bro)
		for j, hj := range hn {
			w := wro[j*O : (j+1)*O]
			for k := range o {
				o[k] += hj * w[k]
			}
		}
		if !s.withGrad {
			continue
		}
		s.lossStep(o, s.dO[t*O:(t+1)*O], t*B+tr, T*B)
		if cfg.RateL1 > 0 || cfg.RateL2 > 0 {
			for _, v := range hn {
				s.abs += math.Abs(float64(v))
				s.sq += float64(v) * float64(v)
			}
		}
	}
}

// lossStep adds the loss of the logits o of sample n (index t·B + trial)
// to s.loss and writes its gradient, divided by the loss's count, into dO.
// N is T·B.
func (s *gatedShard) lossStep(o, dO []float32, n, N int) {
	b := s.b
	if s.cfg.LossName() == LossMSE {
		O := len(o)
		inv := 2 / float64(N*O)
		tg, mk := b.Targets[n*O:(n+1)*O], b.Mask[n*O:(n+1)*O]
		for k, v := range o {
			y := float64(v)
			if s.cfg.Sigmoid {
				y = 1 / (1 + math.Exp(-y))
			}
			m := float64(mk[k])
			e := m * (y - float64(tg[k]))
			s.loss += e * e
			d := inv * m * e
			if s.cfg.Sigmoid {
				d *= y * (1 - y)
			}
			dO[k] = float32(d)
		}
		return
	}
	s.loss += crossEntropyGrad(o, int(b.Labels[n]), 1/float64(N), dO)
}

// backward runs BPTT over trial tr after forward, accumulating the gradients.
func (s *gatedShard) backward(tr int) {
	cfg, p, b := s.cfg, s.p, s.b
	I, H, O := cfg.NumInput, cfg.NumHidden, cfg.NumOutput
	T, B := b.T, b.B
	G := len(s.gh)
	whh, wro := p.Values[1], p.Values[4]
	g := s.grads
	dWih := g[s.offs[0]:s.offs[1]]
	dWhh := g[s.offs[1]:s.offs[2]]
	dBih := g[s.offs[2]:s.offs[3]]
	dBhh := g[s.offs[3]:s.offs[4]]
	dWro := g[s.offs[4]:s.offs[5]]
	dBro := g[s.offs[5]:s.offs[6]]
	nh := float32(T * B * H)
	l1 := float32(cfg.RateL1) / nh
	l2 := 2 * float32(cfg.RateL2) / nh

	dh, dhp, dc, da, dg := s.dh, s.dhp, s.dc, s.da, s.dg
	clear(dh)
	clear(dc)
	for t := T - 1; t >= 0; t-- {
		h := s.hs[(t+1)*H : (t+2)*H]
		hp := s.hs[t*H : (t+1)*H]
		gt := s.gates[t*G : (t+1)*G]
		aux := s.aux[t*H : (t+1)*H]
		dO := s.dO[t*O : (t+1)*O]

		// δh += dO W_roᵀ + the rate penalty's gradient; dW_ro += h_tᵀ dO.
		for k, v := range dO {
			dBro[k] += v
		}
		for j, hj := range h {
			w := wro[j*O : (j+1)*O]
			dw := dWro[j*O : (j+1)*O]
			d := dh[j]
			for k, v := range dO {
				d += v * w[k]
				dw[k] += hj * v
			}
			if l1 != 0 {
				switch {
				case hj > 0:
					d += l1
				case hj < 0:
					d -= l1
				}
			}
			dh[j] = d + l2*hj
		}

		s.k.backward(dh, dc, hp, s.cs[t*H:(t+1)*H], gt, aux, da, dg, dhp)

		addTo(dBih, da)
		addTo(dBhh, dg)
		x := b.Inputs[(t*B+tr)*I : (t*B+tr+1)*I]
		for i, xi := range x {
			if xi != 0 {
				axpy(xi, da, dWih[i*G:(i+1)*G])
			}
		}
		if t == 0 {
			break // h_{-1} = 0: no weight gradient, no earlier step
		}
		// dW_hh += h_{t-1}ᵀ δg,  δh_{t-1} = (direct part in dhp) + δg W_hhᵀ.
		f32.RankOneDot(hp, dg, dWhh, whh, dhp, G)
		dh, dhp = dhp, dh
	}
}

// exp32 returns e^x in float32 to a few ulps: x = k ln2 + r with |r| <=
// ln2/2, a degree-6 Taylor polynomial for e^r (relative error 1.2e-7), and
// 2^k built in the exponent bits. x is clamped to [-87, 88], where 2^k
// stays a normal number.
func exp32(x float32) float32 {
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375 // ln 2 = ln2hi + ln2lo, ln2hi exact in a few bits
		ln2lo = -2.12194440e-4
		shift = 12582912 // 1.5·2^23: adding and subtracting it rounds to an integer
	)
	if x < -87 {
		x = -87
	}
	if x > 88 {
		x = 88
	}
	k := x*log2e + shift
	k -= shift
	r := x - k*ln2hi - k*ln2lo
	p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720))))))
	return p * math.Float32frombits(uint32(int32(k)+127)<<23)
}

// sigmoid32 is the logistic function σ(x) = 1/(1+e^-x) in float32.
func sigmoid32(x float32) float32 { return 1 / (1 + exp32(-x)) }

// tanh32 is tanh x = 2σ(2x) - 1 in float32, to about 2e-7 absolute.
func tanh32(x float32) float32 { return 2/(1+exp32(-2*x)) - 1 }
