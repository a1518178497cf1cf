package fixedpoints

import (
	"fmt"
	"math"
	"math/cmplx"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// SortBy orders eigenvalues in a decomposition.
type SortBy int

const (
	// ByMagnitude sorts by |λ|, largest first (Golub's order, BrainPy's default).
	ByMagnitude SortBy = iota
	// ByReal sorts by Re λ, largest first.
	ByReal
)

// String names the order ("magnitude" or "real", as BrainPy's sort_by).
func (s SortBy) String() string {
	switch s {
	case ByMagnitude:
		return "magnitude"
	case ByReal:
		return "real"
	}
	return fmt.Sprintf("SortBy(%d)", int(s))
}

// Eigen is the eigen-decomposition of one real D×D matrix J.
//
// Values[k] is the k-th eigenvalue after sorting; column k of Right is its
// right eigenvector (J r = λ r, unit Euclidean norm, as gonum returns it).
// Left, when requested, holds in column k the left eigenvector l_k
// (l_kᴴ J = λ_k l_kᴴ), scaled so that l_kᴴ r_k = 1: for distinct
// eigenvalues Leftᴴ·Right = I, the same normalisation as the columns of
// BrainPy's pinv(R)ᵀ, so Leftᴴ x gives the coordinates of x in the basis of
// right eigenvectors.
type Eigen struct {
	Values []complex128
	Right  *mat.CDense
	Left   *mat.CDense
}

// Decompose eigen-decomposes the row-major D×D matrix j (len D*D), sorting
// eigenvalues (and their vectors) in descending order of the key chosen by
// sortBy; ties keep gonum's order. With left true it also computes left
// eigenvectors. A matrix with NaN or Inf entries, or a failed factorisation,
// is an error.
func Decompose(j []float64, d int, sortBy SortBy, left bool) (*Eigen, error) {
	if d <= 0 || len(j) != d*d {
		return nil, fmt.Errorf("fixedpoints: Decompose: matrix has %d values, want %d×%d", len(j), d, d)
	}
	for _, v := range j {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("fixedpoints: Decompose: matrix has NaN or Inf entries")
		}
	}
	if sortBy != ByMagnitude && sortBy != ByReal {
		return nil, fmt.Errorf("fixedpoints: Decompose: unknown sort order %v", sortBy)
	}
	a := mat.NewDense(d, d, append([]float64(nil), j...))
	var e mat.Eigen
	kind := mat.EigenRight
	if left {
		kind = mat.EigenBoth
	}
	if !e.Factorize(a, kind) {
		return nil, fmt.Errorf("fixedpoints: Decompose: eigen-decomposition did not converge")
	}
	vals := e.Values(nil)
	var r, l mat.CDense
	e.VectorsTo(&r)
	if left {
		e.LeftVectorsTo(&l)
	}
	order := make([]int, d)
	for i := range order {
		order[i] = i
	}
	key := func(i int) float64 {
		if sortBy == ByReal {
			return real(vals[i])
		}
		return cmplx.Abs(vals[i])
	}
	sort.SliceStable(order, func(a, b int) bool { return key(order[a]) > key(order[b]) })
	out := &Eigen{Values: make([]complex128, d), Right: mat.NewCDense(d, d, nil)}
	if left {
		out.Left = mat.NewCDense(d, d, nil)
	}
	for k, src := range order {
		out.Values[k] = vals[src]
		for i := 0; i < d; i++ {
			out.Right.Set(i, k, r.At(i, src))
		}
		if left {
			// Scale l so that lᴴ r = 1.
			var dot complex128
			for i := 0; i < d; i++ {
				dot += cmplx.Conj(l.At(i, src)) * r.At(i, src)
			}
			s := complex(1, 0)
			if dot != 0 {
				s = 1 / cmplx.Conj(dot)
			}
			for i := 0; i < d; i++ {
				out.Left.Set(i, k, l.At(i, src)*s)
			}
		}
	}
	return out, nil
}

// Leading returns the first (largest, in the chosen order) eigenvalue.
func (e *Eigen) Leading() complex128 { return e.Values[0] }

// RightVector returns a copy of the k-th right eigenvector.
func (e *Eigen) RightVector(k int) []complex128 {
	d, _ := e.Right.Dims()
	v := make([]complex128, d)
	for i := range v {
		v[i] = e.Right.At(i, k)
	}
	return v
}

// SpectralRadius is max |λ|.
func (e *Eigen) SpectralRadius() float64 {
	m := 0.0
	for _, v := range e.Values {
		m = math.Max(m, cmplx.Abs(v))
	}
	return m
}

// MaxReal is max Re λ.
func (e *Eigen) MaxReal() float64 {
	m := math.Inf(-1)
	for _, v := range e.Values {
		m = math.Max(m, real(v))
	}
	return m
}

// Stable reports linear stability of a fixed point whose Jacobian this is:
// for a Discrete map all |λ| < 1; for a Continuous system all Re λ < 0.
func (e *Eigen) Stable(kind Kind) bool {
	if kind == Continuous {
		return e.MaxReal() < 0
	}
	return e.SpectralRadius() < 1
}
