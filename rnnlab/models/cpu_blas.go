package models

// CPU engine, kernels for large networks: the primer's path (cpu_engine.go)
// with its products done by float32 vector kernels (internal/f32: AVX2
// assembly with fused multiply-adds on amd64, gonum's SSE Saxpy/Sdot
// elsewhere), for H >= cpuBLASMinHidden.
//
// The equations are those of cpu_engine.go; only the order and rounding of
// the float32 sums change, so the results equal the scalar kernels' to
// float32 rounding (TestCPUEngineBLASMatchesScalar), and networks with fewer
// units, the tutorial's among them, keep the scalar kernels bit for bit.
//
// # Kernels
//
// With about half of the units active, the scalar kernels visit only the
// active rows and columns (accumRows, backRows), but at about 2 GMAC/s; the
// vector kernels run several times faster on whole rows, so doing the dense
// work on one side of each product is faster:
//
//	forward   z_t = b_rr + Σ_{i active} h_{t-1,i} W_rr[i,:] + Σ_{x_i ≠ 0} x_i W_ir[i,:]   (AccumRowsIdx, AccumRows)
//	          o_t[k] = b_ro[k] + h_t · W_roᵀ[k,:]                                          (Dot)
//	backward  dh_t = c_{t+1} + Σ_k dL/do_t[k] W_roᵀ[k,:]                                   (AccumRows)
//	          u_t = α dh_t ⊙ 1[h_t > 0]  (dense, zero on inactive units)
//	          c_t[i] = (1-α) g_t[i] + W_rr[i,:] · u_t,   i active at t-1                   (RankOneDotIdx,
//	          dW_rr[i,:] += h_{t-1,i} u_t                                                   same rows)
//	          dW_ir[i,:] += x_{t,i} u_t,  db_rr += u_t,  dW_roᵀ[k,:] += dL/do_t[k] h_t       (Axpy)
//
// AccumRows and AccumRowsIdx keep 64 entries of the output in registers
// over all the rows they add; RankOneDotIdx reads u_t once per row for both
// of its products.
//
// W_ro is kept transposed (W_roᵀ, [O][H]) so that the read-out products run
// over H contiguous values; the shard's dW_roᵀ is transposed back once per
// call.

import (
	"github.com/rnnlab/rnnlab/rnnlab/internal/f32"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// cpuBLASMinHidden is the smallest hidden size at which the CPU engine uses
// the BLAS kernels (cpu_blas.go). Below it, the scalar kernels are as fast
// (BenchmarkCPUEngineSizes) and the tutorial's H = 64 network keeps its
// numbers bit for bit.
const cpuBLASMinHidden = 128

// useBLAS reports whether the engine runs the BLAS kernels: for H >=
// cpuBLASMinHidden, and at every size for the cells that prefer them
// (rateKernel.preferBLAS: the E-I cell), unless a test forces the choice
// (e.blas).
func (e *CPUEngine) useBLAS() bool {
	switch e.blas {
	case 1:
		return true
	case -1:
		return false
	}
	return e.cfg.NumHidden >= cpuBLASMinHidden || e.k.preferBLAS
}

// cpuBLAS is the part of a shard's workspace only the BLAS kernels use.
type cpuBLAS struct {
	dh    []float32 // backward: dL/dh_t, dense, [H]
	ud    []float32 // backward: u_t, dense (zero on inactive units), [H]
	dWroT []float32 // dW_roᵀ, [O][H]
}

// sizeBLAS allocates the BLAS kernels' workspace.
func (s *cpuShard) sizeBLAS(cfg Config) {
	H, O := cfg.NumHidden, cfg.NumOutput
	s.bl.dh = grow(s.bl.dh, H)
	s.bl.ud = grow(s.bl.ud, H)
	s.bl.dWroT = grow(s.bl.dWroT, O*H)
}

// packReadoutT writes W_roᵀ ([O][R] from W_ro, [R][O]) into e.wroT.
func (e *CPUEngine) packReadoutT(wro []float32) {
	R, O := e.cfg.ReadSize(), e.cfg.NumOutput
	e.wroT = grow(e.wroT, O*R)
	for j := range R {
		for k, v := range wro[j*O : (j+1)*O] {
			e.wroT[k*R+j] = v
		}
	}
}

// accumRowsBLAS sets out[j] = Σ_k val[k] · w[offs[k] + j] for j < H, as
// accumRows, with one Saxpy per row.
func accumRowsBLAS(out, w []float32, H int, offs []int32, val []float32) {
	out = out[:H]
	clear(out)
	for k, r := range offs {
		axpy(val[k], w[int(r):int(r)+H], out)
	}
}

// lossAndGradBLAS is lossAndGrad with the BLAS kernels.
func (s *cpuShard) lossAndGradBLAS(e *CPUEngine, p *Params, b *tasks.Batch, logits []float32) {
	H, O := e.cfg.NumHidden, e.cfg.NumOutput
	s.loss = 0
	clear(s.dW)
	clear(s.bl.dWroT)
	clear(s.dBro)
	invTB := 1 / float64(b.T*b.B)
	for tr := s.lo; tr < s.hi; tr++ {
		s.forwardBLAS(e, p, b, tr, logits, nil, invTB)
		s.backwardBLAS(e, b, tr)
	}
	for k := range O {
		for j, v := range s.bl.dWroT[k*H : (k+1)*H] {
			s.dWro[j*O+k] = v
		}
	}
}

// forwardOnlyBLAS is forwardOnly with the BLAS kernels.
func (s *cpuShard) forwardOnlyBLAS(e *CPUEngine, p *Params, b *tasks.Batch, states, logits []float32) {
	for tr := s.lo; tr < s.hi; tr++ {
		s.forwardBLAS(e, p, b, tr, logits, states, 0)
	}
}

// forwardBLAS is forward with the BLAS kernels: it fills hs, act, nact and
// the logits, the states when states is not nil, and with invTB ≠ 0 the
// loss and dO.
func (s *cpuShard) forwardBLAS(e *CPUEngine, p *Params, b *tasks.Batch, tr int, logits, states []float32, invTB float64) {
	I, H, O := e.cfg.NumInput, e.cfg.NumHidden, e.cfg.NumOutput
	T, B := b.T, b.B
	a := float32(e.cfg.Alpha())
	leak := 1 - a
	wcat, wroT, bro := e.wcat, e.wroT, p.Values[4]
	clear(s.hs[:H])
	s.nact[0] = 0
	z := s.z[:H]
	out := s.out[:O]
	for t := 0; t < T; t++ {
		prev := s.hs[t*H : (t+1)*H]
		cur := s.hs[(t+1)*H : (t+2)*H]
		pa := s.act[t*H : t*H+int(s.nact[t])]

		// z = b_rr + h_{t-1} W_rr + x_t W_ir over the active units and nonzero inputs.
		copy(z, wcat[(H+I)*H:(H+I+1)*H])
		f32.AccumRowsIdx(z, prev, wcat, H, pa)
		x := b.Inputs[(t*B+tr)*I : (t*B+tr+1)*I]
		f32.AccumRows(z, x, wcat[H*H:], H)

		// h_t = relu((1-α) h_{t-1} + α z), recording the active units.
		ca := s.act[(t+1)*H : (t+2)*H]
		c := 0
		for j := range cur {
			v := leak*prev[j] + a*z[j]
			if v > 0 {
				cur[j] = v
				ca[c] = int32(j)
				c++
			} else {
				cur[j] = 0
			}
		}
		s.nact[t+1] = int32(c)
		if states != nil {
			copy(states[(t*B+tr)*H:(t*B+tr+1)*H], cur)
		}

		// o_t = h_t W_ro + b_ro.
		for k := range out {
			out[k] = bro[k] + dot(wroT[k*H:(k+1)*H], cur)
		}
		copy(logits[(t*B+tr)*O:(t*B+tr+1)*O], out)
		if invTB != 0 {
			s.loss += crossEntropyGrad(out, int(b.Labels[t*B+tr]), invTB, s.dO[t*O:(t+1)*O])
		}
	}
}

// backwardBLAS is backward with the BLAS kernels.
func (s *cpuShard) backwardBLAS(e *CPUEngine, b *tasks.Batch, tr int) {
	I, H, O := e.cfg.NumInput, e.cfg.NumHidden, e.cfg.NumOutput
	T, B := b.T, b.B
	a := float32(e.cfg.Alpha())
	leak := 1 - a
	wcat, wroT := e.wcat, e.wroT
	dW, dWroT, dBro := s.dW, s.bl.dWroT, s.dBro[:O]
	carry, gd, dh, ud := s.carry[:H], s.gd[:H], s.bl.dh[:H], s.bl.ud[:H]
	clear(carry)
	clear(gd)
	clear(ud)
	for t := T - 1; t >= 0; t-- {
		prev := s.hs[t*H : (t+1)*H]
		cur := s.hs[(t+1)*H : (t+2)*H]
		pa := s.act[t*H : t*H+int(s.nact[t])]
		ca := s.act[(t+1)*H : (t+1)*H+int(s.nact[t+1])]
		dO := s.dO[t*O : (t+1)*O]

		// dh = c_{t+1} + dO W_roᵀ; dW_roᵀ += dOᵀ h_t.
		copy(dh, carry)
		f32.AccumRows(dh, dO, wroT, H)
		for k, v := range dO {
			dBro[k] += v
			axpy(v, cur, dWroT[k*H:(k+1)*H])
		}
		// g_t and u_t = α g_t on the active units (zero elsewhere).
		for _, j := range ca {
			gd[j] = dh[j]
			ud[j] = a * dh[j]
		}

		// dW_ir += x_tᵀ u_t, db_rr += u_t.
		x := b.Inputs[(t*B+tr)*I : (t*B+tr+1)*I]
		for i, xi := range x {
			if xi != 0 {
				axpy(xi, ud, dW[(H+i)*H:(H+i+1)*H])
			}
		}
		axpy(1, ud, dW[(H+I)*H:(H+I+1)*H])

		// c_t = (1-α) g_t + u_t W_rrᵀ and dW_rr += h_{t-1}ᵀ u_t on the rows active at t-1.
		for _, i := range pa {
			carry[i] = leak * gd[i]
		}
		f32.RankOneDotIdx(prev, ud, dW, wcat, carry, H, pa)

		for _, j := range ca {
			gd[j] = 0
			ud[j] = 0
		}
	}
}
