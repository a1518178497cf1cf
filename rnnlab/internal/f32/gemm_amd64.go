// Declarations of the assembly in gemm_amd64.s (written by gen_gemm.go)
// and the instruction sets Gemm chooses from on amd64.

//go:build amd64

package f32

//go:generate go run gen_gemm.go

import "golang.org/x/sys/cpu"

// The micro-kernels gemm512xh (AVX-512F: h ≤ 14 rows × 32 columns) and
// gemm256xh (AVX2 + FMA: h ≤ 6 rows × 16 columns) set, for i < h and
// j < nr,
//
//	c[i·ldc + j] += alpha · Σ_{l<k} a[l·lda + i] · b[l·ldb + j]
//
// with a k×h panel of op(A)ᵀ (packed: lda = h) and a k×nr panel of op(B)
// (packed: ldb = nr); k ≥ 0.

//go:noescape
func gemm512x1(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x2(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x3(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x4(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x5(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x6(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x7(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x8(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x9(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x10(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x11(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x12(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x13(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512x14(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm256x1(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm256x2(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm256x3(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm256x4(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm256x5(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm256x6(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

// gemm512halfh is gemm512xh on 16 columns (one ZMM per row), for the last
// panel of op(B) when at most 16 of its columns are used.

//go:noescape
func gemm512half1(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half2(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half3(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half4(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half5(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half6(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half7(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half8(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half9(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half10(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half11(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half12(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half13(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func gemm512half14(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

// transpose8x8 copies n 8×8 blocks transposed (AVX):
//
//	dst[(8t+c)·ldd + r] = src[r·lds + 8t + c]   for t < n; r, c < 8.
//
//go:noescape
func transpose8x8(n int, src *float32, lds int, dst *float32, ldd int)

// fmaPeak256 and fmaPeak512 run n iterations of 24 register-only fused
// multiply-adds on YMM (8 lanes) and ZMM (16 lanes) registers.
//
//go:noescape
func fmaPeak256(n int)

//go:noescape
func fmaPeak512(n int)

var (
	gemmAVX512 = gemmISA{name: "avx512", mr: 14, nr: 32, kc: 256, mc: 168, nc: 4096, directM: 64, transpose: transpose8x8, kern: []gemmKernel{nil,
		gemm512x1,
		gemm512x2,
		gemm512x3,
		gemm512x4,
		gemm512x5,
		gemm512x6,
		gemm512x7,
		gemm512x8,
		gemm512x9,
		gemm512x10,
		gemm512x11,
		gemm512x12,
		gemm512x13,
		gemm512x14,
	}, half: []gemmKernel{nil,
		gemm512half1, gemm512half2, gemm512half3, gemm512half4, gemm512half5, gemm512half6, gemm512half7, gemm512half8, gemm512half9, gemm512half10, gemm512half11, gemm512half12, gemm512half13, gemm512half14,
	}}
	gemmAVX2 = gemmISA{name: "avx2", mr: 6, nr: 16, kc: 256, mc: 120, nc: 4096, directM: 64, transpose: transpose8x8, kern: []gemmKernel{nil,
		gemm256x1,
		gemm256x2,
		gemm256x3,
		gemm256x4,
		gemm256x5,
		gemm256x6,
	}}
)

// gemmISAs lists the kernels this CPU runs, fastest first; the pure-Go
// kernel is always last.
var gemmISAs = func() []*gemmISA {
	var l []*gemmISA
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		l = append(l, &gemmAVX512)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		l = append(l, &gemmAVX2)
	}
	return append(l, &gemmGo)
}()

// fmaPeak runs n > 0 iterations of 24 fused multiply-adds on the widest
// registers and returns the floating-point operations done (0 without
// AVX2).
func fmaPeak(n int) int {
	switch {
	case n <= 0:
		return 0
	case cpu.X86.HasAVX512F:
		fmaPeak512(n)
		return n * 24 * 16 * 2
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		fmaPeak256(n)
		return n * 24 * 8 * 2
	}
	return 0
}
