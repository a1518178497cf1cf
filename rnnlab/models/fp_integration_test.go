package models

import (
	"math"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/backend"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
)

// ctrnnJacobian is the analytic dF/dh of the CTRNN cell at h with input u:
// with z = (1−α)h + α(u·W_ir + h·W_rr + b_rr), F = relu(z) and
// ∂F_a/∂h_b = 1[z_a > 0]·((1−α)δ_ab + α W_rr[b][a]).
func ctrnnJacobian(wir, wrr, brr []float32, alpha float64, h, u []float64) []float64 {
	H, I := len(brr), len(u)
	j := make([]float64, H*H)
	for a := 0; a < H; a++ {
		z := float64(brr[a])
		for k := 0; k < I; k++ {
			z += u[k] * float64(wir[k*H+a])
		}
		for b := 0; b < H; b++ {
			z += h[b] * float64(wrr[b*H+a])
		}
		z = (1-alpha)*h[a] + alpha*z
		if z <= 0 {
			continue
		}
		for b := 0; b < H; b++ {
			v := alpha * float64(wrr[b*H+a])
			if a == b {
				v += 1 - alpha
			}
			j[a*H+b] = v
		}
	}
	return j
}

func TestCTRNNIntegration(t *testing.T) {
	p, cands := ctrnnCandidates(t, 200)
	p.Dt = 50 // alpha = 0.5, to exercise the leak term
	ev := testBackendEval(t, p.CellFunc(), fixedpoints.Discrete, 64, 3)
	o := fixedpoints.PrimerOptions()
	o.Adam.LR = optim.Exponential(0.05, 1, 0.999)
	o.MaxIters = 1500
	f, err := fixedpoints.NewFinder(ev, o)
	if err != nil {
		t.Fatal(err)
	}
	u := []float64{1, 0.5, 0.5}
	fp, err := f.Find(cands, to32(u))
	if err != nil {
		t.Fatal(err)
	}
	// Residuals agree with the CPU forward pass.
	for k := 0; k < 3; k++ {
		h := make([]float32, 64)
		for d := range h {
			h[d] = float32(fp.X[k*64+d])
		}
		out := make([]float32, 64)
		p.Step(to32(u), h, out)
		s := 0.0
		for d := range h {
			r := float64(h[d] - out[d])
			s += r * r
		}
		if got := s / 64; math.Abs(got-fp.Speed[k]) > 1e-6+1e-3*got {
			t.Errorf("point %d: speed %g, CPU %g", k, fp.Speed[k], got)
		}
	}
	ref, rep, err := f.Refine(fp, fixedpoints.DefaultNewtonOptions())
	if err != nil {
		t.Fatal(err)
	}
	converged := 0
	for k := range rep.Converged {
		if rep.Converged[k] {
			converged++
			if ref.Speed[k] > 1e-13 {
				t.Errorf("converged point %d has speed %g", k, ref.Speed[k])
			}
		}
	}
	if converged == 0 {
		t.Fatalf("no point converged; residuals after Newton: %v", rep.After[:10])
	}
	uniq, err := ref.KeepUnique(0.03, fixedpoints.FirstIndex)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Adam: %d iterations, final loss %.3g; Newton: %d/%d converged; %d unique", fp.Iters, fp.Losses[fp.Iters-1], converged, ref.Len(), uniq.Len())
	// Autodiff Jacobians equal the analytic ones.
	js, err := f.Jacobians(ref.X[:5*64], to32(u))
	if err != nil {
		t.Fatal(err)
	}
	for k, j := range js {
		want := ctrnnJacobian(p.Values[0], p.Values[1], p.Values[2], p.Alpha(), ref.Point(k), u)
		for e := range j {
			if math.Abs(j[e]-want[e]) > 1e-6 {
				t.Fatalf("point %d: J[%d][%d] = %v, analytic %v", k, e/64, e%64, j[e], want[e])
			}
		}
	}
}

// testBackendEval is the GoMLX evaluator of fn on the shared backend.
func testBackendEval(t testing.TB, fn fixedpoints.MapFunc, kind fixedpoints.Kind, d, i int) *fixedpoints.GraphEvaluator {
	t.Helper()
	b, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	ev, err := fixedpoints.NewGraphEvaluator(b, fn, kind, d, i)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func to32(x []float64) []float32 {
	out := make([]float32, len(x))
	for k, v := range x {
		out[k] = float32(v)
	}
	return out
}
