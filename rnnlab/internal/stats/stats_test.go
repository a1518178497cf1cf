package stats

import (
	"math"
	"testing"
)

var nan = math.NaN()

// same reports whether a and b are equal, or both NaN.
func same(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func TestMeanAndMedian(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		xs                    []float64
		mean, meanNaN, median float64
	}{
		{"empty", nil, 0, nan, 0},
		{"one", []float64{3}, 3, 3, 3},
		{"odd", []float64{5, 1, 3}, 3, 3, 3},
		{"even", []float64{4, 1, 3, 2}, 2.5, 2.5, 2.5},
		{"negative", []float64{-1, -3}, -2, -2, -2},
		// A NaN poisons the mean, is skipped by MeanNaN and sorts first for
		// the median: {NaN, 1, 2} has 1 in the middle.
		{"nan", []float64{2, nan, 1}, nan, 1.5, 1},
		{"nan even", []float64{nan, 4, 2, 8}, nan, 14.0 / 3, 3},
		{"all nan", []float64{nan, nan}, nan, nan, nan},
	} {
		xs := append([]float64(nil), tc.xs...)
		if got := Mean(tc.xs); !same(got, tc.mean) {
			t.Errorf("%s: Mean = %v, want %v", tc.name, got, tc.mean)
		}
		if got := MeanNaN(tc.xs); !same(got, tc.meanNaN) {
			t.Errorf("%s: MeanNaN = %v, want %v", tc.name, got, tc.meanNaN)
		}
		if got := Median(tc.xs); !same(got, tc.median) {
			t.Errorf("%s: Median = %v, want %v", tc.name, got, tc.median)
		}
		for i := range xs {
			if !same(xs[i], tc.xs[i]) {
				t.Fatalf("%s: the input was modified: %v, was %v", tc.name, tc.xs, xs)
			}
		}
	}
}

func TestArgmax(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    []float32
		want int
	}{
		{"empty", nil, 0},
		{"one", []float32{-2}, 0},
		{"last", []float32{0, 1, 2}, 2},
		{"first of ties", []float32{1, 3, 3, 0}, 1},
		{"negative", []float32{-3, -1, -2}, 1},
		{"nan first never wins", []float32{float32(nan), -5, 2, 1}, 2},
		{"nan later ignored", []float32{1, float32(nan), 0}, 0},
		{"all nan", []float32{float32(nan), float32(nan)}, 0},
		{"inf", []float32{1, float32(math.Inf(1)), 2}, 1},
	} {
		if got := Argmax(tc.x); got != tc.want {
			t.Errorf("%s: Argmax(%v) = %d, want %d", tc.name, tc.x, got, tc.want)
		}
		x64 := make([]float64, len(tc.x))
		for i, v := range tc.x {
			x64[i] = float64(v)
		}
		if got := Argmax(x64); got != tc.want {
			t.Errorf("%s: Argmax(float64 %v) = %d, want %d", tc.name, x64, got, tc.want)
		}
	}
}
