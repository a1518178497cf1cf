package multitask

import (
	"math"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// TestParallelogram: a square is a perfect parallelogram; turning one side
// by 90° gives cosine 0 and a relative error of sqrt(2).
func TestParallelogram(t *testing.T) {
	sq := &TaskSpace{Points: [][]float64{{0, 0, 1}, {1, 0, 1}, {0, 1, 1}, {1, 1, 1}}}
	if c, e := sq.Parallelogram(); math.Abs(c-1) > 1e-15 || e != 0 {
		t.Errorf("square: cos %v, err %v", c, e)
	}
	bent := &TaskSpace{Points: [][]float64{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 2, 0}}}
	if c, e := bent.Parallelogram(); math.Abs(c) > 1e-15 || math.Abs(e-math.Sqrt2) > 1e-15 {
		t.Errorf("bent: cos %v, err %v", c, e)
	}
}

// TestTaskSpace recomputes each rule's point from the plain-Go forward
// pass (the mean over the test batch of the rates at the last stim1 step)
// and checks that the two PCs reproduce the points' distances when the
// points are planar (three rules always are).
func TestTaskSpace(t *testing.T) {
	eng, p := smallPaperNet(t)
	rules := []string{"fdgo", "fdanti", "delaygo"}
	ts, err := NewTaskSpace(eng, p, rules)
	if err != nil {
		t.Fatal(err)
	}
	H := p.NumHidden
	for i, rule := range rules {
		b, info, err := yang2019.GenerateTest(rule, p.Dt)
		if err != nil {
			t.Fatal(err)
		}
		end := -1
		for _, e := range info.Epochs {
			if e.Name == "stim1" {
				end = e.End - 1
			}
		}
		want := make([]float64, H)
		for s := range b.B {
			xs := make([]float32, b.T*b.ObsSize)
			for u := range b.T {
				copy(xs[u*b.ObsSize:(u+1)*b.ObsSize], b.Inputs[(u*b.B+s)*b.ObsSize:(u*b.B+s+1)*b.ObsSize])
			}
			st, _ := p.Forward(xs)
			for j := range H {
				want[j] += float64(st[end*H+j]) / float64(b.B)
			}
		}
		for j := range H {
			if math.Abs(ts.Points[i][j]-want[j]) > 1e-4 {
				t.Fatalf("%s unit %d: %v, recomputed %v", rule, j, ts.Points[i][j], want[j])
			}
		}
	}
	dist := func(a, b []float64) float64 {
		s := 0.0
		for j := range a {
			s += (a[j] - b[j]) * (a[j] - b[j])
		}
		return math.Sqrt(s)
	}
	for i := range rules {
		for k := range i {
			d2 := math.Hypot(ts.XY[i][0]-ts.XY[k][0], ts.XY[i][1]-ts.XY[k][1])
			if d := dist(ts.Points[i], ts.Points[k]); math.Abs(d-d2) > 1e-6*(1+d) {
				t.Errorf("%s–%s: distance %v in the rate space, %v on the PCs", rules[i], rules[k], d, d2)
			}
		}
	}
	if _, err := NewTaskSpace(eng, p, []string{"fdgo", "nosuch", "dm1"}); err == nil {
		t.Error("an unknown rule was accepted")
	}
}

// TestComposed: the composition must beat every single replacement by
// another rule (not the task's own rule, not the partial compositions).
func TestComposed(t *testing.T) {
	s := yang2019.Replacements()
	for _, c := range []struct {
		setup int
		perf  []float64
		want  bool
	}{
		{0, []float64{0.95, 0.2, 0.5, 0.8}, true},
		{0, []float64{0.95, 0.85, 0.9, 0.8}, false}, // fdanti alone does better
		{0, []float64{0.5, 0.2, 0.9, 0.8}, true},    // the task's own rule and the partial sum do not count
		{1, []float64{0.9, 0.3, 0.4, 0.7, 0.6}, false},
		{1, []float64{0.9, 0.3, 0.4, 0.5, 0.6}, true},
	} {
		if got := (ReplacementResult{Task: s[c.setup].Rule, Perf: c.perf}).Composed(s[c.setup]); got != c.want {
			t.Errorf("setup %d, %v: composed %v, want %v", c.setup+1, c.perf, got, c.want)
		}
	}
}

// TestCompositionFigure draws the figure of a hand-made composition and
// refuses an empty one.
func TestCompositionFigure(t *testing.T) {
	c := &Composition{
		Spaces:       []SpaceResult{{Rules: []string{"fdgo", "fdanti", "delaygo", "delayanti"}, XY: [][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}}, Cos: 1}},
		Replacements: []ReplacementResult{{Task: "delayanti", Inputs: []string{"delayanti", "fdanti", "delaygo + fdanti"}, Perf: []float64{0.9, 0.1, 0.8}}},
	}
	f, err := CompositionFigure(c)
	if err != nil {
		t.Fatal(err)
	}
	png, err := f.PNG()
	if err != nil || len(png) < 1000 {
		t.Fatalf("PNG of %d bytes, error %v", len(png), err)
	}
	if _, err := CompositionFigure(&Composition{}); err == nil {
		t.Error("an empty composition was drawn")
	}
}
