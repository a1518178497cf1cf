package models

// CPU engine, general path: every configuration of the CTRNN family (cells
// "ctrnn" and "ei") that the primer's path (cpu_engine.go) does not cover:
// any activation, recurrent noise, the E-I cell, the masked MSE loss with
// or without a sigmoid, and the rate penalties.
//
// # Equations
//
// Both cells carry a state q and a rate r = f(q). For the CTRNN the state
// is the rate itself (h = f(pre)); the kernel keeps pre as q. For trial b
// and t = 0..T-1, with q_{-1} = 0, ξ the standard-normal noise and
// σ = sqrt(2α)·σ_rec:
//
//	z_t = x_t W_ir + r_{t-1} W + b_rr
//	q_t = (1-α) ℓ_{t-1} + α z_t + σ ξ_t,      r_t = f(q_t)
//	o_t = r_t[:R] W_ro + b_ro
//
// where, for the CTRNN, W = W_rr, ℓ = r and r_{-1} = 0; for the E-I cell
// W = W_eff = |W_rr| ⊙ D, ℓ = q (the leak acts on the state) and
// r_{-1} = f(0) (nonzero for softplus). R is Config.ReadSize.
//
// The loss is L = L_out + λ1·mean|r| + λ2·mean r² (means over T·B·H),
// L_out the cross-entropy (mean over T·B) or the masked MSE
// 1/(T·B·O) Σ (m (y - target))², y = o or sigmoid(o).
//
// Backward, t = T-1..0, with ρ = the gradient carried to r_t from step t+1
// (0 at T-1) and, for the E-I cell, κ = the gradient carried to q_t
// (0 at T-1):
//
//	dr_t  = ρ + [dL/do_t W_roᵀ on the first R units] + λ1/(TBH) sgn(r_t) + 2λ2/(TBH) r_t
//	dq_t  = dr_t ⊙ f'(q_t) + κ                    (κ = 0 for the CTRNN)
//	u_t   = α dq_t
//	ρ'    = u_t Wᵀ + (1-α) dq_t  (CTRNN),   ρ' = u_t Wᵀ,  κ' = (1-α) dq_t  (E-I)
//	dW   += r_{t-1}ᵀ u_t,   dW_ir += x_tᵀ u_t,   db_rr += Σ_b u_t
//	dW_ro += r_t[:R]ᵀ dL/do_t,   db_ro += Σ_b dL/do_t
//
// and, for the E-I cell, dW_rr = dW_eff ⊙ D ⊙ sgn(W_rr). sgn is GoMLX's
// gradient of Abs (SignPlusOrMinus): -1 below 0 and +1 from 0 on, in the
// L1 penalty as in |W_rr| (TestCPUEngineFamilyMatchesGoMLX puts entries of
// W_rr at exactly 0). f' is 1[q > 0] for relu (0 at 0, as the primer's
// path; GoMLX's Max gives 1 at exactly 0, a set of measure zero),
// sigmoid(q) for softplus, 1 - r² for tanh and 1 for identity.
//
// The noise does not change the backward pass (it is an additive constant).
//
// # Sparsity
//
// The kernels of the primer's path (accumRows, backRows) run on index
// lists: the forward product visits the rows of units with r_{t-1} ≠ 0,
// the backward one the columns with u_t ≠ 0 and the rows of units with
// r_{t-1} ≠ 0 or f'(q_{t-1}) ≠ 0. With relu this keeps most of the
// primer's savings (for the E-I cell u_t is dense, κ flowing through the
// leak of every unit, and backRowsDense skips the gathers). With the other
// activations the lists are full: the backward pass then computes only ρ'
// step by step (carryRows) and dW in one product per trial,
// Σ_t r_{t-1}ᵀ u_t (gemmNT), instead of a rank-one update of all of dW
// at every step.
//
// From cpuBLASMinHidden units on, the products run on gonum's assembly
// Saxpy/Sdot instead (cpu_blas.go): z by row axpys over the same lists, and
// in the backward pass dense rows (u_t with its zeros): ρ'[i] = W[i,:]·u_t
// and dW[i,:] += r_{t-1,i} u_t for every listed unit with r_{t-1,i} ≠ 0, at
// every step and for every activation; the read-out through W_roᵀ.

import (
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// cpuGeneral is the part of a shard's workspace only the general path uses.
type cpuGeneral struct {
	qs   []float32 // states q of one trial, [T+1][H]; row 0 is q_{-1} = 0
	fps  []float32 // f'(q), [T+1][H]
	bk   []int32   // per row: units with r ≠ 0 or f'(q) ≠ 0 (the rows backRows needs), [T+1][H]
	nbk  []int32   // their numbers, [T+1]
	us   []float32 // backward: u_t of one trial, dense and transposed, [H][T]
	rt   []float32 // backward: r_{t-1} of one trial, transposed, [H][T]
	kq   []float32 // backward: κ, the gradient carried to q_t (E-I), [H]
	uidx []int32   // backward: units with u_t ≠ 0, [H]
	l1   float64   // Σ |r| over the shard
	l2   float64   // Σ r² over the shard
}

// cpuFast reports whether LossAndGrad with this noise runs the primer's
// path (cpu_engine.go), kept bit for bit: a ReLU CTRNN (rateKernel.primer)
// trained with cross-entropy, no rate penalty and no noise.
func (e *CPUEngine) cpuFast(noise []float32) bool {
	cfg := e.cfg
	return e.cpuForwardFast() && cfg.LossName() == LossCE &&
		cfg.RateL1 == 0 && cfg.RateL2 == 0 && (cfg.SigmaRec == 0 || noise == nil)
}

// cpuForwardFast reports whether Forward runs the primer's path (the ReLU
// CTRNN; Forward has no noise and no loss).
func (e *CPUEngine) cpuForwardFast() bool {
	return e.k.primer && e.cfg.ActivationName() == ActReLU
}

// sizeGeneral allocates the general path's workspace.
func (s *cpuShard) sizeGeneral(cfg Config, T int) {
	H := cfg.NumHidden
	g := &s.gen
	g.qs = grow(g.qs, (T+1)*H)
	g.fps = grow(g.fps, (T+1)*H)
	g.bk = grow(g.bk, (T+1)*H)
	g.nbk = grow(g.nbk, T+1)
	g.us = grow(g.us, T*H)
	g.rt = grow(g.rt, T*H)
	g.kq = grow(g.kq, H)
	g.uidx = grow(g.uidx, H)
}

// Activations as small integers, so that the per-unit switch does not
// compare strings.
const (
	kindReLU = iota
	kindSoftplus
	kindTanh
	kindIdentity
)

// actKind is the kind of activation name (one of the Act constants).
func actKind(name string) int {
	switch name {
	case ActSoftplus:
		return kindSoftplus
	case ActTanh:
		return kindTanh
	case ActIdentity:
		return kindIdentity
	}
	return kindReLU
}

// actDeriv applies f (kind, see actKind) to q and returns f(q) and f'(q).
func actDeriv(kind int, q float32) (r, d float32) {
	switch kind {
	case kindSoftplus:
		// softplus(x) = max(x, 0) + log1p(e), sigmoid(x) = 1/(1+e) or e/(1+e)
		// with e = exp(-|x|) ∈ (0, 1]: one exponential for both, and
		// log1p(e) = 2 atanh(w) = 2 Σ_k w^(2k+1)/(2k+1), w = e/(2+e) ≤ 1/3,
		// whose terms up to k = 8 leave a relative error below 3e-10 (and
		// cost a third of math.Log).
		x := float64(q)
		e := math.Exp(-math.Abs(x))
		w := e / (2 + e)
		w2 := w * w
		l := 2 * w * (1 + w2*(1.0/3+w2*(1.0/5+w2*(1.0/7+w2*(1.0/9+w2*(1.0/11+w2*(1.0/13+w2*(1.0/15+w2*(1.0/17)))))))))
		sig := 1 / (1 + e)
		if x < 0 {
			sig *= e
		}
		return float32(max(x, 0) + l), float32(sig)
	case kindTanh:
		t := float32(math.Tanh(float64(q)))
		return t, 1 - t*t
	case kindIdentity:
		return q, 1
	}
	if q > 0 {
		return q, 1
	}
	return 0, 0
}

// signPM is GoMLX's SignPlusOrMinus, the gradient of Abs: -1 below 0, +1 otherwise.
func signPM(x float32) float32 {
	if x < 0 {
		return -1
	}
	return 1
}

// lossAndGradGeneral is lossAndGrad for the general path.
func (s *cpuShard) lossAndGradGeneral(e *CPUEngine, p *Params, b *tasks.Batch, noise, logits []float32) {
	s.loss = 0
	s.gen.l1, s.gen.l2 = 0, 0
	clear(s.dW)
	clear(s.dWro)
	clear(s.dBro)
	bl := e.useBLAS()
	if bl {
		clear(s.bl.dWroT)
	}
	for tr := s.lo; tr < s.hi; tr++ {
		s.forwardGeneral(e, p, b, tr, noise, logits, nil, true)
		s.backwardGeneral(e, p, b, tr)
	}
	if bl {
		// dW_ro from dW_roᵀ ([O][R]).
		R, O := e.cfg.ReadSize(), e.cfg.NumOutput
		for k := range O {
			for j, v := range s.bl.dWroT[k*R : (k+1)*R] {
				s.dWro[j*O+k] = v
			}
		}
	}
}

// forwardOnlyGeneral runs the shard's trials forward without noise,
// writing the states (q for the E-I cell, r for the CTRNN) and logits.
func (s *cpuShard) forwardOnlyGeneral(e *CPUEngine, p *Params, b *tasks.Batch, states, logits []float32) {
	for tr := s.lo; tr < s.hi; tr++ {
		s.forwardGeneral(e, p, b, tr, nil, logits, states, false)
	}
}

// forwardGeneral runs trial tr from the zero state, filling hs (rates),
// act/nact (units with r ≠ 0), gen.qs, gen.fps, gen.bk and the logits. If
// states is not nil it receives the states; if withLoss, the loss terms
// are accumulated and dO filled.
func (s *cpuShard) forwardGeneral(e *CPUEngine, p *Params, b *tasks.Batch, tr int, noise, logits, states []float32, withLoss bool) {
	cfg := &e.cfg
	I, H, O, R := cfg.NumInput, cfg.NumHidden, cfg.NumOutput, cfg.ReadSize()
	T, B := b.T, b.B
	onState := e.k.onState // the E-I cell: the state q is not the rate
	act := actKind(cfg.ActivationName())
	a := float32(cfg.Alpha())
	leak := 1 - a
	var sn float32
	if noise != nil && cfg.SigmaRec > 0 {
		sn = float32(math.Sqrt(2*cfg.Alpha()) * cfg.SigmaRec)
	} else {
		noise = nil
	}
	wcat, wro, bro := e.wcat, p.Values[3], p.Values[4]
	g := &s.gen
	bl := e.useBLAS()

	// Row 0: q_{-1} = 0, r_{-1} = f(0) for the E-I cell, 0 for the CTRNN.
	clear(g.qs[:H])
	clear(g.fps[:H])
	var r0 float32
	if onState {
		r0, _ = actDeriv(act, 0)
	}
	n := 0
	for j := range H {
		s.hs[j] = r0
		if r0 != 0 {
			s.act[j] = int32(j)
			g.bk[j] = int32(j)
			n++
		}
	}
	s.nact[0], g.nbk[0] = int32(n), int32(n)

	var invTB, invN float64
	if withLoss {
		invTB = 1 / float64(T*B)
		invN = 1 / float64(T*B*O)
	}
	z := s.z[:H]
	out := s.out[:O]
	for t := 0; t < T; t++ {
		prevR := s.hs[t*H : (t+1)*H]
		prevQ := g.qs[t*H : (t+1)*H]
		curR := s.hs[(t+1)*H : (t+2)*H]
		curQ := g.qs[(t+1)*H : (t+2)*H]
		curD := g.fps[(t+1)*H : (t+2)*H]
		pa := s.act[t*H : t*H+int(s.nact[t])]

		// z = r_{t-1} W + x_t W_ir + b_rr over the nonzero rates and inputs.
		m := s.selectRows(pa, prevR, b.Inputs[(t*B+tr)*I:(t*B+tr+1)*I], H)
		if bl {
			accumRowsBLAS(z, wcat, H, s.fidx[:m], s.fval[:m])
		} else {
			accumRows(z, wcat, H, s.fidx[:m], s.fval[:m])
		}

		// q_t = (1-α) ℓ_{t-1} + α z + σ ξ, r_t = f(q_t).
		lp := prevR
		if onState {
			lp = prevQ
		}
		var nz []float32
		if noise != nil {
			nz = noise[(t*B+tr)*H : (t*B+tr+1)*H]
		}
		ca := s.act[(t+1)*H : (t+2)*H]
		cb := g.bk[(t+1)*H : (t+2)*H]
		na, nb := 0, 0
		for j := range curQ {
			q := leak*lp[j] + a*z[j]
			if nz != nil {
				q += sn * nz[j]
			}
			r, d := actDeriv(act, q)
			curQ[j], curR[j], curD[j] = q, r, d
			if r != 0 {
				ca[na] = int32(j)
				na++
			}
			if r != 0 || d != 0 {
				cb[nb] = int32(j)
				nb++
			}
		}
		s.nact[t+1], g.nbk[t+1] = int32(na), int32(nb)
		ca = ca[:na]
		if states != nil {
			src := curR
			if onState {
				src = curQ
			}
			copy(states[(t*B+tr)*H:(t*B+tr+1)*H], src)
		}

		// o_t = r_t[:R] W_ro + b_ro.
		copy(out, bro)
		for _, j := range ca {
			if int(j) >= R {
				break
			}
			rj := curR[j]
			w := wro[int(j)*O : int(j)*O+O]
			for k := range out {
				out[k] += rj * w[k]
			}
		}
		copy(logits[(t*B+tr)*O:(t*B+tr+1)*O], out)

		if !withLoss {
			continue
		}
		for _, j := range ca {
			r := float64(curR[j])
			g.l1 += math.Abs(r)
			g.l2 += r * r
		}
		dO := s.dO[t*O : (t+1)*O]
		if cfg.LossName() == LossMSE {
			k0 := (t*B + tr) * O
			tg, mk := b.Targets[k0:k0+O], b.Mask[k0:k0+O]
			for k, v := range out {
				y := float64(v)
				dy := 1.0
				if cfg.Sigmoid {
					y = 1 / (1 + math.Exp(-y))
					dy = y * (1 - y)
				}
				mm := float64(mk[k])
				d := mm * (y - float64(tg[k]))
				s.loss += d * d
				dO[k] = float32(2 * mm * d * dy * invN)
			}
			continue
		}
		s.loss += crossEntropyGrad(out, int(b.Labels[t*B+tr]), invTB, dO)
	}
}

// backwardGeneral runs BPTT over trial tr after forwardGeneral,
// accumulating the gradients (of W_eff in the rows [0,H) of dW for the
// E-I cell).
func (s *cpuShard) backwardGeneral(e *CPUEngine, p *Params, b *tasks.Batch, tr int) {
	cfg := &e.cfg
	I, H, O, R := cfg.NumInput, cfg.NumHidden, cfg.NumOutput, cfg.ReadSize()
	T, B := b.T, b.B
	onState := e.k.onState
	a := float32(cfg.Alpha())
	leak := 1 - a
	thb := float64(T * B * H)
	cL1, cL2 := float32(cfg.RateL1/thb), float32(2*cfg.RateL2/thb)
	wcat, wro := e.wcat, p.Values[3]
	dW, dWro, dBro := s.dW, s.dWro, s.dBro[:O]
	g := &s.gen
	carry, gd, kq := s.carry[:H], s.gd[:H], g.kq[:H]
	clear(carry)
	clear(kq)
	// With dense rates (any activation but relu) dW is one product per
	// trial (gemmNT), which writes dW once instead of once per step; with
	// relu's sparse rates the step-by-step update on the active rows does
	// less work.
	// The BLAS kernels (cpu_blas.go) update dW step by step on whole rows.
	bl := e.useBLAS()
	dense := cfg.ActivationName() != ActReLU && !bl
	dh, ud := s.bl.dh, s.bl.ud
	leakR := leak // the CTRNN's leak acts on r_{t-1}; the E-I cell's on q_{t-1} (κ)
	if onState {
		leakR = 0
	}
	for t := T - 1; t >= 0; t-- {
		curR := s.hs[(t+1)*H : (t+2)*H]
		curD := g.fps[(t+1)*H : (t+2)*H]
		prevR := s.hs[t*H : (t+1)*H]
		pb := g.bk[t*H : t*H+int(g.nbk[t])]
		dO := s.dO[t*O : (t+1)*O]

		for k, v := range dO {
			dBro[k] += v
		}
		if bl {
			// dh = ρ + dO W_roᵀ on the first R units; dW_roᵀ += dOᵀ r_t[:R].
			copy(dh, carry)
			for k, v := range dO {
				axpy(v, e.wroT[k*R:(k+1)*R], dh[:R])
				axpy(v, curR[:R], s.bl.dWroT[k*R:(k+1)*R])
			}
		}
		// dr_t, dq_t, u_t; dW_ro += r_t[:R]ᵀ dO.
		uidx := g.uidx[:H]
		uc := s.uc[:H]
		nu := 0
		for j := range H {
			r := curR[j]
			d := carry[j]
			if bl {
				d = dh[j]
			} else if j < R {
				w := wro[j*O : j*O+O]
				dw := dWro[j*O : j*O+O]
				for o, v := range dO {
					d += v * w[o]
					dw[o] += r * v
				}
			}
			if cL1 != 0 {
				d += cL1 * signPM(r)
			}
			if cL2 != 0 {
				d += cL2 * r
			}
			dq := d * curD[j]
			if onState {
				dq += kq[j]
				kq[j] = leak * dq
			}
			gd[j] = dq
			if dense {
				g.us[j*T+t] = a * dq
			}
			if bl {
				ud[j] = a * dq
			}
			if dq != 0 {
				uidx[nu] = int32(j)
				uc[nu] = a * dq
				nu++
			}
		}
		uidx, uc = uidx[:nu], uc[:nu]

		// dW_ir += x_tᵀ u_t, db_rr += u_t.
		x := b.Inputs[(t*B+tr)*I : (t*B+tr+1)*I]
		if bl {
			// Dense rows: dW_ir += x_tᵀ u_t, db_rr += u_t; ρ' = u_t Wᵀ (+
			// (1-α) dq_t) and dW += r_{t-1}ᵀ u_t on the rows pb.
			for i, xi := range x {
				if xi != 0 {
					axpy(xi, ud, dW[(H+i)*H:(H+i+1)*H])
				}
			}
			axpy(1, ud, dW[(H+I)*H:(H+I+1)*H])
			clear(carry)
			for _, i := range pb {
				o := int(i) * H
				carry[i] = leakR*gd[i] + dot(wcat[o:o+H], ud)
				if v := prevR[i]; v != 0 {
					axpy(v, ud, dW[o:o+H])
				}
			}
			continue
		}
		for i, xi := range x {
			if xi != 0 {
				scatterRow(dW[(H+i)*H:(H+i+1)*H], uidx, uc, xi)
			}
		}
		scatterRow(dW[(H+I)*H:(H+I+1)*H], uidx, uc, 1)

		// ρ' = u_t Wᵀ (+ (1-α) dq_t) on the rows pb; with sparse rates
		// (relu) also dW += r_{t-1}ᵀ u_t on those rows, step by step.
		clear(carry)
		switch {
		case dense && nu == H:
			carryRowsDense(pb, uc, wcat[:H*H], H, gd, leakR, carry) // uc is u_t in order
		case dense:
			carryRows(pb, uidx, uc, wcat[:H*H], H, gd, leakR, carry)
		case nu == H:
			backRowsDense(pb, prevR, uc, wcat[:H*H], dW[:H*H], H, gd, leakR, carry)
		default:
			backRows(pb, prevR, uidx, uc, wcat[:H*H], dW[:H*H], H, gd, leakR, carry)
		}
	}
	if dense {
		// dW += Σ_t r_{t-1}ᵀ u_t, one product over the trial, on transposed
		// copies so that its loop over t is contiguous.
		rt := g.rt[:T*H]
		for t := range T {
			for i, v := range s.hs[t*H : (t+1)*H] {
				rt[i*T+t] = v
			}
		}
		gemmNT(dW[:H*H], rt, g.us[:T*H], T, H)
	}
}

// backRowsDense is backRows with every unit active (idx = 0..H-1, uc of
// length H): contiguous loads instead of gathers.
func backRowsDense(pa []int32, h []float32, uc []float32, w, dw []float32, H int, gd []float32, leak float32, carry []float32) {
	uc = uc[:H]
	n := len(pa)
	p := 0
	for ; p+4 <= n; p += 4 {
		i0, i1, i2, i3 := int(pa[p]), int(pa[p+1]), int(pa[p+2]), int(pa[p+3])
		h0, h1, h2, h3 := h[i0], h[i1], h[i2], h[i3]
		w0, w1, w2, w3 := w[i0*H:i0*H+H], w[i1*H:i1*H+H], w[i2*H:i2*H+H], w[i3*H:i3*H+H]
		d0, d1, d2, d3 := dw[i0*H:i0*H+H], dw[i1*H:i1*H+H], dw[i2*H:i2*H+H], dw[i3*H:i3*H+H]
		var s0, s1, s2, s3 float32
		for j, u := range uc {
			s0 += w0[j] * u
			s1 += w1[j] * u
			s2 += w2[j] * u
			s3 += w3[j] * u
			d0[j] += h0 * u
			d1[j] += h1 * u
			d2[j] += h2 * u
			d3[j] += h3 * u
		}
		carry[i0] = leak*gd[i0] + s0
		carry[i1] = leak*gd[i1] + s1
		carry[i2] = leak*gd[i2] + s2
		carry[i3] = leak*gd[i3] + s3
	}
	for ; p < n; p++ {
		i := int(pa[p])
		hi := h[i]
		wi, di := w[i*H:i*H+H], dw[i*H:i*H+H]
		var s float32
		for j, u := range uc {
			s += wi[j] * u
			di[j] += hi * u
		}
		carry[i] = leak*gd[i] + s
	}
}

// carryRows does, for every i in pa and over the units idx (uc compacted
// on idx):
//
//	carry[i] = leak·gd[i] + Σ_k w[i·H + idx[k]] · uc[k]
//
// four rows at a time.
func carryRows(pa, idx []int32, uc, w []float32, H int, gd []float32, leak float32, carry []float32) {
	uc = uc[:len(idx)]
	n := len(pa)
	p := 0
	for ; p+4 <= n; p += 4 {
		i0, i1, i2, i3 := int(pa[p]), int(pa[p+1]), int(pa[p+2]), int(pa[p+3])
		w0, w1, w2, w3 := w[i0*H:i0*H+H], w[i1*H:i1*H+H], w[i2*H:i2*H+H], w[i3*H:i3*H+H]
		var s0, s1, s2, s3 float32
		for k, j := range idx {
			u := uc[k]
			s0 += w0[j] * u
			s1 += w1[j] * u
			s2 += w2[j] * u
			s3 += w3[j] * u
		}
		carry[i0] = leak*gd[i0] + s0
		carry[i1] = leak*gd[i1] + s1
		carry[i2] = leak*gd[i2] + s2
		carry[i3] = leak*gd[i3] + s3
	}
	for ; p < n; p++ {
		i := int(pa[p])
		wi := w[i*H : i*H+H]
		var s float32
		for k, j := range idx {
			s += wi[j] * uc[k]
		}
		carry[i] = leak*gd[i] + s
	}
}

// carryRowsDense is carryRows with every unit in idx (u of length H).
func carryRowsDense(pa []int32, u, w []float32, H int, gd []float32, leak float32, carry []float32) {
	u = u[:H]
	n := len(pa)
	p := 0
	for ; p+4 <= n; p += 4 {
		i0, i1, i2, i3 := int(pa[p]), int(pa[p+1]), int(pa[p+2]), int(pa[p+3])
		// Rows resliced to len(u): no bounds checks in the loop.
		w0, w1, w2, w3 := w[i0*H : i0*H+H][:len(u)], w[i1*H : i1*H+H][:len(u)], w[i2*H : i2*H+H][:len(u)], w[i3*H : i3*H+H][:len(u)]
		var s0, s1, s2, s3 float32
		for j, v := range u {
			s0 += w0[j] * v
			s1 += w1[j] * v
			s2 += w2[j] * v
			s3 += w3[j] * v
		}
		carry[i0] = leak*gd[i0] + s0
		carry[i1] = leak*gd[i1] + s1
		carry[i2] = leak*gd[i2] + s2
		carry[i3] = leak*gd[i3] + s3
	}
	for ; p < n; p++ {
		i := int(pa[p])
		wi := w[i*H : i*H+H][:len(u)]
		var s float32
		for j, v := range u {
			s += wi[j] * v
		}
		carry[i] = leak*gd[i] + s
	}
}

// gemmNT adds a bᵀ to dst: dst[i·H + j] += Σ_t a[i·T + t] · b[j·T + t]
// for a, b of H rows of T, in register blocks of 2×4 (eight accumulators
// and six loads per step of t), so that dst is written once per trial
// instead of once per step.
func gemmNT(dst, a, b []float32, T, H int) {
	a, b = a[:H*T], b[:H*T]
	i := 0
	for ; i+2 <= H; i += 2 {
		a0 := a[i*T : i*T+T]
		a1 := a[(i+1)*T : (i+1)*T+T][:len(a0)]
		d0, d1 := dst[i*H:i*H+H], dst[(i+1)*H:(i+1)*H+H]
		j := 0
		for ; j+4 <= H; j += 4 {
			b0 := b[j*T : j*T+T][:len(a0)]
			b1 := b[(j+1)*T : (j+1)*T+T][:len(a0)]
			b2 := b[(j+2)*T : (j+2)*T+T][:len(a0)]
			b3 := b[(j+3)*T : (j+3)*T+T][:len(a0)]
			var c00, c01, c02, c03, c10, c11, c12, c13 float32
			for t, x0 := range a0 {
				x1 := a1[t]
				y0, y1, y2, y3 := b0[t], b1[t], b2[t], b3[t]
				c00 += x0 * y0
				c01 += x0 * y1
				c02 += x0 * y2
				c03 += x0 * y3
				c10 += x1 * y0
				c11 += x1 * y1
				c12 += x1 * y2
				c13 += x1 * y3
			}
			d0[j] += c00
			d0[j+1] += c01
			d0[j+2] += c02
			d0[j+3] += c03
			d1[j] += c10
			d1[j+1] += c11
			d1[j+2] += c12
			d1[j+3] += c13
		}
		for ; j < H; j++ {
			bj := b[j*T : j*T+T][:len(a0)]
			var c0, c1 float32
			for t, y := range bj {
				c0 += a0[t] * y
				c1 += a1[t] * y
			}
			d0[j] += c0
			d1[j] += c1
		}
	}
	for ; i < H; i++ {
		ai := a[i*T : i*T+T]
		di := dst[i*H : i*H+H]
		for j := range H {
			bj := b[j*T : j*T+T][:len(ai)]
			var c float32
			for t, x := range ai {
				c += x * bj[t]
			}
			di[j] += c
		}
	}
}
