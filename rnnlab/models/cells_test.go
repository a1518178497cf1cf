package models

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/rnnlab/rnnlab/rnnlab/backend"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// cellCase is one network of the table every engine is checked on.
type cellCase struct {
	name string
	cfg  Config
}

// cellCases covers every registered cell (one case named by the cell, with
// its defaults) and every option that changes the maths.
func cellCases() []cellCase {
	base := func(cell string) Config {
		return Config{Cell: cell, NumInput: 3, NumHidden: 10, NumOutput: 4, Dt: 20, Tau: 100}
	}
	with := func(c Config, f func(*Config)) Config { f(&c); return c }
	var cases []cellCase
	for _, name := range Cells {
		cases = append(cases, cellCase{name, base(name)})
	}
	return append(cases, []cellCase{
		{"ctrnn/relu/alpha1", with(base(CellCTRNN), func(c *Config) { c.Dt = 100 })},
		{"ctrnn/relu/alpha0.2/noise", with(base(CellCTRNN), func(c *Config) { c.SigmaRec = 0.3 })},
		{"ctrnn/softplus/rateL1L2", with(base(CellCTRNN), func(c *Config) { c.Activation = ActSoftplus; c.RateL1 = 0.01; c.RateL2 = 0.02 })},
		{"ctrnn/tanh/mse-sigmoid", with(base(CellCTRNN), func(c *Config) { c.Activation = ActTanh; c.Loss = LossMSE; c.Sigmoid = true })},
		{"ctrnn/identity/mse", with(base(CellCTRNN), func(c *Config) { c.Activation = ActIdentity; c.Loss = LossMSE })},
		{"ei/relu/noise", with(base(CellEI), func(c *Config) { c.SigmaRec = 0.15 })},
		{"ei/softplus/efrac0.6/mse", with(base(CellEI), func(c *Config) { c.Activation = ActSoftplus; c.EFrac = 0.6; c.Loss = LossMSE; c.Sigmoid = true })},
		{"ctrnn/relu/mse/rateL1", with(base(CellCTRNN), func(c *Config) { c.Loss = LossMSE; c.RateL1 = 0.05 })},
		{"ei/relu/alpha1/rateL1L2", with(base(CellEI), func(c *Config) { c.Dt = 100; c.RateL1 = 0.03; c.RateL2 = 0.02 })},
		{"ei/tanh/noise/rateL2", with(base(CellEI), func(c *Config) { c.Activation = ActTanh; c.SigmaRec = 0.2; c.RateL2 = 0.05 })},
		{"ei/identity/mse", with(base(CellEI), func(c *Config) { c.Activation = ActIdentity; c.Loss = LossMSE })},
		{"ctrnn/softplus/H11/noise", with(base(CellCTRNN), func(c *Config) { c.NumHidden = 11; c.Activation = ActSoftplus; c.SigmaRec = 0.2 })},
		{"ctrnn/relu/alpha1/H256-I53-O17", with(base(CellCTRNN), func(c *Config) { c.Dt = 100; c.NumHidden = 256; c.NumInput = 53; c.NumOutput = 17 })},
		{"ctrnn/relu/alpha0.2/noise/H256-I53-O17", with(base(CellCTRNN), func(c *Config) { c.NumHidden = 256; c.NumInput = 53; c.NumOutput = 17; c.SigmaRec = 0.1 })},
		{"gru/mse/rateL2", with(base(CellGRU), func(c *Config) { c.Loss = LossMSE; c.RateL2 = 0.05 })},
		{"lstm/mse-sigmoid", with(base(CellLSTM), func(c *Config) { c.Loss = LossMSE; c.Sigmoid = true })},
		{"leaky/softplus/noise/mse-sigmoid", with(base(CellLeaky), func(c *Config) { c.Activation = ActSoftplus; c.SigmaRec = 0.3; c.Loss = LossMSE; c.Sigmoid = true })},
		{"leaky/relu/noise", with(base(CellLeaky), func(c *Config) { c.SigmaRec = 0.2 })},
		{"leaky/softplus/alpha1", with(base(CellLeaky), func(c *Config) { c.Activation = ActSoftplus; c.Dt = 100 })},
		{"leaky/tanh/mse/rateL1L2", with(base(CellLeaky), func(c *Config) { c.Activation = ActTanh; c.Loss = LossMSE; c.RateL1 = 0.02; c.RateL2 = 0.03 })},
		{"leaky/identity/noise/H13", with(base(CellLeaky), func(c *Config) { c.Activation = ActIdentity; c.NumHidden = 13; c.SigmaRec = 0.1 })},
		{"leaky/softplus/noise/mse-sigmoid/H256-I85-O33", with(base(CellLeaky), func(c *Config) {
			c.NumHidden, c.NumInput, c.NumOutput = 256, 85, 33
			c.Activation, c.SigmaRec, c.Loss, c.Sigmoid = ActSoftplus, 0.05, LossMSE, true
		})},
		{"leaky/relu/noise/H256-I53-O17", with(base(CellLeaky), func(c *Config) { c.NumHidden = 256; c.NumInput = 53; c.NumOutput = 17; c.SigmaRec = 0.1 })},
		// Cases named .../mask run with a connectivity mask (caseMask).
		{"ctrnn/relu/alpha0.2/mask", base(CellCTRNN)},
		{"ctrnn/softplus/noise/mse/mask", with(base(CellCTRNN), func(c *Config) { c.Activation = ActSoftplus; c.SigmaRec = 0.2; c.Loss = LossMSE })},
		{"ctrnn/relu/alpha1/H256-I53-O17/mask", with(base(CellCTRNN), func(c *Config) { c.Dt = 100; c.NumHidden = 256; c.NumInput = 53; c.NumOutput = 17 })},
		{"ugrnn/mse-sigmoid/rateL1", with(base(CellUGRNN), func(c *Config) { c.Loss = LossMSE; c.Sigmoid = true; c.RateL1 = 0.03 })},
	}...)
}

// caseMask returns a random 0/1 connectivity mask (about 30 % zeros) for
// the cases whose name ends in "/mask", nil for the others.
func caseMask(cc cellCase, seed uint64) []float32 {
	if !strings.HasSuffix(cc.name, "/mask") {
		return nil
	}
	return randomMask(cc.cfg.NumHidden, seed)
}

// randomMask draws an (H, H) 0/1 mask with P(0) = 0.3.
func randomMask(H int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 0x6d61736b))
	m := make([]float32, H*H)
	for i := range m {
		if rng.Float64() >= 0.3 {
			m[i] = 1
		}
	}
	return m
}

// cellBatch draws a batch with labels, MSE targets and mask, and
// standard-normal noise for cfg.
func cellBatch(cfg Config, T, B int, seed uint64) (*tasks.Batch, []float32) {
	rng := rand.New(rand.NewPCG(seed, 5))
	I, H, O := cfg.NumInput, cfg.NumHidden, cfg.NumOutput
	b := &tasks.Batch{T: T, B: B, ObsSize: I, Inputs: randSlice(rng, T*B*I, -1, 1), Labels: make([]int32, T*B),
		Targets: randSlice(rng, T*B*O, 0, 1), Mask: make([]float32, T*B*O)}
	for i := range b.Labels {
		b.Labels[i] = int32(rng.IntN(O))
	}
	for i := range b.Mask {
		b.Mask[i] = []float32{0, 1, 2, 5}[rng.IntN(4)]
	}
	noise := make([]float32, T*B*H)
	for i := range noise {
		noise[i] = float32(rng.NormFloat64())
	}
	return b, noise
}

// perturbed returns p with every tensor moved by N(0, sd²) so that biases
// and read-outs are not at their small initial values.
func perturbed(t testing.TB, cfg Config, seed uint64) *Params {
	p := testParams(t, cfg, seed)
	rng := rand.New(rand.NewPCG(seed, 77))
	// Standard deviation 0.3, or 0.3·sqrt(16/H) above 64 units, so that the
	// sums of large networks keep their float32 rounding within the
	// tolerances of the comparisons.
	sd := 0.3
	if cfg.NumHidden > 64 {
		sd *= math.Sqrt(16 / float64(cfg.NumHidden))
	}
	for _, v := range p.Values {
		for i := range v {
			v[i] += float32(sd * rng.NormFloat64())
		}
	}
	return p
}

// lossExec64 compiles the loss of cfg in float64 as a function of the
// parameters (and the connectivity mask, nil for none), for finite
// differences.
func lossExec64(t *testing.T, cfg Config, b *tasks.Batch, noise, mask []float32) func(vals [][]float64) float64 {
	be, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	to64 := func(x []float32) []float64 {
		out := make([]float64, len(x))
		for i, v := range x {
			out[i] = float64(v)
		}
		return out
	}
	T, B, O, H := b.T, b.B, cfg.NumOutput, cfg.NumHidden
	labels := tensors.FromFlatDataAndDimensions(b.Labels, T, B)
	x := tensors.FromFlatDataAndDimensions(to64(b.Inputs), T, B, b.ObsSize)
	tg := tensors.FromFlatDataAndDimensions(to64(b.Targets), T, B, O)
	mk := tensors.FromFlatDataAndDimensions(to64(b.Mask), T, B, O)
	nz := tensors.FromFlatDataAndDimensions(to64(noise), T, B, H)
	exec, err := graph.NewExec(be, func(in []*graph.Node) *graph.Node {
		loss, _ := LossGraph(cfg, in[5:], in[0], in[4], in[1], in[2], in[3])
		return loss
	})
	if err != nil {
		t.Fatal(err)
	}
	shapes := cfg.Shapes()
	return func(vals [][]float64) float64 {
		args := []any{x, labels, tg, mk, nz}
		for i, v := range vals {
			args = append(args, tensors.FromFlatDataAndDimensions(v, shapes[i]...))
		}
		if mask != nil {
			args = append(args, tensors.FromFlatDataAndDimensions(to64(mask), H, H))
		}
		out, err := exec.Call(args...)
		if err != nil {
			t.Fatal(err)
		}
		return tensors.MustCopyFlatData[float64](out[0])[0]
	}
}

// TestCellsAgree checks, for every cell of the table (every registered
// cell, and options): the GoMLX engine's gradient against central finite
// differences of the float64 graph; the plain-Go forward pass
// (Params.Forward) against the GoMLX engine's; and the cell's CPU engine,
// when it has one, against the GoMLX engine (loss, logits, gradients).
func TestCellsAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles GoMLX graphs")
	}
	const T, B = 7, 3
	for k, cc := range cellCases() {
		t.Run(cc.name, func(t *testing.T) {
			cfg := cc.cfg
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			p := perturbed(t, cfg, uint64(100+k))
			p.Mask = caseMask(cc, uint64(k))
			b, noise := cellBatch(cfg, T, B, uint64(k))
			ge, err := NewGoMLXEngine(nil, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer ge.Finalize()
			res, err := ge.LossAndGrad(p, b, noise)
			if err != nil {
				t.Fatal(err)
			}

			// Gradient against central finite differences in float64.
			loss := lossExec64(t, cfg, b, noise, p.Mask)
			vals := make([][]float64, len(p.Values))
			for i, v := range p.Values {
				vals[i] = make([]float64, len(v))
				for j, x := range v {
					vals[i][j] = float64(x)
				}
			}
			if l0 := loss(vals); !closeTo(float64(res.Loss), l0, 1e-5) {
				t.Errorf("loss: float32 engine %.7g, float64 graph %.7g", res.Loss, l0)
			}
			rng := rand.New(rand.NewPCG(uint64(k), 3))
			const eps = 1e-6
			for i, name := range cfg.ParamNames() {
				for _, j := range rng.Perm(len(vals[i]))[:min(8, len(vals[i]))] {
					orig := vals[i][j]
					vals[i][j] = orig + eps
					lp := loss(vals)
					vals[i][j] = orig - eps
					lm := loss(vals)
					vals[i][j] = orig
					fd := (lp - lm) / (2 * eps)
					if got := float64(res.Grads[i][j]); math.Abs(got-fd) > 1e-3*math.Abs(fd)+1e-5 {
						t.Errorf("%s[%d]: gradient %.7g, finite difference %.7g", name, j, got, fd)
					}
				}
			}
			if p.Mask != nil {
				// Masked-out weights have no effect: a zero gradient, exactly.
				for j, m := range p.Mask {
					if m == 0 && res.Grads[1][j] != 0 {
						t.Fatalf("w_rr[%d] is masked out but has gradient %g", j, res.Grads[1][j])
					}
				}
			}

			// The plain-Go forward pass against the graph's.
			gs, gl, err := ge.Forward(p, b)
			if err != nil {
				t.Fatal(err)
			}
			S, O := cfg.StateSize(), cfg.NumOutput
			for tr := 0; tr < B; tr++ {
				ps, pl := p.Forward(trial(b, tr))
				for tt := 0; tt < T; tt++ {
					for j := 0; j < S; j++ {
						if a, g := ps[tt*S+j], gs[(tt*B+tr)*S+j]; !closeTo(float64(a), float64(g), 1e-5) {
							t.Fatalf("trial %d step %d state %d: Params.Forward %.7g, graph %.7g", tr, tt, j, a, g)
						}
					}
					for j := 0; j < O; j++ {
						if a, g := pl[tt*O+j], gl[(tt*B+tr)*O+j]; !closeTo(float64(a), float64(g), 1e-5) {
							t.Fatalf("trial %d step %d logit %d: Params.Forward %.7g, graph %.7g", tr, tt, j, a, g)
						}
					}
				}
			}

			// Every CPU kernel against the graph.
			ce, err := NewEngine(EngineCPU, cfg)
			if err != nil {
				t.Logf("no cpu kernel for %s: %v", cfg.Describe(), err)
				return
			}
			cr, err := ce.LossAndGrad(p, b, noise)
			if err != nil {
				t.Fatal(err)
			}
			near := func(what string, a, g []float32) {
				scale := 0.0
				for _, v := range g {
					scale = max(scale, math.Abs(float64(v)))
				}
				for i := range g {
					if d := math.Abs(float64(a[i] - g[i])); d > 1e-5*scale+1e-4*math.Abs(float64(g[i])) {
						t.Errorf("%s[%d]: cpu %.8g, gomlx %.8g", what, i, a[i], g[i])
						return
					}
				}
			}
			near("loss", []float32{cr.Loss}, []float32{res.Loss})
			near("logits", cr.Logits, res.Logits)
			for i, name := range cfg.ParamNames() {
				near(name, cr.Grads[i], res.Grads[i])
			}
			cs, cl, err := ce.Forward(p, b)
			if err != nil {
				t.Fatal(err)
			}
			near("forward states", cs, gs)
			near("forward logits", cl, gl)
		})
	}
}

// TestEIConstraints checks Dale's law on the effective weights of a fresh
// and of a perturbed E-I network: rows of excitatory units >= 0, of
// inhibitory units <= 0, a zero diagonal.
func TestEIConstraints(t *testing.T) {
	cfg := Config{Cell: CellEI, NumInput: 3, NumHidden: 50, NumOutput: 3, Dt: 20, Tau: 100}
	if e := cfg.NumExcitatory(); e != 40 {
		t.Fatalf("50 units at e_frac 0.8: %d excitatory, want 40", e)
	}
	for _, p := range []*Params{testParams(t, cfg, 1), perturbed(t, cfg, 2)} {
		w := p.EffectiveRecurrent()
		H, E := cfg.NumHidden, cfg.NumExcitatory()
		for i := range H {
			for j := range H {
				v := w[i*H+j]
				switch {
				case i == j && v != 0:
					t.Fatalf("diagonal %d is %v", i, v)
				case i < E && v < 0, i >= E && v > 0:
					t.Fatalf("unit %d (E: %v) sends %v to %d", i, i < E, v, j)
				}
			}
		}
	}
	if len(testParams(t, cfg, 1).Get("w_ro")) != 40*3 {
		t.Errorf("the read-out should see the 40 excitatory units only")
	}
}

// TestConfigErrors checks that bad options are one-line errors naming the field.
func TestConfigErrors(t *testing.T) {
	ok := DefaultConfig()
	for _, tc := range []struct {
		f    func(*Config)
		want string
	}{
		{func(c *Config) { c.Cell = "rnn" }, `unknown cell "rnn"`},
		{func(c *Config) { c.Activation = "gelu" }, `unknown activation "gelu"`},
		{func(c *Config) { c.Loss = "l1" }, `unknown loss "l1"`},
		{func(c *Config) { c.Cell = CellGRU; c.Activation = ActTanh }, "activation is an option of the ctrnn, ei and leaky cells"},
		{func(c *Config) { c.Cell = CellEI; c.NumHidden = 2; c.EFrac = 0.4 }, "needs at least one of each kind"},
		{func(c *Config) { c.SigmaRec = -1 }, "sigma_rec must be"},
		{func(c *Config) { c.Sigmoid = true }, "sigmoid outputs go with the mse loss"},
		{func(c *Config) { c.EFrac = 0.5 }, "e_frac is an option of the ei cell"},
	} {
		c := ok
		tc.f(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want it to mention %q", c, err, tc.want)
		}
	}
	if _, err := NewCPUEngine(Config{Cell: "nope", NumInput: 1, NumHidden: 1, NumOutput: 1, Dt: 1, Tau: 1}); err == nil {
		t.Error("NewCPUEngine accepted an unknown cell")
	}
}

// TestMaskOnOneEngine runs one GoMLX engine and one CPU engine on the same
// network without, with, then without a connectivity mask: each call must
// give what a fresh engine gives, so the masked and unmasked graphs do not
// mix; the mask of all ones changes nothing.
func TestMaskOnOneEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles GoMLX graphs")
	}
	cfg := Config{NumInput: 3, NumHidden: 10, NumOutput: 4, Dt: 20, Tau: 100}
	p := perturbed(t, cfg, 1)
	masked := p.Clone()
	masked.Mask = randomMask(10, 2)
	ones := p.Clone()
	ones.Mask = make([]float32, 100)
	for i := range ones.Mask {
		ones.Mask[i] = 1
	}
	b, _ := cellBatch(cfg, 6, 2, 3)
	for _, name := range []string{EngineGoMLX, EngineCPU} {
		e, err := NewEngine(name, cfg)
		if err != nil {
			t.Fatal(err)
		}
		loss := func(e Engine, q *Params) float32 {
			r, err := e.LossAndGrad(q, b, nil)
			if err != nil {
				t.Fatal(err)
			}
			return r.Loss
		}
		fresh := func(q *Params) float32 {
			f, err := NewEngine(name, cfg)
			if err != nil {
				t.Fatal(err)
			}
			return loss(f, q)
		}
		l0, l1, l2, l3 := loss(e, p), loss(e, masked), loss(e, p), loss(e, ones)
		if l0 != fresh(p) || l1 != fresh(masked) || l2 != l0 {
			t.Errorf("%s: losses %v, %v, %v; fresh engines %v, %v", name, l0, l1, l2, fresh(p), fresh(masked))
		}
		if l1 == l0 {
			t.Errorf("%s: the mask changes nothing (loss %v)", name, l0)
		}
		if !closeTo(float64(l3), float64(l0), 1e-6) {
			t.Errorf("%s: a mask of ones gives loss %v, none %v", name, l3, l0)
		}
	}
}
