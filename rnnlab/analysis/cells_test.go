package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// cellConfigs are small networks of every registered cell (and non-relu
// CTRNNs).
func cellConfigs() map[string]models.Config {
	base := models.Config{NumInput: 3, NumHidden: 6, NumOutput: 3, Dt: 20, Tau: 100}
	out := map[string]models.Config{}
	for _, c := range []struct {
		name string
		edit func(*models.Config)
	}{
		{"ctrnn-relu", func(c *models.Config) {}},
		{"ctrnn-tanh", func(c *models.Config) { c.Activation = models.ActTanh }},
		{"ctrnn-softplus", func(c *models.Config) { c.Activation = models.ActSoftplus; c.SigmaRec = 0.1 }},
		{"ei", func(c *models.Config) { c.Cell = models.CellEI; c.NumHidden = 10 }},
		{"leaky-softplus", func(c *models.Config) {
			c.Cell = models.CellLeaky
			c.Activation = models.ActSoftplus
			c.SigmaRec = 0.05
		}},
	} {
		cfg := base
		c.edit(&cfg)
		out[c.name] = cfg
	}
	// Every other registered cell with its defaults.
	for _, name := range models.Cells {
		if _, ok := out[name]; !ok && name != models.CellCTRNN {
			cfg := base
			cfg.Cell = name
			out[name] = cfg
		}
	}
	return out
}

// randomState is a state of p's cell: uniform in [0, 1) for the
// non-negative relu and softplus rates, in [-1, 1) otherwise.
func randomState(rng *rand.Rand, p *models.Params) []float32 {
	s := make([]float32, p.StateSize())
	for k := range s {
		v := rng.Float64()
		if p.CellName() != models.CellCTRNN || p.ActivationName() == models.ActTanh {
			v = 2*v - 1
		}
		s[k] = float32(v)
	}
	return s
}

// TestEvaluatorForEveryCell checks that the evaluator of every cell is the
// map Params.Step in the state space StateSize: its residuals are
// s − Step(u, s), and its recurrent and input Jacobians match central
// differences of Params.Step (float32, step 1e-2: the tolerance covers the
// truncation and rounding of the differences).
func TestEvaluatorForEveryCell(t *testing.T) {
	for name, cfg := range cellConfigs() {
		t.Run(name, func(t *testing.T) {
			p, err := models.NewParams(cfg, 11)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := EvaluatorFor(p, models.EngineAuto)
			if err != nil {
				t.Fatal(err)
			}
			// The cell's own CPU evaluator on the CPU, else GoMLX's.
			cpu, _ := models.UseCPU(models.EngineAuto)
			want := "*fixedpoints.GraphEvaluator"
			kind, err := cfg.CellKind()
			if err != nil {
				t.Fatal(err)
			}
			if own, err := kind.NewCPUEvaluator(p); err != nil {
				t.Fatal(err)
			} else if cpu && own != nil {
				want = fmt.Sprintf("%T", own)
			}
			if got := fmt.Sprintf("%T", ev); got != want {
				t.Fatalf("evaluator %s for %s, want %s", got, cfg.Describe(), want)
			}
			S, I := p.StateSize(), p.NumInput
			if ev.StateDim() != S || ev.InputDim() != I || ev.Kind() != fixedpoints.Discrete {
				t.Fatalf("evaluator D=%d I=%d %v, want D=%d I=%d discrete", ev.StateDim(), ev.InputDim(), ev.Kind(), S, I)
			}
			rng := rand.New(rand.NewPCG(5, 5))
			const n = 4
			var x, u []float32
			for range n {
				x = append(x, randomState(rng, p)...)
				for range I {
					u = append(u, float32(rng.Float64()))
				}
			}
			r := make([]float32, n*S)
			if err := ev.Residuals(x, u, r); err != nil {
				t.Fatal(err)
			}
			f := stepper{p}
			for i := range n {
				want := f.Step(u[i*I:(i+1)*I], x[i*S:(i+1)*S])
				for a := range S {
					if d := x[i*S+a] - want[a] - r[i*S+a]; math.Abs(float64(d)) > 1e-5 {
						t.Fatalf("point %d: residual[%d] = %v, s - Step = %v", i, a, r[i*S+a], x[i*S+a]-want[a])
					}
				}
			}
			jac := make([]float32, n*S*S)
			if err := ev.Jacobians(x, u, jac); err != nil {
				t.Fatal(err)
			}
			ijac := make([]float32, n*S*I)
			if err := ev.InputJacobians(x, u, ijac); err != nil {
				t.Fatal(err)
			}
			const h = 1e-2
			relu := p.CellName() == models.CellCTRNN && p.ActivationName() == models.ActReLU
			diff := func(ui, xi []float32, vary []float32, k int) []float32 {
				old := vary[k]
				vary[k] = old + h
				fp := f.Step(ui, xi)
				vary[k] = old - h
				fm := f.Step(ui, xi)
				vary[k] = old
				out := make([]float32, S)
				for a := range out {
					out[a] = (fp[a] - fm[a]) / (2 * h)
					if (fp[a] == 0) != (fm[a] == 0) && relu {
						out[a] = float32(math.NaN()) // across the kink: no derivative to compare
					}
				}
				return out
			}
			for i := range n {
				xi := append([]float32(nil), x[i*S:(i+1)*S]...)
				ui := append([]float32(nil), u[i*I:(i+1)*I]...)
				for b := range S {
					fd := diff(ui, xi, xi, b)
					for a := range S {
						if got := jac[i*S*S+a*S+b]; math.Abs(float64(got-fd[a])) > 2e-3 { // false for NaN
							t.Fatalf("point %d: dF_%d/ds_%d = %v, finite difference %v", i, a, b, got, fd[a])
						}
					}
				}
				for k := range I {
					fd := diff(ui, xi, ui, k)
					for a := range S {
						if got := ijac[i*S*I+a*I+k]; math.Abs(float64(got-fd[a])) > 2e-3 {
							t.Fatalf("point %d: dF_%d/du_%d = %v, finite difference %v", i, a, k, got, fd[a])
						}
					}
				}
			}
		})
	}
}

// stepper runs Params.Step on one state, returning the next.
type stepper struct{ p *models.Params }

func (s stepper) Step(u, x []float32) []float32 {
	out := make([]float32, s.p.StateSize())
	s.p.Step(u, x, out)
	return out
}

// TestCTRNNInputJacobiansAgree checks the CPU kernel's analytic input
// Jacobians α·diag(relu'(z))·W_irᵀ against the GoMLX autodiff ones, for
// shared and per-point inputs, on states where about half the units are
// active.
func TestCTRNNInputJacobiansAgree(t *testing.T) {
	cfg := models.DefaultConfig()
	cfg.Tau = 200 // α = 0.5: the leak is in the mask
	p, err := models.NewParams(cfg, 4)
	if err != nil {
		t.Fatal(err)
	}
	cpu, err := EvaluatorFor(p, models.EngineCPU)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cpu.(*models.CTRNNEvaluator); !ok {
		t.Fatalf("cpu evaluator is %T", cpu)
	}
	gx, err := EvaluatorFor(p, models.EngineGoMLX)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	const n = 9
	D, I := p.NumHidden, p.NumInput
	x := make([]float32, n*D)
	for k := range x {
		x[k] = float32(rng.Float64())
	}
	per := make([]float32, n*I)
	for k := range per {
		per[k] = float32(rng.Float64())
	}
	for _, u := range [][]float32{TutorialInput, per} {
		a, b := make([]float32, n*D*I), make([]float32, n*D*I)
		if err := cpu.InputJacobians(x, u, a); err != nil {
			t.Fatal(err)
		}
		if err := gx.InputJacobians(x, u, b); err != nil {
			t.Fatal(err)
		}
		active := 0
		for k := range a {
			if math.Abs(float64(a[k]-b[k])) > 1e-6 {
				t.Fatalf("%d inputs: entry %d: cpu %v, gomlx %v", len(u), k, a[k], b[k])
			}
			if a[k] != 0 {
				active++
			}
		}
		if active == 0 || active == len(a) {
			t.Fatalf("%d of %d entries non-zero: the mask is not exercised", active, len(a))
		}
	}
	if err := cpu.InputJacobians(x, TutorialInput, make([]float32, 3)); err == nil {
		t.Error("want an error for a short buffer")
	}
	if _, err := EvaluatorFor(&models.Params{Config: cellConfigs()["ei"]}, models.EngineCPU); err == nil {
		t.Error("want an error: no cpu kernel for the ei cell")
	}
}

// TestCollectActivityLSTM checks that the activity of an LSTM holds its
// whole state, h then c (2H values per step), as Params.Forward returns it,
// and that PCA and condition averages work in that space.
func TestCollectActivityLSTM(t *testing.T) {
	cfg := cellConfigs()["lstm"]
	p, err := models.NewParams(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	task, err := tasks.New(tasks.PerceptualDecisionMakingName, tasks.WithDt(100), tasks.WithSeed(4))
	if err != nil {
		t.Fatal(err)
	}
	act, err := CollectActivity(p, task, 5)
	if err != nil {
		t.Fatal(err)
	}
	if act.S != 2*cfg.NumHidden || act.H != cfg.NumHidden {
		t.Fatalf("S=%d H=%d, want %d and %d", act.S, act.H, 2*cfg.NumHidden, cfg.NumHidden)
	}
	n := 0
	for i, tr := range act.Trials {
		n += tr.N
		s, _ := p.Forward(act.Inputs[i])
		if len(act.States[i]) != tr.N*act.S || len(s) != len(act.States[i]) {
			t.Fatalf("trial %d: %d state values for %d steps", i, len(act.States[i]), tr.N)
		}
	}
	if act.NumStates() != n || len(act.Stack()) != n*act.S {
		t.Fatalf("%d states (%d values), want %d×%d", act.NumStates(), len(act.Stack()), n, act.S)
	}
	pca, err := FitPCA(act.StackDense(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(pca.Mean) != act.S {
		t.Errorf("PCA of %d features", len(pca.Mean))
	}
	for _, c := range ConditionAverages(act) {
		if len(c.Mean) != c.Steps()*act.S {
			t.Errorf("condition %v: %d values for %d steps", c.SignedCoh, len(c.Mean), c.Steps())
		}
	}
}
