package f32

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"gonum.org/v1/gonum/blas"
)

// gemmBenchShapes are the square products and the products of an RNN
// training step (issue 20) with I = 3 inputs: forward B×(I+H) by (I+H)×G
// for G = H, 3H (GRU) or 4H (LSTM) columns; backward dX = dU·Wᵀ (B×G by
// ((I+H)×G)ᵀ; dXWt: the same by a transposed copy of W, not transposed)
// and dW = Xᵀ·dU with the T·B = 6400 rows of 100 steps stacked.
var gemmBenchShapes = func() []struct {
	name           string
	transA, transB bool
	m, n, k        int
} {
	type s = struct {
		name           string
		transA, transB bool
		m, n, k        int
	}
	var l []s
	for _, n := range []int{64, 128, 256, 512, 1024} {
		l = append(l, s{fmt.Sprintf("square%d", n), false, false, n, n, n})
	}
	for _, c := range []struct{ b, h, g int }{{16, 64, 1}, {64, 64, 1}, {16, 256, 1}, {64, 256, 1}, {16, 512, 1}, {64, 512, 1}, {64, 256, 3}, {16, 512, 3}, {64, 256, 4}, {16, 512, 4}} {
		tag := fmt.Sprintf("B%d_H%d_G%d", c.b, c.h, c.g)
		l = append(l,
			s{"fwd_" + tag, false, false, c.b, c.g * c.h, 3 + c.h},
			s{"dX_" + tag, false, true, c.b, 3 + c.h, c.g * c.h},
			s{"dXWt_" + tag, false, false, c.b, 3 + c.h, c.g * c.h})
	}
	for _, c := range []struct{ h, g int }{{64, 1}, {256, 1}, {512, 1}, {256, 4}} {
		l = append(l, s{fmt.Sprintf("dW_TB6400_H%d_G%d", c.h, c.g), true, false, 3 + c.h, c.g * c.h, 6400})
	}
	return l
}()

// BenchmarkGemm times Gemm beside gonum's Sgemm on every shape at 1 and 2
// threads (GOMAXPROCS, which gonum's Sgemm follows too), in GFLOP/s
// (2·m·n·k per product).
func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, sh := range gemmBenchShapes {
		lda, ldb := sh.k, sh.n
		if sh.transA {
			lda = sh.m
		}
		if sh.transB {
			ldb = sh.k
		}
		a := randVec(rng, sh.m*sh.k, false)
		bb := randVec(rng, sh.k*sh.n, false)
		c := make([]float32, sh.m*sh.n)
		tr := func(t bool) blas.Transpose {
			if t {
				return blas.Trans
			}
			return blas.NoTrans
		}
		impls := []struct {
			name string
			f    func()
		}{
			{"f32", func() { Gemm(sh.transA, sh.transB, sh.m, sh.n, sh.k, 1, a, lda, bb, ldb, 0, c, sh.n) }},
			{"gonum", func() {
				impl.Sgemm(tr(sh.transA), tr(sh.transB), sh.m, sh.n, sh.k, 1, a, lda, bb, ldb, 0, c, sh.n)
			}},
		}
		for _, threads := range []int{1, 2} {
			for _, im := range impls {
				b.Run(fmt.Sprintf("%s/threads=%d/%s", sh.name, threads, im.name), func(b *testing.B) {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(threads))
					cpu0 := cpuSeconds()
					for b.Loop() {
						im.f()
					}
					reportGFLOPS(b, 2*float64(sh.m*sh.n*sh.k)*float64(b.N), cpuSeconds()-cpu0, threads)
				})
			}
		}
	}
}

// BenchmarkFMAPeak measures the machine's float32 peak in the same run as
// the products: register-only fused multiply-adds on the widest vectors,
// 1 and 2 goroutines.
func BenchmarkFMAPeak(b *testing.B) {
	if fmaPeak(1) == 0 {
		b.Skip("no FMA kernel on this CPU")
	}
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			const iters = 1 << 16
			cpu0 := cpuSeconds()
			var mu sync.Mutex
			flops := 0
			for b.Loop() {
				var wg sync.WaitGroup
				for range threads {
					wg.Go(func() {
						f := fmaPeak(iters)
						mu.Lock()
						flops += f
						mu.Unlock()
					})
				}
				wg.Wait()
			}
			reportGFLOPS(b, float64(flops), cpuSeconds()-cpu0, threads)
		})
	}
}

// reportGFLOPS reports flops over the benchmark's time in GFLOP/s and, as
// GFLOP/cpu-s·threads, over the CPU time the process used (cpu seconds)
// times threads: the rate the threads would reach if the machine were
// theirs alone (it counts no time waiting for a core).
func reportGFLOPS(b *testing.B, flops, cpu float64, threads int) {
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	if cpu > 0 {
		b.ReportMetric(flops/cpu*float64(threads)/1e9, "GFLOP/cpu-s·threads")
	}
}

// BenchmarkGemmKernels times every kernel set this CPU runs (AVX-512,
// AVX2, pure Go) on one thread, on a square and an RNN product.
func BenchmarkGemmKernels(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, sh := range [][3]int{{256, 256, 256}, {64, 256, 259}} {
		m, n, k := sh[0], sh[1], sh[2]
		a, bb, c := randVec(rng, m*k, false), randVec(rng, k*n, false), make([]float32, m*n)
		for _, isa := range gemmISAs {
			b.Run(fmt.Sprintf("%dx%dx%d/%s", m, n, k, isa.name), func(b *testing.B) {
				cpu0 := cpuSeconds()
				for b.Loop() {
					isa.gemm(1, gemmArgs{false, false, m, n, k, 1, a, k, bb, n, 0, c, n})
				}
				reportGFLOPS(b, 2*float64(m*n*k)*float64(b.N), cpuSeconds()-cpu0, 1)
			})
		}
	}
}
