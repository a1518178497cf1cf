package pipeline

import (
	"fmt"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/plots/plot3d"
)

// Text is what the tutorial prints about Newton's exact fixed points: how
// many starts converged to how many distinct points, then, for each point,
// its PC 1-2 coordinates (pca), its speed and the largest real part of its
// Jacobian's eigenvalues (its slow mode). One line each.
func (e *ExactPoints) Text(pca *analysis.PCA) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Newton's method: %d of %d slow points converged, to %d distinct exact fixed point(s)\n",
		e.Converged, e.Started, e.Points.Len())
	for k, eig := range e.Eigen {
		pc := pca.TransformRow(e.Points.Point(k))
		fmt.Fprintf(&b, "  exact fixed point %d at PC (%.2f, %.2f): speed %.1e, largest real part of its eigenvalues %.4f\n",
			k+1, pc[0], pc[1], e.Points.Speed[k], real(eig.Leading()))
	}
	return b.String()
}

// LineText is what the tutorial prints about the line attractor found
// among n fixed points: the middle point, the slow mode (largest real part)
// and its cosine with PC 1, the spectral radius and whether the point is
// stable (every |eigenvalue| < 1).
func LineText(line *analysis.LineAttractor, n int) string {
	lead := line.Eigenvalue
	var b strings.Builder
	fmt.Fprintf(&b, "Middle fixed point: number %d of %d\n", line.Index+1, n)
	fmt.Fprintf(&b, "Largest real part: %.4f (eigenvalue %.4f%+.4fi)\n", real(lead), real(lead), imag(lead))
	fmt.Fprintf(&b, "Cosine between its eigenvector and PC 1: %.3f\n", line.PC1Cosine)
	fmt.Fprintf(&b, "Largest modulus (spectral radius): %.4f\n", line.Eigen.SpectralRadius())
	fmt.Fprintf(&b, "Stable (every |eigenvalue| < 1): %v\n", line.Eigen.Stable(fixedpoints.Discrete))
	return b.String()
}

// SceneText is what the tutorial prints about a 3-D view: its trials, its
// fixed points (stable and unstable, as Scene3D marks them) and the share of
// the variance on PC 3.
func (s *Session) SceneText(scene *plot3d.Scene) string {
	stable := 0
	for _, p := range scene.FixedPoints {
		if p.Stable {
			stable++
		}
	}
	return fmt.Sprintf("3-D view: %d trials, %d fixed points (%d stable, %d unstable), PC 3 explains %.3f of the variance\n",
		len(scene.Trajectories), len(scene.FixedPoints), stable, len(scene.FixedPoints)-stable, s.PCA.ExplainedVarianceRatio[2])
}
