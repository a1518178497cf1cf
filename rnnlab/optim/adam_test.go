package optim

import (
	"math"
	"testing"
)

// TestAdamQuadratic checks two Adam steps on f(x) = (x-c)², x0 = 1, c = 0,
// against values worked out by hand.
func TestAdamQuadratic(t *testing.T) {
	a := PyTorchAdam(1e-3).NewState(1) // betas 0.9/0.999, eps 1e-8
	x := []float32{1}
	grad := func() []float32 { return []float32{2 * x[0]} } // f' = 2x
	// Step 1: g = 2, m = 0.2, v = 0.004, m̂ = 2, v̂ = 4,
	// x = 1 - 1e-3 * 2 / (2 + 1e-8) = 0.999 (up to 5e-12).
	if err := a.Update([][]float32{x}, [][]float32{grad()}); err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(x[0])-0.999) > 1e-7 {
		t.Fatalf("after step 1: x = %.9f, want 0.999", x[0])
	}
	if math.Abs(float64(a.M[0][0])-0.2) > 1e-7 || math.Abs(float64(a.V[0][0])-0.004) > 1e-9 {
		t.Fatalf("moments after step 1: m %v v %v, want 0.2, 0.004", a.M[0][0], a.V[0][0])
	}
	// Step 2: g = 1.998, m = 0.18 + 0.1998 = 0.3798, v = 0.003996 + 0.001*1.998² = 0.007988004,
	// m̂ = 0.3798/0.19 = 1.99894737, v̂ = 0.007988004/0.001999 = 3.99599999... (sqrt 1.99899975),
	// x = 0.999 - 1e-3 * 1.99894737/1.99899975 = 0.998000026.
	if err := a.Update([][]float32{x}, [][]float32{grad()}); err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(x[0])-0.998000026) > 2e-7 {
		t.Fatalf("after step 2: x = %.9f, want 0.998000026", x[0])
	}
	if a.Step != 2 {
		t.Errorf("Step = %d, want 2", a.Step)
	}
	// Eps matters when the gradient is tiny: g = 1e-8 gives a step of lr/2.
	b := PyTorchAdam(1).NewState(1)
	y := []float32{0}
	b.Update([][]float32{y}, [][]float32{{1e-8}})
	if math.Abs(float64(y[0])+0.5) > 1e-6 {
		t.Errorf("tiny gradient: y = %v, want -0.5 (eps added to sqrt(v̂))", y[0])
	}
	if err := b.Update([][]float32{y, y}, [][]float32{{1}}); err == nil {
		t.Error("mismatched lengths: want an error")
	}
}

// TestEpsModes: the two placements of ε give the same step when ε is
// negligible, and differ by the factor sqrt(1−β2^t) on ε when the gradient
// is of the order of ε (BrainPy's ε is effectively ε·sqrt(1−β2^t) in
// PyTorch's terms).
func TestEpsModes(t *testing.T) {
	for _, tc := range []struct {
		g       float32
		sameTol float64
	}{{g: 1, sameTol: 1e-6}, {g: 1e-2, sameTol: 3e-5}} {
		pt, bp := PyTorchAdam(0.1), PyTorchAdam(0.1)
		bp.Mode = EpsUncorrected
		x1, x2 := []float32{1}, []float32{1}
		s1, s2 := pt.NewState(1), bp.NewState(1)
		for k := 0; k < 5; k++ {
			if err := s1.Update([][]float32{x1}, [][]float32{{tc.g}}); err != nil {
				t.Fatal(err)
			}
			if err := s2.Update([][]float32{x2}, [][]float32{{tc.g}}); err != nil {
				t.Fatal(err)
			}
		}
		if d := math.Abs(float64(x1[0] - x2[0])); d > tc.sameTol {
			t.Errorf("g = %g: PyTorch x %v, BrainPy x %v (differ by %g)", tc.g, x1[0], x2[0], d)
		}
	}
	// g = 1e-8 at t = 1: PyTorch steps lr·g/(g+ε) = lr/2; BrainPy steps
	// lr·sqrt(1−β2)/(1−β1)·(0.1 g)/(sqrt(0.001) g + ε) = lr·0.0316/(0.0316+1) ≈ 0.0307 lr.
	bp := PyTorchAdam(1)
	bp.Mode = EpsUncorrected
	y := []float32{0}
	st := bp.At(1, 1)
	st.Apply(y, []float32{0}, []float32{0}, []float32{1e-8})
	want := -math.Sqrt(0.001) / (math.Sqrt(0.001) + 1)
	if math.Abs(float64(y[0])-want) > 1e-6 {
		t.Errorf("BrainPy step with a tiny gradient: %v, want %v", y[0], want)
	}
}

// TestScheduleAndScale: update t uses LR.Rate(t−1), and the gradient scale
// s multiplies the gradient before the moments (so Adam's step is
// invariant to it, up to ε).
func TestScheduleAndScale(t *testing.T) {
	a := Adam{LR: Exponential(0.01, 1, 0.5), Beta1: 0.9, Beta2: 0.999, Eps: 0, Mode: EpsUncorrected}
	if got := a.At(3, 1).LR(); math.Abs(got-0.0025) > 1e-15 {
		t.Errorf("lr of update 3 = %v, want 0.01·0.5² = 0.0025", got)
	}
	x1, x2 := []float32{1}, []float32{1}
	m1, v1, m2, v2 := []float32{0}, []float32{0}, []float32{0}, []float32{0}
	a.At(1, 1).Apply(x1, m1, v1, []float32{3})
	a.At(1, 1e-3).Apply(x2, m2, v2, []float32{3000})
	if x1[0] != x2[0] || math.Abs(float64(m2[0])-0.3) > 1e-7 {
		t.Errorf("scaled gradient: x %v vs %v, m %v (want 0.3)", x1[0], x2[0], m2[0])
	}
	if err := (Adam{LR: Constant(1), Beta1: 1, Beta2: 0.9}).Validate(); err == nil {
		t.Error("beta1 = 1 accepted")
	}
	if err := (Adam{Beta1: 0.9, Beta2: 0.9}).Validate(); err == nil {
		t.Error("nil schedule accepted")
	}
	if err := PyTorchAdam(1e-3).Validate(); err != nil {
		t.Error(err)
	}
}
