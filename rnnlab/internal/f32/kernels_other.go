//go:build !amd64

package f32

// useAVX is false off amd64: every kernel falls back to gonum or Go.
var useAVX = false

func axpyAVX(n int, a float32, x, y *float32)                             { panic("f32: no AVX2") }
func dotAVX(n int, x, y *float32) float32                                 { panic("f32: no AVX2") }
func rowFused64(k int, x, w *float32, ldw int, y *float32)                { panic("f32: no AVX2") }
func rowFused32(k int, x, w *float32, ldw int, y *float32)                { panic("f32: no AVX2") }
func rowFused8(k int, x, w *float32, ldw int, y *float32)                 { panic("f32: no AVX2") }
func rowExact64(k int, alpha float32, a, b *float32, ldb int, c *float32) { panic("f32: no AVX2") }
func rowExact32(k int, alpha float32, a, b *float32, ldb int, c *float32) { panic("f32: no AVX2") }
func rowExact8(k int, alpha float32, a, b *float32, ldb int, c *float32)  { panic("f32: no AVX2") }

func rankOneDotAVX(k, n int, a, v, y, w, d *float32, ld int) { panic("f32: no AVX2") }

func rowIdx64(nidx int, idx *int32, x, w *float32, ldw int, y *float32) { panic("f32: no AVX2") }
func rowIdx8(nidx int, idx *int32, x, w *float32, ldw int, y *float32)  { panic("f32: no AVX2") }

func rankOneDotIdxAVX(nidx int, idx *int32, n int, a, v, y, w, d *float32, ld int) {
	panic("f32: no AVX2")
}

func logisticAVX(n int, s, a, b float32, x, y *float32) { panic("f32: no AVX2") }
