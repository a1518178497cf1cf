package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// randomBatch makes a batch with inputs uniform in [0, 1) and labels drawn
// uniformly from {0, ..., numOut-1}.
func randomBatch(seed uint64, T, B, I, numOut int) *tasks.Batch {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := &tasks.Batch{T: T, B: B, ObsSize: I, Inputs: randSlice(rng, T*B*I, 0, 1), Labels: make([]int32, T*B)}
	for i := range b.Labels {
		b.Labels[i] = int32(rng.IntN(numOut))
	}
	return b
}

// trial extracts trial k's inputs [T][I] from a time-major batch.
func trial(b *tasks.Batch, k int) []float32 {
	xs := make([]float32, 0, b.T*b.ObsSize)
	for t := 0; t < b.T; t++ {
		off := (t*b.B + k) * b.ObsSize
		xs = append(xs, b.Inputs[off:off+b.ObsSize]...)
	}
	return xs
}

// loss64 is a float64 reference of the engine's loss: the same equations,
// written directly, with the parameters given as float64 slices.
func loss64(cfg Config, w [][]float64, b *tasks.Batch) float64 {
	I, H, O := cfg.NumInput, cfg.NumHidden, cfg.NumOutput
	a := cfg.Alpha()
	wir, wrr, brr, wro, bro := w[0], w[1], w[2], w[3], w[4]
	h := make([]float64, b.B*H)
	nh := make([]float64, b.B*H)
	total := 0.0
	for t := 0; t < b.T; t++ {
		for k := 0; k < b.B; k++ {
			x := b.Inputs[(t*b.B+k)*I : (t*b.B+k+1)*I]
			for j := 0; j < H; j++ {
				s := brr[j]
				for i := 0; i < I; i++ {
					s += float64(x[i]) * wir[i*H+j]
				}
				for i := 0; i < H; i++ {
					s += h[k*H+i] * wrr[i*H+j]
				}
				v := (1-a)*h[k*H+j] + a*s
				nh[k*H+j] = math.Max(v, 0)
			}
			o := make([]float64, O)
			mx := math.Inf(-1)
			for c := 0; c < O; c++ {
				o[c] = bro[c]
				for i := 0; i < H; i++ {
					o[c] += nh[k*H+i] * wro[i*O+c]
				}
				mx = math.Max(mx, o[c])
			}
			se := 0.0
			for c := 0; c < O; c++ {
				se += math.Exp(o[c] - mx)
			}
			total += mx + math.Log(se) - o[b.Labels[t*b.B+k]]
		}
		h, nh = nh, h
	}
	return total / float64(b.T*b.B)
}

func TestGoMLXGradientMatchesFiniteDifferences(t *testing.T) {
	for _, tau := range []float64{100, 400} {
		t.Run(fmt.Sprintf("tau=%v", tau), func(t *testing.T) {
			cfg := Config{NumInput: 3, NumHidden: 16, NumOutput: 3, Dt: 100, Tau: tau}
			p := testParams(t, cfg, 11)
			b := randomBatch(5, 12, 4, cfg.NumInput, cfg.NumOutput)
			e, err := NewGoMLXEngine(nil, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Finalize()
			res, err := e.LossAndGrad(p, b, nil)
			if err != nil {
				t.Fatal(err)
			}
			w := make([][]float64, 5)
			for i, ts := range p.Tensors() {
				w[i] = make([]float64, len(ts))
				for j, v := range ts {
					w[i][j] = float64(v)
				}
			}
			l0 := loss64(cfg, w, b)
			if !closeTo(float64(res.Loss), l0, 1e-5) {
				t.Errorf("loss %v, float64 reference %v", res.Loss, l0)
			}
			rng := rand.New(rand.NewPCG(9, 9))
			const eps = 1e-6
			for i, name := range DefaultConfig().ParamNames() {
				if len(res.Grads[i]) != len(w[i]) {
					t.Fatalf("%s: gradient has %d values, want %d", name, len(res.Grads[i]), len(w[i]))
				}
				idx := rng.Perm(len(w[i]))
				if len(idx) > 12 {
					idx = idx[:12]
				}
				for _, j := range idx {
					orig := w[i][j]
					w[i][j] = orig + eps
					lp := loss64(cfg, w, b)
					w[i][j] = orig - eps
					lm := loss64(cfg, w, b)
					w[i][j] = orig
					fd := (lp - lm) / (2 * eps)
					got := float64(res.Grads[i][j])
					if math.Abs(got-fd) > 2e-4*math.Abs(fd)+2e-6 {
						t.Errorf("%s[%d]: gradient %.7g, finite difference %.7g", name, j, got, fd)
					}
				}
			}
		})
	}
}

func TestGoMLXLossAndLogitsMatchRun(t *testing.T) {
	cfg := DefaultConfig()
	p := testParams(t, cfg, 2)
	b := randomBatch(3, 30, 5, cfg.NumInput, cfg.NumOutput)
	e, err := NewGoMLXEngine(nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Finalize()
	res, err := e.LossAndGrad(p, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	states, logits, err := e.Forward(p, b)
	if err != nil {
		t.Fatal(err)
	}
	H, O := cfg.NumHidden, cfg.NumOutput
	total := 0.0
	for k := 0; k < b.B; k++ {
		hs, os := p.Forward(trial(b, k))
		for tt := 0; tt < b.T; tt++ {
			o := os[tt*O : (tt+1)*O]
			for c := 0; c < O; c++ {
				got := res.Logits[(tt*b.B+k)*O+c]
				if !closeTo(float64(got), float64(o[c]), 1e-5) {
					t.Fatalf("logit t=%d b=%d c=%d: %v, Run gives %v", tt, k, c, got, o[c])
				}
				if logits[(tt*b.B+k)*O+c] != got {
					t.Fatalf("Forward and LossAndGrad logits differ at t=%d b=%d c=%d", tt, k, c)
				}
			}
			for j := 0; j < H; j++ {
				if got, want := states[(tt*b.B+k)*H+j], hs[tt*H+j]; !closeTo(float64(got), float64(want), 1e-5) {
					t.Fatalf("state t=%d b=%d j=%d: %v, Run gives %v", tt, k, j, got, want)
				}
			}
			mx := math.Inf(-1)
			for _, v := range o {
				mx = math.Max(mx, float64(v))
			}
			se := 0.0
			for _, v := range o {
				se += math.Exp(float64(v) - mx)
			}
			total += mx + math.Log(se) - float64(o[b.Labels[tt*b.B+k]])
		}
	}
	want := total / float64(b.T*b.B)
	if !closeTo(float64(res.Loss), want, 1e-5) {
		t.Errorf("loss %v, mean cross-entropy of Run's outputs %v", res.Loss, want)
	}
}

func TestGoMLXEngineErrors(t *testing.T) {
	cfg := DefaultConfig()
	e, err := NewGoMLXEngine(nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Finalize()
	p := testParams(t, cfg, 1)
	good := randomBatch(1, 4, 2, 3, 3)
	bad := *good
	bad.Labels = append([]int32(nil), good.Labels...)
	bad.Labels[3] = 3
	if _, err := e.LossAndGrad(p, &bad, nil); err == nil {
		t.Error("label 3 with 3 outputs: want an error")
	}
	short := *good
	short.Inputs = good.Inputs[:5]
	if _, err := e.LossAndGrad(p, &short, nil); err == nil {
		t.Error("short inputs: want an error")
	}
	other := cfg
	other.NumHidden = 8
	if _, err := e.LossAndGrad(testParams(t, other, 1), good, nil); err == nil {
		t.Error("params of another config: want an error")
	}
	if _, err := NewGoMLXEngine(nil, Config{}); err == nil {
		t.Error("invalid config: want an error")
	}
	if got := e.Name(); got != "gomlx:go" {
		t.Errorf("Name() = %q", got)
	}
}

func BenchmarkGoMLXLossAndGrad(b *testing.B) {
	cfg := DefaultConfig()
	p := testParams(b, cfg, 0)
	batch := randomBatch(0, 100, 16, cfg.NumInput, cfg.NumOutput)
	e, err := NewGoMLXEngine(nil, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer e.Finalize()
	if _, err := e.LossAndGrad(p, batch, nil); err != nil { // compile
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.LossAndGrad(p, batch, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}
