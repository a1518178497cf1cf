//go:build amd64

#include "textflag.h"

// Register use of the block kernels:
//   CX  l counter (k down to 0)
//   SI, R10, R11, R12  &a[i][l] for the four rows i of the block
//   DI  &b[l][0]                    DX  ldb in bytes
//   R8  &c[0][0]                    BX  ldc in bytes
//   Y0…Y7 accumulators (row i in Y(2i), Y(2i+1); Y(i) for 8 columns)
//   Y8, Y9 b[l][0:16]               Y10…Y13 a[i][l] broadcast

#define BLOCKHEAD \
	MOVQ k+0(FP), CX; \
	MOVQ a+8(FP), SI; \
	MOVQ lda+16(FP), R9; \
	SHLQ $2, R9; \
	LEAQ (SI)(R9*1), R10; \
	LEAQ (R10)(R9*1), R11; \
	LEAQ (R11)(R9*1), R12; \
	MOVQ b+24(FP), DI; \
	MOVQ ldb+32(FP), DX; \
	SHLQ $2, DX; \
	MOVQ c+40(FP), R8; \
	MOVQ ldc+48(FP), BX; \
	SHLQ $2, BX

// func block4x16(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int)
TEXT ·block4x16(SB), NOSPLIT, $0-56
	BLOCKHEAD
	MOVQ    R8, R13
	VMOVUPS 0(R13), Y0
	VMOVUPS 32(R13), Y1
	ADDQ    BX, R13
	VMOVUPS 0(R13), Y2
	VMOVUPS 32(R13), Y3
	ADDQ    BX, R13
	VMOVUPS 0(R13), Y4
	VMOVUPS 32(R13), Y5
	ADDQ    BX, R13
	VMOVUPS 0(R13), Y6
	VMOVUPS 32(R13), Y7
	TESTQ   CX, CX
	JZ      b16done
b16loop:
	VMOVUPS      0(DI), Y8
	VMOVUPS      32(DI), Y9
	VBROADCASTSS (SI), Y10
	VBROADCASTSS (R10), Y11
	VBROADCASTSS (R11), Y12
	VBROADCASTSS (R12), Y13
	VFMADD231PS  Y8, Y10, Y0
	VFMADD231PS  Y9, Y10, Y1
	VFMADD231PS  Y8, Y11, Y2
	VFMADD231PS  Y9, Y11, Y3
	VFMADD231PS  Y8, Y12, Y4
	VFMADD231PS  Y9, Y12, Y5
	VFMADD231PS  Y8, Y13, Y6
	VFMADD231PS  Y9, Y13, Y7
	ADDQ         $4, SI
	ADDQ         $4, R10
	ADDQ         $4, R11
	ADDQ         $4, R12
	ADDQ         DX, DI
	DECQ         CX
	JNZ          b16loop
b16done:
	MOVQ    R8, R13
	VMOVUPS Y0, 0(R13)
	VMOVUPS Y1, 32(R13)
	ADDQ    BX, R13
	VMOVUPS Y2, 0(R13)
	VMOVUPS Y3, 32(R13)
	ADDQ    BX, R13
	VMOVUPS Y4, 0(R13)
	VMOVUPS Y5, 32(R13)
	ADDQ    BX, R13
	VMOVUPS Y6, 0(R13)
	VMOVUPS Y7, 32(R13)
	VZEROUPPER
	RET

// func block4x8(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int)
TEXT ·block4x8(SB), NOSPLIT, $0-56
	BLOCKHEAD
	MOVQ    R8, R13
	VMOVUPS 0(R13), Y0
	ADDQ    BX, R13
	VMOVUPS 0(R13), Y1
	ADDQ    BX, R13
	VMOVUPS 0(R13), Y2
	ADDQ    BX, R13
	VMOVUPS 0(R13), Y3
	TESTQ   CX, CX
	JZ      b8done
b8loop:
	VMOVUPS      0(DI), Y8
	VBROADCASTSS (SI), Y10
	VBROADCASTSS (R10), Y11
	VBROADCASTSS (R11), Y12
	VBROADCASTSS (R12), Y13
	VFMADD231PS  Y8, Y10, Y0
	VFMADD231PS  Y8, Y11, Y1
	VFMADD231PS  Y8, Y12, Y2
	VFMADD231PS  Y8, Y13, Y3
	ADDQ         $4, SI
	ADDQ         $4, R10
	ADDQ         $4, R11
	ADDQ         $4, R12
	ADDQ         DX, DI
	DECQ         CX
	JNZ          b8loop
b8done:
	MOVQ    R8, R13
	VMOVUPS Y0, 0(R13)
	ADDQ    BX, R13
	VMOVUPS Y1, 0(R13)
	ADDQ    BX, R13
	VMOVUPS Y2, 0(R13)
	ADDQ    BX, R13
	VMOVUPS Y3, 0(R13)
	VZEROUPPER
	RET
