package multitask

import (
	"math"
	"slices"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*(1+math.Abs(b)) }

// TestUnitVarianceByHand: two units, three trials of different lengths
// starting at different steps; the variance worked by hand.
func TestUnitVarianceByHand(t *testing.T) {
	// H = 2; rows are steps, (unit 0, unit 1).
	rates := [][]float32{
		{9, 9, 1, 0, 3, 0},       // start 1: u0 (1,0), u1 (3,0)
		{2, 0, 5, 2},             // start 0: u0 (2,5), u1 (0,2)
		{7, 7, 7, 7, 3, 4, 9, 9}, // start 2: u0 (3,9), u1 (4,9)
	}
	starts := []int{1, 0, 2}
	v, err := UnitVariance(rates, starts, 2)
	if err != nil {
		t.Fatal(err)
	}
	// u = 0: unit 0 values 1, 2, 3 -> var 2/3; unit 1 values 0, 0, 4 -> var 32/9.
	// u = 1: unit 0 values 3, 5, 9 -> var 56/9; unit 1 values 0, 2, 9 -> var 134/9.
	want := []float64{(2.0/3 + 56.0/9) / 2, (32.0/9 + 134.0/9) / 2}
	for j := range want {
		if !near(v[j], want[j]) {
			t.Errorf("unit %d: variance %v, want %v", j, v[j], want[j])
		}
	}
}

// handNet is a network whose unit 0 copies observation channel 1 (the first
// ring unit of modality 1) and whose other units are silent: α = 1, relu,
// no recurrence, no biases.
func handNet(t *testing.T, H int) *models.Params {
	cfg := Config{Hidden: H}.Model()
	p, err := models.NewParams(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range p.Values {
		clear(v)
	}
	p.Get("w_ir")[1*H+0] = 1
	return p
}

// TestTaskVarianceHandNet: the task variance of the hand-made network is
// the variance of the input channel it copies, recomputed from the trials
// themselves; the silent units have none, and only unit 0 is active.
func TestTaskVarianceHandNet(t *testing.T) {
	p := handNet(t, 3)
	eng, err := models.NewEngine(models.EngineCPU, p.Config)
	if err != nil {
		t.Fatal(err)
	}
	const n, seed = 12, 5
	V, err := TaskVariance(eng, p, n, seed)
	if err != nil {
		t.Fatal(err)
	}
	sched, err := NewSchedule(p.Dt, true)
	if err != nil {
		t.Fatal(err)
	}
	sched.Seed(seed)
	some := false
	for k := range ShortNames() {
		trs, err := TaskTrials(sched, k, n)
		if err != nil {
			t.Fatal(err)
		}
		rates, starts := make([][]float32, n), make([]int, n)
		for i, tr := range trs {
			for s := range tr.N {
				rates[i] = append(rates[i], max(tr.ObsAt(s)[1], 0))
			}
			starts[i] = AnalysisStart(tr)
		}
		want, err := UnitVariance(rates, starts, 1)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(V[0][k]-want[0]) > 1e-6 || V[1][k] != 0 || V[2][k] != 0 {
			t.Errorf("task %s: variances %v, want [%v 0 0]", ShortNames()[k], []float64{V[0][k], V[1][k], V[2][k]}, want[0])
		}
		some = some || want[0] > 0
	}
	if !some {
		t.Fatal("the hand-made unit varies on no task: the test tests nothing")
	}
	if a := ActiveUnits(V, ActiveThreshold); !slices.Equal(a, []int{0}) {
		t.Errorf("active units %v, want [0]", a)
	}
}

// TestKMeansWorkedCase: {0, 1, 10, 11} into two clusters gives centres
// 0.5 and 10.5, inertia 1, and a silhouette score of
// (2·9.5/10.5 + 2·8.5/9.5)/4, worked by hand.
func TestKMeansWorkedCase(t *testing.T) {
	X := [][]float64{{0}, {1}, {10}, {11}}
	c, err := KMeans(X, 2, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	if c.Labels[0] != c.Labels[1] || c.Labels[2] != c.Labels[3] || c.Labels[0] == c.Labels[2] {
		t.Fatalf("labels %v, want {0,1} and {10,11}", c.Labels)
	}
	if !near(c.Centers[c.Labels[0]][0], 0.5) || !near(c.Centers[c.Labels[2]][0], 10.5) || !near(c.Inertia, 1) {
		t.Errorf("centres %v inertia %v, want 0.5, 10.5 and 1", c.Centers, c.Inertia)
	}
	s, err := Silhouette(X, c.Labels)
	if err != nil {
		t.Fatal(err)
	}
	if want := (2*9.5/10.5 + 2*8.5/9.5) / 4; !near(s, want) {
		t.Errorf("silhouette %v, want %v", s, want)
	}
	// A cluster of one scores 0: {0, 1 | 5}: (0.8 + 0.75 + 0)/3.
	s, err = Silhouette([][]float64{{0}, {1}, {5}}, []int{0, 0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if !near(s, 1.55/3) {
		t.Errorf("silhouette with a singleton %v, want %v", s, 1.55/3)
	}
}

// TestChooseKThreeBlobs: three tight, far-apart blobs in 2-D; the
// silhouette score must pick k = 3 and the clusters must be the blobs.
func TestChooseKThreeBlobs(t *testing.T) {
	var X [][]float64
	centres := [][2]float64{{0, 0}, {10, 0}, {0, 10}}
	for b, c := range centres {
		for i := range 6 {
			X = append(X, []float64{c[0] + 0.1*float64(i%3), c[1] + 0.1*float64(i/3+b)})
		}
	}
	kc, err := ChooseK(X, 2, 8, 10, 7)
	if err != nil {
		t.Fatal(err)
	}
	if kc.Best.K != 3 {
		t.Fatalf("chose k = %d (scores %v), want 3", kc.Best.K, kc.Scores)
	}
	for i := range X {
		if kc.Best.Labels[i] != kc.Best.Labels[i/6*6] {
			t.Errorf("point %d not with its blob: labels %v", i, kc.Best.Labels)
		}
	}
	again, _ := ChooseK(X, 2, 8, 10, 7)
	if !slices.Equal(again.Best.Labels, kc.Best.Labels) || !slices.Equal(again.Scores, kc.Scores) {
		t.Error("same seed, different clustering")
	}
}

// TestFTV: values worked by hand and their histogram over [-1, 1].
func TestFTV(t *testing.T) {
	V := [][]float64{{1, 0}, {0, 2}, {1, 1}, {3, 1}, {0, 0}, {39, 1}}
	got := FTV(V, []int{0, 1, 2, 3, 4, 5}, 0, 1)
	want := []float64{1, -1, 0, 0.5, 0.95} // unit 4 has no variance: left out
	if len(got) != len(want) {
		t.Fatalf("FTV %v, want %v", got, want)
	}
	for i := range want {
		if !near(got[i], want[i]) {
			t.Errorf("FTV[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	h := Histogram(got, FTVBins, -1, 1)
	wantH := make([]int, FTVBins)
	wantH[0], wantH[10], wantH[15], wantH[19] = 1, 1, 1, 2 // 1 and 0.95 share the last bin
	if !slices.Equal(h, wantH) {
		t.Errorf("histogram %v, want %v", h, wantH)
	}
}

// TestLesion: silencing units zeroes exactly their outgoing weights, and the
// lesioned network's outputs are those of the intact one with the units'
// rates clamped at 0, recomputed step by step.
func TestLesion(t *testing.T) {
	cfg := Config{Hidden: 8}.Model()
	p, err := models.NewParams(cfg, 4)
	if err != nil {
		t.Fatal(err)
	}
	cut := []int{1, 6}
	q, err := Lesion(p, cut)
	if err != nil {
		t.Fatal(err)
	}
	H, I, O := cfg.NumHidden, cfg.NumInput, cfg.NumOutput
	for i, name := range p.ParamNames() {
		rows := len(p.Values[i]) / max(1, p.Shapes()[i][len(p.Shapes()[i])-1])
		for x := range p.Values[i] {
			r := x / (len(p.Values[i]) / rows)
			lesioned := (name == "w_rr" || name == "w_ro") && slices.Contains(cut, r)
			switch {
			case lesioned && q.Values[i][x] != 0:
				t.Errorf("%s[%d] = %v after the lesion, want 0", name, x, q.Values[i][x])
			case !lesioned && q.Values[i][x] != p.Values[i][x]:
				t.Errorf("%s[%d] changed: %v -> %v", name, x, p.Values[i][x], q.Values[i][x])
			}
		}
	}
	sched, err := NewSchedule(cfg.Dt, false)
	if err != nil {
		t.Fatal(err)
	}
	trs, err := TaskTrials(sched, 8, 1)
	if err != nil {
		t.Fatal(err)
	}
	tr := trs[0]
	_, out := q.Forward(tr.Obs)
	wir, wrr, brr, wro, bro := p.Values[0], p.Values[1], p.Values[2], p.Values[3], p.Values[4]
	h := make([]float64, H)
	for s := range tr.N {
		x := tr.ObsAt(s)
		nh := make([]float64, H)
		for j := range H {
			v := float64(brr[j])
			for i := range I {
				v += float64(x[i]) * float64(wir[i*H+j])
			}
			for i := range H {
				v += h[i] * float64(wrr[i*H+j])
			}
			nh[j] = max(v, 0) // alpha = 1
		}
		for _, j := range cut {
			nh[j] = 0 // clamped
		}
		h = nh
		for o := range O {
			v := float64(bro[o])
			for i := range H {
				v += h[i] * float64(wro[i*O+o])
			}
			if math.Abs(v-float64(out[s*O+o])) > 1e-4 {
				t.Fatalf("step %d output %d: lesioned network %v, clamped rates %v", s, o, out[s*O+o], v)
			}
		}
	}
}
