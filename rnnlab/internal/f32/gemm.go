package f32

import (
	"runtime"
	"sync"
	"time"
)

// Gemm sets
//
//	C = alpha·op(A)·op(B) + beta·C
//
// for row-major matrices, as gonum's blas32 Sgemm does with blas.NoTrans or
// blas.Trans: op(A) is m×k and is A (stored m×k, leading dimension lda ≥ k)
// or Aᵀ when transA (A stored k×m, lda ≥ m); op(B) is k×n and is B (stored
// k×n, ldb ≥ n) or Bᵀ when transB (B stored n×k, ldb ≥ k); C is m×n with
// ldc ≥ n. As in BLAS, C is first scaled by beta, and set to zero without
// being read when beta = 0; when alpha = 0 or k = 0, A and B are not read.
//
// Each element is Σ_l op(A)[i][l]·op(B)[l][j] summed with fused
// multiply-adds in blocks of the k dimension, so it agrees with the exact
// sum to float32 rounding only (not bit for bit with gonum, unlike
// MulAdd). Products with m·n·k above 2²¹ are split over up to GOMAXPROCS
// goroutines; Gemm is safe for concurrent use on distinct C.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmISAs[0].gemm(runtime.GOMAXPROCS(0), gemmArgs{transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc})
}

// gemmParallelMin is the m·n·k from which Gemm uses several goroutines
// (a variable so that the tests can split small products).
var gemmParallelMin = 1 << 21

// gemmSplitKRatio: products with k ≥ gemmSplitKRatio·max(m, n) are split
// along k (gemmSplitK).
var gemmSplitKRatio = 4

// gemmArgs holds the operands of one product, C = alpha·op(A)·op(B) + beta·C.
type gemmArgs struct {
	transA, transB bool
	m, n, k        int
	alpha          float32
	a              []float32
	lda            int
	b              []float32
	ldb            int
	beta           float32
	c              []float32
	ldc            int
}

// check panics unless the leading dimensions and lengths fit the shapes.
func (g *gemmArgs) check() {
	if g.m < 0 || g.n < 0 || g.k < 0 {
		panic("f32: Gemm: negative dimension")
	}
	rowsA, colsA := g.m, g.k
	if g.transA {
		rowsA, colsA = g.k, g.m
	}
	rowsB, colsB := g.k, g.n
	if g.transB {
		rowsB, colsB = g.n, g.k
	}
	switch {
	case g.lda < max(1, colsA):
		panic("f32: Gemm: bad lda")
	case g.ldb < max(1, colsB):
		panic("f32: Gemm: bad ldb")
	case g.ldc < max(1, g.n):
		panic("f32: Gemm: bad ldc")
	}
	if g.m > 0 && g.n > 0 && len(g.c) < (g.m-1)*g.ldc+g.n {
		panic("f32: Gemm: c too short")
	}
	if g.m > 0 && g.n > 0 && g.k > 0 {
		if len(g.a) < (rowsA-1)*g.lda+colsA {
			panic("f32: Gemm: a too short")
		}
		if len(g.b) < (rowsB-1)*g.ldb+colsB {
			panic("f32: Gemm: b too short")
		}
	}
}

// cols returns the product restricted to the columns j0 ≤ j < j1 of C.
func (g gemmArgs) cols(j0, j1 int) gemmArgs {
	g.n = j1 - j0
	g.c = g.c[j0:]
	if g.transB {
		g.b = g.b[min(j0*g.ldb, len(g.b)):]
	} else {
		g.b = g.b[min(j0, len(g.b)):]
	}
	return g
}

// rows returns the product restricted to the rows i0 ≤ i < i1 of C.
func (g gemmArgs) rows(i0, i1 int) gemmArgs {
	g.m = i1 - i0
	g.c = g.c[i0*g.ldc:]
	if g.transA {
		g.a = g.a[min(i0, len(g.a)):]
	} else {
		g.a = g.a[min(i0*g.lda, len(g.a)):]
	}
	return g
}

// gemm checks g and runs it on up to threads goroutines: C is cut into
// bands of whole register tiles along its longer side (counted in tiles),
// each band computed by serial with its own packed copies, or, when k is
// at least 4 times m and n, k is cut (gemmSplitK).
func (isa *gemmISA) gemm(threads int, g gemmArgs) {
	g.check()
	if g.m == 0 || g.n == 0 {
		return
	}
	parts := 1
	if g.m*g.n*g.k >= gemmParallelMin && g.alpha != 0 {
		parts = threads
	}
	if parts > 1 && g.k >= gemmSplitKRatio*max(g.m, g.n) {
		isa.gemmSplitK(parts, g)
		return
	}
	tilesM, tilesN := ceilDiv(g.m, isa.mr), ceilDiv(g.n, isa.nr)
	byCols := tilesN >= tilesM
	tiles := tilesM
	if byCols {
		tiles = tilesN
	}
	parts = max(1, min(parts, tiles))
	if parts == 1 {
		isa.serial(&g)
		return
	}
	var wg sync.WaitGroup
	for p := range parts {
		t0, t1 := p*tiles/parts, (p+1)*tiles/parts
		var sub gemmArgs
		if byCols {
			sub = g.cols(t0*isa.nr, min(t1*isa.nr, g.n))
		} else {
			sub = g.rows(t0*isa.mr, min(t1*isa.mr, g.m))
		}
		if p == parts-1 {
			isa.serial(&sub)
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			isa.serial(&sub)
		}()
	}
	wg.Wait()
}

// gemmSplitK runs a product whose k is much longer than m and n (the
// weight gradient Xᵀ·dU over all time steps) on parts goroutines, each
// taking a slice of k, so that none packs what another packs: part 0
// computes alpha·op(A)[:, k₀]·op(B)[k₀, :] + beta·C in place, the others
// their slices into scratch m×n matrices that are then added to C.
func (isa *gemmISA) gemmSplitK(parts int, g gemmArgs) {
	scratch := make([][]float32, parts)
	var wg sync.WaitGroup
	for p := range parts {
		l0, l1 := p*g.k/parts, (p+1)*g.k/parts
		sub := g
		sub.k = l1 - l0
		if g.transA {
			sub.a = g.a[l0*g.lda:]
		} else {
			sub.a = g.a[l0:]
		}
		if g.transB {
			sub.b = g.b[l0:]
		} else {
			sub.b = g.b[l0*g.ldb:]
		}
		if p > 0 {
			sp, _ := gemmScratch.Get().(*[]float32)
			if sp == nil {
				sp = new([]float32)
			}
			if cap(*sp) < g.m*g.n {
				*sp = make([]float32, g.m*g.n)
			}
			defer gemmScratch.Put(sp)
			scratch[p] = (*sp)[:g.m*g.n]
			sub.c, sub.ldc, sub.beta = scratch[p], g.n, 0
		}
		if p == parts-1 {
			isa.serial(&sub)
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			isa.serial(&sub)
		}()
	}
	wg.Wait()
	for _, s := range scratch[1:] {
		for i := range g.m {
			Axpy(1, s[i*g.n:], g.c[i*g.ldc:i*g.ldc+g.n])
		}
	}
}

// gemmScratch pools gemmSplitK's partial products.
var gemmScratch sync.Pool

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// scaleC sets C = beta·C (C = 0 when beta = 0).
func (g *gemmArgs) scaleC() {
	if g.beta == 1 {
		return
	}
	for i := range g.m {
		ci := g.c[i*g.ldc : i*g.ldc+g.n]
		if g.beta == 0 {
			clear(ci)
			continue
		}
		for j := range ci {
			ci[j] *= g.beta
		}
	}
}

// FMAPeak measures the machine's float32 floating-point peak now, in
// GFLOP/s: threads goroutines run register-only fused multiply-adds (24
// independent accumulators on the widest vectors Gemm uses, 2 flops per
// lane) for five windows of d/5 each, and FMAPeak returns the best
// window's total flops over its wall time (the best, so that other
// processes taking the cores for a moment lower it less). It returns 0
// where Gemm has no assembly kernel. A product's GFLOP/s over this number
// is its fraction of the peak, both measured in the same run.
func FMAPeak(threads int, d time.Duration) float64 {
	if fmaPeak(1) == 0 || threads < 1 {
		return 0
	}
	const iters = 1 << 12
	best := 0.0
	for range 5 {
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			flops int
		)
		start := time.Now()
		for range threads {
			wg.Go(func() {
				n := 0
				for time.Since(start) < d/5 {
					n += fmaPeak(iters)
				}
				mu.Lock()
				flops += n
				mu.Unlock()
			})
		}
		wg.Wait()
		best = max(best, float64(flops)/time.Since(start).Seconds()/1e9)
	}
	return best
}
