package fixedpoints

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// handMade builds a FixedPoints from rows of a 2-D state with given q values.
func handMade(rows [][2]float64, q []float64) *FixedPoints {
	fp := &FixedPoints{D: 2, I: 1, U: []float32{0}}
	for k, r := range rows {
		fp.X = append(fp.X, r[0], r[1])
		fp.IDs = append(fp.IDs, 10+k)
		fp.Q = append(fp.Q, q[k])
		fp.Speed = append(fp.Speed, q[k]/1) // D/2 = 1
	}
	return fp
}

func TestFilterLossStrict(t *testing.T) {
	fp := handMade([][2]float64{{0, 0}, {1, 0}, {2, 0}}, []float64{1e-6, 1e-5, 2e-5})
	got, err := fp.FilterLoss(1e-5)
	if err != nil {
		t.Fatal(err)
	}
	if got.Len() != 1 || got.IDs[0] != 10 {
		t.Errorf("kept ids %v, want [10] (strict <)", got.IDs)
	}
	if fp.Len() != 3 {
		t.Errorf("receiver modified")
	}
}

func TestKeepUniqueChainCollapse(t *testing.T) {
	const tol = 0.1
	var rows [][2]float64
	for k := 0; k < 5; k++ {
		rows = append(rows, [2]float64{0.6 * tol * float64(k), 0})
	}
	q := []float64{5, 1, 4, 3, 2}
	fp := handMade(rows, q)
	var log bytes.Buffer
	fp.Log = &log
	// BrainPy: 0 drops 1, the dropped 1 still drops 2, 2 drops 3, 3 drops 4.
	first, err := fp.KeepUnique(tol, FirstIndex)
	if err != nil {
		t.Fatal(err)
	}
	if first.Len() != 1 || first.IDs[0] != 10 {
		t.Errorf("FirstIndex kept %v, want [10]", first.IDs)
	}
	if !strings.Contains(log.String(), "Kept 1/5 unique fixed points with uniqueness tolerance 0.1.") {
		t.Errorf("log: %s", log.String())
	}
	// Golub: groups {0,1}, {2,3}, {4}; the lowest q of each.
	low, err := fp.KeepUnique(tol, LowestQ)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{11, 13, 14}
	if len(low.IDs) != 3 || low.IDs[0] != want[0] || low.IDs[1] != want[1] || low.IDs[2] != want[2] {
		t.Errorf("LowestQ kept %v, want %v", low.IDs, want)
	}
	if low.Q[0] != 1 || low.Point(1)[0] != 0.6*tol*3 {
		t.Errorf("fields not kept in step with ids: %v %v", low.Q, low.X)
	}
}

func TestKeepUniquePerPointInputs(t *testing.T) {
	// Same state, different inputs: distinct for LowestQ, duplicates for
	// FirstIndex (states only, as BrainPy).
	fp := handMade([][2]float64{{0, 0}, {0, 0}}, []float64{1, 2})
	fp.U = []float32{0, 1}
	low, _ := fp.KeepUnique(0.5, LowestQ)
	first, _ := fp.KeepUnique(0.5, FirstIndex)
	if low.Len() != 2 || first.Len() != 1 {
		t.Errorf("LowestQ kept %d (want 2), FirstIndex kept %d (want 1)", low.Len(), first.Len())
	}
	if low.Input(1)[0] != 1 {
		t.Errorf("per-point inputs not carried: %v", low.U)
	}
}

func TestExcludeOutliersNearestNeighbour(t *testing.T) {
	fp := handMade([][2]float64{{0, 0}, {0.05, 0}, {0.1, 0.02}, {3, 3}, {0.1, 0.02}}, []float64{1, 1, 1, 1, 1})
	got, err := fp.ExcludeOutliers(0.1, NearestNeighbour)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{10, 11, 12, 14}
	if len(got.IDs) != 4 {
		t.Fatalf("kept %v, want %v", got.IDs, want)
	}
	for k := range want {
		if got.IDs[k] != want[k] {
			t.Fatalf("kept %v, want %v", got.IDs, want)
		}
	}
	// One point: nothing removed.
	one := handMade([][2]float64{{7, 7}}, []float64{1})
	if g, _ := one.ExcludeOutliers(0.1, NearestNeighbour); g.Len() != 1 {
		t.Errorf("single point removed")
	}
}

func TestExcludeOutliersCentroid(t *testing.T) {
	// Initial candidates on a unit circle around (1, 1): centroid (1, 1),
	// mean spread 1. Keep points with ‖x − c‖ < 2.
	fp := handMade([][2]float64{{1, 1}, {2.5, 1}, {1, 3.5}, {-0.9, 1}}, []float64{1, 1, 1, 1})
	fp.Init = []float32{2, 1, 0, 1, 1, 2, 1, 0}
	got, err := fp.ExcludeOutliers(2, InitCentroid)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{10, 11, 13}
	if len(got.IDs) != 3 || got.IDs[0] != 10 || got.IDs[1] != 11 || got.IDs[2] != 13 {
		t.Errorf("kept %v, want %v", got.IDs, want)
	}
	fp.Init = nil
	if _, err := fp.ExcludeOutliers(2, InitCentroid); err == nil {
		t.Errorf("no error without Init")
	}
}

// TestStagesRecordEachStep checks that every filter appends its count.
func TestStagesRecordEachStep(t *testing.T) {
	fp := &FixedPoints{D: 1, I: 1, U: []float32{0}, X: []float64{0, 0.01, 5, 5.02, 100},
		IDs: []int{0, 1, 2, 3, 4}, Speed: []float64{1e-9, 1e-9, 1e-9, 1e-9, 1}, Q: make([]float64, 5),
		Stages: []Stage{{"optimized", 5}}}
	a, err := fp.FilterLoss(1e-5)
	if err != nil {
		t.Fatal(err)
	}
	b, err := a.KeepUnique(0.03, FirstIndex)
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.ExcludeOutliers(10, NearestNeighbour)
	if err != nil {
		t.Fatal(err)
	}
	want := []Stage{{"optimized", 5}, {"filter_loss", 4}, {"keep_unique", 2}, {"exclude_outliers", 2}}
	if !reflect.DeepEqual(c.Stages, want) {
		t.Errorf("stages %v, want %v", c.Stages, want)
	}
	if len(fp.Stages) != 1 || len(a.Stages) != 2 {
		t.Errorf("filters changed their receiver's stages: %v, %v", fp.Stages, a.Stages)
	}
}

func TestSlowPointSearchIsTheSeedsWithLooserTolerance(t *testing.T) {
	s, d := PrimerSearch(), SlowPointSearch()
	if d.Options.Tolerance != 1e-4 || d.FilterLoss != 1e-4 || s.Options.Tolerance != 1e-5 || s.FilterLoss != 1e-5 {
		t.Fatalf("tolerances: seed %v/%v, default %v/%v", s.Options.Tolerance, s.FilterLoss, d.Options.Tolerance, d.FilterLoss)
	}
	d.Options.Tolerance, d.FilterLoss = s.Options.Tolerance, s.FilterLoss
	if d.Options.Adam.LR.Rate(100) != s.Options.Adam.LR.Rate(100) || d.Unique != s.Unique || d.Outliers != s.Outliers ||
		d.Options.NumBatch != s.Options.NumBatch || d.Options.MaxIters != s.Options.MaxIters {
		t.Errorf("SlowPointSearch differs from the seed's beyond the tolerance")
	}
}
