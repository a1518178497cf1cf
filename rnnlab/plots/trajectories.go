package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Trajectory is one trial's path in a 2-D projection (e.g. the first two
// principal components), coloured by its choice or ground truth: 0 red,
// 1 blue.
type Trajectory struct {
	X, Y   []float64
	Choice int
}

// Points is a set of 2-D points, e.g. fixed points projected on PC 1 and 2.
type Points struct {
	X, Y []float64
}

// CondTrajectory is a condition-averaged trajectory for one signed
// coherence. Negative coherences are evidence for choice 0 (drawn red),
// positive ones for choice 1 (drawn blue).
type CondTrajectory struct {
	Coh  float64
	X, Y []float64
}

func finite(v ...float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

func checkXY(what string, x, y []float64) error {
	if len(x) == 0 {
		return fmt.Errorf("plots: %s has no points", what)
	}
	if len(x) != len(y) {
		return fmt.Errorf("plots: %s has %d x values and %d y values", what, len(x), len(y))
	}
	for i := range x {
		if !finite(x[i], y[i]) {
			return fmt.Errorf("plots: %s point %d is not finite", what, i)
		}
	}
	return nil
}

func checkTrajectories(trials []Trajectory) error {
	if len(trials) == 0 {
		return errors.New("plots: no trajectories")
	}
	for i, t := range trials {
		if err := checkXY(fmt.Sprintf("trajectory %d", i), t.X, t.Y); err != nil {
			return err
		}
	}
	return nil
}

func toXYs(x, y []float64) plotter.XYs {
	xy := make(plotter.XYs, len(x))
	for i := range x {
		xy[i] = plotter.XY{X: x[i], Y: y[i]}
	}
	return xy
}

// addTrajectory draws a trajectory 'o-' style (line with circle markers).
func addTrajectory(p *plot.Plot, x, y []float64, c color.RGBA, alpha float64, radius vg.Length) error {
	l, s, err := plotter.NewLinePoints(toXYs(x, y))
	if err != nil {
		return err
	}
	col := withAlpha(c, alpha)
	l.Color = col
	l.Width = vg.Points(1.2)
	s.Color = col
	s.Shape = draw.CircleGlyph{}
	s.Radius = radius
	p.Add(l, s)
	return nil
}

// choiceLegend adds "choice 0" / "choice 1" legend entries for the choices
// present in trials.
func choiceLegend(p *plot.Plot, trials []Trajectory, alpha float64) {
	seen := map[int]bool{}
	var cs []int
	for _, t := range trials {
		if !seen[t.Choice] {
			seen[t.Choice] = true
			cs = append(cs, t.Choice)
		}
	}
	sort.Ints(cs)
	for _, c := range cs {
		col := withAlpha(ChoiceColor(c), alpha)
		l := &plotter.Line{LineStyle: draw.LineStyle{Color: col, Width: vg.Points(1.2)}}
		s := &plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: col, Shape: draw.CircleGlyph{}, Radius: vg.Points(3)}}
		p.Legend.Add(fmt.Sprintf("choice %d", c), l, s)
	}
}

// PCTrajectories draws the trials' trajectories in PC space coloured by
// choice, in two panels with shared axes: all trials (left) and the first
// firstN trials (right; 5 if firstN <= 0).
func PCTrajectories(trials []Trajectory, firstN int) (*Figure, error) {
	if err := checkTrajectories(trials); err != nil {
		return nil, err
	}
	if firstN <= 0 {
		firstN = 5
	}
	firstN = min(firstN, len(trials))
	f := newFigure(1, 2, 11, 4.8)
	left := newPlot("All trials", "PC 1", "PC 2")
	right := newPlot(fmt.Sprintf("First %d trials", firstN), "PC 1", "")
	for i, t := range trials {
		if err := addTrajectory(left, t.X, t.Y, ChoiceColor(t.Choice), 1, vg.Points(2.5)); err != nil {
			return nil, err
		}
		if i < firstN {
			if err := addTrajectory(right, t.X, t.Y, ChoiceColor(t.Choice), 1, vg.Points(2.5)); err != nil {
				return nil, err
			}
		}
	}
	choiceLegend(right, trials, 1)
	shareRanges(left, right)
	f.set(0, 0, left)
	f.set(0, 1, right).moveLegendOutside()
	return f, nil
}

// shareRanges gives all plots the union of their axis ranges.
func shareRanges(ps ...*plot.Plot) {
	x0, x1, y0, y1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		x0, x1 = math.Min(x0, p.X.Min), math.Max(x1, p.X.Max)
		y0, y1 = math.Min(y0, p.Y.Min), math.Max(y1, p.Y.Max)
	}
	for _, p := range ps {
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = x0, x1, y0, y1
	}
}

// fixedPointsPlot draws the first nTrials trajectories faded and the fixed
// points as crosses.
func fixedPointsPlot(trials []Trajectory, fps Points, nTrials int) (*plot.Plot, error) {
	if err := checkTrajectories(trials); err != nil {
		return nil, err
	}
	if err := checkXY("fixed points", fps.X, fps.Y); err != nil {
		return nil, err
	}
	if nTrials <= 0 {
		nTrials = 10
	}
	nTrials = min(nTrials, len(trials))
	p := newPlot("", "PC 1", "PC 2")
	const alpha = 0.2
	for _, t := range trials[:nTrials] {
		if err := addTrajectory(p, t.X, t.Y, ChoiceColor(t.Choice), alpha, vg.Points(2.5)); err != nil {
			return nil, err
		}
	}
	choiceLegend(p, trials[:nTrials], alpha)
	s, err := plotter.NewScatter(toXYs(fps.X, fps.Y))
	if err != nil {
		return nil, err
	}
	s.Shape = boldCross{}
	s.Color = color.Black
	s.Radius = vg.Points(4.5)
	p.Add(s)
	p.Legend.Add("fixed points", s)
	return p, nil
}

// FixedPoints draws the first nTrials trajectories (10 if nTrials <= 0),
// faded and coloured by choice, with the fixed points on top as black
// crosses (legend "fixed points"), all in the same PC space.
func FixedPoints(trials []Trajectory, fps Points, nTrials int) (*Figure, error) {
	p, err := fixedPointsPlot(trials, fps, nTrials)
	if err != nil {
		return nil, err
	}
	p.Title.Text = "Fixed points"
	f := newFigure(1, 1, 9, 5)
	f.set(0, 0, p).moveLegendOutside()
	return f, nil
}

// LineAttractor draws FixedPoints' figure plus a line segment along the
// direction dir (in the same PC coordinates) through the centroid of the
// fixed points, spanning their extent along dir with a 15% margin.
func LineAttractor(trials []Trajectory, fps Points, dir [2]float64, nTrials int) (*Figure, error) {
	p, err := fixedPointsPlot(trials, fps, nTrials)
	if err != nil {
		return nil, err
	}
	norm := math.Hypot(dir[0], dir[1])
	if !finite(dir[0], dir[1]) || norm == 0 {
		return nil, errors.New("plots: line attractor direction must be finite and non-zero")
	}
	ux, uy := dir[0]/norm, dir[1]/norm
	var cx, cy float64
	for i := range fps.X {
		cx += fps.X[i]
		cy += fps.Y[i]
	}
	cx /= float64(len(fps.X))
	cy /= float64(len(fps.Y))
	lo, hi := 0.0, 0.0
	for i := range fps.X {
		t := (fps.X[i]-cx)*ux + (fps.Y[i]-cy)*uy
		lo, hi = math.Min(lo, t), math.Max(hi, t)
	}
	if hi-lo == 0 {
		// A single fixed point: draw a segment a fifth of the data span.
		span := math.Max(p.X.Max-p.X.Min, p.Y.Max-p.Y.Min)
		if span == 0 {
			span = 1
		}
		lo, hi = -0.1*span, 0.1*span
	}
	m := 0.15 * (hi - lo)
	lo, hi = lo-m, hi+m
	seg, err := plotter.NewLine(plotter.XYs{{X: cx + lo*ux, Y: cy + lo*uy}, {X: cx + hi*ux, Y: cy + hi*uy}})
	if err != nil {
		return nil, err
	}
	seg.Color = C1
	seg.Width = vg.Points(2.5)
	p.Add(seg)
	p.Legend.Add("line attractor", seg)
	p.Title.Text = "Line attractor"
	f := newFigure(1, 1, 9, 5)
	f.set(0, 0, p).moveLegendOutside()
	return f, nil
}

// CoherenceTrajectories draws one condition-averaged trajectory per signed
// coherence on a red–grey–blue diverging scale (strong negative coherence,
// i.e. evidence for choice 0, in red; zero grey; strong positive blue), with
// a legend of coherence values in percent.
func CoherenceTrajectories(conds []CondTrajectory) (*Figure, error) {
	if len(conds) == 0 {
		return nil, errors.New("plots: no condition trajectories")
	}
	maxAbs := 0.0
	for i, c := range conds {
		if err := checkXY(fmt.Sprintf("condition %d (coh %g)", i, c.Coh), c.X, c.Y); err != nil {
			return nil, err
		}
		if !finite(c.Coh) {
			return nil, fmt.Errorf("plots: condition %d has a non-finite coherence", i)
		}
		maxAbs = math.Max(maxAbs, math.Abs(c.Coh))
	}
	order := make([]int, len(conds))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return conds[order[a]].Coh < conds[order[b]].Coh })
	p := newPlot("Condition-averaged trajectories", "PC 1", "PC 2")
	p.Legend.Add("Signed coh.")
	for _, i := range order {
		c := conds[i]
		v := 0.0
		if maxAbs > 0 {
			v = c.Coh / maxAbs
		}
		col := Diverging(v)
		l, s, err := plotter.NewLinePoints(toXYs(c.X, c.Y))
		if err != nil {
			return nil, err
		}
		l.Color, s.Color = col, col
		l.Width = vg.Points(2)
		s.Shape = draw.CircleGlyph{}
		s.Radius = vg.Points(2)
		p.Add(l, s)
		// Mark the end of each trajectory.
		end, err := plotter.NewScatter(plotter.XYs{{X: c.X[len(c.X)-1], Y: c.Y[len(c.Y)-1]}})
		if err != nil {
			return nil, err
		}
		end.Color = col
		end.Shape = draw.CircleGlyph{}
		end.Radius = vg.Points(4.5)
		p.Add(end)
		label := fmt.Sprintf("%+.1f%%", c.Coh)
		if c.Coh == 0 {
			label = "0.0%"
		}
		p.Legend.Add(label, l, s)
	}
	f := newFigure(1, 1, 8.5, 5.5)
	pn := f.set(0, 0, p)
	pn.moveLegendOutside()
	pn.outside.Padding = vg.Points(2)
	return f, nil
}

// boldCross is an 'x' glyph with thicker strokes than draw.CrossGlyph.
type boldCross struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (boldCross) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.6)})
	r := sty.Radius * vg.Length(math.Cos(math.Pi/4))
	var p vg.Path
	p.Move(vg.Point{X: pt.X - r, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y + r})
	p.Move(vg.Point{X: pt.X - r, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y - r})
	c.Stroke(p)
}
