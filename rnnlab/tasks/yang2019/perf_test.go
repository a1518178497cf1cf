package yang2019_test

import (
	"math"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// vonMises returns 33 hand-made outputs: fixation fix, and ring unit k at
// e^{2cos(θ_k − a)}/e², a symmetric bump whose population vector points at
// a (the aliasing error of 32 samples is of order I_31(2)/I_1(2) < 1e-30).
func vonMises(fix float32, a float64) []float32 {
	y := []float32{fix}
	for k := range 32 {
		y = append(y, float32(math.Exp(2*math.Cos(2*math.Pi*float64(k)/32-a))/math.Exp(2)))
	}
	return y
}

// TestPopVec checks the population vector on bumps at many directions and
// on a flat-zero ring (NaN, as numpy's 0/0).
func TestPopVec(t *testing.T) {
	for i := range 64 {
		a := 2 * math.Pi * (float64(i) + 0.37) / 64
		got := yang2019.PopVec(vonMises(0, a)[1:])
		if d := angle(got, a); math.Min(d, 2*math.Pi-d) > 1e-6 {
			t.Fatalf("popvec of a bump at %v = %v", a, got)
		}
	}
	if !math.IsNaN(yang2019.PopVec(make([]float32, 32))) {
		t.Fatalf("popvec of zeros is not NaN")
	}
}

// TestCorrect checks get_perf's verdict on hand-made outputs: a go trial is
// correct iff the fixation output is ≤ 0.5 and the bump is less than 0.2π
// from y_loc (either side, across 0); a no-go trial iff the fixation output
// is > 0.5, whatever the ring does.
func TestCorrect(t *testing.T) {
	for _, yLoc := range []float64{0.1, 1, math.Pi, 6.2} {
		for _, c := range []struct {
			fix  float32
			off  float64
			want bool
		}{
			{0.1, 0, true}, {0.5, 0, true}, {0.5001, 0, false}, {0.9, 0, false},
			{0.2, 0.19 * math.Pi, true}, {0.2, -0.19 * math.Pi, true},
			{0.2, 0.21 * math.Pi, false}, {0.2, -0.21 * math.Pi, false}, {0.2, math.Pi, false},
		} {
			y := vonMises(c.fix, yLoc+c.off)
			if got := yang2019.Correct(y, yLoc); got != c.want {
				t.Errorf("go trial at %v: fixation %v, bump %+.3fπ away: correct %v, want %v", yLoc, c.fix, c.off/math.Pi, got, c.want)
			}
		}
	}
	for _, c := range []struct {
		fix  float32
		want bool
	}{{0.51, true}, {0.8, true}, {0.5, false}, {0.05, false}} {
		if got := yang2019.Correct(vonMises(c.fix, 1), yang2019.NoResponse); got != c.want {
			t.Errorf("no-go trial: fixation %v: correct %v, want %v", c.fix, got, c.want)
		}
	}
	// A go trial with a silent ring has no direction: wrong.
	if yang2019.Correct(make([]float32, 33), 1) {
		t.Errorf("a silent ring counted as correct")
	}
}

// TestPerformance checks that Performance reads the last step of [T][B][33]
// and averages: outputs right at the last step only for trials 0 and 2 of 4.
func TestPerformance(t *testing.T) {
	const T, B = 3, 4
	yLoc := []float64{1, 2, yang2019.NoResponse, yang2019.NoResponse}
	out := make([]float32, T*B*33)
	for s := range T {
		for b := range B {
			var y []float32
			switch {
			case s < T-1: // earlier steps: everything right, never read
				if yLoc[b] < 0 {
					y = vonMises(0.9, 0)
				} else {
					y = vonMises(0.1, yLoc[b])
				}
			case b == 0:
				y = vonMises(0.1, 1.1)
			case b == 1:
				y = vonMises(0.1, 2+math.Pi)
			case b == 2:
				y = vonMises(0.7, 0)
			default:
				y = vonMises(0.3, 0)
			}
			copy(out[(s*B+b)*33:], y)
		}
	}
	ok, frac, err := yang2019.Performance(out, yLoc)
	if err != nil || frac != 0.5 || !ok[0] || ok[1] || !ok[2] || ok[3] {
		t.Fatalf("performance %v %v %v, want [true false true false] 0.5", ok, frac, err)
	}
	if _, _, err := yang2019.Performance(out[:33*B+1], yLoc); err == nil {
		t.Errorf("ragged outputs: no error")
	}
	if _, _, err := yang2019.Performance(out, nil); err == nil {
		t.Errorf("no trials: no error")
	}
}

// TestPerfectOutputsOnTargets checks Performance on a generated batch of
// every rule, with the targets as outputs: all correct (the target is the
// paper's ideal output), and all wrong with the fixation output swapped.
func TestPerfectOutputsOnTargets(t *testing.T) {
	for ri, rule := range paperRules {
		bs, infos := gen(t, rule, 1, 64, 20, uint64(600+ri))
		ok, frac, err := yang2019.Performance(bs[0].Targets, infos[0].YLoc())
		if err != nil || frac != 1 {
			t.Fatalf("%s: targets score %v (%v), want 1", rule, frac, err)
		}
		swapped := append([]float32(nil), bs[0].Targets...)
		for i := 0; i < len(swapped); i += 33 {
			swapped[i] = 0.85 - swapped[i]
		}
		_, frac, _ = yang2019.Performance(swapped, infos[0].YLoc())
		if frac != 0 || len(ok) != 64 {
			t.Fatalf("%s: swapped fixation scores %v, want 0", rule, frac)
		}
	}
}
