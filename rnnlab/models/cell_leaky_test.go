package models

import (
	"math"
	"slices"
	"testing"
)

// leakyReference runs a CellLeaky network over batch inputs xs [T][B][I]
// with standard-normal noise [T][B][H] (nil: none) straight from the
// equations of CellLeaky, in float64, and returns the logits [T][B][O].
func leakyReference(p *Params, xs []float32, T, B int, noise []float32) []float64 {
	I, H, O := p.NumInput, p.NumHidden, p.NumOutput
	a := p.Alpha()
	sn := math.Sqrt(2/a) * p.SigmaRec
	wir, wrr, brr, wro, bro := p.Values[0], p.Values[1], p.Values[2], p.Values[3], p.Values[4]
	f := func(z float64) float64 {
		switch p.ActivationName() {
		case ActSoftplus:
			return math.Log1p(math.Exp(z))
		case ActTanh:
			return math.Tanh(z)
		case ActIdentity:
			return z
		}
		return math.Max(z, 0)
	}
	logits := make([]float64, T*B*O)
	for b := range B {
		r := make([]float64, H)
		for t := range T {
			x := xs[(t*B+b)*I : (t*B+b+1)*I]
			next := make([]float64, H)
			for j := range H {
				z := float64(brr[j])
				for i, xi := range x {
					z += float64(xi) * float64(wir[i*H+j])
				}
				for i, ri := range r {
					z += ri * float64(wrr[i*H+j])
				}
				if noise != nil {
					z += sn * float64(noise[(t*B+b)*H+j])
				}
				next[j] = (1-a)*r[j] + a*f(z)
			}
			r = next
			for k := range O {
				o := float64(bro[k])
				for j, rj := range r {
					o += rj * float64(wro[j*O+k])
				}
				logits[(t*B+b)*O+k] = o
			}
		}
	}
	return logits
}

// TestLeakyGraphFollowsEquations checks the GoMLX engine's logits with
// recurrent noise against leakyReference: the noise enters inside f with
// standard deviation sqrt(2/α)·σ_rec, the leak acts on the rate.
func TestLeakyGraphFollowsEquations(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles GoMLX graphs")
	}
	for _, act := range []string{ActSoftplus, ActReLU, ActTanh} {
		cfg := Config{Cell: CellLeaky, NumInput: 4, NumHidden: 9, NumOutput: 3, Dt: 20, Tau: 100,
			Activation: act, SigmaRec: 0.4, Loss: LossMSE, Sigmoid: true}
		p := perturbed(t, cfg, 3)
		const T, B = 6, 2
		b, noise := cellBatch(cfg, T, B, 4)
		e, err := NewGoMLXEngine(nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.LossAndGrad(p, b, noise)
		e.Finalize()
		if err != nil {
			t.Fatal(err)
		}
		want := leakyReference(p, b.Inputs, T, B, noise)
		quiet := leakyReference(p, b.Inputs, T, B, nil)
		moved := 0.0
		for i, w := range want {
			if math.Abs(float64(res.Logits[i])-w) > 1e-5*(1+math.Abs(w)) {
				t.Fatalf("%s: logit %d: graph %.7g, equations %.7g", act, i, res.Logits[i], w)
			}
			moved = max(moved, math.Abs(w-quiet[i]))
		}
		if moved < 1e-2 {
			t.Errorf("%s: the noise moves the logits by %g only", act, moved)
		}
	}
}

// TestLeakyInit checks the paper's initialisation: W_ir with standard
// deviation 1/sqrt(I), W_rr = 0.5·I (1·I for tanh) or 0.5 times an
// orthogonal matrix, zero biases, a Glorot-uniform read-out; the same seed
// gives the same weights.
func TestLeakyInit(t *testing.T) {
	cfg := Config{Cell: CellLeaky, NumInput: 85, NumHidden: 256, NumOutput: 33, Dt: 20, Tau: 100, Activation: ActSoftplus}
	p, err := NewParams(cfg, 7)
	if err != nil {
		t.Fatal(err)
	}
	q, err := LeakyInit(cfg, 7, LeakyDiag)
	if err != nil {
		t.Fatal(err)
	}
	requireSameParams(t, q, p)
	H, I, O := cfg.NumHidden, cfg.NumInput, cfg.NumOutput
	var ss float64
	for _, v := range p.Get("w_ir") {
		ss += float64(v) * float64(v)
	}
	if sd := math.Sqrt(ss / float64(I*H)); math.Abs(sd*math.Sqrt(float64(I))-1) > 0.02 {
		t.Errorf("w_ir: standard deviation %g, want 1/sqrt(%d) = %g", sd, I, 1/math.Sqrt(float64(I)))
	}
	for i := range H {
		for j := range H {
			want := float32(0)
			if i == j {
				want = 0.5
			}
			if v := p.Get("w_rr")[i*H+j]; v != want {
				t.Fatalf("w_rr[%d][%d] = %g, want %g", i, j, v, want)
			}
		}
	}
	lim := math.Sqrt(6 / float64(H+O))
	var mx float64
	for _, v := range p.Get("w_ro") {
		mx = max(mx, math.Abs(float64(v)))
	}
	if mx > lim || mx < 0.95*lim {
		t.Errorf("w_ro: largest |w| %g, want just below the Glorot limit %g", mx, lim)
	}
	if slices.ContainsFunc(p.Get("b_rr"), func(v float32) bool { return v != 0 }) ||
		slices.ContainsFunc(p.Get("b_ro"), func(v float32) bool { return v != 0 }) {
		t.Error("the biases should start at 0")
	}

	tanh := cfg
	tanh.Activation = ActTanh
	if pt, _ := NewParams(tanh, 7); pt.Get("w_rr")[0] != 1 || pt.Get("w_rr")[1] != 0 {
		t.Errorf("tanh: w_rr starts %v, want the identity", pt.Get("w_rr")[:2])
	}

	o, err := LeakyInit(cfg, 7, LeakyRandOrtho)
	if err != nil {
		t.Fatal(err)
	}
	w := o.Get("w_rr")
	for i := range H {
		for k := range H {
			var d float64
			for j := range H {
				d += float64(w[i*H+j]) * float64(w[k*H+j])
			}
			want := 0.0
			if i == k {
				want = 0.25
			}
			if math.Abs(d-want) > 1e-5 {
				t.Fatalf("randortho: (W Wᵀ)[%d][%d] = %g, want %g", i, k, d, want)
			}
		}
	}
	o2, _ := LeakyInit(cfg, 7, LeakyRandOrtho)
	requireSameParams(t, o2, o)
	if o3, _ := LeakyInit(cfg, 8, LeakyRandOrtho); slices.Equal(o3.Get("w_rr"), w) {
		t.Error("randortho: another seed gives the same matrix")
	}
	if _, err := LeakyInit(cfg, 7, "randgauss"); err == nil {
		t.Error("LeakyInit accepted an unknown initialisation")
	}
	if _, err := LeakyInit(DefaultConfig(), 7, LeakyDiag); err == nil {
		t.Error("LeakyInit accepted a ctrnn")
	}
}
