package tasks

import (
	"slices"
	"testing"
)

// TestMSETargets checks the targets and cost mask of a hand-made batch of two
// streams at dt = 40 ms (grace period ceil(100/40) = 3 steps).
func TestMSETargets(t *testing.T) {
	// Stream 0: fixate, fixate, then a 4-step response, then fixate.
	// Stream 1: a response already running at t = 0, then a new one after a
	// fixation step.
	labels0 := []int32{0, 0, 1, 1, 1, 1, 0}
	labels1 := []int32{2, 2, 2, 2, 0, 2, 1}
	T, B, O := len(labels0), 2, 3
	b := &Batch{T: T, B: B, ObsSize: 1, Inputs: make([]float32, T*B)}
	for t := range T {
		b.Labels = append(b.Labels, labels0[t], labels1[t])
	}
	if err := MSETargets(b, O, 40); err != nil {
		t.Fatal(err)
	}
	// Per-step cost mask m(t, b), by hand.
	m0 := []float32{1, 1, 0, 0, 0, 5, 1}
	m1 := []float32{0, 0, 0, 5, 1, 0, 0} // the label change 2 -> 1 does not restart the stretch
	for step := range T {
		for s, lab := range [][]int32{labels0, labels1} {
			m := [][]float32{m0, m1}[s][step]
			i := (step*B + s) * O
			var wantT, wantM []float32
			switch lab[step] {
			case 0:
				wantT = []float32{0.8, 0.05, 0.05}
			case 1:
				wantT = []float32{0.05, 0.8, 0.05}
			case 2:
				wantT = []float32{0.05, 0.05, 0.8}
			}
			wantM = []float32{2 * m, m, m}
			if got := b.Targets[i : i+O]; !slices.Equal(got, wantT) {
				t.Errorf("t=%d b=%d label %d: targets %v, want %v", step, s, lab[step], got, wantT)
			}
			if got := b.Mask[i : i+O]; !slices.Equal(got, wantM) {
				t.Errorf("t=%d b=%d label %d: mask %v, want %v", step, s, lab[step], got, wantM)
			}
		}
	}
	if g := GraceSteps(20); g != 5 {
		t.Errorf("GraceSteps(20) = %d, want 5", g)
	}
	if g := GraceSteps(100); g != 1 {
		t.Errorf("GraceSteps(100) = %d, want 1", g)
	}
}

func TestMSETargetsErrors(t *testing.T) {
	good := func() *Batch { return &Batch{T: 2, B: 1, ObsSize: 1, Inputs: []float32{0, 0}, Labels: []int32{0, 1}} }
	for name, f := range map[string]func() error{
		"label out of range": func() error { return MSETargets(good(), 1, 20) },
		"dt 0":               func() error { return MSETargets(good(), 2, 0) },
		"no outputs":         func() error { return MSETargets(good(), 0, 20) },
		"short labels":       func() error { b := good(); b.Labels = b.Labels[:1]; return MSETargets(b, 2, 20) },
		"nil batch":          func() error { return MSETargets(nil, 2, 20) },
	} {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	b := good()
	b.Labels[1] = 5
	if MSETargets(b, 2, 20) == nil || b.Targets != nil || b.Mask != nil {
		t.Errorf("a bad label leaves targets %v, mask %v", b.Targets, b.Mask)
	}
}
