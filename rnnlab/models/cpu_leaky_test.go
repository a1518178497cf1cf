package models

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// leakyClose reports whether the float32 slices a and g agree to float32
// rounding of sums: |a - g| ≤ 1e-5·max|g| + 1e-4·|g| elementwise (as
// TestCellsAgree), naming the first difference.
func leakyClose(what string, a, g []float32) error {
	if len(a) != len(g) {
		return fmt.Errorf("%s: %d values, want %d", what, len(a), len(g))
	}
	scale := 0.0
	for _, v := range g {
		scale = max(scale, math.Abs(float64(v)))
	}
	for i := range g {
		if d := math.Abs(float64(a[i] - g[i])); d > 1e-5*scale+1e-4*math.Abs(float64(g[i])) {
			return fmt.Errorf("%s[%d]: %.8g, want %.8g", what, i, a[i], g[i])
		}
	}
	return nil
}

// TestLeakyCPUEngineLongBatch checks the leaky CPU engine against the
// GoMLX engine on batches long enough that the weight-gradient products
// run over several chunks (leakyChunk) and the shards have unequal sizes,
// for softplus with noise and the masked MSE on sigmoid outputs (the
// paper's setup), relu with cross-entropy, and tanh with rate penalties:
// loss, logits, every gradient, and Forward's states and logits.
func TestLeakyCPUEngineLongBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles GoMLX graphs")
	}
	base := Config{Cell: CellLeaky, NumInput: 7, NumHidden: 40, NumOutput: 9, Dt: 20, Tau: 100}
	with := func(f func(*Config)) Config { c := base; f(&c); return c }
	for k, cfg := range []Config{
		with(func(c *Config) { c.Activation, c.SigmaRec, c.Loss, c.Sigmoid = ActSoftplus, 0.05, LossMSE, true }),
		with(func(c *Config) { c.SigmaRec = 0.1 }),
		with(func(c *Config) {
			c.Activation, c.Loss, c.RateL1, c.RateL2, c.NumHidden = ActTanh, LossMSE, 0.01, 0.02, 37
		}),
	} {
		t.Run(cfg.Describe(), func(t *testing.T) {
			const T, B = 45, 13
			p := perturbed(t, cfg, uint64(k))
			b, noise := cellBatch(cfg, T, B, uint64(k+10))
			ge, err := NewGoMLXEngine(nil, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer ge.Finalize()
			want, err := ge.LossAndGrad(p, b, noise)
			if err != nil {
				t.Fatal(err)
			}
			ws, wl, err := ge.Forward(p, b)
			if err != nil {
				t.Fatal(err)
			}
			for _, workers := range []int{1, 2, 3} {
				e, err := NewLeakyCPUEngine(cfg)
				if err != nil {
					t.Fatal(err)
				}
				e.SetWorkers(workers)
				got, err := e.LossAndGrad(p, b, noise)
				if err != nil {
					t.Fatal(err)
				}
				gs, gl, err := e.Forward(p, b)
				if err != nil {
					t.Fatal(err)
				}
				checks := []error{
					leakyClose("loss", []float32{got.Loss}, []float32{want.Loss}),
					leakyClose("logits", got.Logits, want.Logits),
					leakyClose("forward states", gs, ws),
					leakyClose("forward logits", gl, wl),
				}
				for i, name := range cfg.ParamNames() {
					checks = append(checks, leakyClose(name, got.Grads[i], want.Grads[i]))
				}
				for _, err := range checks {
					if err != nil {
						t.Errorf("workers %d: %v", workers, err)
					}
				}
			}
		})
	}
}

// TestLeakyCPUEngineReuse checks that LossAndGradInto gives the same result
// on a reused Result and engine (workspaces are cleared between calls, also
// when the batch shape changes) and reuses its workspaces (a call allocates
// at most a few small objects).
func TestLeakyCPUEngineReuse(t *testing.T) {
	cfg := Config{Cell: CellLeaky, NumInput: 5, NumHidden: 24, NumOutput: 6, Dt: 20, Tau: 100,
		Activation: ActSoftplus, SigmaRec: 0.05, Loss: LossMSE, Sigmoid: true}
	p := perturbed(t, cfg, 1)
	big, nbig := cellBatch(cfg, 20, 6, 2)
	small, nsmall := cellBatch(cfg, 9, 3, 3)
	e, err := NewLeakyCPUEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.SetWorkers(2)
	first, err := e.LossAndGrad(p, big, nbig)
	if err != nil {
		t.Fatal(err)
	}
	var res Result
	for range 2 {
		for _, c := range []struct {
			b     *tasks.Batch
			noise []float32
		}{{small, nsmall}, {big, nbig}} {
			if err := e.LossAndGradInto(p, c.b, c.noise, &res); err != nil {
				t.Fatal(err)
			}
		}
	}
	if res.Loss != first.Loss {
		t.Errorf("loss %v after other batches, %v first", res.Loss, first.Loss)
	}
	for i := range res.Grads {
		if err := leakyClose(cfg.ParamNames()[i], res.Grads[i], first.Grads[i]); err != nil {
			t.Error(err)
		}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const calls = 10
	for range calls {
		if err := e.LossAndGradInto(p, big, nbig, &res); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	// The workspaces are tens of KiB; what remains is the parameter check's
	// shape lists and the worker goroutine.
	if n := (after.TotalAlloc - before.TotalAlloc) / calls; n > 2048 {
		t.Errorf("LossAndGradInto allocates %d bytes per call", n)
	}
	if _, err := NewLeakyCPUEngine(DefaultConfig()); err == nil {
		t.Error("NewLeakyCPUEngine accepted a ctrnn")
	}
	if e, err := NewEngine(EngineCPU, cfg); err != nil {
		t.Error(err)
	} else if _, ok := e.(*LeakyCPUEngine); !ok {
		t.Errorf("NewEngine(cpu) for a leaky network is a %T", e)
	}
}

// TestActivateDeriv checks the vectorised activations of the leaky engine
// against actDeriv (float64 inside) over [-40, 40], at 0 and at tiny
// values: f to 5e-7 relative (a few float32 ulps; plus 1e-30), f' to
// 3e-7 absolute.
func TestActivateDeriv(t *testing.T) {
	var zs []float32
	for v := -40.0; v <= 40; v += 0.013 {
		zs = append(zs, float32(v))
	}
	zs = append(zs, 0, 1e-30, -1e-30, 1e-7, -1e-7, 88, -88, 100, -100)
	for _, act := range []string{ActSoftplus, ActTanh, ActReLU, ActIdentity} {
		kind := actKind(act)
		z := append([]float32(nil), zs...)
		f := make([]float32, len(z))
		activateDeriv(kind, z, f)
		for j, v := range zs {
			wf, wd := actDeriv(kind, v)
			if math.Abs(float64(f[j]-wf)) > 5e-7*math.Abs(float64(wf))+1e-30 {
				t.Errorf("%s(%g) = %.9g, want %.9g", act, v, f[j], wf)
			}
			if math.Abs(float64(z[j]-wd)) > 3e-7 {
				t.Errorf("%s'(%g) = %.9g, want %.9g", act, v, z[j], wd)
			}
		}
	}
}
