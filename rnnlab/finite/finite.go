// Package finite checks that numbers are finite, the one check rnnlab runs
// on every array it loads (weights, biases, masks, optimiser moments) and on
// every training step (loss, gradients, weights), and writes numbers that
// may be missing to JSON as null.
//
// A float x is finite when it is neither NaN nor ±Inf, i.e. when
// x − x = 0. Errors are one line naming the array and the element in C
// (row-major) order: for an array of shape (d₀, d₁, …, d_{k−1}) the flat
// index n is the element
//
//	[i₀, i₁, …, i_{k−1}],  n = ((i₀·d₁ + i₁)·d₂ + …)·d_{k−1} + i_{k−1},
//
// so a NaN at flat index 209 of a 64×64 w_rr reads "w_rr[3,17] is NaN".
package finite

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Is reports whether x is finite (neither NaN nor ±Inf).
func Is(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Index returns the first index of a non-finite element of x, or −1 when
// every element is finite.
func Index[T float32 | float64](x []T) int {
	for i, v := range x {
		if v-v != 0 { // NaN − NaN and Inf − Inf are NaN; finite − itself is 0
			return i
		}
	}
	return -1
}

// Check returns nil when every element of x is finite, else the one-line
// error "NAME[i,j] is NaN" (or +Inf, −Inf) for the first element that is
// not, its index spelt out along shape (see the package doc). A nil shape,
// or one whose element count is not len(x), gives the flat index.
func Check[T float32 | float64](name string, shape []int, x []T) error {
	i := Index(x)
	if i < 0 {
		return nil
	}
	return fmt.Errorf("%s[%s] is %v", name, Position(shape, len(x), i), float64(x[i]))
}

// Value returns nil when x is finite, else the error "NAME is NaN" (or
// +Inf, −Inf).
func Value(name string, x float64) error {
	if Is(x) {
		return nil
	}
	return fmt.Errorf("%s is %v", name, x)
}

// Position spells the flat C-order index i of an array of shape (n
// elements) as "i₀,i₁,…" (see the package doc); it is "i" itself when
// shape is empty or does not hold n elements.
func Position(shape []int, n, i int) string {
	count := 1
	for _, d := range shape {
		if d <= 0 {
			count = -1
			break
		}
		count *= d
	}
	if len(shape) == 0 || count != n {
		return strconv.Itoa(i)
	}
	idx := make([]string, len(shape))
	for k := len(shape) - 1; k >= 0; k-- {
		idx[k] = strconv.Itoa(i % shape[k])
		i /= shape[k]
	}
	return strings.Join(idx, ",")
}
