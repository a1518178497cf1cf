package f32

// FusedKC and FusedNC are the block of b that MulAddFused keeps in the L1
// cache while every row of a uses it: 128 rows of 64 columns, 32 KiB.
const FusedKC, FusedNC = 128, 64

// MulAddFused sets c += a·b for row-major a (m×k, leading dimension lda),
// b (k×n, ldb) and c (m×n, ldc):
//
//	c[i][j] += Σ_{l<k} a[i][l]·b[l][j]
//
// with fused multiply-adds in any order (float32 tolerance, like Axpy,
// Dot and AccumRows; not MulAdd's bit-exact sums). The work runs on blocks
// of FusedKC rows and FusedNC columns of b, each used by all rows of a
// while it sits in the L1 cache; within a block, the AVX2 kernels compute
// 4 rows × 16 columns of c at a time in registers (two loads of b and four
// broadcasts of a per eight multiply-adds), the rows and columns left over
// by AccumRows. Without AVX2 every row is AccumRows.
func MulAddFused(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m == 0 || n == 0 || k == 0 {
		return
	}
	if lda < k || ldb < n || ldc < n || len(a) < (m-1)*lda+k || len(b) < (k-1)*ldb+n || len(c) < (m-1)*ldc+n {
		panic("f32: MulAddFused: bad dimensions")
	}
	for k0 := 0; k0 < k; k0 += FusedKC {
		kb := min(FusedKC, k-k0)
		for j0 := 0; j0 < n; j0 += FusedNC {
			nb := min(FusedNC, n-j0)
			bb := b[k0*ldb+j0:]
			i, j := 0, 0 // the block kernels cover rows [0, i), columns [j0, j0+j)
			if useAVX {
				j = nb &^ 7
				for ; i+4 <= m; i += 4 {
					ai := a[i*lda+k0:]
					ci := c[i*ldc+j0:]
					jj := 0
					for ; jj+16 <= j; jj += 16 {
						block4x16(kb, &ai[0], lda, &bb[jj], ldb, &ci[jj], ldc)
					}
					if jj < j {
						block4x8(kb, &ai[0], lda, &bb[jj], ldb, &ci[jj], ldc)
					}
				}
			}
			// What the block kernels left: the columns past j of rows < i,
			// then whole rows from i on.
			if j < nb {
				for r := range i {
					AccumRows(c[r*ldc+j0+j:r*ldc+j0+nb], a[r*lda+k0:r*lda+k0+kb], bb[j:], ldb)
				}
			}
			for r := i; r < m; r++ {
				AccumRows(c[r*ldc+j0:r*ldc+j0+nb], a[r*lda+k0:r*lda+k0+kb], bb, ldb)
			}
		}
	}
}
