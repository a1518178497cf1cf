//go:build !amd64

package f32

func block4x16(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int) {
	panic("f32: no AVX2")
}

func block4x8(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int) {
	panic("f32: no AVX2")
}
