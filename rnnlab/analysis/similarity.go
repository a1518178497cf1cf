package analysis

// Similarity of two networks' activity on the same trials: linear centred
// kernel alignment (Kornblith, Norouzi, Lee & Hinton 2019), canonical
// correlation analysis, and SVCCA (Raghu, Gilmer, Yosinski & Sohl-Dickstein
// 2017), the measures Maheswaranathan et al. (2019) compare networks with.
// X is n×p1 and Y is n×p2: row i of both is the activity at the same
// sample (trial and step), columns are units.

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// DefaultSVCCAKeep is the fraction of variance SVCCA keeps by default
// (Raghu et al. 2017 keep the components explaining 99 %).
const DefaultSVCCAKeep = 0.99

// LinearCKA returns the linear centred kernel alignment of X (n×p1) and Y
// (n×p2), Kornblith et al. (2019) eq. (5):
//
//	CKA(X, Y) = ‖Ycᵀ Xc‖²_F / (‖Xcᵀ Xc‖_F ‖Ycᵀ Yc‖_F)
//
// where Xc = X − 1 x̄ᵀ and Yc = Y − 1 ȳᵀ subtract the column means. It lies
// in [0, 1], CKA(X, X) = 1, and it is invariant to orthogonal transforms
// and isotropic scaling of either side (X → a X Q, QᵀQ = I, a ≠ 0) and to
// translations, but not to general invertible linear maps. It returns a
// one-line error for n mismatched, n < 2, a non-finite entry, or constant
// activity (Xc = 0 or Yc = 0).
func LinearCKA(X, Y mat.Matrix) (float64, error) {
	xc, yc, err := centredPair("linear cka", X, Y)
	if err != nil {
		return 0, err
	}
	var xy, xx, yy mat.Dense
	xy.Mul(yc.T(), xc)
	xx.Mul(xc.T(), xc)
	yy.Mul(yc.T(), yc)
	nxy := mat.Norm(&xy, 2)
	nx, ny := mat.Norm(&xx, 2), mat.Norm(&yy, 2)
	if nx == 0 || ny == 0 {
		return 0, fmt.Errorf("analysis: linear cka: constant activity (all columns of %s equal their mean)", map[bool]string{true: "X", false: "Y"}[nx == 0])
	}
	return math.Min(1, nxy*nxy/(nx*ny)), nil
}

// CanonicalCorrelations returns the canonical correlations ρ_1 ≥ … ≥ ρ_m of
// X (n×p1) and Y (n×p2), m = min(r_X, r_Y) with r the rank of the centred
// matrix: ρ_i = max corr(Xc a, Yc b) over directions a, b uncorrelated
// with the first i−1 pairs. They are computed as the singular values of
// Q_Xᵀ Q_Y, Q_X (n×r_X) and Q_Y orthonormal bases of the column spaces of
// Xc and Yc (left singular vectors of singular value > max(n, p)·ε·s_max,
// numpy's matrix_rank tolerance). They are invariant to any invertible
// linear map and translation of either side (X → X A + 1 cᵀ). Since the
// centred data live in n − 1 dimensions, two column spaces with
// r_X + r_Y ≥ n must meet and give spurious correlations of 1, so CCA
// requires n > r_X + r_Y. It returns a one-line error for n mismatched,
// n < 2, a non-finite entry, constant activity or too few samples.
func CanonicalCorrelations(X, Y mat.Matrix) ([]float64, error) {
	return canonical("cca", X, Y)
}

// CCA returns the mean canonical correlation of X and Y, (1/m) Σ_i ρ_i
// over the m = min(r_X, r_Y) correlations of CanonicalCorrelations, in
// [0, 1]; CCA(X, X) = 1. Errors are those of CanonicalCorrelations.
func CCA(X, Y mat.Matrix) (float64, error) {
	rho, err := canonical("cca", X, Y)
	if err != nil {
		return 0, err
	}
	return floats.Sum(rho) / float64(len(rho)), nil
}

// SVCCA returns the singular vector canonical correlation of X and Y
// (Raghu et al. 2017): each side is reduced by SVDReduce to the leading
// principal components that explain a fraction keep of its variance
// (keep = 0 means DefaultSVCCAKeep, 0.99), and the result is the mean
// canonical correlation (CCA) of the two reduced matrices, X̃ (n×k_X) and
// Ỹ (n×k_Y):
//
//	SVCCA(X, Y) = (1/min(k_X, k_Y)) Σ_i ρ_i(X̃, Ỹ)
//
// Dropping the low-variance directions keeps CCA from matching noise. It
// is invariant to orthogonal transforms, isotropic scaling and translation
// of either side (which leave the principal components' span and variance
// fractions unchanged), but not to general invertible maps. Errors are
// those of SVDReduce and CanonicalCorrelations (n > k_X + k_Y is needed).
func SVCCA(X, Y mat.Matrix, keep float64) (float64, error) {
	if err := checkPair("svcca", X, Y); err != nil {
		return 0, err
	}
	xr, err := svdReduce("svcca", "X", X, keep)
	if err != nil {
		return 0, err
	}
	yr, err := svdReduce("svcca", "Y", Y, keep)
	if err != nil {
		return 0, err
	}
	rho, err := canonical("svcca", xr, yr)
	if err != nil {
		return 0, err
	}
	return floats.Sum(rho) / float64(len(rho)), nil
}

// SVDReduce returns the scores of X (n×p) on its k leading principal
// components, Xc V_k = U_k S_k (n×k), for Xc = U S Vᵀ the centred X and k
// the smallest number with Σ_{j≤k} s_j² ≥ keep Σ_j s_j² (keep in (0, 1];
// 0 means DefaultSVCCAKeep). It returns a one-line error for a keep
// outside [0, 1], n < 2, a non-finite entry or constant activity.
func SVDReduce(X mat.Matrix, keep float64) (*mat.Dense, error) {
	return svdReduce("svd reduce", "X", X, keep)
}

func svdReduce(what, name string, X mat.Matrix, keep float64) (*mat.Dense, error) {
	if keep == 0 {
		keep = DefaultSVCCAKeep
	}
	if !(keep > 0 && keep <= 1) {
		return nil, fmt.Errorf("analysis: %s: keep must be a fraction of variance in (0, 1], got %v", what, keep)
	}
	xc, err := centred(what, name, X)
	if err != nil {
		return nil, err
	}
	var svd mat.SVD
	if !svd.Factorize(xc, mat.SVDThin) {
		return nil, fmt.Errorf("analysis: %s: the SVD did not converge", what)
	}
	s := svd.Values(nil)
	var total float64
	for _, v := range s {
		total += v * v
	}
	if total == 0 {
		return nil, fmt.Errorf("analysis: %s: constant activity (all columns of %s equal their mean)", what, name)
	}
	k, acc := 0, 0.0
	for k < len(s) {
		acc += s[k] * s[k]
		k++
		if acc >= keep*total*(1-1e-12) {
			break
		}
	}
	var u mat.Dense
	svd.UTo(&u)
	n, _ := xc.Dims()
	out := mat.NewDense(n, k, nil)
	for j := 0; j < k; j++ {
		for i := 0; i < n; i++ {
			out.Set(i, j, u.At(i, j)*s[j])
		}
	}
	return out, nil
}

// canonical computes the canonical correlations, naming what in errors.
func canonical(what string, X, Y mat.Matrix) ([]float64, error) {
	xc, yc, err := centredPair(what, X, Y)
	if err != nil {
		return nil, err
	}
	qx, err := basis(what, "X", xc)
	if err != nil {
		return nil, err
	}
	qy, err := basis(what, "Y", yc)
	if err != nil {
		return nil, err
	}
	n, rx := qx.Dims()
	_, ry := qy.Dims()
	if n <= rx+ry {
		return nil, fmt.Errorf("analysis: %s: too few samples: n = %d, want n > rank X + rank Y = %d + %d", what, n, rx, ry)
	}
	var m mat.Dense
	m.Mul(qx.T(), qy)
	var svd mat.SVD
	if !svd.Factorize(&m, mat.SVDNone) {
		return nil, fmt.Errorf("analysis: %s: the SVD did not converge", what)
	}
	rho := svd.Values(nil)
	for i, v := range rho {
		rho[i] = math.Min(1, math.Max(0, v))
	}
	return rho[:min(rx, ry)], nil
}

// basis returns an orthonormal basis (n×r) of the column space of the
// centred matrix xc, r its numerical rank.
func basis(what, name string, xc *mat.Dense) (*mat.Dense, error) {
	var svd mat.SVD
	if !svd.Factorize(xc, mat.SVDThin) {
		return nil, fmt.Errorf("analysis: %s: the SVD of %s did not converge", what, name)
	}
	s := svd.Values(nil)
	n, p := xc.Dims()
	r := 0
	if len(s) > 0 && s[0] > 0 {
		tol := float64(max(n, p)) * 0x1p-52 * s[0]
		for r < len(s) && s[r] > tol {
			r++
		}
	}
	if r == 0 {
		return nil, fmt.Errorf("analysis: %s: constant activity (all columns of %s equal their mean)", what, name)
	}
	var u mat.Dense
	svd.UTo(&u)
	return mat.DenseCopyOf(u.Slice(0, n, 0, r)), nil
}

// checkPair checks that X and Y have the same number n >= 2 of rows.
func checkPair(what string, X, Y mat.Matrix) error {
	if X == nil || Y == nil {
		return fmt.Errorf("analysis: %s: nil activity matrix", what)
	}
	nx, _ := X.Dims()
	ny, _ := Y.Dims()
	switch {
	case nx != ny:
		return fmt.Errorf("analysis: %s: X has %d samples (rows), Y has %d; want the same trials and steps", what, nx, ny)
	case nx < 2:
		return fmt.Errorf("analysis: %s: too few samples: n = %d, want at least 2", what, nx)
	}
	return nil
}

// centredPair checks X and Y and returns them centred.
func centredPair(what string, X, Y mat.Matrix) (xc, yc *mat.Dense, err error) {
	if err := checkPair(what, X, Y); err != nil {
		return nil, nil, err
	}
	if xc, err = centred(what, "X", X); err != nil {
		return nil, nil, err
	}
	if yc, err = centred(what, "Y", Y); err != nil {
		return nil, nil, err
	}
	return xc, yc, nil
}

// centred returns a copy of X with every column's mean subtracted.
func centred(what, name string, X mat.Matrix) (*mat.Dense, error) {
	if X == nil {
		return nil, fmt.Errorf("analysis: %s: nil activity matrix %s", what, name)
	}
	n, p := X.Dims()
	if n < 2 {
		return nil, fmt.Errorf("analysis: %s: too few samples: n = %d, want at least 2", what, n)
	}
	c := mat.DenseCopyOf(X)
	col := make([]float64, n)
	for j := 0; j < p; j++ {
		mat.Col(col, j, c)
		var mean float64
		constant := true
		for i, v := range col {
			constant = constant && v == col[0]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("analysis: %s: %s[%d][%d] = %v is not finite", what, name, i, j, v)
			}
			mean += v
		}
		mean /= float64(n)
		if constant { // exactly zero, not the rounding of v - mean
			mean = col[0]
		}
		for i := range col {
			col[i] -= mean
		}
		c.SetCol(j, col)
	}
	return c, nil
}
