package workingmemory

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"github.com/rnnlab/rnnlab/rnnlab/plots/plot3d"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

// F1Label is the colour bar's title.
const F1Label = "f1 (Hz)"

// Trajectories returns every analysis trial's delay-period path on PC 1
// and 2, with f1 as its value.
func (a *Analysis) Trajectories() ([]plots.ValueTrajectory, error) {
	out := make([]plots.ValueTrajectory, len(a.Activity.States))
	for i := range a.Activity.States {
		pc, err := a.PCA.Transform(a.Activity.TrialDense(i))
		if err != nil {
			return nil, err
		}
		out[i] = plots.ValueTrajectory{X: mat.Col(nil, 0, pc), Y: mat.Col(nil, 1, pc), Value: a.Activity.F1[i]}
	}
	return out, nil
}

// PointsPC returns the kept fixed points on PC 1 and 2.
func (a *Analysis) PointsPC() (plots.Points, error) {
	if a.Points.Len() == 0 {
		return plots.Points{}, fmt.Errorf("workingmemory: no fixed points kept")
	}
	pc, err := a.PCA.Transform(analysis.Points(a.Points))
	if err != nil {
		return plots.Points{}, err
	}
	return plots.Points{X: mat.Col(nil, 0, pc), Y: mat.Col(nil, 1, pc)}, nil
}

// DelayFigure draws the delay-period activity of the analysis trials on
// PC 1 and 2, coloured by f1 (plots.ValueTrajectories).
func (a *Analysis) DelayFigure() (*plots.Figure, error) {
	tr, err := a.Trajectories()
	if err != nil {
		return nil, err
	}
	return plots.ValueTrajectories(tr, F1Label, nil)
}

// FixedPointsFigure draws the delay-period activity coloured by f1 with
// the kept fixed points (black crosses) and, when there is a line, the
// slow mode at its middle point as a red segment spanning the points
// (analysis.LineAttractor.Segment).
func (a *Analysis) FixedPointsFigure() (*plots.Figure, error) {
	tr, err := a.Trajectories()
	if err != nil {
		return nil, err
	}
	fps, err := a.PointsPC()
	if err != nil {
		return nil, err
	}
	f, err := plots.ValueTrajectories(tr, F1Label, &fps)
	if err != nil {
		return nil, err
	}
	if a.Line != nil {
		s := a.Line.Segment
		l, err := plotter.NewLine(plotter.XYs{{X: s[0][0], Y: s[0][1]}, {X: s[1][0], Y: s[1][1]}})
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = plots.Red, vg.Points(2.5)
		p := f.Plots()[0][0]
		p.Add(l)
		p.Legend.Add("slow mode", l)
	}
	return f, nil
}

// SpectrumFigure draws the eigenvalues of the Jacobian of F at the middle
// fixed point with the slow mode circled (plots.Spectrum).
func (a *Analysis) SpectrumFigure() (*plots.Figure, error) {
	if a.Eigen == nil {
		return nil, fmt.Errorf("workingmemory: no fixed points kept")
	}
	return plots.Spectrum(a.Eigen.Values)
}

// ModeScale is the half-length of the unstable modes drawn in the 3-D
// view, as Golub & Sussillo's plot_fps (pipeline.ModeScale).
const ModeScale = pipeline.ModeScale

// Scene returns the rotatable 3-D view on PC 1-3: the delay-period paths
// coloured by f1 (viridis, one legend entry per f1, in increasing order),
// the kept fixed points,
// marked by pipeline.FixedPointMarker: black when stable (every |λ| < 1)
// and red otherwise, with their unstable modes (|λ| ≥ 1) as short red
// segments.
func (a *Analysis) Scene() (*plot3d.Scene, error) {
	lo, hi := slices.Min(a.Activity.F1), slices.Max(a.Activity.F1)
	s := &plot3d.Scene{Title: fmt.Sprintf("Delay-period activity and fixed points (seed %d)", a.Seed)}
	// Trials in increasing f1, so that the legend lists the values in order.
	order := make([]int, len(a.Activity.F1))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(a.Activity.F1[i], a.Activity.F1[j]) })
	for _, i := range order {
		pc, err := a.PCA.Transform(a.Activity.TrialDense(i))
		if err != nil {
			return nil, err
		}
		t := 0.5
		if hi > lo {
			t = (a.Activity.F1[i] - lo) / (hi - lo)
		}
		s.Trajectories = append(s.Trajectories, plot3d.Trajectory{
			X: mat.Col(nil, 0, pc), Y: mat.Col(nil, 1, pc), Z: mat.Col(nil, 2, pc),
			Color: plot3d.CSS(plots.Viridis(t)), Name: fmt.Sprintf("f1 = %g Hz", a.Activity.F1[i]),
		})
	}
	project := func(x []float64) [3]float64 {
		c := a.PCA.TransformRow(x)
		return [3]float64{c[0], c[1], c[2]}
	}
	for k := range a.Points.Len() {
		s.FixedPoints = append(s.FixedPoints, pipeline.FixedPointMarker(a.Points.Point(k), a.PointEigen[k], ModeScale, project))
	}
	return s, nil
}

// NumStable is the number of kept fixed points whose Jacobian has every
// |λ| < 1.
func (a *Analysis) NumStable() int {
	n := 0
	for _, e := range a.PointEigen {
		if e.Stable(fixedpoints.Discrete) {
			n++
		}
	}
	return n
}

// SlowModeCosine is |cos| of the angle between the slow mode's direction
// at the middle point and the fixed points' own first principal component
// (1: the slow mode runs along the line of points); NaN without a line.
func (a *Analysis) SlowModeCosine() float64 {
	if a.Line == nil {
		return math.NaN()
	}
	own, err := analysis.FitPCA(analysis.Points(a.Points), 1)
	if err != nil {
		return math.NaN()
	}
	dot := 0.0
	for j, v := range own.Component(0) {
		dot += v * a.Line.Direction[j]
	}
	return math.Abs(dot)
}

// TrainingFigure draws the run's loss and decision accuracy.
func TrainingFigure(r *pipeline.Run) (*plots.Figure, error) {
	return plots.TrainingCurve(pipeline.TrainingHistory(r.Summary))
}

// TaskFigure draws two trials of the training task played by the trained
// network (pipeline.EnvFigure, seeded with seeds.Rollout of the run's
// seed).
func TaskFigure(r *pipeline.Run) (*plots.Figure, error) {
	return pipeline.EnvFigure(r, seeds.Rollout(r.Summary.Seed))
}
