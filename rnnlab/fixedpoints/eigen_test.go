package fixedpoints

import (
	"math"
	"math/cmplx"
	"testing"
)

func TestDecomposeSortingAndStability(t *testing.T) {
	// Block-diagonal: a rotation-scaling block with λ = 0.3 ± 0.9i
	// (|λ| ≈ 0.949) and real eigenvalues 0.95 and −0.97.
	j := []float64{
		0.3, -0.9, 0, 0,
		0.9, 0.3, 0, 0,
		0, 0, 0.95, 0,
		0, 0, 0, -0.97,
	}
	byMag, err := Decompose(j, 4, ByMagnitude, true)
	if err != nil {
		t.Fatal(err)
	}
	if byMag.Values[0] != complex(-0.97, 0) || byMag.Values[1] != complex(0.95, 0) {
		t.Errorf("by magnitude: %v", byMag.Values)
	}
	byRe, _ := Decompose(j, 4, ByReal, false)
	if byRe.Values[0] != complex(0.95, 0) || real(byRe.Values[1]) != 0.3 || byRe.Values[3] != complex(-0.97, 0) {
		t.Errorf("by real part: %v", byRe.Values)
	}
	if byRe.Left != nil {
		t.Errorf("left vectors computed without request")
	}
	if !byMag.Stable(Discrete) || byMag.Stable(Continuous) {
		t.Errorf("discrete stable (|λ|max=%v) and continuous unstable (Re max=%v) expected", byMag.SpectralRadius(), byMag.MaxReal())
	}
	// J r = λ r for every right vector; lᴴ J = λ lᴴ and lᴴ r = 1.
	for k, lam := range byMag.Values {
		r := byMag.RightVector(k)
		for a := 0; a < 4; a++ {
			var jr complex128
			for b := 0; b < 4; b++ {
				jr += complex(j[a*4+b], 0) * r[b]
			}
			if cmplx.Abs(jr-lam*r[a]) > 1e-12 {
				t.Fatalf("right vector %d fails", k)
			}
		}
		var lr complex128
		for a := 0; a < 4; a++ {
			lr += cmplx.Conj(byMag.Left.At(a, k)) * r[a]
			var lj complex128
			for b := 0; b < 4; b++ {
				lj += cmplx.Conj(byMag.Left.At(b, k)) * complex(j[b*4+a], 0)
			}
			if cmplx.Abs(lj-lam*cmplx.Conj(byMag.Left.At(a, k))) > 1e-12 {
				t.Fatalf("left vector %d fails", k)
			}
		}
		if cmplx.Abs(lr-1) > 1e-12 {
			t.Errorf("l%dᴴ r%d = %v, want 1", k, k, lr)
		}
	}
	if math.Abs(byMag.SpectralRadius()-0.97) > 1e-12 {
		t.Errorf("spectral radius %v", byMag.SpectralRadius())
	}
	unstable, _ := Decompose([]float64{1.01, 0, 0, -0.2}, 2, ByMagnitude, false)
	if unstable.Stable(Discrete) {
		t.Errorf("|λ| = 1.01 reported stable")
	}
}
