package f32

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// gemmCase is one product with its operands laid out in padded storage.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a, b, c        []float32
	lda, ldb, ldc  int
}

// newGemmCase fills A, B and C with values in [-1, 1), leading dimensions
// pad beyond the minimum (the padding holds NaN, which must never be read).
func newGemmCase(rng *rand.Rand, transA, transB bool, m, n, k, pad int, alpha, beta float32) *gemmCase {
	g := &gemmCase{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta}
	rowsA, colsA := m, k
	if transA {
		rowsA, colsA = k, m
	}
	rowsB, colsB := k, n
	if transB {
		rowsB, colsB = n, k
	}
	fill := func(rows, cols int) ([]float32, int) {
		ld := max(1, cols+pad)
		s := make([]float32, max(0, (rows-1)*ld+cols))
		for i := range s {
			if i%ld < cols {
				s[i] = 2*rng.Float32() - 1
			} else {
				s[i] = float32(math.NaN())
			}
		}
		return s, ld
	}
	g.a, g.lda = fill(rowsA, colsA)
	g.b, g.ldb = fill(rowsB, colsB)
	g.c, g.ldc = fill(m, n)
	return g
}

func (g *gemmCase) opA(i, l int) float64 {
	if g.transA {
		return float64(g.a[l*g.lda+i])
	}
	return float64(g.a[i*g.lda+l])
}

func (g *gemmCase) opB(l, j int) float64 {
	if g.transB {
		return float64(g.b[j*g.ldb+l])
	}
	return float64(g.b[l*g.ldb+j])
}

// reference returns alpha·op(A)·op(B) + beta·C in float64 with BLAS's
// conventions (beta = 0 ignores C, alpha = 0 ignores A and B) and, for
// each element, the bound on float32 error: (k+4)·2⁻²³ times the sum of
// the absolute values of the terms.
func (g *gemmCase) reference() (want, bound []float64) {
	want = make([]float64, len(g.c))
	bound = make([]float64, len(g.c))
	for i := range g.m {
		for j := range g.n {
			var s, abs, cb float64
			if g.alpha != 0 {
				for l := range g.k {
					p := g.opA(i, l) * g.opB(l, j)
					s += p
					abs += math.Abs(p)
				}
			}
			if g.beta != 0 {
				cb = float64(g.beta) * float64(g.c[i*g.ldc+j])
			}
			want[i*g.ldc+j] = float64(g.alpha)*s + cb
			bound[i*g.ldc+j] = float64(g.k+4) * 0x1p-23 * (math.Abs(float64(g.alpha))*abs + math.Abs(cb))
		}
	}
	return want, bound
}

// compare fails unless got (C after the product) is within bound of want
// element by element, with the same NaNs and infinities; the padding of
// C must be untouched.
func (g *gemmCase) compare(t *testing.T, what string, got []float32, want, bound []float64) {
	t.Helper()
	for i := range got {
		if i%g.ldc >= g.n {
			if !math.IsNaN(float64(got[i])) {
				t.Fatalf("%s: padding element %d of C written (%v)", what, i, got[i])
			}
			continue
		}
		x, w := float64(got[i]), want[i]
		switch {
		case math.IsNaN(w) || math.IsInf(w, 0):
			if !(math.IsNaN(w) && math.IsNaN(x)) && x != w {
				t.Fatalf("%s: C[%d][%d] = %v, want %v", what, i/g.ldc, i%g.ldc, x, w)
			}
		case math.Abs(x-w) > bound[i]:
			t.Fatalf("%s: C[%d][%d] = %v, want %v ± %.3g", what, i/g.ldc, i%g.ldc, x, w, bound[i])
		}
	}
}

func (g *gemmCase) String() string {
	return fmt.Sprintf("tA=%v tB=%v m=%d n=%d k=%d lda=%d ldb=%d ldc=%d alpha=%v beta=%v",
		g.transA, g.transB, g.m, g.n, g.k, g.lda, g.ldb, g.ldc, g.alpha, g.beta)
}

// run computes the case with isa on threads goroutines into a copy of C.
func (g *gemmCase) run(isa *gemmISA, threads int) []float32 {
	c := append([]float32(nil), g.c...)
	isa.gemm(threads, gemmArgs{g.transA, g.transB, g.m, g.n, g.k, g.alpha, g.a, g.lda, g.b, g.ldb, g.beta, c, g.ldc})
	return c
}

// gonum computes the case with gonum's Sgemm into a copy of C.
func (g *gemmCase) gonum() []float32 {
	c := append([]float32(nil), g.c...)
	tr := func(t bool) blas.Transpose {
		if t {
			return blas.Trans
		}
		return blas.NoTrans
	}
	rowsA, colsA := g.m, g.k
	if g.transA {
		rowsA, colsA = g.k, g.m
	}
	rowsB, colsB := g.k, g.n
	if g.transB {
		rowsB, colsB = g.n, g.k
	}
	blas32.Gemm(tr(g.transA), tr(g.transB), g.alpha,
		blas32.General{Rows: rowsA, Cols: colsA, Stride: g.lda, Data: g.a},
		blas32.General{Rows: rowsB, Cols: colsB, Stride: g.ldb, Data: g.b},
		g.beta, blas32.General{Rows: g.m, Cols: g.n, Stride: g.ldc, Data: c})
	return c
}

// testISAs returns every kernel this CPU runs, each with its own blocking
// and with a tiny one that cuts even small products into many k, m and n
// blocks (nc not a multiple of nr, so narrow tiles fall mid-row too).
func testISAs() []*gemmISA {
	var l []*gemmISA
	for _, isa := range gemmISAs {
		small := *isa
		small.name += "/small-blocks"
		small.kc, small.mc, small.nc = 7, isa.mr+3, 2*isa.nr+5
		l = append(l, isa, &small)
	}
	return l
}

// TestGemmAgainstReference checks every kernel, serial and split over 2
// and 3 goroutines, against the float64 product (and gonum's Sgemm against
// the same bound) over all four transpositions, shapes from 1 to 300 that
// are and are not multiples of the tiles and blocks, padded leading
// dimensions and several alpha and beta.
func TestGemmAgainstReference(t *testing.T) {
	defer func(v int) { gemmParallelMin = v }(gemmParallelMin)
	gemmParallelMin = 0
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := [][3]int{
		{1, 1, 1}, {1, 1, 7}, {2, 3, 1}, {14, 32, 16}, {15, 33, 17}, {13, 31, 255}, {28, 64, 256},
		{16, 64, 67}, {64, 256, 259}, {29, 97, 300}, {300, 17, 5}, {5, 300, 31}, {169, 65, 257},
		{6, 16, 3}, {7, 17, 5}, {5, 9, 300}, {29, 17, 290}, {12, 48, 100}, {57, 129, 1}, {1, 300, 300}, {300, 1, 300},
	}
	for range 12 {
		shapes = append(shapes, [3]int{1 + rng.IntN(300), 1 + rng.IntN(300), 1 + rng.IntN(300)})
	}
	params := [][2]float32{{1, 0}, {1, 1}, {-0.5, 2}, {1.25, -1}}
	for si, sh := range shapes {
		for tc := range 4 {
			ab := params[(si+tc)%len(params)]
			g := newGemmCase(rng, tc&1 != 0, tc&2 != 0, sh[0], sh[1], sh[2], (si+tc)%3, ab[0], ab[1])
			want, bound := g.reference()
			g.compare(t, "gonum "+g.String(), g.gonum(), want, bound)
			for _, isa := range testISAs() {
				for _, threads := range []int{1, 2, 3} {
					g.compare(t, fmt.Sprintf("%s threads=%d %v", isa.name, threads, g), g.run(isa, threads), want, bound)
				}
			}
		}
	}
}

// TestGemmSpecialValues checks BLAS's conventions and IEEE propagation:
// beta = 0 overwrites a C full of NaN, alpha = 0 or k = 0 only scales C
// (NaN in A and B unread), and a NaN or an infinity in A or B reaches
// exactly the elements of C it reaches in the float64 product.
func TestGemmSpecialValues(t *testing.T) {
	defer func(v int) { gemmParallelMin = v }(gemmParallelMin)
	gemmParallelMin = 0
	rng := rand.New(rand.NewPCG(5, 6))
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, isa := range testISAs() {
		for tc := range 4 {
			tA, tB := tc&1 != 0, tc&2 != 0
			// beta = 0 on a C of NaN.
			g := newGemmCase(rng, tA, tB, 19, 37, 21, 1, 0.5, 0)
			for i := range g.c {
				g.c[i] = nan
			}
			want, bound := g.reference()
			got := g.run(isa, 2)
			for i := range g.c {
				if i%g.ldc < g.n && math.IsNaN(float64(got[i])) {
					t.Fatalf("%s %v: beta = 0 left NaN at %d", isa.name, g, i)
				}
			}
			// alpha = 0 with NaN operands: C = beta·C.
			g = newGemmCase(rng, tA, tB, 19, 37, 21, 1, 0, 0.5)
			for i := range g.a {
				g.a[i] = nan
			}
			want, bound = g.reference()
			g.compare(t, isa.name+" alpha=0 "+g.String(), g.run(isa, 2), want, bound)
			// k = 0.
			g = newGemmCase(rng, tA, tB, 19, 37, 0, 1, 1, -2)
			want, bound = g.reference()
			g.compare(t, isa.name+" k=0 "+g.String(), g.run(isa, 2), want, bound)
			// NaN, +Inf and -Inf in A and B.
			g = newGemmCase(rng, tA, tB, 31, 45, 40, 2, 1, 1)
			for _, v := range []float32{nan, inf, -inf} {
				g.a[rng.IntN(len(g.a))] = v
				g.b[rng.IntN(len(g.b))] = v
			}
			want, bound = g.reference()
			g.compare(t, isa.name+" NaN/Inf "+g.String(), g.run(isa, 2), want, bound)
		}
	}
}

// TestGemmPanics checks that bad dimensions and short slices panic.
func TestGemmPanics(t *testing.T) {
	s := make([]float32, 100)
	for name, f := range map[string]func(){
		"negative m": func() { Gemm(false, false, -1, 2, 2, 1, s, 2, s, 2, 0, s, 2) },
		"lda < k":    func() { Gemm(false, false, 2, 2, 3, 1, s, 2, s, 2, 0, s, 2) },
		"lda < m":    func() { Gemm(true, false, 4, 2, 3, 1, s, 3, s, 2, 0, s, 2) },
		"ldb < k":    func() { Gemm(false, true, 2, 2, 3, 1, s, 3, s, 2, 0, s, 2) },
		"ldc < n":    func() { Gemm(false, false, 2, 3, 2, 1, s, 2, s, 3, 0, s, 2) },
		"short a":    func() { Gemm(false, false, 11, 2, 10, 1, s, 10, s, 2, 0, s, 2) },
		"short b":    func() { Gemm(false, false, 2, 11, 10, 1, s, 10, s, 11, 0, s, 11) },
		"short c":    func() { Gemm(false, false, 11, 10, 2, 1, s, 2, s, 10, 0, s, 10) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// TestTransposeInto checks the packing transposition of every kernel set
// (8×8 assembly blocks and Go edges) on all shapes up to 19×19.
func TestTransposeInto(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, isa := range gemmISAs {
		for rows := 1; rows < 20; rows++ {
			for cols := 1; cols < 20; cols++ {
				lds, ldd := cols+rng.IntN(3), rows+rng.IntN(3)
				src := randVec(rng, (rows-1)*lds+cols, false)
				d := make([]float32, (cols-1)*ldd+rows)
				isa.transposeInto(d, ldd, src, lds, rows, cols)
				for r := range rows {
					for l := range cols {
						if d[l*ldd+r] != src[r*lds+l] {
							t.Fatalf("%s %d×%d: d[%d][%d] = %v, want %v", isa.name, rows, cols, l, r, d[l*ldd+r], src[r*lds+l])
						}
					}
				}
			}
		}
	}
}

// TestFMAPeak checks that the peak is positive where an FMA kernel runs
// (and 0 elsewhere), and logs it beside Gemm's rate on a 256³ product.
func TestFMAPeak(t *testing.T) {
	p := FMAPeak(1, 25*time.Millisecond)
	if fmaPeak(1) == 0 {
		if p != 0 {
			t.Fatalf("FMAPeak = %v without a kernel", p)
		}
		return
	}
	if p <= 0 {
		t.Fatalf("FMAPeak = %v", p)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const n = 256
	a, c := make([]float32, n*n), make([]float32, n*n)
	start := time.Now()
	for range 10 {
		Gemm(false, false, n, n, n, 1, a, n, a, n, 0, c, n)
	}
	t.Logf("FMA peak %.1f GFLOP/s, Gemm %d³ %.1f GFLOP/s (one thread)", p, n, 10*2*n*n*n/time.Since(start).Seconds()/1e9)
}

// TestGemmConcurrent runs products on several goroutines at once (each
// split further, sharing the pool of packing buffers) and checks each
// against its reference.
func TestGemmConcurrent(t *testing.T) {
	defer func(v int) { gemmParallelMin = v }(gemmParallelMin)
	gemmParallelMin = 0
	rng := rand.New(rand.NewPCG(9, 10))
	cases := make([]*gemmCase, 6)
	for i := range cases {
		cases[i] = newGemmCase(rng, i&1 != 0, i&2 != 0, 20+17*i, 90-11*i, 40+60*i, i%2, 1, 0.5)
	}
	errs := make(chan string, len(cases))
	for _, g := range cases {
		go func() {
			want, bound := g.reference()
			got := g.run(gemmISAs[0], 2)
			for i := range want {
				if i%g.ldc < g.n && math.Abs(float64(got[i])-want[i]) > bound[i] {
					errs <- fmt.Sprintf("%v: C[%d] = %v, want %v", g, i, got[i], want[i])
					return
				}
			}
			errs <- ""
		}()
	}
	for range cases {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}
