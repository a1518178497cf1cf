package models

// CPU engine for the leaky-rate cell (CellLeaky): a hand-written forward
// pass and backpropagation through time in float32, with the products of
// a time step done for all trials of a shard at once (matrix-matrix
// products) and the weight gradients as one product over time and trials.
//
// # Equations
//
// For the n trials of a shard, stacked as the rows of [n×H] matrices, and
// t = 0..T-1 from R_{-1} = 0, with ξ the standard-normal noise and
// σ = sqrt(2/α)·σ_rec:
//
//	Z_t = X_t W_ir + 1 b_rrᵀ + R_{t-1} W_rr + σ ξ_t
//	R_t = (1-α) R_{t-1} + α f(Z_t)
//	O_t = R_t W_ro + 1 b_roᵀ
//
// The loss is L = L_out + λ1·mean|R| + λ2·mean R² (means over T·B·H),
// L_out the cross-entropy (mean over T·B) or the masked MSE
// 1/(T·B·O) Σ (m (y - target))², y = O or sigmoid(O).
//
// Backward, with D_t = dL/dO_t and C_t the gradient carried to R_t from
// step t+1 (C_{T-1} = 0):
//
//	P_t     = C_t + D_t W_roᵀ + λ1/(TBH) sgn(R_t) + 2λ2/(TBH) R_t   (dL/dR_t)
//	U_t     = α P_t ⊙ f'(Z_t)                                       (dL/dZ_t)
//	C_{t-1} = (1-α) P_t + U_t W_rrᵀ
//
// and, with R, U, X, D stacked over time and trials ([T·n × ·]) and R₋
// the rates one step earlier (R_{t-1}, zero at t = 0):
//
//	dW_rr = R₋ᵀ U,   dW_ir = Xᵀ U,   db_rr = 1ᵀ U,   dW_ro = Rᵀ D,   db_ro = 1ᵀ D
//
// sgn is GoMLX's gradient of Abs (-1 below 0, +1 from 0 on); f' is as in
// the CTRNN family's general path (actDeriv). The noise does not change
// the backward pass.
//
// # Kernels and parallelism
//
// Every product is a matrix product C += A B (f32.MulAddFused: AVX2 fused
// multiply-adds on 4×16 blocks of C held in registers, over blocks of B of
// 128 rows × 64 columns that stay in the L1 cache while every row of A
// uses them): per step [n×H]·[H×H] for R_{t-1} W_rr and
// U_t W_rrᵀ (W_rrᵀ packed once per call) and [n×I]·[I×H] for X_t W_ir;
// once per call R W_ro and D W_roᵀ over all T·n rows; and the weight
// gradients as [H×T·n]·[T·n×H] products of a transposed left operand (Rᵀ,
// Xᵀ, packed once) against U or D. W_ro and D are padded to a multiple of
// 8 columns so that no product runs a scalar tail. Softplus and its
// derivative come from one vectorised sigmoid (softplusDeriv). With
// softplus no unit is ever exactly silent, so nothing here relies on
// sparsity.
//
// The batch is split into contiguous shards of trials, one goroutine per
// shard (GOMAXPROCS by default), each with its own workspace and gradient
// accumulators, summed at the end: the workers synchronise once per call.

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/rnnlab/rnnlab/rnnlab/internal/f32"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// LeakyCPUEngine is the hand-written CPU Engine for CellLeaky networks:
// every activation, recurrent noise, either loss (with or without the
// sigmoid) and the rate penalties (see the equations in cpu_leaky.go).
//
// An engine keeps workspaces between calls, so a call after the first
// allocates only a few small objects (the argument check, the worker
// goroutines) with LossAndGradInto. All methods are internally
// synchronised: concurrent calls are safe but run one at a time.
type LeakyCPUEngine struct {
	cfg   Config
	sizes []int

	mu      sync.Mutex
	workers int       // 0: GOMAXPROCS
	wrrT    []float32 // W_rrᵀ, [H][H]
	wroP    []float32 // W_ro padded, [H][Op]
	wroT    []float32 // W_roᵀ, [O][H]
	shards  []*leakyShard
	wg      sync.WaitGroup
}

var _ Engine = (*LeakyCPUEngine)(nil)

// NewLeakyCPUEngine returns a CPU engine for CellLeaky networks of
// configuration cfg; other cells are an error.
func NewLeakyCPUEngine(cfg Config) (*LeakyCPUEngine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if !isLeaky(cfg) {
		return nil, fmt.Errorf("models: the leaky cpu engine runs the %s cell, not %s", CellLeaky, cfg.CellName())
	}
	return &LeakyCPUEngine{cfg: cfg, sizes: cfg.sizes()}, nil
}

// Name returns "cpu".
func (e *LeakyCPUEngine) Name() string { return "cpu" }

// Config returns the configuration the engine was built for.
func (e *LeakyCPUEngine) Config() Config { return e.cfg }

// SetWorkers sets the number of goroutines a batch is split across. n <= 0
// restores the default, GOMAXPROCS; a batch never uses more workers than it
// has trials.
func (e *LeakyCPUEngine) SetWorkers(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.workers = max(n, 0)
}

// LossAndGrad evaluates the loss of batch b at parameters p (Config.Loss
// plus the rate penalties, as LossGraph), its gradient and the logits.
// noise is nil or [T][B][H] standard-normal draws, scaled by
// sqrt(2/α)·SigmaRec and ignored when SigmaRec is 0. The returned Result
// is newly allocated and owned by the caller.
func (e *LeakyCPUEngine) LossAndGrad(p *Params, b *tasks.Batch, noise []float32) (*Result, error) {
	res := &Result{}
	if err := e.LossAndGradInto(p, b, noise, res); err != nil {
		return nil, err
	}
	return res, nil
}

// LossAndGradInto is LossAndGrad writing into res: it reuses res.Grads and
// res.Logits when they have the right lengths and allocates them otherwise,
// so a training loop that passes the same Result does not allocate.
func (e *LeakyCPUEngine) LossAndGradInto(p *Params, b *tasks.Batch, noise []float32, res *Result) error {
	if err := checkBatch(e.Name(), e.cfg, p, b, noise, true); err != nil {
		return err
	}
	if e.cfg.SigmaRec == 0 {
		noise = nil
	}
	res.ensure(e.sizes, b.T*b.B*e.cfg.NumOutput)

	e.mu.Lock()
	defer e.mu.Unlock()
	shards := e.prepare(p, b, true)
	e.run(shards, func(s *leakyShard) {
		s.forward(e, p, b, noise, res.Logits, nil, true)
		s.backward(e, p, b)
	})

	var loss, l1, l2 float64
	for k, s := range shards {
		loss += s.loss
		l1 += s.l1
		l2 += s.l2
		for i, g := range res.Grads {
			if k == 0 {
				copy(g, s.grads[i])
			} else {
				addTo(g, s.grads[i])
			}
		}
	}
	T, B, H, O := b.T, b.B, e.cfg.NumHidden, e.cfg.NumOutput
	if e.cfg.LossName() == LossMSE {
		loss /= float64(T * B * O)
	} else {
		loss /= float64(T * B)
	}
	thb := float64(T * B * H)
	res.Loss = float32(loss + e.cfg.RateL1*l1/thb + e.cfg.RateL2*l2/thb)
	return nil
}

// Forward runs the batch from the zero state without noise and returns the
// states (the rates), row-major [T][B][H], and the logits, row-major
// [T][B][O]. The labels, targets and mask of b are not used.
func (e *LeakyCPUEngine) Forward(p *Params, b *tasks.Batch) (states, logits []float32, err error) {
	if err := checkBatch(e.Name(), e.cfg, p, b, nil, false); err != nil {
		return nil, nil, err
	}
	states = make([]float32, b.T*b.B*e.cfg.NumHidden)
	logits = make([]float32, b.T*b.B*e.cfg.NumOutput)
	e.mu.Lock()
	defer e.mu.Unlock()
	shards := e.prepare(p, b, false)
	e.run(shards, func(s *leakyShard) { s.forward(e, p, b, nil, logits, states, false) })
	return states, logits, nil
}

// padTo8 rounds n up to a multiple of 8 (one AVX2 register of float32).
func padTo8(n int) int { return (n + 7) &^ 7 }

// prepare packs W_rrᵀ, the padded W_ro and W_roᵀ, and sizes the shards'
// workspaces for batch b (with the backward pass's when withGrad). It must
// be called with e.mu held.
func (e *LeakyCPUEngine) prepare(p *Params, b *tasks.Batch, withGrad bool) []*leakyShard {
	H, O := e.cfg.NumHidden, e.cfg.NumOutput
	Op := padTo8(O)
	wrr, wro := p.Values[1], p.Values[3]
	e.wroP = grow(e.wroP, H*Op)
	clear(e.wroP)
	for j := range H {
		copy(e.wroP[j*Op:j*Op+O], wro[j*O:(j+1)*O])
	}
	if withGrad {
		e.wrrT = grow(e.wrrT, H*H)
		transpose(e.wrrT, wrr, H, H)
		e.wroT = grow(e.wroT, O*H)
		transpose(e.wroT, wro, H, O)
	}
	nw := e.workers
	if nw <= 0 {
		nw = runtime.GOMAXPROCS(0)
	}
	nw = min(nw, b.B)
	for len(e.shards) < nw {
		e.shards = append(e.shards, &leakyShard{})
	}
	shards := e.shards[:nw]
	for k, s := range shards {
		s.lo, s.hi = k*b.B/nw, (k+1)*b.B/nw
		s.size(e.cfg, e.sizes, b.T, withGrad)
	}
	return shards
}

// run calls f on every shard, the first on the calling goroutine.
func (e *LeakyCPUEngine) run(shards []*leakyShard, f func(*leakyShard)) {
	for _, s := range shards[1:] {
		e.wg.Go(func() { f(s) })
	}
	f(shards[0])
	e.wg.Wait()
}

// transpose writes the transpose of the row-major m×n matrix a into dst
// (n×m).
func transpose(dst, a []float32, m, n int) {
	const blk = 32
	for i0 := 0; i0 < m; i0 += blk {
		for j0 := 0; j0 < n; j0 += blk {
			for i := i0; i < min(i0+blk, m); i++ {
				row := a[i*n : (i+1)*n]
				for j := j0; j < min(j0+blk, n); j++ {
					dst[j*m+i] = row[j]
				}
			}
		}
	}
}

// leakyShard is the workspace of one worker, which handles trials [lo, hi)
// (n = hi - lo); its matrices stack time and trial, row t·n + k for trial
// lo + k at step t.
type leakyShard struct {
	lo, hi int

	rs  []float32 // rates, [T+1][n][H]; block 0 is R_{-1} = 0
	fp  []float32 // f'(Z_t), [T][n][H]; reused as U_t in the backward pass
	out []float32 // padded logits, [T][n][Op]
	dO  []float32 // padded dL/dO, [T][n][Op]
	dr  []float32 // dL/dR_t from the read-out and the penalties, [T][n][H]
	cr  []float32 // the carried gradient C_t, [n][H]
	rT  []float32 // Rᵀ, [H][T·n]
	xT  []float32 // Xᵀ, [I][T·n]

	loss, l1, l2 float64
	grads        [][]float32 // dW_ir, dW_rr, db_rr, dW_ro, db_ro (Config.ParamNames)
	dWroP        []float32   // dW_ro padded, [H][Op]
}

// size allocates the shard's workspace for sequences of length T, keeping
// buffers that are large enough.
func (s *leakyShard) size(cfg Config, sizes []int, T int, withGrad bool) {
	I, H := cfg.NumInput, cfg.NumHidden
	n, Op := s.hi-s.lo, padTo8(cfg.NumOutput)
	s.rs = grow(s.rs, (T+1)*n*H)
	s.fp = grow(s.fp, T*n*H)
	s.out = grow(s.out, T*n*Op)
	if !withGrad {
		return
	}
	s.dO = grow(s.dO, T*n*Op)
	s.dr = grow(s.dr, T*n*H)
	s.cr = grow(s.cr, n*H)
	s.rT = grow(s.rT, H*T*n)
	s.xT = grow(s.xT, I*T*n)
	s.dWroP = grow(s.dWroP, H*Op)
	if len(s.grads) != 5 {
		s.grads = make([][]float32, 5)
	}
	for i, m := range sizes {
		s.grads[i] = grow(s.grads[i], m)
	}
}

// forward runs the shard's trials from the zero state: the rates, f'(Z)
// and the logits (copied into logits, [T][B][O]; the rates into states,
// [T][B][H], when not nil). withLoss also accumulates the loss and the
// penalties' sums and fills dO.
func (s *leakyShard) forward(e *LeakyCPUEngine, p *Params, b *tasks.Batch, noise, logits, states []float32, withLoss bool) {
	cfg := &e.cfg
	I, H, O := cfg.NumInput, cfg.NumHidden, cfg.NumOutput
	Op := padTo8(O)
	T, B, n := b.T, b.B, s.hi-s.lo
	act := actKind(cfg.ActivationName())
	a := float32(cfg.Alpha())
	leak := 1 - a
	sn := float32(leakyNoiseScale(*cfg))
	wir, wrr, brr, bro := p.Values[0], p.Values[1], p.Values[2], p.Values[4]

	clear(s.rs[:n*H])
	for t := range T {
		prev := s.rs[t*n*H : (t+1)*n*H]
		cur := s.rs[(t+1)*n*H : (t+2)*n*H]
		fp := s.fp[t*n*H : (t+1)*n*H]
		x := b.Inputs[(t*B+s.lo)*I : (t*B+s.hi)*I]
		// Z_t = b_rr + X_t W_ir + R_{t-1} W_rr + σ ξ_t, built in fp.
		for k := range n {
			copy(fp[k*H:(k+1)*H], brr)
		}
		f32.MulAddFused(n, H, I, x, I, wir, H, fp, H)
		if t > 0 {
			f32.MulAddFused(n, H, H, prev, H, wrr, H, fp, H)
		}
		if noise != nil {
			f32.Axpy(sn, noise[(t*B+s.lo)*H:(t*B+s.hi)*H], fp)
		}
		// R_t = (1-α) R_{t-1} + α f(Z_t); fp becomes f'(Z_t).
		activateDeriv(act, fp, cur)
		for j, r := range cur {
			cur[j] = leak*prev[j] + a*r
		}
		if states != nil {
			copy(states[(t*B+s.lo)*H:(t*B+s.hi)*H], cur)
		}
	}

	// O = R W_ro + b_ro over all T·n rows; the loss and dO.
	var invTB, invN float64
	if withLoss {
		s.loss, s.l1, s.l2 = 0, 0, 0
		invTB, invN = 1/float64(T*B), 1/float64(T*B*O)
	}
	for row := range T * n {
		out := s.out[row*Op : (row+1)*Op]
		copy(out, bro)
		clear(out[O:])
	}
	f32.MulAddFused(T*n, Op, H, s.rs[n*H:], H, e.wroP, Op, s.out, Op)
	for t := range T {
		for k := range n {
			out := s.out[(t*n+k)*Op : (t*n+k+1)*Op]
			row := t*B + s.lo + k
			copy(logits[row*O:(row+1)*O], out[:O])
			if !withLoss {
				continue
			}
			dO := s.dO[(t*n+k)*Op : (t*n+k+1)*Op]
			clear(dO[O:])
			if cfg.LossName() == LossMSE {
				s.loss += maskedMSEGrad(out[:O], b.Targets[row*O:(row+1)*O], b.Mask[row*O:(row+1)*O], cfg.Sigmoid, invN, dO)
			} else {
				s.loss += crossEntropyGrad(out[:O], int(b.Labels[row]), invTB, dO)
			}
		}
	}
	if withLoss && (cfg.RateL1 != 0 || cfg.RateL2 != 0) {
		for _, r := range s.rs[n*H:] {
			s.l1 += math.Abs(float64(r))
			s.l2 += float64(r) * float64(r)
		}
	}
}

// maskedMSEGrad returns Σ_k (m_k (y_k - target_k))² for one step's logits
// out (y = out, or sigmoid(out) when sigmoid is set) and writes its
// gradient times scale, 2 m_k² (y_k - target_k) y'_k · scale, into dO.
func maskedMSEGrad(out, target, mask []float32, sigmoid bool, scale float64, dO []float32) float64 {
	var sum float64
	for k, v := range out {
		y, dy := float64(v), 1.0
		if sigmoid {
			y = 1 / (1 + math.Exp(-y))
			dy = y * (1 - y)
		}
		m := float64(mask[k])
		d := m * (y - float64(target[k]))
		sum += d * d
		dO[k] = float32(2 * m * d * dy * scale)
	}
	return sum
}

// activateDeriv sets f[j] = f(z[j]) and z[j] = f'(z[j]) for the activation
// kind (see actKind): softplus eight lanes at a time (softplusDeriv), to a
// few float32 ulps; the others as actDeriv (1 - tanh² near saturation
// needs the float64 tanh rounded once).
func activateDeriv(kind int, z, f []float32) {
	if kind == kindSoftplus {
		softplusDeriv(z, f)
		return
	}
	for j, v := range z {
		f[j], z[j] = actDeriv(kind, v)
	}
}

// softplusDeriv sets f[j] = softplus(z[j]) = log(1 + e^z) and z[j] =
// σ(z[j]), its derivative. With s = σ(-|z|) = e/(1+e), e = exp(-|z|)
// (f32.Sigmoid), σ(z) is 1-s or s, and softplus(z) = max(z, 0) + log1p(e)
// with log1p(e) = 2 atanh(w), w = e/(2+e) = s/(2-s) ≤ 1/3: the series
// 2 Σ_k w^(2k+1)/(2k+1) to k = 7 leaves a relative error below 1e-9.
func softplusDeriv(z, f []float32) {
	f = f[:len(z)]
	for j, v := range z {
		f[j] = -abs32(v)
	}
	f32.Sigmoid(f, f)
	for j, v := range z {
		s := f[j]
		w := s / (2 - s)
		w2 := w * w
		l := 2 * w * (1 + w2*(1.0/3+w2*(1.0/5+w2*(1.0/7+w2*(1.0/9+w2*(1.0/11+w2*(1.0/13+w2*(1.0/15))))))))
		if v > 0 {
			f[j], z[j] = v+l, 1-s
		} else {
			f[j], z[j] = l, s
		}
	}
}

func abs32(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }

// backward runs BPTT over the shard after forward with the loss and
// accumulates the gradients into s.grads.
func (s *leakyShard) backward(e *LeakyCPUEngine, p *Params, b *tasks.Batch) {
	cfg := &e.cfg
	I, H, O := cfg.NumInput, cfg.NumHidden, cfg.NumOutput
	Op := padTo8(O)
	T, B, n := b.T, b.B, s.hi-s.lo
	TN := T * n
	a := float32(cfg.Alpha())
	leak := 1 - a
	thb := float64(T * B * H)
	l1, l2 := float32(cfg.RateL1/thb), float32(2*cfg.RateL2/thb)
	rates := s.rs[n*H:] // R_0..R_{T-1}, [T·n][H]

	// dL/dR from the read-out and the rate penalties, all rows at once.
	clear(s.dr)
	f32.MulAddFused(TN, H, O, s.dO, Op, e.wroT, H, s.dr, H)
	if l1 != 0 || l2 != 0 {
		for j, r := range rates {
			s.dr[j] += l1*signPM(r) + l2*r
		}
	}

	// U_t = α P_t ⊙ f'(Z_t) into fp; C_{t-1} = (1-α) P_t + U_t W_rrᵀ.
	cr := s.cr[:n*H]
	clear(cr)
	for t := T - 1; t >= 0; t-- {
		dr := s.dr[t*n*H : (t+1)*n*H]
		u := s.fp[t*n*H : (t+1)*n*H]
		for j := range u {
			pj := cr[j] + dr[j]
			u[j] *= a * pj
			cr[j] = leak * pj
		}
		if t == 0 {
			break
		}
		f32.MulAddFused(n, H, H, u, H, e.wrrT, H, cr, H)
	}
	us := s.fp[:TN*H]

	// The weight gradients as products over all T·n rows.
	dWir, dWrr, dBrr, dWro, dBro := s.grads[0], s.grads[1], s.grads[2], s.grads[3], s.grads[4]
	transpose(s.rT, rates, TN, H)
	x := s.xT
	for t := range T {
		// Xᵀ: the shard's rows of step t are contiguous in the batch.
		xs := b.Inputs[(t*B+s.lo)*I : (t*B+s.hi)*I]
		for k := range n {
			for i, v := range xs[k*I : (k+1)*I] {
				x[i*TN+t*n+k] = v
			}
		}
	}
	clear(dWrr)
	clear(dWir)
	clear(s.dWroP)
	// dW_rr = R₋ᵀ U: R_{t-1} (columns [0, (T-1)n) of Rᵀ) against U_t, t ≥ 1.
	f32.MulAddFused(H, H, TN-n, s.rT, TN, us[n*H:], H, dWrr, H)
	f32.MulAddFused(I, H, TN, x, TN, us, H, dWir, H)
	f32.MulAddFused(H, Op, TN, s.rT, TN, s.dO, Op, s.dWroP, Op)
	for j := range H {
		copy(dWro[j*O:(j+1)*O], s.dWroP[j*Op:j*Op+O])
	}
	clear(dBrr)
	clear(dBro)
	for row := range TN {
		addTo(dBrr, us[row*H:(row+1)*H])
		addTo(dBro, s.dO[row*Op:row*Op+O])
	}
}
