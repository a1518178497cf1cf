package f32

// block4x16 sets c[i][j] += Σ_{l<k} a[i][l]·b[l][j] for i < 4, j < 16
// (row-major, leading dimensions lda, ldb, ldc in elements), with the 4×16
// block of c in eight YMM accumulators: per l, two loads of b and four
// broadcasts of a feed eight fused multiply-adds. block4x8 does the same
// on 8 columns.
//
//go:noescape
func block4x16(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int)

//go:noescape
func block4x8(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int)
