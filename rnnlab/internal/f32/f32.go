// Package f32 holds the float32 kernels of rnnlab's CPU engines: AVX2
// and AVX-512 assembly on amd64 when the CPU has the instructions
// (detected once with golang.org/x/sys/cpu), and gonum's kernels or plain
// Go otherwise.
//
// Three families, with different promises:
//
//   - Axpy, Dot, AccumRows and MulAddFused may use fused multiply-adds and
//     any summation order: they agree with the exact sums to float32
//     rounding only. They serve the gated cells, the wide CTRNN path and
//     the leaky cell.
//   - MulAdd reproduces gonum's Sgemm (NoTrans, NoTrans, beta = 1) bit for
//     bit: every output element goes through exactly the same float32
//     operations in the same order, so results that depend on it (the
//     tutorial's fixed points) do not change.
//   - Gemm is the fast general product C = alpha·op(A)·op(B) + beta·C
//     (float32 rounding, fused multiply-adds), for products big enough
//     that the machine's floating-point peak matters.
//
// # Gemm
//
// Gemm follows Goto and van de Geijn (and BLIS): the product is cut into
// blocks of op(B) of kc×nc and of op(A) of mc×kc, copied ("packed") into
// contiguous buffers laid out in the order the register tile reads them,
// and the register tile, an assembly micro-kernel, computes an mr×nr block
// of C over kc steps of l, keeping the mr·nr sums in vector registers:
//
//	for jc (nc columns):  for pc (kc of k): pack op(B)[pc:, jc:] in panels of nr columns
//	  for ic (mc rows):   pack op(A)[ic:, pc:] in panels of ≤ mr rows
//	    for each panel of op(B), for each panel of op(A): tile C[ir, jr] += alpha·Ap·Bp
//
// The tiles and blocks, for this package's CPUs:
//
//   - AVX-512F: 14×32 tile: 28 ZMM accumulators (two 16-float vectors per
//     row), two ZMM for a row of the B panel and one for the broadcast
//     element of A (31 of the 32 registers). Each step of l loads 2 vectors
//     and broadcasts 14 scalars for 28 FMAs: 16 loads in the 14 cycles the
//     two FMA ports take, within two loads a cycle. In L1 it runs at 85-90 % of
//     the register-only FMA peak; 9×48 and 6×64 tiles measured no better in
//     whole products, and a 16×16 one worse.
//   - AVX2 + FMA: 6×16 tile (12 YMM accumulators of the 16 registers).
//   - Pure Go (other architectures, or no AVX2): 4×8 tile, same blocking.
//   - kc = 256: a kc×32 panel of op(B) is 32 KB and stays in the 48 KB L1
//     while the panels of op(A) (14 KB each) stream past it from L2.
//   - mc = 168 (12 tiles of 14 rows): the 168×256 block of op(A), 172 KB,
//     stays in the 2 MB L2 across all the panels of op(B).
//   - nc = 4096: the packed kc×nc block of op(B) (up to 4 MB) lives in L3;
//     every RNN shape has n ≤ 4096, so op(B) is packed once per kc block.
//   - k, m are cut into equal blocks (k = 300 gives two blocks of 150, not
//     256 + 44) and each mc block into equal panels of at most mr rows
//     (m = 16 gives two 8-row panels, not 14 + 2), so no tile runs short
//     of rows; columns beyond a multiple of nr go through a zero-padded
//     panel and a scratch tile (a 16-column AVX-512 tile when at most 16
//     of them are used).
//   - For m ≤ 64 and op(B) = B, the panels of B are read where they lie
//     (leading dimension ldb) instead of packed: with few rows of C each
//     element of B is used only 2m times, so copying it costs more than the
//     strided reads. Likewise op(A) = Aᵀ is read unpacked when n ≤ 128.
//     Other transposed operands are packed with 8×8 AVX transposes; a
//     product by Wᵀ repeated with the same W (dX = dU·Wᵀ at every time
//     step) is faster on a transposed copy of W made once, since B is then
//     read unpacked (measured 1.1× at B = 64, up to 1.6× at B = 16).
//   - Products with m·n·k ≥ 2²¹ run on up to GOMAXPROCS goroutines, each
//     with its own packed blocks (buffers come from a sync.Pool): when
//     k ≥ 4·max(m, n) (the weight gradient Xᵀ·dU stacked over time) each
//     takes a slice of k and the partial products are added; otherwise C
//     is cut into bands of whole tiles along the dimension with more
//     tiles. Smaller products stay on the calling goroutine, where starting
//     another would cost more than it saves.
package f32

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

var impl gonum.Implementation

// Axpy sets y[j] += a·x[j] for j < len(y) (x must be at least as long).
func Axpy(a float32, x, y []float32) {
	x = x[:len(y)]
	if useAVX && len(y) > 0 {
		axpyAVX(len(y), a, &x[0], &y[0])
		return
	}
	impl.Saxpy(len(y), a, x, 1, y, 1)
}

// Dot returns Σ_{j<len(y)} x[j]·y[j] (x must be at least as long).
func Dot(x, y []float32) float32 {
	x = x[:len(y)]
	if useAVX && len(y) > 0 {
		return dotAVX(len(y), &x[0], &y[0])
	}
	return impl.Sdot(len(y), x, 1, y, 1)
}

// AccumRows sets y[j] += Σ_l x[l]·w[l·ldw + j] for j < len(y) and
// l < len(x), skipping the l with x[l] = 0: y += x W for a row-major W
// (len(x)×len(y), leading dimension ldw ≥ len(y)). The AVX2 kernel keeps
// a block of up to 64 entries of y in registers over all l.
func AccumRows(y, x, w []float32, ldw int) {
	n, k := len(y), len(x)
	if n == 0 || k == 0 {
		return
	}
	if ldw < n || len(w) < (k-1)*ldw+n {
		panic("f32: AccumRows: w too short")
	}
	j := 0
	if useAVX {
		for ; j+64 <= n; j += 64 {
			rowFused64(k, &x[0], &w[j], ldw, &y[j])
		}
		for ; j+32 <= n; j += 32 {
			rowFused32(k, &x[0], &w[j], ldw, &y[j])
		}
		for ; j+8 <= n; j += 8 {
			rowFused8(k, &x[0], &w[j], ldw, &y[j])
		}
		if j == n {
			return
		}
	}
	for l, xl := range x {
		if xl != 0 {
			Axpy(xl, w[l*ldw+j:l*ldw+n], y[j:])
		}
	}
}

// MulAdd sets c += alpha·a·b for row-major a (m×k, leading dimension lda),
// b (k×n, ldb) and c (m×n, ldc), bit-identical to gonum's serial
// Sgemm(NoTrans, NoTrans, m, n, k, alpha, a, lda, b, ldb, 1, c, ldc):
// for every element, in order l = 0…k−1,
//
//	t = alpha·a[i][l];  if t ≠ 0 { c[i][j] = c[i][j] + t·b[l][j] }
//
// with t·b[l][j] rounded to float32 before the addition (no fused
// multiply-add). gonum runs its serial kernel when fewer than 4 blocks of
// 64×64 make up c (as in every call of the fixed-point evaluator); the AVX2
// kernel blocks over columns, keeping up to 64 entries of a row of c in
// registers over all l, which does not change any element's operations.
func MulAdd(m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if !useAVX {
		impl.Sgemm(blas.NoTrans, blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, 1, c, ldc)
		return
	}
	if m == 0 || n == 0 || k == 0 || alpha == 0 {
		return
	}
	if lda < k || ldb < n || ldc < n || len(a) < (m-1)*lda+k || len(b) < (k-1)*ldb+n || len(c) < (m-1)*ldc+n {
		panic("f32: MulAdd: bad dimensions")
	}
	for i := range m {
		ai := a[i*lda : i*lda+k]
		ci := c[i*ldc : i*ldc+n]
		j := 0
		for ; j+64 <= n; j += 64 {
			rowExact64(k, alpha, &ai[0], &b[j], ldb, &ci[j])
		}
		for ; j+32 <= n; j += 32 {
			rowExact32(k, alpha, &ai[0], &b[j], ldb, &ci[j])
		}
		for ; j+8 <= n; j += 8 {
			rowExact8(k, alpha, &ai[0], &b[j], ldb, &ci[j])
		}
		if j < n {
			mulAddRowGo(alpha, ai, b[j:], ldb, ci[j:])
		}
	}
}

// mulAddRowGo is MulAdd's operation sequence on one row of c in plain Go;
// the float32 conversion forbids the compiler to fuse the multiply-add.
func mulAddRowGo(alpha float32, a, b []float32, ldb int, c []float32) {
	for l, v := range a {
		t := alpha * v
		if t == 0 {
			continue
		}
		bl := b[l*ldb : l*ldb+len(c)]
		for j := range c {
			c[j] += float32(t * bl[j])
		}
	}
}

// RankOneDot does both products of a backward step through y = x W for
// row-major W (len(a)×n, leading dimension ld, n = len(g)), reading g once:
//
//	dW[i][j] += a[i]·g[j]          (dW += aᵀ g, the weight gradient)
//	d[i]     += Σ_j W[i][j]·g[j]   (d += g Wᵀ, the gradient to x)
//
// for i < len(a); fused multiply-adds, float32 tolerance.
func RankOneDot(a, g, dW, w, d []float32, ld int) {
	k, n := len(a), len(g)
	if k == 0 || n == 0 {
		return
	}
	if ld < n || len(dW) < (k-1)*ld+n || len(w) < (k-1)*ld+n || len(d) < k {
		panic("f32: RankOneDot: bad dimensions")
	}
	if useAVX && n%8 == 0 {
		rankOneDotAVX(k, n, &a[0], &g[0], &dW[0], &w[0], &d[0], ld)
		return
	}
	for i, ai := range a {
		Axpy(ai, g, dW[i*ld:i*ld+n])
		d[i] += Dot(w[i*ld:i*ld+n], g)
	}
}

// AccumRowsIdx sets y[j] += Σ_{i ∈ idx} x[i]·w[i·ldw + j] for j < len(y),
// skipping the i with x[i] = 0: y += x W restricted to the listed rows of a
// row-major W (leading dimension ldw ≥ len(y)); every listed i must index x
// and a row of w. Fused multiply-adds, float32 tolerance.
func AccumRowsIdx(y, x, w []float32, ldw int, idx []int32) {
	n := len(y)
	if n == 0 || len(idx) == 0 {
		return
	}
	if ldw < n {
		panic("f32: AccumRowsIdx: ldw < len(y)")
	}
	j := 0
	if useAVX {
		for _, i := range idx {
			if i < 0 || int(i) >= len(x) || int(i)*ldw+n > len(w) {
				panic("f32: AccumRowsIdx: row index out of range")
			}
		}
		for ; j+64 <= n; j += 64 {
			rowIdx64(len(idx), &idx[0], &x[0], &w[j], ldw, &y[j])
		}
		for ; j+8 <= n; j += 8 {
			rowIdx8(len(idx), &idx[0], &x[0], &w[j], ldw, &y[j])
		}
		if j == n {
			return
		}
	}
	for _, i := range idx {
		if xi := x[i]; xi != 0 {
			Axpy(xi, w[int(i)*ldw+j:int(i)*ldw+n], y[j:])
		}
	}
}

// RankOneDotIdx is RankOneDot on the listed rows only: for i ∈ idx,
//
//	dW[i][j] += a[i]·g[j],   d[i] += Σ_j W[i][j]·g[j]   (j < len(g))
//
// (every listed i must index a, d and a row of dW and W).
func RankOneDotIdx(a, g, dW, w, d []float32, ld int, idx []int32) {
	n := len(g)
	if n == 0 || len(idx) == 0 {
		return
	}
	if ld < n {
		panic("f32: RankOneDotIdx: ld < len(g)")
	}
	for _, i := range idx {
		if i < 0 || int(i) >= len(a) || int(i) >= len(d) || int(i)*ld+n > min(len(dW), len(w)) {
			panic("f32: RankOneDotIdx: row index out of range")
		}
	}
	if useAVX && n%8 == 0 {
		rankOneDotIdxAVX(len(idx), &idx[0], n, &a[0], &g[0], &dW[0], &w[0], &d[0], ld)
		return
	}
	for _, i := range idx {
		o := int(i) * ld
		Axpy(a[i], g, dW[o:o+n])
		d[i] += Dot(w[o:o+n], g)
	}
}

// Sigmoid sets y[j] = σ(x[j]) = 1/(1+e^(−x[j])) for j < len(y) (x may be
// y itself), to a few float32 ulps.
func Sigmoid(y, x []float32) { logistic(y, x, 1, 1, 0) }

// Tanh sets y[j] = tanh x[j] = 2σ(2x[j]) − 1 for j < len(y) (x may be y
// itself), to about 2e-7 absolute.
func Tanh(y, x []float32) { logistic(y, x, 2, 2, 1) }

// logistic sets y[j] = a/(1+e^(−s·x[j])) − b: eight at a time with AVX2,
// the rest with exp32.
func logistic(y, x []float32, s, a, b float32) {
	n := len(y)
	x = x[:n]
	j := 0
	if useAVX && n >= 8 {
		j = n &^ 7
		logisticAVX(j, s, a, b, &x[0], &y[0])
	}
	for ; j < n; j++ {
		y[j] = a/(1+exp32(-s*x[j])) - b
	}
}

// exp32 returns e^x in float32 to a few ulps: x = k ln2 + r with |r| <=
// ln2/2, a degree-6 Taylor polynomial for e^r (relative error 1.2e-7), and
// 2^k built in the exponent bits. x is clamped to [-87, 88], where 2^k
// stays a normal number. (The same function as models.exp32; the AVX2
// kernel evaluates it eight lanes at a time.)
func exp32(x float32) float32 {
	const (
		log2e = 1.44269504088896341
		ln2hi = 0.693359375
		ln2lo = -2.12194440e-4
		shift = 12582912 // 1.5·2^23: adding and subtracting it rounds to an integer
	)
	x = min(max(x, -87), 88)
	k := x*log2e + shift
	k -= shift
	r := x - k*ln2hi - k*ln2lo
	p := 1 + r*(1+r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720))))))
	return p * math.Float32frombits(uint32(int32(k)+127)<<23)
}
