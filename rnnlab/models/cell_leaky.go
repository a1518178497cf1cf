package models

// The leaky-rate cell of Yang et al. (2019): gyyang/multitask's
// network.LeakyRNNCell. Its maths, GoMLX graph, plain-Go step and
// initialisation live here; its CPU training engine in cpu_leaky.go.

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/graph"
	"gonum.org/v1/gonum/mat"
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
	if cfg.CellName() != CellLeaky {
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

// leakyStepGraph is one step of CellLeaky on the graph: rates s [N,H] (nil:
// the zero state), the input projection xw = x W_ir [N,H] and
// standard-normal noise [N,H] (nil: none).
func (c *cellGraph) leakyStepGraph(xw, s, noise *graph.Node) *graph.Node {
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

// leakyStep is Params.Step for CellLeaky: out = (1-α) s + α f(b_rr + x W_ir
// + s W_rr), without noise.
func (p *Params) leakyStep(x, s, out []float32) {
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
