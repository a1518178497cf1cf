package models

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

var _ Engine = (*CPUEngine)(nil)

// cpuTestBatch draws a batch with inputs in [-1, 1) (a fraction zero) and
// labels covering all classes.
func cpuTestBatch(cfg Config, T, B int, seed uint64) *tasks.Batch {
	rng := rand.New(rand.NewPCG(seed, 17))
	b := &tasks.Batch{T: T, B: B, ObsSize: cfg.NumInput,
		Inputs: make([]float32, T*B*cfg.NumInput), Labels: make([]int32, T*B)}
	for i := range b.Inputs {
		if rng.Float64() < 0.2 {
			continue
		}
		b.Inputs[i] = float32(2*rng.Float64() - 1)
	}
	for i := range b.Labels {
		b.Labels[i] = int32(rng.IntN(cfg.NumOutput))
	}
	return b
}

// cpuTestParams draws parameters with biases pushed up so that a good share
// of the units is active (the default biases are small).
func cpuTestParams(t testing.TB, cfg Config, seed uint64) *Params {
	t.Helper()
	p, err := NewParams(cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	for i := range p.Values[2] {
		p.Values[2][i] += float32(0.3 * rng.NormFloat64())
	}
	for i := range p.Values[4] {
		p.Values[4][i] = float32(rng.NormFloat64())
	}
	return p
}

// ref64 is a float64 reference of the network: params as float64 slices in
// Tensors order.
type ref64 struct {
	cfg Config
	w   [][]float64
}

func newRef64(p *Params) *ref64 {
	r := &ref64{cfg: p.Config}
	for _, t := range p.Tensors() {
		v := make([]float64, len(t))
		for i, x := range t {
			v[i] = float64(x)
		}
		r.w = append(r.w, v)
	}
	return r
}

// lossLogits runs the batch in float64, the plainest way.
func (r *ref64) lossLogits(b *tasks.Batch) (float64, []float64) {
	I, H, O := r.cfg.NumInput, r.cfg.NumHidden, r.cfg.NumOutput
	a := r.cfg.Alpha()
	wir, wrr, brr, wro, bro := r.w[0], r.w[1], r.w[2], r.w[3], r.w[4]
	logits := make([]float64, b.T*b.B*O)
	var loss float64
	for tr := 0; tr < b.B; tr++ {
		h := make([]float64, H)
		for t := 0; t < b.T; t++ {
			x := b.Inputs[(t*b.B+tr)*I : (t*b.B+tr+1)*I]
			nh := make([]float64, H)
			for j := 0; j < H; j++ {
				z := brr[j]
				for i := 0; i < I; i++ {
					z += float64(x[i]) * wir[i*H+j]
				}
				for i := 0; i < H; i++ {
					z += h[i] * wrr[i*H+j]
				}
				nh[j] = math.Max(0, (1-a)*h[j]+a*z)
			}
			h = nh
			o := logits[(t*b.B+tr)*O : (t*b.B+tr+1)*O]
			for k := 0; k < O; k++ {
				o[k] = bro[k]
				for j := 0; j < H; j++ {
					o[k] += h[j] * wro[j*O+k]
				}
			}
			mx := o[0]
			for _, v := range o {
				mx = math.Max(mx, v)
			}
			var s float64
			for _, v := range o {
				s += math.Exp(v - mx)
			}
			loss += mx + math.Log(s) - o[b.Labels[t*b.B+tr]]
		}
	}
	return loss / float64(b.T*b.B), logits
}

// fdGrad is the central difference of the float64 loss along parameter
// tensor k, entry i.
func (r *ref64) fdGrad(b *tasks.Batch, k, i int, eps float64) float64 {
	old := r.w[k][i]
	r.w[k][i] = old + eps
	lp, _ := r.lossLogits(b)
	r.w[k][i] = old - eps
	lm, _ := r.lossLogits(b)
	r.w[k][i] = old
	return (lp - lm) / (2 * eps)
}

type cpuCase struct {
	name    string
	cfg     Config
	T, B    int
	workers int
	zeroIn  bool
}

func cpuCases() []cpuCase {
	c7 := Config{NumInput: 3, NumHidden: 7, NumOutput: 3, Dt: 100, Tau: 100}
	c7a := Config{NumInput: 2, NumHidden: 7, NumOutput: 4, Dt: 20, Tau: 100}
	c64 := DefaultConfig()
	c64a := Config{NumInput: 3, NumHidden: 64, NumOutput: 3, Dt: 20, Tau: 100}
	c13 := Config{NumInput: 5, NumHidden: 13, NumOutput: 2, Dt: 50, Tau: 100}
	return []cpuCase{
		{name: "H7/alpha1/B1", cfg: c7, T: 12, B: 1},
		{name: "H7/alpha1/B16", cfg: c7, T: 10, B: 16},
		{name: "H7/alpha0.2/B1", cfg: c7a, T: 15, B: 1},
		{name: "H7/alpha0.2/B16", cfg: c7a, T: 10, B: 16, workers: 3},
		{name: "H13/alpha0.5/B5/w2", cfg: c13, T: 9, B: 5, workers: 2},
		{name: "H7/T1", cfg: c7a, T: 1, B: 4},
		{name: "H7/zero-inputs", cfg: c7a, T: 8, B: 3, zeroIn: true},
		{name: "H64/alpha1/B1", cfg: c64, T: 8, B: 1},
		{name: "H64/alpha1/B16", cfg: c64, T: 6, B: 16},
		{name: "H64/alpha0.2/B16", cfg: c64a, T: 6, B: 16, workers: 1},
		{name: "H64/alpha0.2/B3/w2", cfg: c64a, T: 7, B: 3, workers: 2},
	}
}

func cpuClose(got float32, want, atol, rtol float64) bool {
	return math.Abs(float64(got)-want) <= atol+rtol*math.Abs(want)
}

// TestCPUEngineFiniteDifferences checks loss and logits against the float64
// reference and every gradient entry (a sample of them for H = 64) against
// central differences of the float64 loss.
func TestCPUEngineFiniteDifferences(t *testing.T) {
	for ci, c := range cpuCases() {
		t.Run(c.name, func(t *testing.T) {
			p := cpuTestParams(t, c.cfg, uint64(10+ci))
			b := cpuTestBatch(c.cfg, c.T, c.B, uint64(100+ci))
			if c.zeroIn {
				clear(b.Inputs)
			}
			e, err := NewCPUEngine(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			e.SetWorkers(c.workers)
			res, err := e.LossAndGrad(p, b, nil)
			if err != nil {
				t.Fatal(err)
			}
			ref := newRef64(p)
			loss, logits := ref.lossLogits(b)
			if !cpuClose(res.Loss, loss, 1e-6, 1e-5) {
				t.Errorf("loss %v, float64 reference %v", res.Loss, loss)
			}
			for i, v := range logits {
				if !cpuClose(res.Logits[i], v, 1e-5, 1e-4) {
					t.Fatalf("logit %d: %v, reference %v", i, res.Logits[i], v)
				}
			}
			rng := rand.New(rand.NewPCG(uint64(ci), 5))
			var maxAbs float64
			for k, g := range res.Grads {
				idx := make([]int, len(g))
				for i := range idx {
					idx[i] = i
				}
				if len(idx) > 60 {
					rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
					idx = idx[:60]
				}
				for _, i := range idx {
					fd := ref.fdGrad(b, k, i, 1e-6)
					maxAbs = max(maxAbs, math.Abs(float64(g[i])-fd))
					if !cpuClose(g[i], fd, 2e-6, 1e-3) {
						t.Errorf("%s[%d]: engine %.8g, finite difference %.8g", DefaultConfig().ParamNames()[k], i, g[i], fd)
					}
				}
			}
			t.Logf("loss %.6f, max |grad - fd| = %.3g", res.Loss, maxAbs)
		})
	}
}

// TestCPUEngineReuse checks that repeated calls (workspace reuse, Result
// reuse, changing shapes, changing worker counts) give the same numbers.
func TestCPUEngineReuse(t *testing.T) {
	cfg := Config{NumInput: 3, NumHidden: 20, NumOutput: 3, Dt: 20, Tau: 100}
	p := cpuTestParams(t, cfg, 3)
	e, _ := NewCPUEngine(cfg)
	b1 := cpuTestBatch(cfg, 30, 8, 1)
	b2 := cpuTestBatch(cfg, 11, 3, 2)
	first, err := e.LossAndGrad(p, b1, nil)
	if err != nil {
		t.Fatal(err)
	}
	var res Result
	for _, b := range []*tasks.Batch{b2, b1, b2, b1} {
		if err := e.LossAndGradInto(p, b, nil, &res); err != nil {
			t.Fatal(err)
		}
	}
	if res.Loss != first.Loss {
		t.Errorf("loss changed on reuse: %v then %v", first.Loss, res.Loss)
	}
	for k := range res.Grads {
		for i := range res.Grads[k] {
			if res.Grads[k][i] != first.Grads[k][i] {
				t.Fatalf("%s[%d] changed on reuse: %v then %v", DefaultConfig().ParamNames()[k], i, first.Grads[k][i], res.Grads[k][i])
			}
		}
	}
	// A different split of the batch sums in another order: equal to rounding.
	for _, w := range []int{1, 2, 3, 8} {
		e.SetWorkers(w)
		r, err := e.LossAndGrad(p, b1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !cpuClose(r.Loss, float64(first.Loss), 0, 1e-6) {
			t.Errorf("workers %d: loss %v, want %v", w, r.Loss, first.Loss)
		}
		for k := range r.Grads {
			for i := range r.Grads[k] {
				if !cpuClose(r.Grads[k][i], float64(first.Grads[k][i]), 1e-7, 1e-5) {
					t.Fatalf("workers %d: %s[%d] = %v, want %v", w, DefaultConfig().ParamNames()[k], i, r.Grads[k][i], first.Grads[k][i])
				}
			}
		}
	}
}

// TestCPUEngineForward checks Forward against Params.Run, trial by trial.
func TestCPUEngineForward(t *testing.T) {
	cfg := Config{NumInput: 3, NumHidden: 33, NumOutput: 3, Dt: 20, Tau: 100}
	p := cpuTestParams(t, cfg, 4)
	b := cpuTestBatch(cfg, 25, 5, 4)
	b.Labels = nil
	e, _ := NewCPUEngine(cfg)
	states, logits, err := e.Forward(p, b)
	if err != nil {
		t.Fatal(err)
	}
	I, H, O := cfg.NumInput, cfg.NumHidden, cfg.NumOutput
	for tr := 0; tr < b.B; tr++ {
		xs := make([]float32, b.T*I)
		for t0 := 0; t0 < b.T; t0++ {
			copy(xs[t0*I:], b.Inputs[(t0*b.B+tr)*I:(t0*b.B+tr+1)*I])
		}
		hs, os := p.Forward(xs)
		for t0 := 0; t0 < b.T; t0++ {
			for j := 0; j < H; j++ {
				if !cpuClose(states[(t0*b.B+tr)*H+j], float64(hs[t0*H+j]), 1e-5, 1e-4) {
					t.Fatalf("trial %d step %d unit %d: state %v, Run %v", tr, t0, j, states[(t0*b.B+tr)*H+j], hs[t0*H+j])
				}
			}
			for k := 0; k < O; k++ {
				if !cpuClose(logits[(t0*b.B+tr)*O+k], float64(os[t0*O+k]), 1e-5, 1e-4) {
					t.Fatalf("trial %d step %d logit %d: %v, Run %v", tr, t0, k, logits[(t0*b.B+tr)*O+k], os[t0*O+k])
				}
			}
		}
	}
}

// TestCPUEngineErrors checks the shape and label validation.
func TestCPUEngineErrors(t *testing.T) {
	cfg := DefaultConfig()
	e, err := NewCPUEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewCPUEngine(Config{NumInput: 3, NumHidden: 0, NumOutput: 3, Dt: 1, Tau: 1}); err == nil {
		t.Error("NewCPUEngine accepted num_hidden = 0")
	}
	good := func() (*Params, *tasks.Batch) {
		return cpuTestParams(t, cfg, 1), cpuTestBatch(cfg, 5, 2, 1)
	}
	cases := []struct {
		name, want string
		edit       func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch)
	}{
		{"obs size", "input channels", func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch) { b.ObsSize = 2; return p, b }},
		{"inputs length", "inputs", func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch) { b.Inputs = b.Inputs[1:]; return p, b }},
		{"labels length", "labels", func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch) { b.Labels = b.Labels[1:]; return p, b }},
		{"label high", "outside", func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch) { b.Labels[3] = 3; return p, b }},
		{"label negative", "outside", func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch) { b.Labels[0] = -1; return p, b }},
		{"T zero", "T = 0", func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch) { b.T = 0; return p, b }},
		{"w_rr length", "w_rr", func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch) { p.Values[1] = p.Values[1][:10]; return p, b }},
		{"b_ro length", "b_ro", func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch) { p.Values[4] = nil; return p, b }},
		{"config", "config", func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch) { p.Tau = 50; return p, b }},
		{"nil params", "nil params", func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch) { return nil, b }},
		{"nil batch", "nil batch", func(p *Params, b *tasks.Batch) (*Params, *tasks.Batch) { return p, nil }},
	}
	for _, c := range cases {
		p, b := c.edit(good())
		_, err := e.LossAndGrad(p, b, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

// TestCPUEngineFamilyMatchesGoMLX compares the CPU engine's general path
// with the GoMLX engine at the benchmark's sizes (H = 50 and 64, B = 16,
// several workers) for the CTRNN family's options: loss, logits, every
// gradient, and Forward's states and logits.
func TestCPUEngineFamilyMatchesGoMLX(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles GoMLX graphs")
	}
	ei50 := Config{Cell: CellEI, NumInput: 3, NumHidden: 50, NumOutput: 3, Dt: 20, Tau: 100, SigmaRec: 0.15}
	sp64 := Config{NumInput: 3, NumHidden: 64, NumOutput: 3, Dt: 20, Tau: 100, Activation: ActSoftplus, SigmaRec: 0.1}
	cases := []struct {
		name    string
		cfg     Config
		workers int
	}{
		{"ei/H50/relu/noise", ei50, 0},
		{"ei/H50/relu/alpha1/rateL1/w3", func(c Config) Config { c.Dt = 100; c.RateL1 = 0.01; return c }(ei50), 3},
		{"ei/H50/softplus/mse-sigmoid", func(c Config) Config { c.Activation = ActSoftplus; c.Loss = LossMSE; c.Sigmoid = true; return c }(ei50), 0},
		{"ctrnn/H64/softplus/noise", sp64, 0},
		{"ctrnn/H64/tanh/rateL1L2/w1", func(c Config) Config { c.Activation = ActTanh; c.RateL1 = 0.01; c.RateL2 = 0.01; return c }(sp64), 1},
		{"ctrnn/H64/relu/noise/mse", func(c Config) Config { c.Activation = ActReLU; c.Loss = LossMSE; return c }(sp64), 0},
	}
	for k, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := cpuTestParams(t, c.cfg, uint64(40+k))
			if c.cfg.CellName() == CellEI {
				// Entries at exactly 0, where the gradient of |W_rr| takes GoMLX's sign(0) = +1.
				H := c.cfg.NumHidden
				for _, i := range []int{1, H + 7, 45*H + 3} {
					p.Values[1][i] = 0
				}
			}
			b, noise := cellBatch(c.cfg, 20, 16, uint64(k))
			ce, err := NewCPUEngine(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			ce.SetWorkers(c.workers)
			ge, err := NewGoMLXEngine(nil, c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer ge.Finalize()
			cr, err := ce.LossAndGrad(p, b, noise)
			if err != nil {
				t.Fatal(err)
			}
			gr, err := ge.LossAndGrad(p, b, noise)
			if err != nil {
				t.Fatal(err)
			}
			cmp := func(name string, a, g []float32) {
				if len(a) != len(g) {
					t.Fatalf("%s: cpu has %d values, gomlx %d", name, len(a), len(g))
				}
				scale := 0.0
				for _, v := range g {
					scale = max(scale, math.Abs(float64(v)))
				}
				for i := range a {
					if d := math.Abs(float64(a[i]) - float64(g[i])); d > 1e-5*scale+1e-4*math.Abs(float64(g[i])) {
						t.Errorf("%s[%d]: cpu %.8g, gomlx %.8g", name, i, a[i], g[i])
						return
					}
				}
			}
			cmp("loss", []float32{cr.Loss}, []float32{gr.Loss})
			cmp("logits", cr.Logits, gr.Logits)
			for i, name := range c.cfg.ParamNames() {
				cmp(name, cr.Grads[i], gr.Grads[i])
			}
			cs, cl, err := ce.Forward(p, b)
			if err != nil {
				t.Fatal(err)
			}
			gs, gl, err := ge.Forward(p, b)
			if err != nil {
				t.Fatal(err)
			}
			cmp("forward states", cs, gs)
			cmp("forward logits", cl, gl)
		})
	}
}

// TestCPUEngineGeneralMatchesPrimer runs the primer's network through both
// paths of the CPU engine: without noise (the primer's path) and with an
// all-zero noise slice at SigmaRec > 0 (the general path, same maths). They
// must agree to float32 rounding.
func TestCPUEngineGeneralMatchesPrimer(t *testing.T) {
	for _, dt := range []float64{100, 20} {
		cfg := Config{NumInput: 3, NumHidden: 64, NumOutput: 3, Dt: dt, Tau: 100, SigmaRec: 0.1}
		p := cpuTestParams(t, cfg, 5)
		b := cpuTestBatch(cfg, 30, 16, 6)
		e, err := NewCPUEngine(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !e.cpuFast(nil) || e.cpuFast(make([]float32, 1)) {
			t.Fatal("cpuFast does not select the paths this test compares")
		}
		fast, err := e.LossAndGrad(p, b, nil)
		if err != nil {
			t.Fatal(err)
		}
		gen, err := e.LossAndGrad(p, b, make([]float32, b.T*b.B*cfg.NumHidden))
		if err != nil {
			t.Fatal(err)
		}
		if !cpuClose(gen.Loss, float64(fast.Loss), 0, 1e-6) {
			t.Errorf("dt %v: loss general %v, primer %v", dt, gen.Loss, fast.Loss)
		}
		for i, v := range fast.Logits {
			if gen.Logits[i] != v {
				t.Fatalf("dt %v: logit %d general %v, primer %v", dt, i, gen.Logits[i], v)
			}
		}
		for k, name := range cfg.ParamNames() {
			for i, v := range fast.Grads[k] {
				if !cpuClose(gen.Grads[k][i], float64(v), 1e-7, 1e-5) {
					t.Fatalf("dt %v: %s[%d] general %v, primer %v", dt, name, i, gen.Grads[k][i], v)
				}
			}
		}
	}
}

// TestCPUEngineGeneralReuse checks that the general path gives the same
// numbers on repeated calls (workspace and Result reuse, changing shapes)
// and, to rounding, on any split of the batch.
func TestCPUEngineGeneralReuse(t *testing.T) {
	cfg := Config{Cell: CellEI, NumInput: 3, NumHidden: 20, NumOutput: 3, Dt: 20, Tau: 100,
		Activation: ActSoftplus, SigmaRec: 0.1, Loss: LossMSE, RateL2: 0.01}
	p := cpuTestParams(t, cfg, 3)
	e, err := NewCPUEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b1, n1 := cellBatch(cfg, 30, 8, 1)
	b2, n2 := cellBatch(cfg, 11, 3, 2)
	first, err := e.LossAndGrad(p, b1, n1)
	if err != nil {
		t.Fatal(err)
	}
	var res Result
	for k, b := range []*tasks.Batch{b2, b1, b2, b1} {
		n := n1
		if k%2 == 0 {
			n = n2
		}
		if err := e.LossAndGradInto(p, b, n, &res); err != nil {
			t.Fatal(err)
		}
	}
	if res.Loss != first.Loss {
		t.Errorf("loss changed on reuse: %v then %v", first.Loss, res.Loss)
	}
	for k := range res.Grads {
		for i := range res.Grads[k] {
			if res.Grads[k][i] != first.Grads[k][i] {
				t.Fatalf("%s[%d] changed on reuse: %v then %v", cfg.ParamNames()[k], i, first.Grads[k][i], res.Grads[k][i])
			}
		}
	}
	for _, w := range []int{1, 2, 3, 8} {
		e.SetWorkers(w)
		r, err := e.LossAndGrad(p, b1, n1)
		if err != nil {
			t.Fatal(err)
		}
		if !cpuClose(r.Loss, float64(first.Loss), 0, 1e-6) {
			t.Errorf("workers %d: loss %v, want %v", w, r.Loss, first.Loss)
		}
		for k := range r.Grads {
			for i := range r.Grads[k] {
				if !cpuClose(r.Grads[k][i], float64(first.Grads[k][i]), 1e-7, 1e-5) {
					t.Fatalf("workers %d: %s[%d] = %v, want %v", w, cfg.ParamNames()[k], i, r.Grads[k][i], first.Grads[k][i])
				}
			}
		}
	}
}

// TestCPUSupports checks that the CPU engine takes every network of the
// CTRNN family (the cells with a leak but the leaky cell) in the cells
// table and refuses the gated cells and the leaky cell (these have engines
// of their own).
func TestCPUSupports(t *testing.T) {
	for _, cc := range cellCases() {
		_, err := cpuSupports(cc.cfg)
		if (cc.cfg.CellOptions().Leak && cc.cfg.CellName() != CellLeaky) != (err == nil) {
			t.Errorf("%s: cpuSupports = %v", cc.name, err)
		}
	}
	if _, err := NewCPUEngine(Config{Cell: CellGRU, NumInput: 3, NumHidden: 8, NumOutput: 3, Dt: 20, Tau: 100}); err == nil {
		t.Error("NewCPUEngine accepted a gru")
	}
}

// TestCPUEngineBLASMatchesScalar runs networks through the CPU engine with
// the BLAS kernels forced on and off (e.blas): loss, logits, gradients and
// Forward's states must agree to float32 rounding, on the primer's path and
// the general one, at sizes on both sides of cpuBLASMinHidden. It also
// checks the dispatch: the tutorial's H = 64 network runs the scalar
// kernels, H = 256 the BLAS ones.
func TestCPUEngineBLASMatchesScalar(t *testing.T) {
	for _, cfg := range []Config{
		{NumInput: 3, NumHidden: 64, NumOutput: 3, Dt: 100, Tau: 100},
		{NumInput: 53, NumHidden: 256, NumOutput: 17, Dt: 100, Tau: 100},
		{NumInput: 53, NumHidden: 130, NumOutput: 17, Dt: 20, Tau: 100},
		{NumInput: 53, NumHidden: 256, NumOutput: 17, Dt: 20, Tau: 100, SigmaRec: 0.1},
		{NumInput: 5, NumHidden: 128, NumOutput: 4, Dt: 20, Tau: 100, SigmaRec: 0.1, Activation: ActSoftplus, Loss: LossMSE, RateL1: 0.01, RateL2: 0.01},
		{Cell: CellEI, NumInput: 5, NumHidden: 130, NumOutput: 4, Dt: 20, Tau: 100, SigmaRec: 0.1},
		{Cell: CellEI, NumInput: 5, NumHidden: 128, NumOutput: 4, Dt: 20, Tau: 100, Activation: ActTanh, Loss: LossMSE, Sigmoid: true},
	} {
		t.Run(cfg.Describe(), func(t *testing.T) {
			p := cpuTestParams(t, cfg, 7)
			b, noise := cellBatch(cfg, 12, 5, 8)
			if cfg.SigmaRec == 0 {
				noise = nil
			}
			run := func(mode int) (*Result, []float32) {
				e, err := NewCPUEngine(cfg)
				if err != nil {
					t.Fatal(err)
				}
				if mode == 0 && e.useBLAS() != (cfg.NumHidden >= cpuBLASMinHidden || cfg.CellName() == CellEI) {
					t.Fatalf("H %d: useBLAS %v", cfg.NumHidden, e.useBLAS())
				}
				e.blas = mode
				e.SetWorkers(2)
				res, err := e.LossAndGrad(p, b, noise)
				if err != nil {
					t.Fatal(err)
				}
				states, logits, err := e.Forward(p, b)
				if err != nil {
					t.Fatal(err)
				}
				return res, append(states, logits...)
			}
			bl, bf := run(1)
			sc, sf := run(-1)
			near := func(what string, got, want []float32) {
				scale := 0.0
				for _, v := range want {
					scale = max(scale, math.Abs(float64(v)))
				}
				for i, w := range want {
					if !cpuClose(got[i], float64(w), 1e-5*scale, 1e-4) {
						t.Fatalf("%s[%d]: blas %.8g, scalar %.8g", what, i, got[i], w)
					}
				}
			}
			near("loss", []float32{bl.Loss}, []float32{sc.Loss})
			near("logits", bl.Logits, sc.Logits)
			for k, name := range cfg.ParamNames() {
				near(name, bl.Grads[k], sc.Grads[k])
			}
			near("forward", bf, sf)
		})
	}
}
