package models

// CPU engine: a hand-written forward pass and backpropagation through time
// (BPTT) for the CTRNN family (the cells that implement rateCell: ctrnn
// and ei), in float32, pure Go.
//
// Two paths share the engine, its sharding and its kernels. This file is
// the primer's path: a ReLU CTRNN trained with cross-entropy, without
// recurrent noise or rate penalties, kept bit for bit as the tutorial's
// numbers were made with it. cpu_general.go is the general path for every
// other configuration (any activation, noise, the E-I cell, the masked MSE,
// rate penalties); cpuFast chooses. Both run on the scalar kernels below
// for H < cpuBLASMinHidden (128), the tutorial's H = 64 network among them,
// and on gonum's assembly Saxpy/Sdot (cpu_blas.go), the same sums in
// another order, from 128 units on.
//
// # Equations (the primer's path)
//
// Forward, for every trial b of the batch and t = 0..T-1, with h_{-1} = 0:
//
//	z_t   = x_t W_ir + h_{t-1} W_rr + b_rr
//	pre_t = (1-α) h_{t-1} + α z_t
//	h_t   = relu(pre_t)
//	o_t   = h_t W_ro + b_ro
//	L     = 1/(T·B) Σ_{t,b} [ logsumexp(o_tb) - o_tb[y_tb] ]
//
// Backward, t = T-1..0, with the carried gradient c_T = 0:
//
//	dL/do_t  = (softmax(o_t) - onehot(y_t)) / (T·B)
//	dh_t     = c_{t+1} + dL/do_t W_roᵀ
//	g_t      = dh_t ⊙ 1[pre_t > 0]          (relu'(0) = 0, as in PyTorch/JAX)
//	u_t      = α g_t
//	c_t      = (1-α) g_t + u_t W_rrᵀ         (the gradient carried to h_{t-1})
//	dW_ro   += h_tᵀ dL/do_t,    db_ro += Σ_b dL/do_t
//	dW_rr   += h_{t-1}ᵀ u_t,    dW_ir += x_tᵀ u_t,    db_rr += Σ_b u_t
//
// Since h_t = relu(pre_t), the mask 1[pre_t > 0] equals 1[h_t > 0], so the
// pre-activations are not stored.
//
// # Sparsity
//
// The kernels exploit the ReLU: a hidden unit with h = 0 contributes nothing
// to the next step's input, and its gradient g is zero. Each step keeps the
// list of active units (h > 0). The forward product h_{t-1} W_rr only visits
// the rows of W_rr of active units; in the backward pass c_t and dW_rr are
// only needed on active(t-1) × active(t), which one fused loop computes
// (c_t is never read where h_{t-1} = 0 since the next mask removes it). With
// about half of the units active, this does about a third of the dense work.
//
// # Layout and parallelism
//
// The trials of a batch are independent until the gradients are summed, so
// the batch is split in contiguous shards, one goroutine per shard; each
// shard runs trial by trial (forward then backward) with its own workspace
// (the states of one trial, T×H floats, stay in the core's cache) and its own
// gradient accumulators, summed at the end.

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// CPUEngine is a hand-written CPU Engine for the CTRNN family: the cells
// that implement rateCell (ctrnn and ei), with every activation, recurrent
// noise, either loss and the rate penalties (forward pass and BPTT in
// float32, see the equations in cpu_engine.go and cpu_general.go; from 128
// hidden units the products run on gonum's float32 BLAS, cpu_blas.go). It
// has no kernel for the gated cells (NewCPUEngine returns an error).
//
// An engine keeps workspaces between calls, so a call after the first does
// not allocate (with LossAndGradInto). All methods are internally
// synchronised: concurrent calls are safe but run one at a time; use one
// engine per goroutine to run batches in parallel.
type CPUEngine struct {
	cfg Config
	k   rateKernel // the cell's part

	mu      sync.Mutex
	workers int // 0: automatic
	blas    int // 0: BLAS kernels by size (useBLAS), 1: always, -1: never (tests)
	wcat    []float32
	wroT    []float32 // W_roᵀ for the BLAS kernels, [O][ReadSize]
	shards  []*cpuShard
	wg      sync.WaitGroup
}

// NewCPUEngine returns a CPU engine for networks of configuration cfg.
func NewCPUEngine(cfg Config) (*CPUEngine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	k, err := cpuSupports(cfg)
	if err != nil {
		return nil, err
	}
	if n := (cfg.NumHidden + cfg.NumInput + 1) * cfg.NumHidden; n > math.MaxInt32 {
		return nil, fmt.Errorf("models: cpu engine: network too large (%d recurrent and input weights, the limit is %d)", n, math.MaxInt32)
	}
	return &CPUEngine{cfg: cfg, k: k}, nil
}

// rateCell is a cell of the CTRNN family, which CPUEngine trains: its state
// q and rate r = f(q) follow
//
//	q_t = (1-α) ℓ_{t-1} + α (x_t W_ir + r_{t-1} W + b_rr) + σ ξ_t
//
// with the leak ℓ on the rate (the CTRNN, whose state is the rate) or on
// the state (the E-I cell), and W the cell's effective recurrent matrix.
type rateCell interface {
	rateKernel() rateKernel
}

// rateKernel is what CPUEngine needs to know of a rateCell.
type rateKernel struct {
	// onState: the state q is not the rate f(q); the leak acts on q,
	// r_{-1} = f(0), and Forward returns q (the E-I cell). Otherwise the
	// state is the rate and the leak acts on it (the CTRNN).
	onState bool
	// primer: a relu network trained with cross-entropy, without noise or
	// rate penalties, runs the primer's path (cpu_engine.go), bit for bit.
	primer bool
	// preferBLAS: the BLAS kernels run at every size (cpu_blas.go).
	preferBLAS bool
	// pack writes the effective recurrent matrix W of wrr = w_rr into dst
	// (H×H; CPUEngine then applies a connectivity mask).
	pack func(cfg Config, wrr, dst []float32)
	// gradFromEffective turns dL/dW into dL/dw_rr in place; nil: W = w_rr.
	gradFromEffective func(cfg Config, wrr, g []float32)
}

// cpuSupports returns the rateKernel of cfg's cell, or why CPUEngine cannot
// run networks of cfg: it has kernels for every configuration of the
// CTRNN family (any activation, recurrent noise, either loss, rate
// penalties), none for other cells.
func cpuSupports(cfg Config) (rateKernel, error) {
	if rc, ok := cfg.cell().(rateCell); ok {
		return rc.rateKernel(), nil
	}
	return rateKernel{}, fmt.Errorf("models: the cpu engine of the ctrnn family has no kernel for this network (%s); use the gomlx engine", cfg.Describe())
}

// Name returns "cpu".
func (e *CPUEngine) Name() string { return "cpu" }

// Config returns the configuration the engine was built for.
func (e *CPUEngine) Config() Config { return e.cfg }

// SetWorkers sets the number of goroutines a batch is split across. n <= 0
// restores the default, GOMAXPROCS; a batch never uses more workers than it
// has trials.
func (e *CPUEngine) SetWorkers(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n < 0 {
		n = 0
	}
	e.workers = n
}

// LossAndGrad evaluates the loss of batch b at parameters p (Config.Loss
// plus the rate penalties, as LossGraph), its gradient and the logits.
// noise is nil or [T][B][H] standard-normal draws, scaled by
// sqrt(2α)·SigmaRec and ignored when SigmaRec is 0. The returned Result is
// newly allocated and owned by the caller.
func (e *CPUEngine) LossAndGrad(p *Params, b *tasks.Batch, noise []float32) (*Result, error) {
	res := &Result{}
	if err := e.LossAndGradInto(p, b, noise, res); err != nil {
		return nil, err
	}
	return res, nil
}

// LossAndGradInto is LossAndGrad writing into res: it reuses res.Grads and
// res.Logits when they have the right lengths and allocates them otherwise,
// so a training loop that passes the same Result does not allocate.
func (e *CPUEngine) LossAndGradInto(p *Params, b *tasks.Batch, noise []float32, res *Result) error {
	if err := checkBatch(e.Name(), e.cfg, p, b, noise, true); err != nil {
		return err
	}
	I, H, O := e.cfg.NumInput, e.cfg.NumHidden, e.cfg.NumOutput
	res.ensure(e.cfg.sizes(), b.T*b.B*O)

	e.mu.Lock()
	defer e.mu.Unlock()
	fast := e.cpuFast(noise)
	shards := e.prepare(p, b, !fast)
	switch {
	case fast && e.useBLAS():
		e.run(shards, func(s *cpuShard) { s.lossAndGradBLAS(e, p, b, res.Logits) })
	case fast:
		e.run(shards, func(s *cpuShard) { s.lossAndGrad(e, p, b, res.Logits) })
	default:
		e.run(shards, func(s *cpuShard) { s.lossAndGradGeneral(e, p, b, noise, res.Logits) })
	}

	// Sum the shards' losses and gradients.
	var loss, l1, l2 float64
	dWir, dWrr, dBrr, dWro, dBro := res.Grads[0], res.Grads[1], res.Grads[2], res.Grads[3], res.Grads[4]
	for k, s := range shards {
		loss += s.loss
		l1 += s.gen.l1
		l2 += s.gen.l2
		srr := s.dW[:H*H]
		sir := s.dW[H*H : (H+I)*H]
		sb := s.dW[(H+I)*H : (H+I+1)*H]
		if k == 0 {
			copy(dWrr, srr)
			copy(dWir, sir)
			copy(dBrr, sb)
			copy(dWro, s.dWro)
			copy(dBro, s.dBro)
			continue
		}
		addTo(dWrr, srr)
		addTo(dWir, sir)
		addTo(dBrr, sb)
		addTo(dWro, s.dWro)
		addTo(dBro, s.dBro)
	}
	applyMask(dWrr, p.Mask) // dW_rr = dW_eff ⊙ M
	if fast {
		res.Loss = float32(loss / float64(b.T*b.B))
		return nil
	}
	if f := e.k.gradFromEffective; f != nil {
		f(e.cfg, p.Values[1], dWrr)
	}
	if e.cfg.LossName() == LossMSE {
		loss /= float64(b.T * b.B * O)
	} else {
		loss /= float64(b.T * b.B)
	}
	thb := float64(b.T * b.B * H)
	loss += e.cfg.RateL1*l1/thb + e.cfg.RateL2*l2/thb
	res.Loss = float32(loss)
	return nil
}

// Forward runs the batch from the zero state without noise and returns the
// states, row-major [T][B][NumHidden] (the rates h of a CTRNN, the states s
// of an E-I network, whose rates are f(s)), and the logits, row-major
// [T][B][NumOutput]. The labels, targets and mask of b are not used.
func (e *CPUEngine) Forward(p *Params, b *tasks.Batch) (states, logits []float32, err error) {
	if err := checkBatch(e.Name(), e.cfg, p, b, nil, false); err != nil {
		return nil, nil, err
	}
	H, O := e.cfg.NumHidden, e.cfg.NumOutput
	states = make([]float32, b.T*b.B*H)
	logits = make([]float32, b.T*b.B*O)

	e.mu.Lock()
	defer e.mu.Unlock()
	fast := e.cpuForwardFast()
	shards := e.prepare(p, b, !fast)
	switch {
	case fast && e.useBLAS():
		e.run(shards, func(s *cpuShard) { s.forwardOnlyBLAS(e, p, b, states, logits) })
	case fast:
		e.run(shards, func(s *cpuShard) { s.forwardOnly(e, p, b, states, logits) })
	default:
		e.run(shards, func(s *cpuShard) { s.forwardOnlyGeneral(e, p, b, states, logits) })
	}
	return states, logits, nil
}

// prepare packs the input-side weights and sizes the shards' workspaces for
// batch b (with the general path's when general). It must be called with
// e.mu held.
func (e *CPUEngine) prepare(p *Params, b *tasks.Batch, general bool) []*cpuShard {
	I, H := e.cfg.NumInput, e.cfg.NumHidden
	// wcat = [W; W_ir; b_rr]: the rows an input vector (r_{t-1}, x_t, 1)
	// multiplies; W is the cell's effective recurrent matrix (W_rr, ⊙ M
	// with a mask, or W_eff = |W_rr| ⊙ D for the E-I cell).
	n := (H + I + 1) * H
	if len(e.wcat) != n {
		e.wcat = make([]float32, n)
	}
	e.k.pack(e.cfg, p.Values[1], e.wcat[:H*H])
	applyMask(e.wcat[:H*H], p.Mask)
	copy(e.wcat[H*H:], p.Values[0])
	copy(e.wcat[(H+I)*H:], p.Values[2])
	bl := e.useBLAS()
	if bl {
		e.packReadoutT(p.Values[3])
	}

	nw := e.workers
	if nw <= 0 {
		nw = runtime.GOMAXPROCS(0)
	}
	nw = min(nw, b.B)
	for len(e.shards) < nw {
		e.shards = append(e.shards, &cpuShard{})
	}
	shards := e.shards[:nw]
	for k, s := range shards {
		s.lo = k * b.B / nw
		s.hi = (k + 1) * b.B / nw
		s.size(e.cfg, b.T)
		if general {
			s.sizeGeneral(e.cfg, b.T)
		}
		if bl {
			s.sizeBLAS(e.cfg)
		}
	}
	return shards
}

// run calls f on every shard, the first on the calling goroutine.
func (e *CPUEngine) run(shards []*cpuShard, f func(*cpuShard)) {
	for _, s := range shards[1:] {
		e.wg.Go(func() { f(s) })
	}
	f(shards[0])
	e.wg.Wait()
}

func addTo(dst, src []float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] += v
	}
}

// cpuShard is the workspace of one worker, which handles trials [lo, hi).
type cpuShard struct {
	lo, hi int

	hs   []float32 // states of one trial, [T+1][H]; row 0 is h_{-1} = 0
	act  []int32   // active units of each state row, [T+1][H]
	nact []int32   // number of active units of each state row, [T+1]
	dO   []float32 // dL/do of one trial, [T][O]
	out  []float32 // logits of one step, [O]

	fidx []int32   // forward: offsets of the rows of wcat to add, [H+I+1]
	fval []float32 // forward: their coefficients
	z    []float32 // forward: x W_ir + h W_rr + b_rr, [H]

	carry []float32 // backward: c_{t+1}, valid on the active units of h_t, [H]
	gd    []float32 // backward: g_t as a dense vector (zero outside active(t)), [H]
	uc    []float32 // backward: α g_t on active(t), compacted, [H]

	loss float64   // sum over this shard's steps of the cross-entropy
	dW   []float32 // d wcat: [dW_rr; dW_ir; db_rr], [(H+I+1)][H]
	dWro []float32 // [H][O] (the first ReadSize rows used)
	dBro []float32 // [O]

	gen cpuGeneral // the general path's workspace (cpu_general.go)
	bl  cpuBLAS    // the BLAS kernels' workspace (cpu_blas.go)
}

// size allocates the workspace for configuration cfg and sequences of length
// T, keeping buffers that are large enough.
func (s *cpuShard) size(cfg Config, T int) {
	I, H, O := cfg.NumInput, cfg.NumHidden, cfg.NumOutput
	s.hs = grow(s.hs, (T+1)*H)
	s.act = grow(s.act, (T+1)*H)
	s.nact = grow(s.nact, T+1)
	s.dO = grow(s.dO, T*O)
	s.out = grow(s.out, O)
	s.fidx = grow(s.fidx, H+I+1)
	s.fval = grow(s.fval, H+I+1)
	s.z = grow(s.z, H)
	s.carry = grow(s.carry, H)
	s.gd = grow(s.gd, H)
	s.uc = grow(s.uc, H)
	s.dW = grow(s.dW, (H+I+1)*H)
	s.dWro = grow(s.dWro, H*O)
	s.dBro = grow(s.dBro, O)
}

// grow returns a slice of length n, reusing buf's storage when it is large enough.
func grow[T any](buf []T, n int) []T {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]T, n)
}

// lossAndGrad runs forward and backward over the shard's trials,
// accumulating the loss and the gradients and writing the logits.
func (s *cpuShard) lossAndGrad(e *CPUEngine, p *Params, b *tasks.Batch, logits []float32) {
	s.loss = 0
	clear(s.dW)
	clear(s.dWro)
	clear(s.dBro)
	invTB := 1 / float64(b.T*b.B)
	for tr := s.lo; tr < s.hi; tr++ {
		s.forward(e, p, b, tr, logits, nil, invTB)
		s.backward(e, p, b, tr)
	}
}

// forwardOnly runs the shard's trials forward, writing states and logits.
func (s *cpuShard) forwardOnly(e *CPUEngine, p *Params, b *tasks.Batch, states, logits []float32) {
	for tr := s.lo; tr < s.hi; tr++ {
		s.forward(e, p, b, tr, logits, states, 0)
	}
}

// forward runs trial tr from the zero state, filling hs, act, nact and the
// logits. If states is not nil it receives the states ([T][B][H]); if invTB
// is not zero the loss is accumulated and dO (already divided by T·B) filled.
func (s *cpuShard) forward(e *CPUEngine, p *Params, b *tasks.Batch, tr int, logits, states []float32, invTB float64) {
	I, H, O := e.cfg.NumInput, e.cfg.NumHidden, e.cfg.NumOutput
	T, B := b.T, b.B
	a := float32(e.cfg.Alpha())
	leak := 1 - a
	wcat, wro := e.wcat, p.Values[3]
	clear(s.hs[:H])
	s.nact[0] = 0
	z := s.z[:H]
	out := s.out[:O]
	for t := 0; t < T; t++ {
		prev := s.hs[t*H : (t+1)*H]
		cur := s.hs[(t+1)*H : (t+2)*H]
		pa := s.act[t*H : t*H+int(s.nact[t])]

		// The rows of wcat to add: active units of h_{t-1}, nonzero inputs, the bias.
		m := s.selectRows(pa, prev, b.Inputs[(t*B+tr)*I:(t*B+tr+1)*I], H)
		accumRows(z, wcat, H, s.fidx[:m], s.fval[:m])

		// h_t = relu((1-α) h_{t-1} + α z), recording the active units.
		ca := s.act[(t+1)*H : (t+2)*H]
		c := 0
		for j := range cur {
			v := leak*prev[j] + a*z[j]
			if v > 0 {
				cur[j] = v
				ca[c] = int32(j)
				c++
			} else {
				cur[j] = 0
			}
		}
		s.nact[t+1] = int32(c)
		ca = ca[:c]
		if states != nil {
			copy(states[(t*B+tr)*H:(t*B+tr+1)*H], cur)
		}

		// o_t = h_t W_ro + b_ro.
		copy(out, p.Values[4])
		for _, j := range ca {
			hj := cur[j]
			w := wro[int(j)*O : int(j)*O+O]
			for k := range out {
				out[k] += hj * w[k]
			}
		}
		copy(logits[(t*B+tr)*O:(t*B+tr+1)*O], out)

		if invTB != 0 {
			s.loss += crossEntropyGrad(out, int(b.Labels[t*B+tr]), invTB, s.dO[t*O:(t+1)*O])
		}
	}
}

// crossEntropyGrad returns logsumexp(out) - out[y] and writes its gradient
// times scale, (softmax(out) - onehot(y))·scale, into dO, in float64 (O is
// small). Every CPU engine computes its cross-entropy with it.
func crossEntropyGrad(out []float32, y int, scale float64, dO []float32) float64 {
	mx := float64(out[0])
	for _, v := range out[1:] {
		mx = max(mx, float64(v))
	}
	var sum float64
	for _, v := range out {
		sum += math.Exp(float64(v) - mx)
	}
	for k, v := range out {
		d := math.Exp(float64(v)-mx) / sum
		if k == y {
			d--
		}
		dO[k] = float32(d * scale)
	}
	return mx + math.Log(sum) - float64(out[y])
}

// backward runs BPTT over trial tr after forward, accumulating the gradients.
func (s *cpuShard) backward(e *CPUEngine, p *Params, b *tasks.Batch, tr int) {
	I, H, O := e.cfg.NumInput, e.cfg.NumHidden, e.cfg.NumOutput
	T, B := b.T, b.B
	a := float32(e.cfg.Alpha())
	leak := 1 - a
	wcat, wro := e.wcat, p.Values[3]
	dW, dWro, dBro := s.dW, s.dWro, s.dBro[:O]
	carry, gd := s.carry[:H], s.gd[:H]
	clear(carry)
	clear(gd)
	for t := T - 1; t >= 0; t-- {
		prev := s.hs[t*H : (t+1)*H]
		cur := s.hs[(t+1)*H : (t+2)*H]
		pa := s.act[t*H : t*H+int(s.nact[t])]
		ca := s.act[(t+1)*H : (t+1)*H+int(s.nact[t+1])]
		dO := s.dO[t*O : (t+1)*O]

		for k, v := range dO {
			dBro[k] += v
		}
		// g_t = (c_{t+1} + dO W_roᵀ) on the active units; dW_ro += h_tᵀ dO.
		uc := s.uc[:len(ca)]
		for k, j := range ca {
			d := carry[j]
			hj := cur[j]
			w := wro[int(j)*O : int(j)*O+O]
			dw := dWro[int(j)*O : int(j)*O+O]
			for o, v := range dO {
				d += v * w[o]
				dw[o] += hj * v
			}
			gd[j] = d
			uc[k] = a * d
		}

		// dW_ir += x_tᵀ u_t, db_rr += u_t.
		x := b.Inputs[(t*B+tr)*I : (t*B+tr+1)*I]
		for i, xi := range x {
			if xi != 0 {
				scatterRow(dW[(H+i)*H:(H+i+1)*H], ca, uc, xi)
			}
		}
		scatterRow(dW[(H+I)*H:(H+I+1)*H], ca, uc, 1)

		// c_t = (1-α) g_t + u_t W_rrᵀ and dW_rr += h_{t-1}ᵀ u_t on active(t-1) × active(t).
		backRows(pa, prev, ca, uc, wcat[:H*H], dW[:H*H], H, gd, leak, carry)

		for _, j := range ca {
			gd[j] = 0
		}
	}
}

// selectRows lists in s.fidx and s.fval the rows of wcat = [W_rr; W_ir;
// b_rr] that the input vector (r_{t-1}, x_t, 1) selects, with their
// coefficients: the active units pa with their rates prev[i], the nonzero
// inputs x_i, then the bias with 1. It returns how many rows it listed.
func (s *cpuShard) selectRows(pa []int32, prev, x []float32, H int) int {
	fidx, fval := s.fidx, s.fval
	m := 0
	for _, i := range pa {
		fidx[m] = i * int32(H)
		fval[m] = prev[i]
		m++
	}
	for i, xi := range x {
		if xi != 0 {
			fidx[m] = int32((H + i) * H)
			fval[m] = xi
			m++
		}
	}
	fidx[m] = int32((H + len(x)) * H)
	fval[m] = 1
	return m + 1
}

// accumRows sets out[j] = Σ_k val[k] · w[offs[k] + j] for j < H: a sum of
// selected rows of a row-major matrix (offs[k] is the start of row k), in
// register blocks of 6 columns. Six accumulators is what the Go compiler
// keeps in registers without spilling; it measured faster than 4 or 8 and
// than accumulating in memory (axpy form).
func accumRows(out, w []float32, H int, offs []int32, val []float32) {
	val = val[:len(offs)]
	j := 0
	for ; j+6 <= H; j += 6 {
		var a0, a1, a2, a3, a4, a5 float32
		for k, r := range offs {
			v := val[k]
			o := int(r) + j
			row := w[o : o+6 : o+6]
			a0 += v * row[0]
			a1 += v * row[1]
			a2 += v * row[2]
			a3 += v * row[3]
			a4 += v * row[4]
			a5 += v * row[5]
		}
		o := out[j : j+6 : j+6]
		o[0], o[1], o[2], o[3], o[4], o[5] = a0, a1, a2, a3, a4, a5
	}
	for ; j < H; j++ {
		var acc float32
		for k, r := range offs {
			acc += val[k] * w[int(r)+j]
		}
		out[j] = acc
	}
}

// scatterRow adds c·uc[k] to row[idx[k]] for every k.
func scatterRow(row []float32, idx []int32, uc []float32, c float32) {
	uc = uc[:len(idx)]
	for k, j := range idx {
		row[j] += c * uc[k]
	}
}

// backRows does, for every i in pa and over the active units idx of step t
// (with uc = α g_t compacted on idx):
//
//	carry[i] = leak·gd[i] + Σ_k w[i·H + idx[k]] · uc[k]
//	dw[i·H + idx[k]] += h[i] · uc[k]
//
// four rows at a time so that each idx[k], uc[k] load serves four rows.
func backRows(pa []int32, h []float32, idx []int32, uc []float32, w, dw []float32, H int, gd []float32, leak float32, carry []float32) {
	uc = uc[:len(idx)]
	n := len(pa)
	p := 0
	for ; p+4 <= n; p += 4 {
		i0, i1, i2, i3 := int(pa[p]), int(pa[p+1]), int(pa[p+2]), int(pa[p+3])
		h0, h1, h2, h3 := h[i0], h[i1], h[i2], h[i3]
		w0, w1, w2, w3 := w[i0*H:i0*H+H], w[i1*H:i1*H+H], w[i2*H:i2*H+H], w[i3*H:i3*H+H]
		d0, d1, d2, d3 := dw[i0*H:i0*H+H], dw[i1*H:i1*H+H], dw[i2*H:i2*H+H], dw[i3*H:i3*H+H]
		var s0, s1, s2, s3 float32
		for k, j := range idx {
			u := uc[k]
			s0 += w0[j] * u
			s1 += w1[j] * u
			s2 += w2[j] * u
			s3 += w3[j] * u
			d0[j] += h0 * u
			d1[j] += h1 * u
			d2[j] += h2 * u
			d3[j] += h3 * u
		}
		carry[i0] = leak*gd[i0] + s0
		carry[i1] = leak*gd[i1] + s1
		carry[i2] = leak*gd[i2] + s2
		carry[i3] = leak*gd[i3] + s3
	}
	for ; p < n; p++ {
		i := int(pa[p])
		hi := h[i]
		wi, di := w[i*H:i*H+H], dw[i*H:i*H+H]
		var s float32
		for k, j := range idx {
			u := uc[k]
			s += wi[j] * u
			di[j] += hi * u
		}
		carry[i] = leak*gd[i] + s
	}
}
