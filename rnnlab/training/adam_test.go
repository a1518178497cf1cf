package training

import (
	"math"
	"testing"
)

// TestAdamQuadratic checks two Adam steps on f(x) = (x-c)², x0 = 1, c = 0,
// against values worked out by hand.
func TestAdamQuadratic(t *testing.T) {
	a := NewAdam(0, 1) // defaults: lr 1e-3, betas 0.9/0.999, eps 1e-8
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
	b := NewAdam(1, 1)
	y := []float32{0}
	b.Update([][]float32{y}, [][]float32{{1e-8}})
	if math.Abs(float64(y[0])+0.5) > 1e-6 {
		t.Errorf("tiny gradient: y = %v, want -0.5 (eps added to sqrt(v̂))", y[0])
	}
	if err := b.Update([][]float32{y, y}, [][]float32{{1}}); err == nil {
		t.Error("mismatched lengths: want an error")
	}
}
