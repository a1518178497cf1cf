package f32

import "unsafe"

// gemmGo is the pure-Go register tile, used where no assembly kernel runs
// (off amd64, or without AVX2 and FMA): at most 4 rows × 8 columns.
var gemmGo = gemmISA{name: "go", mr: 4, nr: 8, kc: 256, mc: 128, nc: 4096, directM: 64, transpose: transpose8x8Go, kern: []gemmKernel{nil,
	gemmGoKernel(1), gemmGoKernel(2), gemmGoKernel(3), gemmGoKernel(4)}}

// gemmGoKernel returns the Go tile of h rows and 8 columns (see
// gemmKernel), accumulating each element in a float32 over l.
func gemmGoKernel(h int) gemmKernel {
	return func(k int, ap *float32, lda int, bp *float32, ldb int, cp *float32, ldc int, alpha float32) {
		if k == 0 {
			return
		}
		a := unsafe.Slice(ap, (k-1)*lda+h)
		b := unsafe.Slice(bp, (k-1)*ldb+8)
		c := unsafe.Slice(cp, (h-1)*ldc+8)
		var acc [4][8]float32
		for l := range k {
			bl := (*[8]float32)(b[l*ldb : l*ldb+8])
			al := a[l*lda : l*lda+h]
			for i, ai := range al {
				r := &acc[i]
				for j, bj := range bl {
					r[j] += ai * bj
				}
			}
		}
		for i := range h {
			ci := (*[8]float32)(c[i*ldc : i*ldc+8])
			for j, v := range acc[i] {
				ci[j] += alpha * v
			}
		}
	}
}
