package multitask

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// TestAdjustedRandExamples: scikit-learn's documented examples of
// adjusted_rand_score, each also worked by hand from the formula, and the
// two degenerate cases its code returns 1 for.
func TestAdjustedRandExamples(t *testing.T) {
	for _, c := range []struct {
		a, b []int
		want float64
	}{
		{[]int{0, 0, 1, 1}, []int{0, 0, 1, 1}, 1},
		{[]int{0, 0, 1, 1}, []int{1, 1, 0, 0}, 1}, // label names do not matter
		// Σ C(n_ij) = 1, Σ C(a_i) = 1, Σ C(b_j) = 2, C(4) = 6: E = 1/3,
		// (1 − 1/3) / (3/2 − 1/3) = 4/7 (scikit-learn: 0.57).
		{[]int{0, 0, 1, 2}, []int{0, 0, 1, 1}, 4.0 / 7},
		{[]int{0, 0, 1, 1}, []int{0, 0, 1, 2}, 4.0 / 7},
		{[]int{0, 0, 0, 0}, []int{0, 1, 2, 3}, 0},
		// Σ C(n_ij) = 0, Σ C(a_i) = Σ C(b_j) = 2: E = 2/3, −(2/3)/(4/3).
		{[]int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
		{[]int{3, 3, 3}, []int{0, 0, 0}, 1}, // one cluster each
		{[]int{0, 1, 2}, []int{2, 0, 1}, 1}, // all singletons each
		{[]int{0, 0, 1, 1, 1}, []int{0, 0, 1, 1, 1}, 1},
	} {
		got, err := AdjustedRand(c.a, c.b)
		if err != nil {
			t.Fatal(err)
		}
		if !near(got, c.want) {
			t.Errorf("ARI(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if _, err := AdjustedRand([]int{0, 1}, []int{0}); err == nil {
		t.Error("labels of different lengths accepted")
	}
	if _, err := AdjustedRand([]int{0, -1}, []int{0, 0}); err == nil {
		t.Error("a negative label accepted")
	}
}

// TestAdjustedRandPairCounting: on random labellings, the index equals its
// pair-counting form (scikit-learn's pair_confusion_matrix), counted pair
// by pair: with tp pairs together in both, tn apart in both, fp together
// only in b and fn only in a,
//
//	ARI = 2 (tp·tn − fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn)).
func TestAdjustedRandPairCounting(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		n, ka, kb := 2+rng.IntN(40), 1+rng.IntN(6), 1+rng.IntN(6)
		a, b := make([]int, n), make([]int, n)
		for i := range n {
			a[i], b[i] = rng.IntN(ka), rng.IntN(kb)
			if trial%5 == 0 && rng.IntN(3) > 0 {
				b[i] = a[i] // partly agreeing labellings
			}
		}
		var tp, tn, fp, fn float64
		for i := range n {
			for j := i + 1; j < n; j++ {
				sa, sb := a[i] == a[j], b[i] == b[j]
				switch {
				case sa && sb:
					tp++
				case !sa && !sb:
					tn++
				case sb:
					fp++
				default:
					fn++
				}
			}
		}
		want := 1.0
		if fn != 0 || fp != 0 {
			want = 2 * (tp*tn - fn*fp) / ((tp+fn)*(fn+tn) + (tp+fp)*(fp+tn))
		}
		got, err := AdjustedRand(a, b)
		if err != nil {
			t.Fatal(err)
		}
		if !near(got, want) {
			t.Fatalf("ARI(%v, %v) = %v, pair counting %v", a, b, got, want)
		}
		if back, _ := AdjustedRand(b, a); !near(back, got) {
			t.Fatalf("ARI not symmetric: %v and %v", got, back)
		}
	}
}

// remeasured returns R noisy measurements (noise sd sigma) of the n
// points truth, as Analyze measures the same units' task variance again
// on new trials.
func remeasured(truth [][]float64, R int, sigma float64, rng *rand.Rand) [][][]float64 {
	Xs := make([][][]float64, R)
	for r := range Xs {
		for _, x := range truth {
			y := slices.Clone(x)
			for j := range y {
				y[j] += sigma * rng.NormFloat64()
			}
			Xs[r] = append(Xs[r], y)
		}
	}
	return Xs
}

// TestSweepKPlanted: 4 planted clusters of 15 points in 6 dimensions
// (centres 1 apart, spread 0.08), measured again 8 times with noise 0.05:
// every repetition must choose k = 4, the partitions agree (ARI 1), the
// verdict is stable and the consensus partition is the planted one.
func TestSweepKPlanted(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const K, per, D = 4, 15, 6
	var truth [][]float64
	var planted []int
	for c := range K {
		for range per {
			x := make([]float64, D)
			for j := range x {
				if j == c {
					x[j] = 1
				}
				x[j] += 0.08 * rng.NormFloat64()
			}
			truth = append(truth, x)
			planted = append(planted, c)
		}
	}
	sw, err := SweepK(remeasured(truth, 8, 0.05, rng), 2, 10, 5, 11)
	if err != nil {
		t.Fatal(err)
	}
	if sw.K != K || sw.Share != 1 || !sw.Stable {
		t.Fatalf("k chosen %v (modal %d, share %v, stable %v), want 4 every time", sw.Chosen, sw.K, sw.Share, sw.Stable)
	}
	i := sw.Index(K)
	if !near(sw.ARIMean[i], 1) || !near(sw.ARIMin[i], 1) {
		t.Errorf("partitions at k = 4 agree with ARI mean %v min %v, want 1", sw.ARIMean[i], sw.ARIMin[i])
	}
	if ari, _ := AdjustedRand(sw.Partition.Labels, planted); !near(ari, 1) {
		t.Errorf("consensus partition has ARI %v with the planted one, want 1", ari)
	}
	if sw.Counts[i] != 8 || len(sw.Mean) != 9 || sw.SD[i] <= 0 {
		t.Errorf("counts %v, %d means, sd at 4 %v", sw.Counts, len(sw.Mean), sw.SD[i])
	}
}

// TestSweepKStructureless: 60 points uniform in the 6-cube, measured again
// 8 times with noise 0.05: the partitions at the modal k disagree (mean
// ARI below StableARI), and the verdict says there is no stable structure.
func TestSweepKStructureless(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	truth := make([][]float64, 60)
	for i := range truth {
		truth[i] = make([]float64, 6)
		for j := range truth[i] {
			truth[i][j] = rng.Float64()
		}
	}
	sw, err := SweepK(remeasured(truth, 8, 0.05, rng), 2, 10, 5, 11)
	if err != nil {
		t.Fatal(err)
	}
	if sw.Stable || sw.ARIMean[sw.Index(sw.K)] >= StableARI {
		t.Errorf("structureless data called stable: k chosen %v, ARI at %d %v", sw.Chosen, sw.K, sw.ARIMean[sw.Index(sw.K)])
	}
	t.Logf("structureless: %s", sw.Verdict())
}

// TestSweepKSeeds: the k-means seeds derive from the analysis seed
// (seeds.Clustering), the result does not depend on GOMAXPROCS, and the
// same seed gives the same sweep.
func TestSweepKSeeds(t *testing.T) {
	X := [][]float64{{0}, {1}, {10}, {11}, {30}, {31}, {32}}
	Xs := [][][]float64{X, X, X}
	a, err := SweepK(Xs, 2, 4, 3, 40)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Seeds, []uint64{3040, 3040 + 1<<32, 3040 + 2<<32}) {
		t.Errorf("k-means seeds %v, want seeds.Clustering(40, r)", a.Seeds)
	}
	old := runtime.GOMAXPROCS(1)
	b, err := SweepK(Xs, 2, 4, 3, 40)
	runtime.GOMAXPROCS(old)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Chosen, b.Chosen) || !slices.Equal(a.Partition.Labels, b.Partition.Labels) || !slices.Equal(a.Mean, b.Mean) {
		t.Error("the sweep depends on GOMAXPROCS")
	}
	if a.K != 3 || !a.Stable || a.Medoid != 0 {
		t.Errorf("k %d stable %v medoid %d, want 3, true, 0 (all repetitions agree)", a.K, a.Stable, a.Medoid)
	}
	if _, err := SweepK(nil, 2, 4, 3, 1); err == nil {
		t.Error("no repetition accepted")
	}
	if _, err := SweepK([][][]float64{X, X[:5]}, 2, 4, 3, 1); err == nil {
		t.Error("repetitions of different points accepted")
	}
}

// TestLesionEffects: drops, impaired tasks (largest loss first, a drop of
// 0.95 → 0.75 counted as 0.2 despite rounding) and the specialised flag,
// worked by hand on four tasks.
func TestLesionEffects(t *testing.T) {
	names := []string{"a", "b", "c", "d"}
	intact := []float64{0.9, 0.9, 0.9, 0.95}
	lesions := [][]float64{
		{0.7, 0.9, 0.5, 0.95},  // a −0.2, c −0.4: two of four, specialised
		{0.4, 0.4, 0.4, 0.45},  // all four: not specialised
		{0.9, 0.85, 0.9, 0.95}, // nothing by 0.2: not specialised
		{0.9, 0.9, 0.9, 0.75},  // d −0.2 (0.75 − 0.95 rounds above −0.2)
	}
	ls, err := LesionEffects(names, intact, lesions, []int{3, 4, 5, 6})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		impaired []string
		spec     bool
	}{{[]string{"c", "a"}, true}, {[]string{"a", "b", "c", "d"}, false}, {[]string{}, false}, {[]string{"d"}, true}}
	for c, w := range want {
		if !slices.Equal(ls[c].Impaired, w.impaired) || ls[c].Specialised != w.spec || ls[c].Units != c+3 {
			t.Errorf("cluster %d: impaired %v specialised %v units %d, want %v %v %d", c, ls[c].Impaired, ls[c].Specialised, ls[c].Units, w.impaired, w.spec, c+3)
		}
	}
	if !near(ls[0].Drop[2], -0.4) || ls[0].Drop[1] != 0 {
		t.Errorf("drops %v, want [-0.2 0 -0.4 0]", ls[0].Drop)
	}
	if CountSpecialised(ls) != 2 {
		t.Errorf("%d specialised, want 2", CountSpecialised(ls))
	}
	if got := ls[0].Line(names); got != "impairs 2 of 4 tasks: c -0.40, a -0.20; specialised" {
		t.Errorf("line %q", got)
	}
	if _, err := LesionEffects(names, intact, lesions, []int{1}); err == nil {
		t.Error("sizes of the wrong length accepted")
	}
}

// TestClusterConnectivity: the mean weight between clusters of a 4-unit
// CTRNN whose W_rr (presynaptic rows) is set by hand.
func TestClusterConnectivity(t *testing.T) {
	p, err := models.NewParams(Config{Hidden: 4}.Model(), 1)
	if err != nil {
		t.Fatal(err)
	}
	w := p.Get("w_rr")
	for i := range w {
		w[i] = float32(i) // W[u][v] = 4u + v
	}
	M, err := ClusterConnectivity(p, [][]int{{0, 1}, {3}, {}})
	if err != nil {
		t.Fatal(err)
	}
	// {0,1} → {0,1}: (0 + 1 + 4 + 5)/4; {0,1} → {3}: (3 + 7)/2;
	// {3} → {0,1}: (12 + 13)/2; {3} → {3}: 15; the empty cluster 0.
	want := [][]float64{{2.5, 5, 0}, {12.5, 15, 0}, {0, 0, 0}}
	for a := range want {
		for b := range want[a] {
			if !near(M[a][b], want[a][b]) {
				t.Errorf("M[%d][%d] = %v, want %v", a, b, M[a][b], want[a][b])
			}
		}
	}
	if _, err := ClusterConnectivity(p, [][]int{{4}}); err == nil {
		t.Error("a unit out of range accepted")
	}
}

// TestOldAnalysisWithoutSweep: an analysis.json written before the k sweep
// gives errors (not panics) from the figures and the report, and the
// summary says to run it again.
func TestOldAnalysisWithoutSweep(t *testing.T) {
	a := &Analysis{Variance: [][]float64{{1}}, Active: []int{0}, Normalized: [][]float64{{1}}, Labels: []int{0}, K: 1, Tasks: []string{"go"}, Intact: []float64{1}}
	if _, err := VarianceFigure(a); err == nil {
		t.Error("VarianceFigure without a sweep: no error")
	}
	if _, err := StabilityFigure(a.Sweep); err == nil {
		t.Error("StabilityFigure without a sweep: no error")
	}
	if _, err := Report(a, nil, nil); err == nil {
		t.Error("Report without a sweep: no error")
	}
	if s := a.Summary(); !strings.Contains(s, "no k sweep") {
		t.Errorf("summary %q", s)
	}
}
