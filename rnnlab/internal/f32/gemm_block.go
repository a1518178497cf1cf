package f32

import (
	"sync"
	"unsafe"
)

// gemmKernel is a register tile of h rows (h fixed by the function) and nr
// columns: for i < h, j < nr,
//
//	c[i·ldc + j] += alpha · Σ_{l<k} a[l·lda + i] · b[l·ldb + j].
type gemmKernel func(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)

// gemmISA is one instruction set's register tiles and cache blocking:
// kern[h] is the tile of h ≤ mr rows; kc, mc and nc bound the k, m and n
// extents of the packed blocks (see the package doc, "Gemm").
type gemmISA struct {
	name       string
	mr, nr     int
	kern       []gemmKernel
	half       []gemmKernel // optional: half[h] is kern[h] on the first nr/2 columns
	kc, mc, nc int
	directM    int                                                       // directB: B is read unpacked when m ≤ directM
	transpose  func(n int, src *float32, lds int, dst *float32, ldd int) // see transpose8x8Go
}

// transpose8x8Go copies n 8×8 blocks transposed:
//
//	dst[(8t+c)·ldd + r] = src[r·lds + 8t + c]   for t < n; r, c < 8.
func transpose8x8Go(n int, srcp *float32, lds int, dstp *float32, ldd int) {
	if n == 0 {
		return
	}
	src := unsafe.Slice(srcp, 7*lds+8*n)
	dst := unsafe.Slice(dstp, (8*n-1)*ldd+8)
	for r := range 8 {
		for c, v := range src[r*lds : r*lds+8*n] {
			dst[c*ldd+r] = v
		}
	}
}

// transposeInto sets d[l·ldd + r] = src[r·lds + l] for r < rows, l < cols:
// 8×8 blocks with isa.transpose, the edges in Go.
func (isa *gemmISA) transposeInto(d []float32, ldd int, src []float32, lds, rows, cols int) {
	if rows == 0 || cols == 0 {
		return
	}
	if len(src) < (rows-1)*lds+cols || len(d) < (cols-1)*ldd+rows {
		panic("f32: transposeInto: short slice")
	}
	r8, c8 := rows&^7, cols&^7
	for r0 := 0; r0 < r8; r0 += 8 {
		if c8 > 0 {
			isa.transpose(c8/8, &src[r0*lds], lds, &d[r0], ldd)
		}
	}
	for r := range rows {
		l0 := c8
		if r >= r8 {
			l0 = 0
		}
		for l, v := range src[r*lds+l0 : r*lds+cols] {
			d[(l0+l)*ldd+r] = v
		}
	}
}

// gemmBuf holds one goroutine's packed blocks, 64-byte aligned.
type gemmBuf struct {
	ap, bp, tmp []float32
}

var gemmPool sync.Pool

// gemmDirectAN: when op(A) = Aᵀ and n ≤ gemmDirectAN, the tiles read A
// where it lies (the h values of a panel for one l are contiguous in a row
// of A) instead of from a packed copy: with few columns of C each element
// of A is used only 2n times, too few to repay its copy (measured: 67×64
// by k = 6400 runs at 105 GFLOP/s instead of 64; at n = 256 packing wins,
// 91 against 83).
var gemmDirectAN = 128

// aligned returns a slice of n float32s starting on a 64-byte boundary,
// reusing s when it is long enough.
func aligned(s []float32, n int) []float32 {
	if cap(s) >= n && uintptr(unsafe.Pointer(unsafe.SliceData(s)))%64 == 0 {
		return s[:n]
	}
	s = make([]float32, n+16)
	off := int((64 - uintptr(unsafe.Pointer(&s[0]))%64) % 64 / 4)
	return s[off : off+n : off+n]
}

// directB reports whether the full-width panels of op(B) are read where
// they lie instead of packed: B not transposed and so few rows of C that
// packing B (a copy of every element) would cost more than the strided
// reads it saves.
func (isa *gemmISA) directB(g *gemmArgs) bool {
	return !g.transB && g.m <= isa.directM
}

// serial computes g on the calling goroutine: the blocked loops of
// Goto and van de Geijn over packed blocks of op(B) (kb×nb, panels of nr
// columns) and op(A) (mb×kb, panels of at most mr rows), with the register
// tile innermost.
func (isa *gemmISA) serial(g *gemmArgs) {
	g.scaleC()
	if g.alpha == 0 || g.k == 0 {
		return
	}
	mr, nr := isa.mr, isa.nr
	kb0 := ceilDiv(g.k, ceilDiv(g.k, isa.kc))
	mb0 := ceilDiv(g.m, ceilDiv(g.m, isa.mc))
	nb0 := min(g.n, isa.nc)
	direct := isa.directB(g)
	directA := g.transA && g.n <= gemmDirectAN

	buf, _ := gemmPool.Get().(*gemmBuf)
	if buf == nil {
		buf = new(gemmBuf)
	}
	buf.ap = aligned(buf.ap, mb0*kb0)
	buf.bp = aligned(buf.bp, kb0*ceilDiv(nb0, nr)*nr)
	buf.tmp = aligned(buf.tmp, mr*nr)
	defer gemmPool.Put(buf)

	for jc := 0; jc < g.n; jc += nb0 {
		nb := min(nb0, g.n-jc)
		full := nb / nr // panels of nr columns; a narrower one follows when nb%nr ≠ 0
		for pc := 0; pc < g.k; pc += kb0 {
			kb := min(kb0, g.k-pc)
			first := 0
			if direct {
				first = full
			}
			isa.packB(buf.bp, g, pc, kb, jc, nb, nr, first)
			for ic := 0; ic < g.m; ic += mb0 {
				mb := min(mb0, g.m-ic)
				np := ceilDiv(mb, mr)
				if !directA {
					isa.packA(buf.ap, g, ic, mb, pc, kb, np)
				}
				isa.macro(g, buf, ic, mb, np, pc, kb, jc, nb, directA, direct)
			}
		}
	}
}

// macro runs the register tiles over the packed mb×nb block of C at
// (ic, jc): panels of op(B) outer, the np panels of op(A) inner, so that
// one kb×nr panel of op(B) stays in L1 while the panels of op(A) stream
// from L2. Tiles narrower than nr go through buf.tmp.
func (isa *gemmISA) macro(g *gemmArgs, buf *gemmBuf, ic, mb, np, pc, kb, jc, nb int, directA, directB bool) {
	nr := isa.nr
	for jr := 0; jr < nb; jr += nr {
		w := min(nr, nb-jr)
		bp, ldb := &buf.bp[jr*kb], nr
		if directB && w == nr {
			bp, ldb = &g.b[pc*g.ldb+jc+jr], g.ldb
		}
		ao := 0
		for p := range np {
			i0, i1 := p*mb/np, (p+1)*mb/np
			h := i1 - i0
			ap, lda := &buf.ap[ao], h
			ao += h * kb
			if directA {
				ap, lda = &g.a[pc*g.lda+ic+i0], g.lda
			}
			ci := (ic+i0)*g.ldc + jc + jr
			if w == nr {
				isa.kern[h](kb, ap, lda, bp, ldb, &g.c[ci], g.ldc, g.alpha)
				continue
			}
			t := buf.tmp[:h*nr]
			clear(t)
			if w <= nr/2 && isa.half != nil {
				isa.half[h](kb, ap, lda, bp, ldb, &t[0], nr, 1)
			} else {
				isa.kern[h](kb, ap, lda, bp, ldb, &t[0], nr, 1)
			}
			for i := range h {
				cr := g.c[ci+i*g.ldc : ci+i*g.ldc+w]
				for j, v := range t[i*nr : i*nr+w] {
					cr[j] += g.alpha * v
				}
			}
		}
	}
}

// packA copies op(A)[ic:ic+mb][pc:pc+kb] into dst as np panels of rows
// p·mb/np ≤ i < (p+1)·mb/np, each stored l-major: dst[l·h + i] for a panel
// of h rows.
func (isa *gemmISA) packA(dst []float32, g *gemmArgs, ic, mb, pc, kb, np int) {
	if g.transA {
		// op(A)[i][l] = a[l·lda + i]: row pc+l of a holds column l of the
		// block; each panel takes h contiguous values of it.
		for l := range kb {
			row := g.a[(pc+l)*g.lda+ic : (pc+l)*g.lda+ic+mb]
			o := 0
			for p := range np {
				i0, i1 := p*mb/np, (p+1)*mb/np
				h := i1 - i0
				d := dst[o+l*h : o+l*h+h]
				for r, v := range row[i0:i1] {
					d[r] = v
				}
				o += h * kb
			}
		}
		return
	}
	o := 0
	for p := range np {
		i0, i1 := ic+p*mb/np, ic+(p+1)*mb/np
		h := i1 - i0
		isa.transposeInto(dst[o:o+h*kb], h, g.a[i0*g.lda+pc:], g.lda, h, kb)
		o += h * kb
	}
}

// packB copies op(B)[pc:pc+kb][jc:jc+nb] into dst as panels of nr columns,
// each stored l-major (dst[(jr/nr)·kb·nr + l·nr + j]), the last one padded
// with zeros; panels before the first-th are skipped.
func (isa *gemmISA) packB(dst []float32, g *gemmArgs, pc, kb, jc, nb, nr, first int) {
	j0 := first * nr
	if j0 >= nb {
		return
	}
	if !g.transB {
		// Row pc+l of b, read sequentially, feeds row l of every panel.
		for l := range kb {
			row := g.b[(pc+l)*g.ldb+jc : (pc+l)*g.ldb+jc+nb]
			for jr := j0; jr < nb; jr += nr {
				w := min(nr, nb-jr)
				d := dst[jr*kb+l*nr : jr*kb+l*nr+nr]
				copy(d, row[jr:jr+w])
				clear(d[w:])
			}
		}
		return
	}
	// op(B)[l][j] = b[j·ldb + l]: row jc+j of b holds column j of the
	// block, transposed in 8×8 blocks.
	for jr := j0; jr < nb; jr += nr {
		w := min(nr, nb-jr)
		d := dst[jr*kb : jr*kb+kb*nr]
		isa.transposeInto(d, nr, g.b[(jc+jr)*g.ldb+pc:], g.ldb, w, kb)
		if w < nr {
			for l := range kb {
				clear(d[l*nr+w : l*nr+nr])
			}
		}
	}
}
