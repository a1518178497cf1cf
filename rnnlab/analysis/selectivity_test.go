package analysis

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// Hand-made rates, H = 2, window [1, 3) of each 4-step trial (steps 0 and 3
// hold 100s that must not count). Unit 0: ground truth 0 samples 1, 3, 1,
// 3 (mean 2, sd 1), ground truth 1 samples 0, 0 (mean 0, sd 0), so
// d' = 2/sqrt((1 + 0 + 1e-7)/2). Unit 1 is 5 everywhere in the window: d' 0.
func TestDPrimeByHand(t *testing.T) {
	tr := func(u0 [2]float32) []float32 {
		return []float32{100, 100, u0[0], 5, u0[1], 5, 100, 100}
	}
	rates := [][]float32{tr([2]float32{1, 3}), tr([2]float32{0, 0}), tr([2]float32{3, 1})}
	s, err := DPrime(rates, 2, SameWindow(3, 1, 3), []int{0, 1, 0})
	if err != nil {
		t.Fatal(err)
	}
	want := 2 / math.Sqrt((1+1e-7)/2)
	if s.N0 != 4 || s.N1 != 2 || !near(s.DPrime[0], want, 1e-12) || s.DPrime[1] != 0 {
		t.Fatalf("N0 %d, N1 %d, d' %v; want 4, 2, [%v 0]", s.N0, s.N1, s.DPrime, want)
	}
	if !near(s.Mean0[0], 2, 1e-12) || !near(s.SD0[0], 1, 1e-12) || s.Mean1[0] != 0 || s.SD1[0] != 0 {
		t.Errorf("unit 0: mean0 %v sd0 %v mean1 %v sd1 %v", s.Mean0[0], s.SD0[0], s.Mean1[0], s.SD1[0])
	}
	// Swapping the labels flips the sign.
	s2, _ := DPrime(rates, 2, SameWindow(3, 1, 3), []int{1, 0, 1})
	if !near(s2.DPrime[0], -want, 1e-12) {
		t.Errorf("swapped labels: d' %v, want %v", s2.DPrime[0], -want)
	}
	for name, f := range map[string]func() error{
		"one class":   func() error { _, err := DPrime(rates, 2, SameWindow(3, 1, 3), []int{0, 0, 0}); return err },
		"label 2":     func() error { _, err := DPrime(rates, 2, SameWindow(3, 1, 3), []int{0, 2, 1}); return err },
		"windows":     func() error { _, err := DPrime(rates, 2, SameWindow(2, 1, 3), []int{0, 1, 0}); return err },
		"ragged":      func() error { _, err := DPrime([][]float32{{1, 2, 3}}, 2, SameWindow(1, 0, 1), []int{0}); return err },
		"empty range": func() error { _, err := DPrime(rates, 2, SameWindow(3, 5, 9), []int{0, 1, 0}); return err },
	} {
		if f() == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestChoiceSelectivityEI checks that the E-I network's selectivity is
// computed on its rates relu(s), not on the states s: a unit whose state
// is negative in every ground-truth-1 sample has rate 0 there.
func TestChoiceSelectivityEI(t *testing.T) {
	cfg := models.Config{Cell: models.CellEI, NumInput: 3, NumHidden: 5, NumOutput: 3, Dt: 20, Tau: 100}
	p, err := models.NewParams(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	a := &Activity{H: 5, O: 3}
	var rates [][]float32
	var labels []int
	for i := range 12 {
		gt := i % 2
		s := make([]float32, 6*5)
		for k := range s {
			s[k] = float32(rng.NormFloat64()) + float32(gt)
		}
		r := slices.Clone(s)
		for k := range r {
			r[k] = max(r[k], 0)
		}
		a.States = append(a.States, s)
		a.Trials = append(a.Trials, TrialResult{GroundTruth: gt, N: 6})
		rates = append(rates, r)
		labels = append(labels, gt)
	}
	got, err := ChoiceSelectivity(p, a, SameWindow(12, 2, 5))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := DPrime(rates, 5, SameWindow(12, 2, 5), labels)
	if !slices.Equal(got.DPrime, want.DPrime) {
		t.Fatalf("d' %v, want %v (on relu rates)", got.DPrime, want.DPrime)
	}
	onStates, _ := DPrime(a.States, 5, SameWindow(12, 2, 5), labels)
	if slices.Equal(onStates.DPrime, got.DPrime) {
		t.Error("selectivity on the states equals that on the rates: rates not applied")
	}
	for j, d := range got.DPrime {
		if d >= 0 { // ground truth 1 has the larger states
			t.Errorf("unit %d: d' %v, want < 0", j, d)
		}
	}
}

func TestSelectivityOrder(t *testing.T) {
	d := []float64{0.5, -1, 2, 0.3, -0.2, 0.9}
	if got := SelectivityOrder(d, 3); !slices.Equal(got, []int{1, 0, 2, 4, 3, 5}) {
		t.Errorf("SelectivityOrder = %v", got)
	}
	if got := ExtremeOrder(d, 3, 1, 1); !slices.Equal(got, []int{1, 2, 4, 5}) {
		t.Errorf("ExtremeOrder = %v", got)
	}
	w := []float32{
		0, 1, 2,
		3, 4, 5,
		6, 7, 8,
	}
	if got := Reorder(w, 3, []int{2, 0}); !slices.Equal(got, []float32{8, 6, 2, 0}) {
		t.Errorf("Reorder = %v", got)
	}
}

// TestGatesMatchForward recomputes the gates of a random LSTM and checks
// its h, c and read-out against the plain-Go forward pass (Params.Forward),
// and the identities h = o tanh(c), c_t = f c_{t-1} + i g.
func TestGatesMatchForward(t *testing.T) {
	cfg := models.Config{Cell: models.CellLSTM, NumInput: 3, NumHidden: 4, NumOutput: 2, Dt: 100, Tau: 100, Loss: models.LossMSE}
	p, err := models.NewParams(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const T, H = 12, 4
	xs := make([]float32, T*3)
	for i := range xs {
		xs[i] = float32(rng.NormFloat64())
	}
	g, err := Gates(p, xs)
	if err != nil {
		t.Fatal(err)
	}
	states, outs := p.Forward(xs)
	for tt := range T {
		for j := range H {
			k := tt*H + j
			if d := math.Abs(float64(g.Hidden[k] - states[tt*2*H+j])); d > 1e-6 {
				t.Fatalf("h[%d][%d] = %v, forward %v", tt, j, g.Hidden[k], states[tt*2*H+j])
			}
			if d := math.Abs(float64(g.C[k] - states[tt*2*H+H+j])); d > 1e-6 {
				t.Fatalf("c[%d][%d] = %v, forward %v", tt, j, g.C[k], states[tt*2*H+H+j])
			}
			prev := float32(0)
			if tt > 0 {
				prev = g.C[k-H]
			}
			if d := math.Abs(float64(g.Forget[k]*prev + g.Input[k]*g.Cell[k] - g.C[k])); d > 1e-6 {
				t.Fatalf("c != f c + i g at %d, %d", tt, j)
			}
			if d := math.Abs(float64(g.Output[k])*math.Tanh(float64(g.C[k])) - float64(g.Hidden[k])); d > 1e-6 {
				t.Fatalf("h != o tanh(c) at %d, %d", tt, j)
			}
			for _, v := range []float32{g.Input[k], g.Forget[k], g.Output[k]} {
				if !(v > 0 && v < 1) {
					t.Fatalf("gate %v outside (0, 1)", v)
				}
			}
		}
	}
	for k := range outs {
		if d := math.Abs(float64(g.Out[k] - outs[k])); d > 1e-6 {
			t.Fatalf("read-out %d: %v, forward %v", k, g.Out[k], outs[k])
		}
	}
	if len(Unit(g.Forget, H, 2)) != T {
		t.Error("Unit length")
	}
}

// With every weight zero the gates are constants of the biases, in
// PyTorch's order i, f, g, o: i = σ(1), f = σ(2), g = tanh(0.5), o = σ(-1),
// and c_t = i g (1 - f^t)/(1 - f).
func TestGatesOrderByHand(t *testing.T) {
	cfg := models.Config{Cell: models.CellLSTM, NumInput: 1, NumHidden: 1, NumOutput: 1, Dt: 100, Tau: 100}
	p, err := models.NewParams(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range p.Values {
		clear(v)
	}
	copy(p.Get("b_ih"), []float32{0.25, 1.5, 0.5, -0.5})
	copy(p.Get("b_hh"), []float32{0.75, 0.5, 0, -0.5})
	g, err := Gates(p, []float32{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	sig := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	i, f, gg, o := sig(1), sig(2), math.Tanh(0.5), sig(-1)
	for tt := range 3 {
		c := i * gg * (1 - math.Pow(f, float64(tt+1))) / (1 - f)
		if !near(float64(g.Input[tt]), i, 1e-6) || !near(float64(g.Forget[tt]), f, 1e-6) ||
			!near(float64(g.Cell[tt]), gg, 1e-6) || !near(float64(g.Output[tt]), o, 1e-6) || !near(float64(g.C[tt]), c, 1e-6) {
			t.Fatalf("step %d: i %v f %v g %v o %v c %v; want %v %v %v %v %v", tt, g.Input[tt], g.Forget[tt], g.Cell[tt], g.Output[tt], g.C[tt], i, f, gg, o, c)
		}
	}
	ctr, _ := models.NewParams(models.DefaultConfig(), 1)
	if _, err := Gates(ctr, make([]float32, 3)); err == nil {
		t.Error("Gates of a ctrnn: no error")
	}
}
