package f32

import "golang.org/x/sys/cpu"

// useAVX reports whether the AVX2 + FMA kernels run (a variable so that
// the tests can compare them with the fallbacks).
var useAVX = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// axpyAVX sets y[j] += a·x[j], j < n, with 8-wide fused multiply-adds.
//
//go:noescape
func axpyAVX(n int, a float32, x, y *float32)

// dotAVX returns Σ_{j<n} x[j]·y[j] with four 8-wide FMA accumulators.
//
//go:noescape
func dotAVX(n int, x, y *float32) float32

// rowFused64 sets y[j] += Σ_{l<k, x[l]≠0} x[l]·w[l·ldw+j] for j < 64, with
// y in eight YMM accumulators and one FMA per l and 8 columns;
// rowFused32 and rowFused8 do the same on 32 and 8 columns.
//
//go:noescape
func rowFused64(k int, x, w *float32, ldw int, y *float32)

//go:noescape
func rowFused32(k int, x, w *float32, ldw int, y *float32)

//go:noescape
func rowFused8(k int, x, w *float32, ldw int, y *float32)

// rowExact64 sets, for j < 64 and l = 0…k−1 in order, with t = alpha·a[l],
// c[j] = c[j] + round(t·b[l·ldb+j]) when t ≠ 0 (VMULPS then VADDPS, as
// gonum's AxpyUnitary does with MULPS then ADDPS); rowExact32 and
// rowExact8 do the same on 32 and 8 columns.
//
//go:noescape
func rowExact64(k int, alpha float32, a, b *float32, ldb int, c *float32)

//go:noescape
func rowExact32(k int, alpha float32, a, b *float32, ldb int, c *float32)

//go:noescape
func rowExact8(k int, alpha float32, a, b *float32, ldb int, c *float32)

// rankOneDotAVX does, for rows i < k spaced ld apart in y and w and n a
// positive multiple of 8, y[i][:n] += a[i]·v[:n] and d[i] += w[i][:n]·v[:n].
//
//go:noescape
func rankOneDotAVX(k, n int, a, v, y, w, d *float32, ld int)

// rowIdx64 sets y[j] += Σ_r x[i]·w[i·ldw+j] over i = idx[r], r < nidx,
// skipping x[i] = 0, for j < 64 (eight YMM accumulators); rowIdx8 does the
// same on 8 columns.
//
//go:noescape
func rowIdx64(nidx int, idx *int32, x, w *float32, ldw int, y *float32)

//go:noescape
func rowIdx8(nidx int, idx *int32, x, w *float32, ldw int, y *float32)

// rankOneDotIdxAVX is rankOneDotAVX on the rows idx[:nidx].
//
//go:noescape
func rankOneDotIdxAVX(nidx int, idx *int32, n int, a, v, y, w, d *float32, ld int)

// logisticAVX sets y[j] = a/(1+e^(−s·x[j])) − b for j < n, n a multiple
// of 8.
//
//go:noescape
func logisticAVX(n int, s, a, b float32, x, y *float32)
