package analysis

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// SignRule fixes the arbitrary sign of each principal component.
type SignRule int

const (
	// SignByComponent makes the entry of largest absolute value of each
	// component positive (first such entry on ties): scikit-learn ≥ 1.5,
	// svd_flip(u_based_decision=False).
	SignByComponent SignRule = iota
	// SignByScores makes the largest-magnitude score (projection of a
	// centred sample) of each component positive: scikit-learn < 1.5,
	// svd_flip(u_based_decision=True).
	SignByScores
)

// PCA is a principal component analysis with scikit-learn's conventions:
// the data are centred by their mean (not scaled); components are rows, in
// decreasing order of variance; variances use n−1.
type PCA struct {
	// Mean is the per-feature mean of the fitted data (length d).
	Mean []float64
	// Components is k×d, one unit-norm component per row.
	Components *mat.Dense
	// ExplainedVariance[j] is the variance of the scores on component j
	// (singular value² / (n−1)).
	ExplainedVariance []float64
	// ExplainedVarianceRatio[j] is ExplainedVariance[j] divided by the total
	// variance (sum of the per-feature variances, n−1).
	ExplainedVarianceRatio []float64
}

// FitPCA fits k components to data (n samples × d features) with the
// SignByComponent convention.
func FitPCA(data mat.Matrix, k int) (*PCA, error) { return FitPCASign(data, k, SignByComponent) }

// FitPCASign is FitPCA with a chosen sign convention.
func FitPCASign(data mat.Matrix, k int, sign SignRule) (*PCA, error) {
	n, d := data.Dims()
	if n < 2 {
		return nil, fmt.Errorf("analysis: PCA needs at least 2 samples, got %d", n)
	}
	if k <= 0 || k > min(n, d) {
		return nil, fmt.Errorf("analysis: PCA: k = %d components, want 1..%d", k, min(n, d))
	}
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			if v := data.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("analysis: PCA: NaN or Inf at sample %d, feature %d", i, j)
			}
		}
	}
	var pc stat.PC
	if !pc.PrincipalComponents(data, nil) {
		return nil, fmt.Errorf("analysis: PCA: SVD failed")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs) // d × min(n,d), columns
	vars := pc.VarsTo(nil)
	p := &PCA{Mean: make([]float64, d), Components: mat.NewDense(k, d, nil)}
	for j := 0; j < d; j++ {
		p.Mean[j] = stat.Mean(mat.Col(nil, j, data), nil)
	}
	total := 0.0
	for j := 0; j < d; j++ {
		total += stat.Variance(mat.Col(nil, j, data), nil)
	}
	for c := 0; c < k; c++ {
		v := mat.Col(nil, c, &vecs)
		flip := false
		switch sign {
		case SignByComponent:
			best := 0
			for j := range v {
				if math.Abs(v[j]) > math.Abs(v[best]) {
					best = j
				}
			}
			flip = v[best] < 0
		case SignByScores:
			best, bestAbs := 0.0, -1.0
			for i := 0; i < n; i++ {
				s := 0.0
				for j := range v {
					s += (data.At(i, j) - p.Mean[j]) * v[j]
				}
				if math.Abs(s) > bestAbs {
					best, bestAbs = s, math.Abs(s)
				}
			}
			flip = best < 0
		default:
			return nil, fmt.Errorf("analysis: PCA: unknown sign rule %d", sign)
		}
		for j := range v {
			if flip {
				v[j] = -v[j]
			}
		}
		p.Components.SetRow(c, v)
		p.ExplainedVariance = append(p.ExplainedVariance, vars[c])
		r := 0.0
		if total > 0 {
			r = vars[c] / total
		}
		p.ExplainedVarianceRatio = append(p.ExplainedVarianceRatio, r)
	}
	return p, nil
}

// K is the number of components, D the number of features.
func (p *PCA) K() int { r, _ := p.Components.Dims(); return r }

// D is the number of features.
func (p *PCA) D() int { return len(p.Mean) }

// Transform projects samples (m × d) onto the components: (x − Mean)·Cᵀ,
// an m × k matrix.
func (p *PCA) Transform(x mat.Matrix) (*mat.Dense, error) {
	m, d := x.Dims()
	if d != p.D() {
		return nil, fmt.Errorf("analysis: PCA.Transform: %d features, fitted on %d", d, p.D())
	}
	c := mat.NewDense(m, d, nil)
	for i := 0; i < m; i++ {
		for j := 0; j < d; j++ {
			c.Set(i, j, x.At(i, j)-p.Mean[j])
		}
	}
	var out mat.Dense
	out.Mul(c, p.Components.T())
	return &out, nil
}

// TransformRow projects one sample.
func (p *PCA) TransformRow(x []float64) []float64 {
	out := make([]float64, p.K())
	for c := range out {
		for j, v := range x {
			out[c] += (v - p.Mean[j]) * p.Components.At(c, j)
		}
	}
	return out
}

// ProjectDirection projects a direction (no centring): C·v.
func (p *PCA) ProjectDirection(v []float64) []float64 {
	out := make([]float64, p.K())
	for c := range out {
		for j, x := range v {
			out[c] += x * p.Components.At(c, j)
		}
	}
	return out
}

// Component returns a copy of component c.
func (p *PCA) Component(c int) []float64 { return mat.Row(nil, c, p.Components) }
