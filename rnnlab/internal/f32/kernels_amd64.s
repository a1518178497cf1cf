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
