package models

// The leaky-rate cell of Yang et al. (2019): gyyang/multitask's
// network.LeakyRNNCell. Its maths, registration (leakyCell), GoMLX graph,
// plain-Go step and initialisation live here; its CPU training engine in
// cpu_leaky.go (LeakyCPUEngine), its CPU fixed-point evaluator in
// fp_leaky.go (LeakyEvaluator).

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/gomlx/gomlx/core/graph"
	"gonum.org/v1/gonum/mat"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
)

// CellLeaky is the leaky-rate network of Yang, Joglekar, Song, Newsome &
// Wang (2019) (gyyang/multitask's network.LeakyRNNCell). The state is the
// rate r, starting at 0; the noise enters inside the activation:
//
//	z_t = x_t W_ir + r_{t-1} W_rr + b_rr + sqrt(2/α) σ_rec ξ_t
//	r_t = (1-α) r_{t-1} + α f(z_t)
//	o_t = r_t W_ro + b_ro
//
// with α = dt/τ, f = Config.Activation, ξ_t ~ N(0, I) per unit and step
// (training only). The CTRNN (CellCTRNN) applies f after the leak instead,
// h_t = f((1-α) h_{t-1} + α z_t), with its noise on the state. The
// parameters are the CTRNN's (w_ir, w_rr, b_rr, w_ro, b_ro); NewParams
// initialises them as the paper's 'diag' networks (see LeakyInit).
const CellLeaky = "leaky"

// leakyCell is CellLeaky.
type leakyCell struct{}

func (leakyCell) Name() string { return CellLeaky }

func (leakyCell) Summary() string {
	return "leaky-rate network, r' = (1-α)r + α f(x W_ir + r W_rr + b_rr + sqrt(2/α)σ_rec ξ) (Yang et al. 2019's LeakyRNNCell)"
}

// Options: the leak α = Dt/Tau, the activation f and the recurrent noise
// σ_rec (inside f); no E-I split, no connectivity mask.
func (leakyCell) Options() CellOptions {
	return CellOptions{Leak: true, Activation: true, SigmaRec: true}
}

func (leakyCell) StateSize(c Config) int { return c.NumHidden }
func (leakyCell) ReadSize(c Config) int  { return c.NumHidden }

// Params are the CTRNN's tensors. LeakyRNNCell keeps the input and
// recurrent weights in one kernel of shape (I+H, H) applied to [x, r]:
// np.concatenate([w_ir, w_rr]) is that kernel, b_rr its bias, and w_ro,
// b_ro the paper's output layer.
func (leakyCell) Params(c Config) []ParamSpec {
	I, H, O := c.NumInput, c.NumHidden, c.NumOutput
	return []ParamSpec{
		{"w_ir", []int{I, H}, "input weights W_ir, x @ W_ir: the first I rows of LeakyRNNCell's kernel"},
		{"w_rr", []int{H, H}, "recurrent weights W_rr, presynaptic rows: r @ W_rr, the last H rows of LeakyRNNCell's kernel"},
		{"b_rr", []int{H}, "recurrent bias b_rr, LeakyRNNCell's bias, inside f"},
		{"w_ro", []int{H, O}, "read-out weights W_ro, r @ W_ro (the paper's output layer; a sigmoid follows when Config.Sigmoid is set)"},
		{"b_ro", []int{O}, "read-out bias b_ro"},
	}
}

// Init is the paper's 'diag' network (LeakyInit with LeakyDiag).
func (leakyCell) Init(c Config, rng *rand.Rand) [][]float32 { return leakyValues(c, rng, LeakyDiag) }

func (leakyCell) Graph(c Config, pn []*graph.Node, _ *graph.Node) CellGraph {
	return &leakyGraph{cfg: c, pn: pn}
}

// Step is out = (1-α) s + α f(b_rr + x W_ir + s W_rr), without noise.
func (leakyCell) Step(p *Params, x, s, out []float32) {
	H := p.NumHidden
	a := float32(p.Alpha())
	z := out[:H]
	copy(z, p.Values[2])
	matVecAdd(z, x, p.Values[0])
	matVecAdd(z, s[:H], p.Values[1])
	activate(p.ActivationName(), z)
	for j := range z {
		z[j] = (1-a)*s[j] + a*z[j]
	}
}

// Rates: the state is the rate.
func (leakyCell) Rates(p *Params, s, out []float32) { copy(out, s[:p.NumHidden]) }

// EffectiveRecurrent is W_rr itself.
func (leakyCell) EffectiveRecurrent(p *Params) []float32 { return slices.Clone(p.Values[1]) }

// NewCPUEngine is LeakyCPUEngine (cpu_leaky.go), for every activation and
// loss.
func (leakyCell) NewCPUEngine(c Config) (Engine, error) { return asEngine(NewLeakyCPUEngine(c)) }

// NewCPUEvaluator is LeakyEvaluator (fp_leaky.go), for every activation.
func (leakyCell) NewCPUEvaluator(p *Params) (fixedpoints.InputJacobianEvaluator, error) {
	return asEvaluator(NewLeakyEvaluator(p))
}

// isLeaky reports whether c is a CellLeaky network, for the constructors of
// its kernels.
func isLeaky(c Config) bool {
	_, ok := c.cell().(leakyCell)
	return ok
}

// Recurrent initialisations of CellLeaky (LeakyRNNCell's w_rec_init).
const (
	// LeakyDiag is W_rr = g·I, the paper's main networks'.
	LeakyDiag = "diag"
	// LeakyRandOrtho is W_rr = g·Q, Q a random orthogonal matrix.
	LeakyRandOrtho = "randortho"
)

// LeakyInit draws initial weights of a CellLeaky network as
// LeakyRNNCell does for w_rec_init = init (LeakyDiag or LeakyRandOrtho):
//
//	W_ir ~ N(0, 1/I)   (I = NumInput)
//	W_rr = g·I_H (LeakyDiag) or g·Q (LeakyRandOrtho)
//	b_rr = 0
//
// with g = 1 for tanh and 0.5 otherwise (the cell's w_rec_start for
// softplus and relu; identity is not a paper option and takes 0.5). The
// read-out is the paper's output layer, TensorFlow's default
// glorot_uniform for the weights and a zero bias:
//
//	W_ro ~ U(-sqrt(6/(H+O)), sqrt(6/(H+O))),   b_ro = 0
//
// Q is the orthogonal factor of the QR decomposition of an H×H standard
// normal matrix, its columns' signs fixed by R's diagonal (a draw from the
// Haar measure, as the paper's tools.gen_ortho_matrix). The same seed
// gives the same weights; NewParams is LeakyInit(cfg, seed, LeakyDiag).
func LeakyInit(cfg Config, seed uint64, init string) (*Params, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if !isLeaky(cfg) {
		return nil, fmt.Errorf("models: LeakyInit needs cell %s, not %s", CellLeaky, cfg.CellName())
	}
	if init != LeakyDiag && init != LeakyRandOrtho {
		return nil, fmt.Errorf("models: unknown leaky initialisation %q (want %s or %s)", init, LeakyDiag, LeakyRandOrtho)
	}
	rng := rand.New(rand.NewPCG(seed, 0x726e6e6c6162)) // "rnnlab", as NewParams
	return &Params{Config: cfg, Values: leakyValues(cfg, rng, init)}, nil
}

// leakyValues draws the tensors of LeakyInit from rng.
func leakyValues(cfg Config, rng *rand.Rand, init string) [][]float32 {
	I, H, O := cfg.NumInput, cfg.NumHidden, cfg.NumOutput
	wir := make([]float32, I*H)
	sd := 1 / math.Sqrt(float64(I))
	for i := range wir {
		wir[i] = float32(sd * rng.NormFloat64())
	}
	g := 0.5
	if cfg.ActivationName() == ActTanh {
		g = 1
	}
	wrr := make([]float32, H*H)
	if init == LeakyRandOrtho {
		for i, v := range randomOrthogonal(rng, H) {
			wrr[i] = float32(g * v)
		}
	} else {
		for i := range H {
			wrr[i*H+i] = float32(g)
		}
	}
	wro := uniform(rng, H*O, math.Sqrt(6/float64(H+O)))
	return [][]float32{wir, wrr, make([]float32, H), wro, make([]float32, O)}
}

// randomOrthogonal returns a Haar-distributed random orthogonal n×n matrix,
// row-major: Q of the QR decomposition of a standard normal matrix, each
// column multiplied by the sign of R's diagonal entry.
func randomOrthogonal(rng *rand.Rand, n int) []float64 {
	a := mat.NewDense(n, n, nil)
	for i := range n {
		for j := range n {
			a.Set(i, j, rng.NormFloat64())
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q, r mat.Dense
	qr.QTo(&q)
	qr.RTo(&r)
	out := make([]float64, n*n)
	for j := range n {
		s := 1.0
		if r.At(j, j) < 0 {
			s = -1
		}
		for i := range n {
			out[i*n+j] = s * q.At(i, j)
		}
	}
	return out
}

// leakyNoiseScale is the standard deviation of the noise added to the
// pre-activation z of a CellLeaky network: sqrt(2/α)·σ_rec.
func leakyNoiseScale(cfg Config) float64 { return math.Sqrt(2/cfg.Alpha()) * cfg.SigmaRec }

// leakyGraph is CellLeaky's step as a GoMLX graph (Cell.Graph).
type leakyGraph struct {
	cfg Config
	pn  []*graph.Node
}

func (c *leakyGraph) InputProj(x *graph.Node) *graph.Node { return graph.Dot(x, c.pn[0]).Product() }
func (c *leakyGraph) Rates(s *graph.Node) *graph.Node     { return s }

// Step is one step of CellLeaky on the graph: rates s [N,H] (nil: the zero
// state), the input projection xw = x W_ir [N,H] and standard-normal noise
// [N,H] (nil: none).
func (c *leakyGraph) Step(xw, s, noise *graph.Node) *graph.Node {
	cfg := c.cfg
	a := cfg.Alpha()
	H := cfg.NumHidden
	z := graph.Add(xw, graph.Reshape(c.pn[2], 1, H))
	if s != nil {
		z = graph.Add(z, graph.Dot(s, c.pn[1]).Product())
	}
	if noise != nil && cfg.SigmaRec > 0 {
		z = graph.Add(z, graph.MulScalar(noise, leakyNoiseScale(cfg)))
	}
	r := activationGraph(cfg.ActivationName(), z)
	if a == 1 {
		return r
	}
	r = graph.MulScalar(r, a)
	if s != nil {
		r = graph.Add(r, graph.MulScalar(s, 1-a))
	}
	return r
}
