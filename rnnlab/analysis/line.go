package analysis

import (
	"fmt"
	"math"
	"sort"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"gonum.org/v1/gonum/mat"
)

// LineAttractor is the approximate line attractor through a set of fixed
// points, read off the Jacobian at the fixed point in their middle.
type LineAttractor struct {
	// Index is the position (in the fixed points given) of the chosen point:
	// the one whose PC1 coordinate is nearest the median PC1 coordinate.
	Index int
	// Point is that fixed point (length D).
	Point []float64
	// Eigen is the decomposition of the Jacobian at Point.
	Eigen *fixedpoints.Eigen
	// Eigenvalue is the leading eigenvalue (first in Eigen's order).
	Eigenvalue complex128
	// Direction is the real part of the leading right eigenvector, scaled
	// to unit norm, with the sign that gives it a non-negative projection
	// on the PCA's first component.
	Direction []float64
	// PC1Cosine is the cosine between Direction and PC1 (in [0, 1]).
	PC1Cosine float64
	// LineMeasure is the fraction of the fixed points' own variance on
	// their own first principal component (1 for collinear points).
	LineMeasure float64
	// PC holds the fixed points in the PCA's space (one row per point).
	PC *mat.Dense
	// Segment holds the endpoints, in the PCA's space, of the segment
	// Point + t·Direction, with t spanning the fixed points' projections
	// onto Direction: for drawing the line through the points.
	Segment [2][]float64
}

// JacobianFunc returns dF/dh at x as a row-major D×D matrix.
type JacobianFunc func(x []float64) ([]float64, error)

// FindLineAttractor analyses fixed points (rows of points, n×D, n ≥ 2) in
// the space of pca (fitted on the network's activity): it picks the point
// nearest the middle of the points along PC1 (the median PC1 coordinate),
// eigen-decomposes jac there (sorted by sortBy) and returns the leading
// eigenvector as the line's direction.
//
// For a discrete map use fixedpoints.ByReal: the line attractor's
// eigenvalue is the one closest to +1 from below (the slow direction), and a
// trained network can also have a negative real eigenvalue of larger
// magnitude (an alternating mode) that would lead by magnitude. For a
// continuous system ByReal picks the eigenvalue closest to 0 from below.
func FindLineAttractor(points mat.Matrix, pca *PCA, jac JacobianFunc, sortBy fixedpoints.SortBy) (*LineAttractor, error) {
	n, d := points.Dims()
	if n < 2 {
		return nil, fmt.Errorf("analysis: FindLineAttractor: need at least 2 fixed points, got %d", n)
	}
	if pca == nil || jac == nil {
		return nil, fmt.Errorf("analysis: FindLineAttractor: nil PCA or Jacobian function")
	}
	pc, err := pca.Transform(points)
	if err != nil {
		return nil, err
	}
	pc1 := mat.Col(nil, 0, pc)
	sorted := append([]float64(nil), pc1...)
	sort.Float64s(sorted)
	med := sorted[n/2]
	if n%2 == 0 {
		med = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	idx := 0
	for i, v := range pc1 {
		if math.Abs(v-med) < math.Abs(pc1[idx]-med) {
			idx = i
		}
	}
	la := &LineAttractor{Index: idx, Point: mat.Row(nil, idx, points), PC: pc}
	j, err := jac(la.Point)
	if err != nil {
		return nil, err
	}
	if la.Eigen, err = fixedpoints.Decompose(j, d, sortBy, false); err != nil {
		return nil, err
	}
	la.Eigenvalue = la.Eigen.Values[0]
	v := la.Eigen.RightVector(0)
	dir := make([]float64, d)
	norm := 0.0
	for k := range v {
		dir[k] = real(v[k])
		norm += dir[k] * dir[k]
	}
	norm = math.Sqrt(norm)
	if norm == 0 {
		return nil, fmt.Errorf("analysis: FindLineAttractor: leading eigenvector has zero real part")
	}
	comp1 := pca.Component(0)
	dot := 0.0
	for k := range dir {
		dir[k] /= norm
		dot += dir[k] * comp1[k]
	}
	if dot < 0 {
		for k := range dir {
			dir[k] = -dir[k]
		}
		dot = -dot
	}
	la.Direction, la.PC1Cosine = dir, dot
	own, err := FitPCA(points, 1)
	if err != nil {
		return nil, err
	}
	la.LineMeasure = own.ExplainedVarianceRatio[0]
	// Segment spanning the points' projections on the direction.
	tMin, tMax := math.Inf(1), math.Inf(-1)
	for i := 0; i < n; i++ {
		t := 0.0
		for k := 0; k < d; k++ {
			t += (points.At(i, k) - la.Point[k]) * dir[k]
		}
		tMin, tMax = math.Min(tMin, t), math.Max(tMax, t)
	}
	c, dpc := pca.TransformRow(la.Point), pca.ProjectDirection(dir)
	for e, t := range []float64{tMin, tMax} {
		la.Segment[e] = make([]float64, len(c))
		for k := range c {
			la.Segment[e][k] = c[k] + t*dpc[k]
		}
	}
	return la, nil
}

// FixedPointJacobian adapts a fixedpoints.Finder and input to a JacobianFunc.
func FixedPointJacobian(f *fixedpoints.Finder, u []float32) JacobianFunc {
	return func(x []float64) ([]float64, error) {
		js, err := f.Jacobians(x, u)
		if err != nil {
			return nil, err
		}
		return js[0], nil
	}
}

// Points returns the fixed points of fp as an n×D matrix.
func Points(fp *fixedpoints.FixedPoints) *mat.Dense {
	return mat.NewDense(fp.Len(), fp.D, append([]float64(nil), fp.X...))
}
