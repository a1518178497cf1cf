package f32

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// randVec returns n values in [-1, 1), about a quarter of them ±0 when
// zeros is set (the kernels skip zero multipliers).
func randVec(rng *rand.Rand, n int, zeros bool) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = 2*rng.Float32() - 1
		if zeros && rng.IntN(4) == 0 {
			v[i] = 0
			if rng.IntN(2) == 0 {
				v[i] = float32(math.Copysign(0, -1))
			}
		}
	}
	return v
}

func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: element %d is %v (%#x), gonum gives %v (%#x)", what, i, got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
	}
}

// TestMulAddMatchesGonumBits checks that MulAdd gives gonum's Sgemm bits on
// random data with zeros (in a, and -0 in c), for shapes that exercise the
// 64-, 32- and 8-column kernels and the Go tail, both alphas the fixed-point
// evaluator uses, and strided operands.
func TestMulAddMatchesGonumBits(t *testing.T) {
	if !useAVX {
		t.Log("no AVX2: MulAdd is gonum's Sgemm itself")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sh := range []struct{ m, n, k, pad int }{
		{1, 1, 1, 0}, {3, 8, 5, 0}, {7, 64, 64, 0}, {128, 64, 64, 0}, {5, 63, 17, 3},
		{9, 100, 33, 1}, {4, 45, 64, 0}, {2, 7, 9, 2}, {6, 96, 0, 1}, {11, 72, 130, 5},
	} {
		for _, alpha := range []float32{1, -1, 0.37} {
			lda, ldb, ldc := sh.k+sh.pad, sh.n+sh.pad, sh.n+2*sh.pad
			a := randVec(rng, max(1, sh.m*lda), true)
			b := randVec(rng, max(1, sh.k*ldb), false)
			c := randVec(rng, sh.m*ldc, true)
			want := append([]float32(nil), c...)
			impl.Sgemm(blas.NoTrans, blas.NoTrans, sh.m, sh.n, sh.k, alpha, a, lda, b, ldb, 1, want, ldc)
			MulAdd(sh.m, sh.n, sh.k, alpha, a, lda, b, ldb, c, ldc)
			sameBits(t, "MulAdd", c, want)
		}
	}
}

// TestMulAddSpecialValues checks the zero skipping against gonum with
// infinities and NaN in b (0·Inf must not be added), a NaN in a (not
// skipped) and -0 in c.
func TestMulAddSpecialValues(t *testing.T) {
	const m, n, k = 3, 72, 4
	a := []float32{0, 1, float32(math.Copysign(0, -1)), 2, 0, 0, 0, 0, -1, float32(math.NaN()), 3, 0}
	b := make([]float32, k*n)
	for i := range b {
		b[i] = float32(i%7) - 3
	}
	b[5], b[n+9], b[2*n+70] = float32(math.Inf(1)), float32(math.NaN()), float32(math.Inf(-1))
	c := make([]float32, m*n)
	for i := range c {
		c[i] = float32(math.Copysign(0, -1))
	}
	want := append([]float32(nil), c...)
	impl.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a, k, b, n, 1, want, n)
	MulAdd(m, n, k, 1, a, k, b, n, c, n)
	sameBits(t, "MulAdd", c, want)
}

// close32 reports whether got is within float32 rounding of want (a sum
// of n products of magnitude at most scale).
func close32(got, want float64, n int, scale float64) bool {
	return math.Abs(got-want) <= 4e-7*float64(n+1)*scale
}

// TestFusedKernels compares Axpy, Dot and AccumRows (asm when available)
// with float64 recomputations, over lengths covering every block and tail.
func TestFusedKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 64, 65, 100, 192, 256, 257} {
		x := randVec(rng, n+3, false)
		y := randVec(rng, n, false)
		a := 2*rng.Float32() - 1

		want := make([]float64, n)
		for j := range want {
			want[j] = float64(y[j]) + float64(a)*float64(x[j])
		}
		got := append([]float32(nil), y...)
		Axpy(a, x, got)
		for j := range want {
			if !close32(float64(got[j]), want[j], 1, 2) {
				t.Fatalf("Axpy n=%d: [%d] = %v, want %v", n, j, got[j], want[j])
			}
		}

		var d float64
		for j := range n {
			d += float64(x[j]) * float64(y[j])
		}
		if g := Dot(x, y); !close32(float64(g), d, n, 1) {
			t.Fatalf("Dot n=%d: %v, want %v", n, g, d)
		}

		for _, k := range []int{1, 5, 64} {
			ldw := n + 2
			w := randVec(rng, k*ldw, false)
			xs := randVec(rng, k, true)
			want := make([]float64, n)
			for j := range want {
				want[j] = float64(y[j])
				for l := range k {
					want[j] += float64(xs[l]) * float64(w[l*ldw+j])
				}
			}
			got := append([]float32(nil), y...)
			AccumRows(got, xs, w, ldw)
			for j := range want {
				if !close32(float64(got[j]), want[j], k, 1) {
					t.Fatalf("AccumRows n=%d k=%d: [%d] = %v, want %v", n, k, j, got[j], want[j])
				}
			}
		}
	}
}

// TestFallbackAgrees runs the fused kernels with and without the assembly
// and checks they agree to float32 rounding (skipped without AVX2).
func TestFallbackAgrees(t *testing.T) {
	if !useAVX {
		t.Skip("no AVX2 kernels on this CPU")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const n, k = 200, 70
	w := randVec(rng, k*n, false)
	x := randVec(rng, k, true)
	y := randVec(rng, n, false)
	asm := append([]float32(nil), y...)
	AccumRows(asm, x, w, n)
	d1 := Dot(w[:n], y)
	useAVX = false
	ref := append([]float32(nil), y...)
	AccumRows(ref, x, w, n)
	d2 := Dot(w[:n], y)
	useAVX = true
	for j := range ref {
		if !close32(float64(asm[j]), float64(ref[j]), k, 1) {
			t.Fatalf("AccumRows [%d]: asm %v, Go %v", j, asm[j], ref[j])
		}
	}
	if !close32(float64(d1), float64(d2), n, 1) {
		t.Fatalf("Dot: asm %v, gonum %v", d1, d2)
	}
}

func BenchmarkMulAdd128x64x64(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	a, w, c := randVec(rng, 128*64, false), randVec(rng, 64*64, false), randVec(rng, 128*64, false)
	for b.Loop() {
		MulAdd(128, 64, 64, 1, a, 64, w, 64, c, 64)
	}
}

func BenchmarkGonumSgemm128x64x64(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	a, w, c := randVec(rng, 128*64, false), randVec(rng, 64*64, false), randVec(rng, 128*64, false)
	for b.Loop() {
		impl.Sgemm(blas.NoTrans, blas.NoTrans, 128, 64, 64, 1, a, 64, w, 64, 1, c, 64)
	}
}

// TestRankOneDot compares RankOneDot with a float64 recomputation, and
// (with AVX2) with its fallback, on widths that hit the 16- and 8-column
// steps and the fallback for widths not a multiple of 8.
func TestRankOneDot(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{8, 16, 24, 192, 256, 13} {
		for _, avx := range []bool{true, false} {
			if avx && !useAVX {
				continue
			}
			const k = 7
			ld := n + 3
			a, g := randVec(rng, k, true), randVec(rng, n, false)
			dW, w, d := randVec(rng, k*ld, false), randVec(rng, k*ld, false), randVec(rng, k, false)
			wantW := make([]float64, len(dW))
			for i := range dW {
				wantW[i] = float64(dW[i])
			}
			wantD := make([]float64, k)
			for i := range k {
				wantD[i] = float64(d[i])
				for j := range n {
					wantW[i*ld+j] += float64(a[i]) * float64(g[j])
					wantD[i] += float64(w[i*ld+j]) * float64(g[j])
				}
			}
			saved := useAVX
			useAVX = avx
			RankOneDot(a, g, dW, w, d, ld)
			useAVX = saved
			for i := range dW {
				if !close32(float64(dW[i]), wantW[i], 1, 2) {
					t.Fatalf("n=%d avx=%v: dW[%d] = %v, want %v", n, avx, i, dW[i], wantW[i])
				}
			}
			for i := range d {
				if !close32(float64(d[i]), wantD[i], n, 1) {
					t.Fatalf("n=%d avx=%v: d[%d] = %v, want %v", n, avx, i, d[i], wantD[i])
				}
			}
		}
	}
}

// TestAccumRowsIdx compares AccumRowsIdx (asm and fallback) with a float64
// recomputation, on widths hitting the 64- and 8-column kernels and the Go
// tail, with zeros in x and repeated and unordered indices.
func TestAccumRowsIdx(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{8, 64, 72, 256, 13, 131} {
		for _, avx := range []bool{true, false} {
			if avx && !useAVX {
				continue
			}
			const k = 40
			ldw := n + 1
			x, w, y := randVec(rng, k, true), randVec(rng, k*ldw, false), randVec(rng, n, false)
			idx := []int32{3, 0, 39, 7, 7, 12, 25, 1}
			want := make([]float64, n)
			for j := range want {
				want[j] = float64(y[j])
				for _, i := range idx {
					want[j] += float64(x[i]) * float64(w[int(i)*ldw+j])
				}
			}
			saved := useAVX
			useAVX = avx
			AccumRowsIdx(y, x, w, ldw, idx)
			useAVX = saved
			for j := range want {
				if !close32(float64(y[j]), want[j], len(idx), 1) {
					t.Fatalf("n=%d avx=%v: y[%d] = %v, want %v", n, avx, j, y[j], want[j])
				}
			}
		}
	}
}

// TestRankOneDotIdx compares RankOneDotIdx (asm and fallback) with a
// float64 recomputation on the listed rows, and checks the other rows are
// untouched.
func TestRankOneDotIdx(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, n := range []int{8, 16, 24, 256, 13} {
		for _, avx := range []bool{true, false} {
			if avx && !useAVX {
				continue
			}
			const k = 9
			ld := n + 2
			idx := []int32{4, 0, 8, 2}
			a, g := randVec(rng, k, true), randVec(rng, n, false)
			dW, w, d := randVec(rng, k*ld, false), randVec(rng, k*ld, false), randVec(rng, k, false)
			wantW := make([]float64, len(dW))
			for i := range dW {
				wantW[i] = float64(dW[i])
			}
			wantD := make([]float64, k)
			for i := range d {
				wantD[i] = float64(d[i])
			}
			for _, i := range idx {
				for j := range n {
					wantW[int(i)*ld+j] += float64(a[i]) * float64(g[j])
					wantD[i] += float64(w[int(i)*ld+j]) * float64(g[j])
				}
			}
			saved := useAVX
			useAVX = avx
			RankOneDotIdx(a, g, dW, w, d, ld, idx)
			useAVX = saved
			for i := range dW {
				if !close32(float64(dW[i]), wantW[i], 1, 2) {
					t.Fatalf("n=%d avx=%v: dW[%d] = %v, want %v", n, avx, i, dW[i], wantW[i])
				}
			}
			for i := range d {
				if !close32(float64(d[i]), wantD[i], n, 1) {
					t.Fatalf("n=%d avx=%v: d[%d] = %v, want %v", n, avx, i, d[i], wantD[i])
				}
			}
		}
	}
}

// TestSigmoidTanh compares Sigmoid and Tanh (asm and fallback) with
// float64 math over a range that reaches the clamps, on lengths with and
// without a tail, in place and out of place.
func TestSigmoidTanh(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for _, n := range []int{1, 8, 13, 64, 200} {
		for _, avx := range []bool{true, false} {
			if avx && !useAVX {
				continue
			}
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 8)
			}
			x[0] = 100 // beyond the clamp
			if n > 1 {
				x[1] = -100
			}
			sg, th := make([]float32, n), append([]float32(nil), x...)
			saved := useAVX
			useAVX = avx
			Sigmoid(sg, x)
			Tanh(th, th)
			useAVX = saved
			for i, v := range x {
				ws := 1 / (1 + math.Exp(-float64(v)))
				if math.Abs(float64(sg[i])-ws) > 3e-7*ws+1e-38 {
					t.Fatalf("n=%d avx=%v: σ(%v) = %v, want %v", n, avx, v, sg[i], ws)
				}
				if wt := math.Tanh(float64(v)); math.Abs(float64(th[i])-wt) > 4e-7 {
					t.Fatalf("n=%d avx=%v: tanh(%v) = %v, want %v", n, avx, v, th[i], wt)
				}
			}
		}
	}
}
