package models

import (
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"
)

// gatedCase is one network and batch size of TestGatedCPUAgrees.
type gatedCase struct {
	name string
	cfg  Config
	B    int
}

// gatedCases is the table of TestGatedCPUAgrees: both gated cells, three
// objectives, two batch sizes and two hidden sizes.
func gatedCases() []gatedCase {
	var out []gatedCase
	for _, cell := range []string{CellGRU, CellLSTM} {
		for _, obj := range []string{"ce", "mse-sigmoid", "mse-rateL1L2"} {
			for _, B := range []int{1, 16} {
				for _, H := range []int{5, 64} {
					cfg := Config{Cell: cell, NumInput: 3, NumHidden: H, NumOutput: 4, Dt: 20, Tau: 100}
					switch obj {
					case "mse-sigmoid":
						cfg.Loss, cfg.Sigmoid = LossMSE, true
					case "mse-rateL1L2":
						cfg.Loss, cfg.RateL1, cfg.RateL2 = LossMSE, 0.01, 0.05
					}
					out = append(out, gatedCase{fmt.Sprintf("%s/%s/B%d/H%d", cell, obj, B, H), cfg, B})
				}
			}
		}
	}
	return out
}

// nearCheck returns the comparison of TestCellsAgree: a against the
// reference g, to 1e-5 of g's largest magnitude plus 1e-4 relative.
func nearCheck(t *testing.T, who string) func(what string, a, g []float32) {
	return func(what string, a, g []float32) {
		t.Helper()
		if len(a) != len(g) {
			t.Errorf("%s: %s has %d values, gomlx %d", what, who, len(a), len(g))
			return
		}
		scale := 0.0
		for _, v := range g {
			scale = max(scale, math.Abs(float64(v)))
		}
		for i := range g {
			if d := math.Abs(float64(a[i] - g[i])); !(d <= 1e-5*scale+1e-4*math.Abs(float64(g[i]))) {
				t.Errorf("%s[%d]: %s %.8g, gomlx %.8g", what, i, who, a[i], g[i])
				return
			}
		}
	}
}

// TestGatedCPUAgrees checks the gated CPU engine against the GoMLX engine
// (the reference graph, differentiated by GoMLX): loss, logits, every
// gradient, and Forward's states and logits, for GRU and LSTM networks
// with cross-entropy, sigmoid MSE and MSE with rate penalties, at batch
// sizes 1 and 16 and hidden sizes 5 and 64, from perturbed parameters.
func TestGatedCPUAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles GoMLX graphs")
	}
	const T = 9
	for k, cc := range gatedCases() {
		t.Run(cc.name, func(t *testing.T) {
			cfg := cc.cfg
			B := cc.B
			p := perturbed(t, cfg, uint64(200+k))
			b, _ := cellBatch(cfg, T, B, uint64(300+k))
			ge, err := NewGoMLXEngine(nil, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer ge.Finalize()
			want, err := ge.LossAndGrad(p, b, nil)
			if err != nil {
				t.Fatal(err)
			}
			e, err := NewGatedCPUEngine(cfg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.LossAndGrad(p, b, nil)
			if err != nil {
				t.Fatal(err)
			}
			near := nearCheck(t, "cpu")
			near("loss", []float32{got.Loss}, []float32{want.Loss})
			near("logits", got.Logits, want.Logits)
			for i, name := range cfg.ParamNames() {
				near(name, got.Grads[i], want.Grads[i])
			}

			// A second call into the same Result gives the same numbers.
			again := &Result{Grads: got.Grads, Logits: got.Logits}
			loss := got.Loss
			if err := e.LossAndGradInto(p, b, nil, again); err != nil {
				t.Fatal(err)
			}
			if again.Loss != loss {
				t.Errorf("second call: loss %v, first %v", again.Loss, loss)
			}
			near("second call logits", again.Logits, want.Logits)
			for i, name := range cfg.ParamNames() {
				near("second call "+name, again.Grads[i], want.Grads[i])
			}

			gs, gl, err := ge.Forward(p, b)
			if err != nil {
				t.Fatal(err)
			}
			cs, cl, err := e.Forward(p, b)
			if err != nil {
				t.Fatal(err)
			}
			near("forward states", cs, gs)
			near("forward logits", cl, gl)
		})
	}
}

// TestGatedCPUNoAllocs checks that a call after the first, with the same
// Result, allocates nothing, with one worker (B = 1) and with several.
func TestGatedCPUNoAllocs(t *testing.T) {
	for _, cell := range []string{CellGRU, CellLSTM} {
		for _, B := range []int{1, 16} {
			cfg := Config{Cell: cell, NumInput: 3, NumHidden: 16, NumOutput: 3, Dt: 20, Tau: 100, Loss: LossMSE, RateL2: 0.1}
			p := testParams(t, cfg, 1)
			b, _ := cellBatch(cfg, 20, B, 2)
			e, err := NewGatedCPUEngine(cfg)
			if err != nil {
				t.Fatal(err)
			}
			e.SetWorkers(2)
			var res Result
			if err := e.LossAndGradInto(p, b, nil, &res); err != nil {
				t.Fatal(err)
			}
			if a := testing.AllocsPerRun(20, func() {
				if err := e.LossAndGradInto(p, b, nil, &res); err != nil {
					t.Fatal(err)
				}
			}); a != 0 {
				t.Errorf("%s, B = %d: LossAndGradInto allocates %v times per call", cell, B, a)
			}
		}
	}
}

// TestGatedCPUWorkers checks that the split of the batch across workers
// does not change the result beyond float32 rounding of the sums.
func TestGatedCPUWorkers(t *testing.T) {
	cfg := Config{Cell: CellLSTM, NumInput: 3, NumHidden: 12, NumOutput: 3, Dt: 20, Tau: 100}
	p := perturbed(t, cfg, 3)
	b, _ := cellBatch(cfg, 15, 7, 4)
	e, err := NewGatedCPUEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.SetWorkers(1)
	one, err := e.LossAndGrad(p, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	near := nearCheck(t, "3 workers")
	e.SetWorkers(3)
	three, err := e.LossAndGrad(p, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	near("loss", []float32{three.Loss}, []float32{one.Loss})
	near("logits", three.Logits, one.Logits)
	for i, name := range cfg.ParamNames() {
		near(name, three.Grads[i], one.Grads[i])
	}
}

// TestGatedCPUErrors checks that other cells and bad batches are errors.
func TestGatedCPUErrors(t *testing.T) {
	for _, cfg := range []Config{DefaultConfig(), {Cell: CellEI, NumInput: 3, NumHidden: 10, NumOutput: 3, Dt: 20, Tau: 100}} {
		if _, err := NewGatedCPUEngine(cfg); err == nil {
			t.Errorf("NewGatedCPUEngine accepted a %s network", cfg.CellName())
		}
		if _, err := gatedSupports(cfg); err == nil {
			t.Errorf("gatedSupports accepted a %s network", cfg.CellName())
		}
	}
	cfg := Config{Cell: CellGRU, NumInput: 3, NumHidden: 8, NumOutput: 3, Dt: 20, Tau: 100, Loss: LossMSE}
	e, err := NewGatedCPUEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := testParams(t, cfg, 1)
	b, _ := cellBatch(cfg, 5, 2, 1)
	b.Mask = nil
	if _, err := e.LossAndGrad(p, b, nil); err == nil {
		t.Error("an mse batch without a mask was accepted")
	}
	if _, _, err := e.Forward(p, b); err != nil {
		t.Errorf("Forward needs no mask: %v", err)
	}
}

// TestExp32 checks the float32 exponential, sigmoid and tanh against
// math's over the range the gates see.
func TestExp32(t *testing.T) {
	for x := -30.0; x <= 30; x += 0.001 {
		f := float32(x)
		if got, want := float64(exp32(f)), math.Exp(float64(f)); math.Abs(got-want) > 4e-7*want {
			t.Fatalf("exp32(%v) = %v, want %v", f, got, want)
		}
		if got, want := float64(sigmoid32(f)), 1/(1+math.Exp(-float64(f))); math.Abs(got-want) > 2e-7 {
			t.Fatalf("sigmoid32(%v) = %v, want %v", f, got, want)
		}
		if got, want := float64(tanh32(f)), math.Tanh(float64(f)); math.Abs(got-want) > 3e-7 {
			t.Fatalf("tanh32(%v) = %v, want %v", f, got, want)
		}
	}
	if v := exp32(-200); v < 0 || v > 1e-37 {
		t.Errorf("exp32(-200) = %v", v)
	}
	if v := exp32(200); math.IsInf(float64(v), 0) || v < 1e38 {
		t.Errorf("exp32(200) = %v", v)
	}
}

// TestGatedCPUWorkersExit checks that the parked workers of an engine
// exit once the engine is garbage collected.
func TestGatedCPUWorkersExit(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		cfg := Config{Cell: CellGRU, NumInput: 3, NumHidden: 8, NumOutput: 3, Dt: 20, Tau: 100}
		e, err := NewGatedCPUEngine(cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.SetWorkers(3)
		b, _ := cellBatch(cfg, 4, 3, 1)
		if _, err := e.LossAndGrad(testParams(t, cfg, 1), b, nil); err != nil {
			t.Fatal(err)
		}
		if n := runtime.NumGoroutine(); n < before+2 {
			t.Fatalf("%d goroutines after a 3-worker call, %d before", n, before)
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines 5 s after the engine was dropped, %d before", runtime.NumGoroutine(), before)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}
