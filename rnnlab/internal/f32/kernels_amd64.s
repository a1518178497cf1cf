//go:build amd64

#include "textflag.h"

// Register use of the row kernels:
//   CX  l counter (k down to 0)      SI  &a[l] (or &x[l])
//   DI  &b[l·ldb]                    DX  ldb in bytes
//   R8  &c[0]                        Y0…Y7  c[0:64] accumulators
//   X14 alpha                        X13 0.0
//   Y15 t = alpha·a[l] broadcast     Y8…Y12 products

// EXACT(off, acc, tmp): acc = tmp + acc with tmp = b[off]·t rounded
// (same operand order as gonum's MULPS X0, X2; ADDPS (DI), X2).
#define EXACT(off, acc, tmp) \
	VMOVUPS off(DI), tmp; \
	VMULPS  Y15, tmp, tmp; \
	VADDPS  acc, tmp, acc

// FUSED(off, acc): acc += t·b[off] with one rounding.
#define FUSED(off, acc) \
	VFMADD231PS off(DI), Y15, acc

// ROWHEAD loads the arguments of a row kernel; the exact kernels also
// load alpha.
#define ROWHEAD \
	MOVQ    a+16(FP), SI; \
	MOVQ    b+24(FP), DI; \
	MOVQ    ldb+32(FP), DX; \
	SHLQ    $2, DX; \
	MOVQ    c+40(FP), R8; \
	MOVQ    k+0(FP), CX; \
	VMOVSS  alpha+8(FP), X14; \
	VXORPS  X13, X13, X13

#define FUSEDHEAD \
	MOVQ    x+8(FP), SI; \
	MOVQ    w+16(FP), DI; \
	MOVQ    ldw+24(FP), DX; \
	SHLQ    $2, DX; \
	MOVQ    y+32(FP), R8; \
	MOVQ    k+0(FP), CX; \
	VXORPS  X13, X13, X13

// TSCALED: X15 = alpha·a[l] (gonum's tmp := alpha * v); jump to skip
// when it compares equal to zero (ZF=1, PF=0: NaN is not skipped).
#define TSCALED(skip) \
	VMOVSS   (SI), X15; \
	VMULSS   X15, X14, X15; \
	VUCOMISS X13, X15; \
	JP       2(PC); \
	JEQ      skip; \
	VBROADCASTSS X15, Y15

#define TPLAIN(skip) \
	VMOVSS   (SI), X15; \
	VUCOMISS X13, X15; \
	JP       2(PC); \
	JEQ      skip; \
	VBROADCASTSS X15, Y15

// IDXROW(skip): AX = idx[r]·4 bytes, Y15 = broadcast x[idx[r]] (jump to
// skip when it is ±0), then AX = idx[r]·ld·4, the row's byte offset in w.
#define IDXROW(skip) \
	MOVLQSX  (BX), AX; \
	VMOVSS   (SI)(AX*4), X15; \
	VUCOMISS X13, X15; \
	JP       2(PC); \
	JEQ      skip; \
	VBROADCASTSS X15, Y15; \
	IMULQ    DX, AX

// FUSEDIDX(off, acc): acc += x[i]·w[i][off/4 : off/4+8].
#define FUSEDIDX(off, acc) \
	VFMADD231PS off(DI)(AX*1), Y15, acc

#define IDXHEAD \
	MOVQ    nidx+0(FP), CX; \
	MOVQ    idx+8(FP), BX; \
	MOVQ    x+16(FP), SI; \
	MOVQ    w+24(FP), DI; \
	MOVQ    ldw+32(FP), DX; \
	SHLQ    $2, DX; \
	MOVQ    y+40(FP), R8; \
	VXORPS  X13, X13, X13

// func rowExact64(k int, alpha float32, a, b *float32, ldb int, c *float32)
TEXT ·rowExact64(SB), NOSPLIT, $0-48
	ROWHEAD
	VMOVUPS 0(R8), Y0
	VMOVUPS 32(R8), Y1
	VMOVUPS 64(R8), Y2
	VMOVUPS 96(R8), Y3
	VMOVUPS 128(R8), Y4
	VMOVUPS 160(R8), Y5
	VMOVUPS 192(R8), Y6
	VMOVUPS 224(R8), Y7
	TESTQ CX, CX
	JZ    e64done
e64loop:
	TSCALED(e64next)
	EXACT(0, Y0, Y8)
	EXACT(32, Y1, Y9)
	EXACT(64, Y2, Y10)
	EXACT(96, Y3, Y11)
	EXACT(128, Y4, Y8)
	EXACT(160, Y5, Y9)
	EXACT(192, Y6, Y10)
	EXACT(224, Y7, Y11)
e64next:
	ADDQ $4, SI
	ADDQ DX, DI
	DECQ CX
	JNZ  e64loop
e64done:
	VMOVUPS Y0, 0(R8)
	VMOVUPS Y1, 32(R8)
	VMOVUPS Y2, 64(R8)
	VMOVUPS Y3, 96(R8)
	VMOVUPS Y4, 128(R8)
	VMOVUPS Y5, 160(R8)
	VMOVUPS Y6, 192(R8)
	VMOVUPS Y7, 224(R8)
	VZEROUPPER
	RET

// func rowExact32(k int, alpha float32, a, b *float32, ldb int, c *float32)
TEXT ·rowExact32(SB), NOSPLIT, $0-48
	ROWHEAD
	VMOVUPS 0(R8), Y0
	VMOVUPS 32(R8), Y1
	VMOVUPS 64(R8), Y2
	VMOVUPS 96(R8), Y3
	TESTQ CX, CX
	JZ    e32done
e32loop:
	TSCALED(e32next)
	EXACT(0, Y0, Y8)
	EXACT(32, Y1, Y9)
	EXACT(64, Y2, Y10)
	EXACT(96, Y3, Y11)
e32next:
	ADDQ $4, SI
	ADDQ DX, DI
	DECQ CX
	JNZ  e32loop
e32done:
	VMOVUPS Y0, 0(R8)
	VMOVUPS Y1, 32(R8)
	VMOVUPS Y2, 64(R8)
	VMOVUPS Y3, 96(R8)
	VZEROUPPER
	RET

// func rowExact8(k int, alpha float32, a, b *float32, ldb int, c *float32)
TEXT ·rowExact8(SB), NOSPLIT, $0-48
	ROWHEAD
	VMOVUPS 0(R8), Y0
	TESTQ CX, CX
	JZ    e8done
e8loop:
	TSCALED(e8next)
	EXACT(0, Y0, Y8)
e8next:
	ADDQ $4, SI
	ADDQ DX, DI
	DECQ CX
	JNZ  e8loop
e8done:
	VMOVUPS Y0, 0(R8)
	VZEROUPPER
	RET

// func rowFused64(k int, x, w *float32, ldw int, y *float32)
TEXT ·rowFused64(SB), NOSPLIT, $0-40
	FUSEDHEAD
	VMOVUPS 0(R8), Y0
	VMOVUPS 32(R8), Y1
	VMOVUPS 64(R8), Y2
	VMOVUPS 96(R8), Y3
	VMOVUPS 128(R8), Y4
	VMOVUPS 160(R8), Y5
	VMOVUPS 192(R8), Y6
	VMOVUPS 224(R8), Y7
	TESTQ CX, CX
	JZ    f64done
f64loop:
	TPLAIN(f64next)
	FUSED(0, Y0)
	FUSED(32, Y1)
	FUSED(64, Y2)
	FUSED(96, Y3)
	FUSED(128, Y4)
	FUSED(160, Y5)
	FUSED(192, Y6)
	FUSED(224, Y7)
f64next:
	ADDQ $4, SI
	ADDQ DX, DI
	DECQ CX
	JNZ  f64loop
f64done:
	VMOVUPS Y0, 0(R8)
	VMOVUPS Y1, 32(R8)
	VMOVUPS Y2, 64(R8)
	VMOVUPS Y3, 96(R8)
	VMOVUPS Y4, 128(R8)
	VMOVUPS Y5, 160(R8)
	VMOVUPS Y6, 192(R8)
	VMOVUPS Y7, 224(R8)
	VZEROUPPER
	RET

// func rowFused32(k int, x, w *float32, ldw int, y *float32)
TEXT ·rowFused32(SB), NOSPLIT, $0-40
	FUSEDHEAD
	VMOVUPS 0(R8), Y0
	VMOVUPS 32(R8), Y1
	VMOVUPS 64(R8), Y2
	VMOVUPS 96(R8), Y3
	TESTQ CX, CX
	JZ    f32done
f32loop:
	TPLAIN(f32next)
	FUSED(0, Y0)
	FUSED(32, Y1)
	FUSED(64, Y2)
	FUSED(96, Y3)
f32next:
	ADDQ $4, SI
	ADDQ DX, DI
	DECQ CX
	JNZ  f32loop
f32done:
	VMOVUPS Y0, 0(R8)
	VMOVUPS Y1, 32(R8)
	VMOVUPS Y2, 64(R8)
	VMOVUPS Y3, 96(R8)
	VZEROUPPER
	RET

// func rowFused8(k int, x, w *float32, ldw int, y *float32)
TEXT ·rowFused8(SB), NOSPLIT, $0-40
	FUSEDHEAD
	VMOVUPS 0(R8), Y0
	TESTQ CX, CX
	JZ    f8done
f8loop:
	TPLAIN(f8next)
	FUSED(0, Y0)
f8next:
	ADDQ $4, SI
	ADDQ DX, DI
	DECQ CX
	JNZ  f8loop
f8done:
	VMOVUPS Y0, 0(R8)
	VZEROUPPER
	RET

// func axpyAVX(n int, a float32, x, y *float32)
// y[j] += a·x[j]: 32 per iteration (four FMAs), then 8, then 1.
TEXT ·axpyAVX(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	VBROADCASTSS a+8(FP), Y15
	MOVQ x+16(FP), SI
	MOVQ y+24(FP), DI
	CMPQ CX, $32
	JLT  ax8
ax32:
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VFMADD231PS 0(SI), Y15, Y0
	VFMADD231PS 32(SI), Y15, Y1
	VFMADD231PS 64(SI), Y15, Y2
	VFMADD231PS 96(SI), Y15, Y3
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	CMPQ CX, $32
	JGE  ax32
ax8:
	CMPQ CX, $8
	JLT  ax1
	VMOVUPS 0(DI), Y0
	VFMADD231PS 0(SI), Y15, Y0
	VMOVUPS Y0, 0(DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  ax8
ax1:
	TESTQ CX, CX
	JZ    axdone
	VMOVSS 0(DI), X0
	VFMADD231SS 0(SI), X15, X0
	VMOVSS X0, 0(DI)
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  ax1
axdone:
	VZEROUPPER
	RET

// func dotAVX(n int, x, y *float32) float32
// Four 8-wide accumulators over blocks of 32, then 8, summed, then the
// scalar tail.
TEXT ·dotAVX(SB), NOSPLIT, $0-28
	MOVQ n+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DI
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	CMPQ CX, $32
	JLT  dt8
dt32:
	VMOVUPS 0(SI), Y4
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y6
	VMOVUPS 96(SI), Y7
	VFMADD231PS 0(DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	CMPQ CX, $32
	JGE  dt32
dt8:
	CMPQ CX, $8
	JLT  dtsum
	VMOVUPS 0(SI), Y4
	VFMADD231PS 0(DI), Y4, Y0
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  dt8
dtsum:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
dt1:
	TESTQ CX, CX
	JZ    dtdone
	VMOVSS 0(SI), X4
	VFMADD231SS 0(DI), X4, X0
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  dt1
dtdone:
	VMOVSS X0, ret+24(FP)
	VZEROUPPER
	RET

// func rankOneDotAVX(k, n int, a, v, y, w, d *float32, ld int)
// For each row i < k (rows ld apart in y and w), with n a positive
// multiple of 8:
//   y[i][j] += a[i]·v[j]  (j < n, one FMA)
//   d[i]    += Σ_j w[i][j]·v[j]  (two 8-wide FMA accumulators, summed)
// v is loaded once per row for both products.
TEXT ·rankOneDotAVX(SB), NOSPLIT, $0-64
	MOVQ k+0(FP), CX
	MOVQ n+8(FP), BX
	SHLQ $2, BX
	MOVQ a+16(FP), SI
	MOVQ v+24(FP), DI
	MOVQ y+32(FP), R8
	MOVQ w+40(FP), R9
	MOVQ d+48(FP), R10
	MOVQ ld+56(FP), DX
	SHLQ $2, DX
	TESTQ CX, CX
	JZ    rdone
rrow:
	VBROADCASTSS (SI), Y15
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	XORQ   AX, AX
rcol16:
	LEAQ 64(AX), R11
	CMPQ R11, BX
	JGT  rcol8
	VMOVUPS (DI)(AX*1), Y2
	VMOVUPS 32(DI)(AX*1), Y4
	VMOVUPS (R8)(AX*1), Y3
	VMOVUPS 32(R8)(AX*1), Y5
	VFMADD231PS Y2, Y15, Y3
	VFMADD231PS Y4, Y15, Y5
	VMOVUPS Y3, (R8)(AX*1)
	VMOVUPS Y5, 32(R8)(AX*1)
	VFMADD231PS (R9)(AX*1), Y2, Y0
	VFMADD231PS 32(R9)(AX*1), Y4, Y1
	MOVQ R11, AX
	JMP  rcol16
rcol8:
	CMPQ AX, BX
	JGE  rsum
	VMOVUPS (DI)(AX*1), Y2
	VMOVUPS (R8)(AX*1), Y3
	VFMADD231PS Y2, Y15, Y3
	VMOVUPS Y3, (R8)(AX*1)
	VFMADD231PS (R9)(AX*1), Y2, Y0
	ADDQ $32, AX
rsum:
	VADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VADDSS (R10), X0, X0
	VMOVSS X0, (R10)
	ADDQ $4, SI
	ADDQ $4, R10
	ADDQ DX, R8
	ADDQ DX, R9
	DECQ CX
	JNZ  rrow
rdone:
	VZEROUPPER
	RET

// func rowIdx64(nidx int, idx *int32, x, w *float32, ldw int, y *float32)
// y[j] += Σ_{r<nidx, x[i]≠0} x[i]·w[i·ldw+j] with i = idx[r], j < 64.
TEXT ·rowIdx64(SB), NOSPLIT, $0-48
	IDXHEAD
	VMOVUPS 0(R8), Y0
	VMOVUPS 32(R8), Y1
	VMOVUPS 64(R8), Y2
	VMOVUPS 96(R8), Y3
	VMOVUPS 128(R8), Y4
	VMOVUPS 160(R8), Y5
	VMOVUPS 192(R8), Y6
	VMOVUPS 224(R8), Y7
	TESTQ CX, CX
	JZ    i64done
i64loop:
	IDXROW(i64next)
	FUSEDIDX(0, Y0)
	FUSEDIDX(32, Y1)
	FUSEDIDX(64, Y2)
	FUSEDIDX(96, Y3)
	FUSEDIDX(128, Y4)
	FUSEDIDX(160, Y5)
	FUSEDIDX(192, Y6)
	FUSEDIDX(224, Y7)
i64next:
	ADDQ $4, BX
	DECQ CX
	JNZ  i64loop
i64done:
	VMOVUPS Y0, 0(R8)
	VMOVUPS Y1, 32(R8)
	VMOVUPS Y2, 64(R8)
	VMOVUPS Y3, 96(R8)
	VMOVUPS Y4, 128(R8)
	VMOVUPS Y5, 160(R8)
	VMOVUPS Y6, 192(R8)
	VMOVUPS Y7, 224(R8)
	VZEROUPPER
	RET

// func rowIdx8(nidx int, idx *int32, x, w *float32, ldw int, y *float32)
// rowIdx64 on 8 columns.
TEXT ·rowIdx8(SB), NOSPLIT, $0-48
	IDXHEAD
	VMOVUPS 0(R8), Y0
	TESTQ CX, CX
	JZ    i8done
i8loop:
	IDXROW(i8next)
	FUSEDIDX(0, Y0)
i8next:
	ADDQ $4, BX
	DECQ CX
	JNZ  i8loop
i8done:
	VMOVUPS Y0, 0(R8)
	VZEROUPPER
	RET

// func rankOneDotIdxAVX(nidx int, idx *int32, n int, a, v, y, w, d *float32, ld int)
// rankOneDotAVX on the rows i = idx[r], r < nidx: y[i][:n] += a[i]·v[:n]
// and d[i] += w[i][:n]·v[:n], n a positive multiple of 8 (32 columns per
// iteration with four accumulators when n is a multiple of 32).
TEXT ·rankOneDotIdxAVX(SB), NOSPLIT, $0-72
	MOVQ nidx+0(FP), CX
	MOVQ idx+8(FP), BX
	MOVQ n+16(FP), R11
	SHLQ $2, R11
	MOVQ a+24(FP), SI
	MOVQ v+32(FP), DI
	MOVQ y+40(FP), R8
	MOVQ w+48(FP), R9
	MOVQ d+56(FP), R10
	MOVQ ld+64(FP), DX
	SHLQ $2, DX
	TESTQ CX, CX
	JZ    xdone
xrow:
	MOVLQSX (BX), AX
	VBROADCASTSS (SI)(AX*4), Y15
	LEAQ  (R10)(AX*4), R12
	VMOVSS (R12), X14
	IMULQ DX, AX
	LEAQ  (R8)(AX*1), R12
	LEAQ  (R9)(AX*1), R13
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	XORQ   AX, AX
	TESTQ  $127, R11
	JNZ    xcol8
xcol32:
	VMOVUPS (DI)(AX*1), Y2
	VMOVUPS 32(DI)(AX*1), Y4
	VMOVUPS 64(DI)(AX*1), Y8
	VMOVUPS 96(DI)(AX*1), Y10
	VMOVUPS (R12)(AX*1), Y3
	VMOVUPS 32(R12)(AX*1), Y5
	VMOVUPS 64(R12)(AX*1), Y9
	VMOVUPS 96(R12)(AX*1), Y11
	VFMADD231PS Y2, Y15, Y3
	VFMADD231PS Y4, Y15, Y5
	VFMADD231PS Y8, Y15, Y9
	VFMADD231PS Y10, Y15, Y11
	VMOVUPS Y3, (R12)(AX*1)
	VMOVUPS Y5, 32(R12)(AX*1)
	VMOVUPS Y9, 64(R12)(AX*1)
	VMOVUPS Y11, 96(R12)(AX*1)
	VFMADD231PS (R13)(AX*1), Y2, Y0
	VFMADD231PS 32(R13)(AX*1), Y4, Y1
	VFMADD231PS 64(R13)(AX*1), Y8, Y6
	VFMADD231PS 96(R13)(AX*1), Y10, Y7
	ADDQ $128, AX
	CMPQ AX, R11
	JLT  xcol32
	VADDPS Y6, Y0, Y0
	VADDPS Y7, Y1, Y1
	JMP  xsum
xcol8:
	VMOVUPS (DI)(AX*1), Y2
	VMOVUPS (R12)(AX*1), Y3
	VFMADD231PS Y2, Y15, Y3
	VMOVUPS Y3, (R12)(AX*1)
	VFMADD231PS (R13)(AX*1), Y2, Y0
	ADDQ $32, AX
	CMPQ AX, R11
	JLT  xcol8
xsum:
	VADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
	VADDSS X0, X14, X14
	MOVLQSX (BX), AX
	VMOVSS X14, (R10)(AX*4)
	ADDQ $4, BX
	DECQ CX
	JNZ  xrow
xdone:
	VZEROUPPER
	RET

// expc: the constants of logisticAVX, each repeated 8 times (32 bytes):
// neg87 at 0, pos88 at 32, log2e at 64, shift at 96, ln2hi at 128, ln2lo at 160, c6 at 192, c5 at 224, c4 at 256, c3 at 288, c2 at 320, one at 352, i127 at 384.
DATA expc<>+0(SB)/4, $0xc2ae0000
DATA expc<>+4(SB)/4, $0xc2ae0000
DATA expc<>+8(SB)/4, $0xc2ae0000
DATA expc<>+12(SB)/4, $0xc2ae0000
DATA expc<>+16(SB)/4, $0xc2ae0000
DATA expc<>+20(SB)/4, $0xc2ae0000
DATA expc<>+24(SB)/4, $0xc2ae0000
DATA expc<>+28(SB)/4, $0xc2ae0000
DATA expc<>+32(SB)/4, $0x42b00000
DATA expc<>+36(SB)/4, $0x42b00000
DATA expc<>+40(SB)/4, $0x42b00000
DATA expc<>+44(SB)/4, $0x42b00000
DATA expc<>+48(SB)/4, $0x42b00000
DATA expc<>+52(SB)/4, $0x42b00000
DATA expc<>+56(SB)/4, $0x42b00000
DATA expc<>+60(SB)/4, $0x42b00000
DATA expc<>+64(SB)/4, $0x3fb8aa3b
DATA expc<>+68(SB)/4, $0x3fb8aa3b
DATA expc<>+72(SB)/4, $0x3fb8aa3b
DATA expc<>+76(SB)/4, $0x3fb8aa3b
DATA expc<>+80(SB)/4, $0x3fb8aa3b
DATA expc<>+84(SB)/4, $0x3fb8aa3b
DATA expc<>+88(SB)/4, $0x3fb8aa3b
DATA expc<>+92(SB)/4, $0x3fb8aa3b
DATA expc<>+96(SB)/4, $0x4b400000
DATA expc<>+100(SB)/4, $0x4b400000
DATA expc<>+104(SB)/4, $0x4b400000
DATA expc<>+108(SB)/4, $0x4b400000
DATA expc<>+112(SB)/4, $0x4b400000
DATA expc<>+116(SB)/4, $0x4b400000
DATA expc<>+120(SB)/4, $0x4b400000
DATA expc<>+124(SB)/4, $0x4b400000
DATA expc<>+128(SB)/4, $0x3f318000
DATA expc<>+132(SB)/4, $0x3f318000
DATA expc<>+136(SB)/4, $0x3f318000
DATA expc<>+140(SB)/4, $0x3f318000
DATA expc<>+144(SB)/4, $0x3f318000
DATA expc<>+148(SB)/4, $0x3f318000
DATA expc<>+152(SB)/4, $0x3f318000
DATA expc<>+156(SB)/4, $0x3f318000
DATA expc<>+160(SB)/4, $0xb95e8083
DATA expc<>+164(SB)/4, $0xb95e8083
DATA expc<>+168(SB)/4, $0xb95e8083
DATA expc<>+172(SB)/4, $0xb95e8083
DATA expc<>+176(SB)/4, $0xb95e8083
DATA expc<>+180(SB)/4, $0xb95e8083
DATA expc<>+184(SB)/4, $0xb95e8083
DATA expc<>+188(SB)/4, $0xb95e8083
DATA expc<>+192(SB)/4, $0x3ab60b61
DATA expc<>+196(SB)/4, $0x3ab60b61
DATA expc<>+200(SB)/4, $0x3ab60b61
DATA expc<>+204(SB)/4, $0x3ab60b61
DATA expc<>+208(SB)/4, $0x3ab60b61
DATA expc<>+212(SB)/4, $0x3ab60b61
DATA expc<>+216(SB)/4, $0x3ab60b61
DATA expc<>+220(SB)/4, $0x3ab60b61
DATA expc<>+224(SB)/4, $0x3c088889
DATA expc<>+228(SB)/4, $0x3c088889
DATA expc<>+232(SB)/4, $0x3c088889
DATA expc<>+236(SB)/4, $0x3c088889
DATA expc<>+240(SB)/4, $0x3c088889
DATA expc<>+244(SB)/4, $0x3c088889
DATA expc<>+248(SB)/4, $0x3c088889
DATA expc<>+252(SB)/4, $0x3c088889
DATA expc<>+256(SB)/4, $0x3d2aaaab
DATA expc<>+260(SB)/4, $0x3d2aaaab
DATA expc<>+264(SB)/4, $0x3d2aaaab
DATA expc<>+268(SB)/4, $0x3d2aaaab
DATA expc<>+272(SB)/4, $0x3d2aaaab
DATA expc<>+276(SB)/4, $0x3d2aaaab
DATA expc<>+280(SB)/4, $0x3d2aaaab
DATA expc<>+284(SB)/4, $0x3d2aaaab
DATA expc<>+288(SB)/4, $0x3e2aaaab
DATA expc<>+292(SB)/4, $0x3e2aaaab
DATA expc<>+296(SB)/4, $0x3e2aaaab
DATA expc<>+300(SB)/4, $0x3e2aaaab
DATA expc<>+304(SB)/4, $0x3e2aaaab
DATA expc<>+308(SB)/4, $0x3e2aaaab
DATA expc<>+312(SB)/4, $0x3e2aaaab
DATA expc<>+316(SB)/4, $0x3e2aaaab
DATA expc<>+320(SB)/4, $0x3f000000
DATA expc<>+324(SB)/4, $0x3f000000
DATA expc<>+328(SB)/4, $0x3f000000
DATA expc<>+332(SB)/4, $0x3f000000
DATA expc<>+336(SB)/4, $0x3f000000
DATA expc<>+340(SB)/4, $0x3f000000
DATA expc<>+344(SB)/4, $0x3f000000
DATA expc<>+348(SB)/4, $0x3f000000
DATA expc<>+352(SB)/4, $0x3f800000
DATA expc<>+356(SB)/4, $0x3f800000
DATA expc<>+360(SB)/4, $0x3f800000
DATA expc<>+364(SB)/4, $0x3f800000
DATA expc<>+368(SB)/4, $0x3f800000
DATA expc<>+372(SB)/4, $0x3f800000
DATA expc<>+376(SB)/4, $0x3f800000
DATA expc<>+380(SB)/4, $0x3f800000
DATA expc<>+384(SB)/4, $0x7f
DATA expc<>+388(SB)/4, $0x7f
DATA expc<>+392(SB)/4, $0x7f
DATA expc<>+396(SB)/4, $0x7f
DATA expc<>+400(SB)/4, $0x7f
DATA expc<>+404(SB)/4, $0x7f
DATA expc<>+408(SB)/4, $0x7f
DATA expc<>+412(SB)/4, $0x7f
GLOBL expc<>(SB), RODATA|NOPTR, $416

// func logisticAVX(n int, s, a, b float32, x, y *float32)
// y[j] = a/(1 + e^(−s·x[j])) − b for j < n, n a multiple of 8, with the
// e^t of exp32 in models (t clamped to [−87, 88], t = k ln2 + r, degree-6
// Horner polynomial for e^r with FMAs, 2^k built in the exponent bits).
TEXT ·logisticAVX(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	VBROADCASTSS s+8(FP), Y13
	VBROADCASTSS a+12(FP), Y14
	VBROADCASTSS b+16(FP), Y15
	MOVQ x+24(FP), SI
	MOVQ y+32(FP), DI
	VXORPS Y4, Y4, Y4
	VSUBPS Y13, Y4, Y13
	SHRQ $3, CX
	JZ   lgdone
lgloop:
	VMOVUPS (SI), Y0
	VMULPS  Y13, Y0, Y0
	VMAXPS  expc<>+0(SB), Y0, Y0
	VMINPS  expc<>+32(SB), Y0, Y0
	VMOVUPS expc<>+64(SB), Y1
	VFMADD213PS expc<>+96(SB), Y0, Y1
	VSUBPS  expc<>+96(SB), Y1, Y1
	VMOVAPS Y0, Y2
	VFNMADD231PS expc<>+128(SB), Y1, Y2
	VFNMADD231PS expc<>+160(SB), Y1, Y2
	VMOVUPS expc<>+192(SB), Y3
	VFMADD213PS expc<>+224(SB), Y2, Y3
	VFMADD213PS expc<>+256(SB), Y2, Y3
	VFMADD213PS expc<>+288(SB), Y2, Y3
	VFMADD213PS expc<>+320(SB), Y2, Y3
	VFMADD213PS expc<>+352(SB), Y2, Y3
	VFMADD213PS expc<>+352(SB), Y2, Y3
	VCVTPS2DQ Y1, Y1
	VPADDD  expc<>+384(SB), Y1, Y1
	VPSLLD  $23, Y1, Y1
	VMULPS  Y1, Y3, Y3
	VADDPS  expc<>+352(SB), Y3, Y3
	VDIVPS  Y3, Y14, Y3
	VSUBPS  Y15, Y3, Y3
	VMOVUPS Y3, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  lgloop
lgdone:
	VZEROUPPER
	RET
