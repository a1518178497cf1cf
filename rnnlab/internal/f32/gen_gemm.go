//go:build ignore

// gen_gemm writes gemm_amd64.s, the micro-kernels of Gemm: one assembly
// function per number of rows h of a register tile, for the AVX-512 tile
// (h ≤ 14 rows × 32 columns in two ZMM vectors per row) and the AVX2 tile
// (h ≤ 6 rows × 16 columns in two YMM vectors per row), and the
// register-only FMA loops that measure the peak. Run with go generate.
package main

import (
	"bytes"
	"fmt"
	"os"
)

var out bytes.Buffer

func p(format string, args ...any) { fmt.Fprintf(&out, format+"\n", args...) }

// kernel writes the h-row kernel of nv vectors per row, with vector
// registers named by prefix ("Z" or "Y") of width vb bytes: accumulators
// R0…R(nv·h−1) (row r in R(nv·r)…), the vectors of B in R(nv·h)…, the
// broadcast of A after them, and alpha in the first B register once the k
// loop is done. The k loop is unrolled by four.
func kernel(name, pre string, h, nv, vb int, zero string) {
	reg := func(i int) string { return fmt.Sprintf("%s%d", pre, i) }
	bv, bc := nv*h, nv*h+nv
	p("// func %s(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha float32)", name)
	p("TEXT ·%s(SB), NOSPLIT, $0-60", name)
	p("\tMOVQ k+0(FP), CX")
	p("\tMOVQ a+8(FP), SI")
	p("\tMOVQ lda+16(FP), R12")
	p("\tSHLQ $2, R12")
	p("\tLEAQ (R12)(R12*2), R13")
	p("\tMOVQ R12, AX")
	p("\tSHLQ $2, AX")
	p("\tMOVQ b+24(FP), DI")
	p("\tMOVQ ldb+32(FP), BX")
	p("\tSHLQ $2, BX")
	p("\tLEAQ (BX)(BX*2), R9")
	p("\tMOVQ BX, R10")
	p("\tSHLQ $2, R10")
	p("\tMOVQ c+40(FP), R8")
	p("\tMOVQ ldc+48(FP), DX")
	p("\tSHLQ $2, DX")
	// Prefetch the tile of C, needed only after the k loop.
	p("\tMOVQ R8, R11")
	for r := 0; r < h; r++ {
		for off := 0; off < nv*vb; off += 64 {
			p("\tPREFETCHT0 %d(R11)", off)
		}
		if (nv*vb)%64 != 0 {
			p("\tPREFETCHT0 %d(R11)", nv*vb-4)
		}
		if r < h-1 {
			p("\tADDQ DX, R11")
		}
	}
	for i := 0; i < nv*h; i++ {
		p("\t%s %s, %s, %s", zero, reg(i), reg(i), reg(i))
	}
	step := func(base, abase string) {
		for v := 0; v < nv; v++ {
			if v == 0 {
				p("\tVMOVUPS %s, %s", base, reg(bv))
			} else {
				p("\tVMOVUPS %d%s, %s", v*vb, base, reg(bv+v))
			}
		}
		for r := 0; r < h; r++ {
			p("\tVBROADCASTSS %d%s, %s", 4*r, abase, reg(bc))
			for v := 0; v < nv; v++ {
				p("\tVFMADD231PS %s, %s, %s", reg(bv+v), reg(bc), reg(nv*r+v))
			}
		}
	}
	p("\tCMPQ CX, $4")
	p("\tJLT tail_%s", name)
	p("loop4_%s:", name)
	step("(DI)", "(SI)")
	step("(DI)(BX*1)", "(SI)(R12*1)")
	step("(DI)(BX*2)", "(SI)(R12*2)")
	step("(DI)(R9*1)", "(SI)(R13*1)")
	p("\tADDQ AX, SI")
	p("\tADDQ R10, DI")
	p("\tSUBQ $4, CX")
	p("\tCMPQ CX, $4")
	p("\tJGE loop4_%s", name)
	p("tail_%s:", name)
	p("\tTESTQ CX, CX")
	p("\tJZ store_%s", name)
	p("loop1_%s:", name)
	step("(DI)", "(SI)")
	p("\tADDQ R12, SI")
	p("\tADDQ BX, DI")
	p("\tDECQ CX")
	p("\tJNZ loop1_%s", name)
	p("store_%s:", name)
	al := reg(bv)
	p("\tVBROADCASTSS alpha+56(FP), %s", al)
	for r := 0; r < h; r++ {
		for v := 0; v < nv; v++ {
			p("\tVFMADD213PS %d(R8), %s, %s", v*vb, al, reg(nv*r+v))
			p("\tVMOVUPS %s, %d(R8)", reg(nv*r+v), v*vb)
		}
		if r < h-1 {
			p("\tADDQ DX, R8")
		}
	}
	p("\tVZEROUPPER")
	p("\tRET")
	p("")
}

// peak writes a loop of n iterations of 24 FMAs into independent
// accumulators (12 registers twice for YMM, 24 for ZMM), from two source
// registers that never change: the FMA units' throughput alone.
func peak(name, pre string, zero string) {
	p("// func %s(n int)", name)
	p("TEXT ·%s(SB), NOSPLIT, $0-8", name)
	p("\tMOVQ n+0(FP), CX")
	nacc, s0, s1 := 12, 14, 15
	if pre == "Z" {
		nacc, s0, s1 = 24, 30, 31
	}
	for _, i := range append([]int{s0, s1}, seq(nacc)...) {
		p("\t%s %s%d, %s%d, %s%d", zero, pre, i, pre, i, pre, i)
	}
	p("%s_loop:", name)
	for rep := 0; rep < 24/nacc; rep++ {
		for i := 0; i < nacc; i++ {
			p("\tVFMADD231PS %s%d, %s%d, %s%d", pre, s1, pre, s0, pre, i)
		}
	}
	p("\tDECQ CX")
	p("\tJNZ %s_loop", name)
	p("\tVZEROUPPER")
	p("\tRET")
	p("")
}

// transpose writes transpose8x8: for t < n blocks, the 8×8 block of
// src at columns 8t… (rows lds floats apart) goes transposed to dst at rows
// 8t… (ldd floats apart): dst[(8t+c)·ldd + r] = src[r·lds + 8t + c].
func transpose() {
	p("// func transpose8x8(n int, src *float32, lds int, dst *float32, ldd int)")
	p("TEXT ·transpose8x8(SB), NOSPLIT, $0-40")
	p("\tMOVQ n+0(FP), CX")
	p("\tMOVQ src+8(FP), SI")
	p("\tMOVQ lds+16(FP), BX")
	p("\tSHLQ $2, BX")
	p("\tMOVQ dst+24(FP), DI")
	p("\tMOVQ ldd+32(FP), DX")
	p("\tSHLQ $2, DX")
	p("\tLEAQ (BX)(BX*2), R9")  // 3·lds
	p("\tLEAQ (DX)(DX*2), R10") // 3·ldd
	p("\tTESTQ CX, CX")
	p("\tJZ tdone")
	p("tloop:")
	p("\tMOVQ SI, R11")
	for r := 0; r < 8; r++ {
		switch r % 4 {
		case 0:
			p("\tVMOVUPS (R11), Y%d", r)
		case 1:
			p("\tVMOVUPS (R11)(BX*1), Y%d", r)
		case 2:
			p("\tVMOVUPS (R11)(BX*2), Y%d", r)
		case 3:
			p("\tVMOVUPS (R11)(R9*1), Y%d", r)
			p("\tLEAQ (R11)(BX*4), R11")
		}
	}
	for i := 0; i < 4; i++ {
		p("\tVUNPCKLPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 8+2*i)
		p("\tVUNPCKHPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 9+2*i)
	}
	for i := 0; i < 2; i++ {
		t := 8 + 4*i
		p("\tVSHUFPS $0x44, Y%d, Y%d, Y%d", t+2, t, 4*i)
		p("\tVSHUFPS $0xEE, Y%d, Y%d, Y%d", t+2, t, 4*i+1)
		p("\tVSHUFPS $0x44, Y%d, Y%d, Y%d", t+3, t+1, 4*i+2)
		p("\tVSHUFPS $0xEE, Y%d, Y%d, Y%d", t+3, t+1, 4*i+3)
	}
	for c := 0; c < 8; c++ {
		imm := "0x20"
		if c >= 4 {
			imm = "0x31"
		}
		p("\tVPERM2F128 $%s, Y%d, Y%d, Y%d", imm, 4+c%4, c%4, 8+c)
	}
	p("\tMOVQ DI, R11")
	for c := 0; c < 8; c++ {
		switch c % 4 {
		case 0:
			p("\tVMOVUPS Y%d, (R11)", 8+c)
		case 1:
			p("\tVMOVUPS Y%d, (R11)(DX*1)", 8+c)
		case 2:
			p("\tVMOVUPS Y%d, (R11)(DX*2)", 8+c)
		case 3:
			p("\tVMOVUPS Y%d, (R11)(R10*1)", 8+c)
			p("\tLEAQ (R11)(DX*4), R11")
		}
	}
	p("\tADDQ $32, SI")
	p("\tMOVQ R11, DI")
	p("\tDECQ CX")
	p("\tJNZ tloop")
	p("tdone:")
	p("\tVZEROUPPER")
	p("\tRET")
	p("")
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func main() {
	p("// Code generated by gen_gemm.go; DO NOT EDIT.")
	p("")
	p("//go:build amd64")
	p("")
	p("#include \"textflag.h\"")
	p("")
	p("// Register tiles of Gemm: C[h×nr] += alpha·Σ_l a[l·lda + i]·b[l·ldb + j],")
	p("// a a panel of h values per l, b a panel of nr columns, rows of c ldc")
	p("// apart. CX counts l, SI walks a (R12 = lda bytes, R13 = 3·R12,")
	p("// AX = 4·R12), DI walks b (BX = ldb bytes, R9 = 3·BX, R10 = 4·BX), R8")
	p("// walks the rows of c (DX = ldc bytes).")
	p("")
	for h := 1; h <= 14; h++ {
		kernel(fmt.Sprintf("gemm512x%d", h), "Z", h, 2, 64, "VPXORD")
	}
	for h := 1; h <= 14; h++ {
		kernel(fmt.Sprintf("gemm512half%d", h), "Z", h, 1, 64, "VPXORD")
	}
	for h := 1; h <= 6; h++ {
		kernel(fmt.Sprintf("gemm256x%d", h), "Y", h, 2, 32, "VXORPS")
	}
	transpose()
	peak("fmaPeak256", "Y", "VXORPS")
	peak("fmaPeak512", "Z", "VPXORD")
	b := out.Bytes()
	if err := os.WriteFile("gemm_amd64.s", b, 0o644); err != nil {
		panic(err)
	}
}
