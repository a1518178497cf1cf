// Package stats holds the few summary statistics that several rnnlab
// packages need (the mean, the median, the index of the largest value),
// defined once. It is a leaf: it imports only the standard library.
package stats

import (
	"math"
	"slices"
)

// Mean returns the mean of xs, 0 for none. A NaN in xs makes it NaN.
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// MeanNaN returns the mean of the values of xs that are not NaN, NaN when
// there are none.
func MeanNaN(xs []float64) float64 {
	s, n := 0.0, 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// Median returns the median of xs (the mean of the two middle values for
// an even count), 0 for none; xs is not modified. NaNs are sorted before
// every number (as slices.Sort does), so they count as the smallest values.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// Argmax returns the index of the largest value of x, the first on ties
// (as numpy's argmax), and 0 for an empty x. A NaN never wins over a
// number; when every value is NaN it is 0.
func Argmax[T float32 | float64](x []T) int {
	best := 0
	for k, v := range x {
		if v > x[best] || (math.IsNaN(float64(x[best])) && !math.IsNaN(float64(v))) {
			best = k
		}
	}
	return best
}
