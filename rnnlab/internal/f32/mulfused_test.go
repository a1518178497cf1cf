package f32

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestMulAddFused checks MulAddFused against a float64 triple loop, with
// and without AVX2, on shapes that exercise every path: whole 4×16 blocks,
// the 8-column kernel, column and row remainders, several k and column
// blocks, leading dimensions larger than the widths, and zeros in a.
func TestMulAddFused(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sh := range [][3]int{{4, 16, 1}, {7, 40, 33}, {64, 256, 256}, {13, 24, 300}, {3, 5, 7}, {256, 40, 3200}, {85, 256, 129}, {1, 1, 1}} {
		m, n, k := sh[0], sh[1], sh[2]
		lda, ldb, ldc := k+3, n+5, n+1
		a := randVec(rng, (m-1)*lda+k, true)
		b := randVec(rng, (k-1)*ldb+n, false)
		c0 := randVec(rng, (m-1)*ldc+n, false)
		for _, avx := range []bool{false, true} {
			if avx && !useAVX {
				continue
			}
			t.Run(fmt.Sprintf("%dx%dx%d/avx=%v", m, n, k, avx), func(t *testing.T) {
				saved := useAVX
				useAVX = avx
				defer func() { useAVX = saved }()
				c := append([]float32(nil), c0...)
				MulAddFused(m, n, k, a, lda, b, ldb, c, ldc)
				for i := range m {
					for j := range n {
						want, scale := float64(c0[i*ldc+j]), math.Abs(float64(c0[i*ldc+j]))
						for l := range k {
							p := float64(a[i*lda+l]) * float64(b[l*ldb+j])
							want += p
							scale += math.Abs(p)
						}
						if got := float64(c[i*ldc+j]); math.Abs(got-want) > 1e-6*scale {
							t.Fatalf("c[%d][%d] = %.8g, want %.8g", i, j, got, want)
						}
					}
					// Padding between rows stays untouched.
					for j := n; j < ldc && i*ldc+j < len(c); j++ {
						if c[i*ldc+j] != c0[i*ldc+j] {
							t.Fatalf("c[%d][%d] past the width changed", i, j)
						}
					}
				}
			})
		}
	}
}

// BenchmarkMulAddFused256 times the leaky engine's per-step product,
// [32×256]·[256×256], against the same product as AccumRows per row.
func BenchmarkMulAddFused256(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const m, n, k = 32, 256, 256
	x, w, y := randVec(rng, m*k, false), randVec(rng, k*n, false), make([]float32, m*n)
	b.Run("MulAddFused", func(b *testing.B) {
		for b.Loop() {
			MulAddFused(m, n, k, x, k, w, n, y, n)
		}
	})
	b.Run("AccumRows", func(b *testing.B) {
		for b.Loop() {
			for i := range m {
				AccumRows(y[i*n:(i+1)*n], x[i*k:(i+1)*k], w, n)
			}
		}
	})
}
