package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ValueTrajectory is one trial's path in a 2-D projection (e.g. its
// delay-period states on PC 1 and 2) with a continuous value of its
// condition (e.g. the first stimulus f1 of a working-memory trial).
type ValueTrajectory struct {
	X, Y  []float64
	Value float64
}

// ValueTrajectories draws trajectories in a 2-D projection coloured by a
// continuous variable on the sequential viridis map (dark purple at the
// lowest value, yellow at the highest) with a colour bar titled label: the
// working-memory notebook's delay-period activity coloured by f1. Each
// trajectory is a line with dots and a larger dot at its last step. fps,
// if not nil, adds fixed points as black crosses (legend "fixed points").
func ValueTrajectories(trials []ValueTrajectory, label string, fps *Points) (*Figure, error) {
	if len(trials) == 0 {
		return nil, errors.New("plots: no trajectories")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, t := range trials {
		if err := checkXY(fmt.Sprintf("trajectory %d", i), t.X, t.Y); err != nil {
			return nil, err
		}
		if !finite(t.Value) {
			return nil, fmt.Errorf("plots: trajectory %d has a non-finite value", i)
		}
		lo, hi = math.Min(lo, t.Value), math.Max(hi, t.Value)
	}
	if fps != nil {
		if err := checkXY("fixed points", fps.X, fps.Y); err != nil {
			return nil, err
		}
	}
	span := hi - lo
	colorOf := func(v float64) color.RGBA {
		if span == 0 {
			return Viridis(0.5)
		}
		return Viridis((v - lo) / span)
	}
	p := newPlot("", "PC 1", "PC 2")
	for _, t := range trials {
		c := withAlpha(colorOf(t.Value), 0.85)
		l, s, err := plotter.NewLinePoints(toXYs(t.X, t.Y))
		if err != nil {
			return nil, err
		}
		l.Color, s.Color = c, c
		l.Width = vg.Points(1)
		s.Shape = draw.CircleGlyph{}
		s.Radius = vg.Points(1.6)
		end, err := plotter.NewScatter(plotter.XYs{{X: t.X[len(t.X)-1], Y: t.Y[len(t.Y)-1]}})
		if err != nil {
			return nil, err
		}
		end.Color = c
		end.Shape = draw.CircleGlyph{}
		end.Radius = vg.Points(3.2)
		p.Add(l, s, end)
	}
	if fps != nil {
		s, err := plotter.NewScatter(toXYs(fps.X, fps.Y))
		if err != nil {
			return nil, err
		}
		s.Shape = boldCross{}
		s.Color = color.Black
		s.Radius = vg.Points(4.5)
		p.Add(s)
		p.Legend.Add("fixed points", s)
		p.Legend.Left = true // the colour bar is on the right
	}
	// The colour bar sits right of the data, inside the plot, and the x
	// ticks stop at the data's end.
	x0, x1, y0, y1 := p.X.Min, p.X.Max, p.Y.Min, p.Y.Max // the data's range (Add extends it)
	w := x1 - x0
	if w == 0 {
		w = 1
	}
	barLo, barHi := lo, hi
	if span == 0 {
		barLo, barHi = lo-0.5, hi+0.5
	}
	p.Add(newColorBar(x1+0.08*w, x1+0.12*w, y0, y1, barLo, barHi,
		func(t float64) color.RGBA { return Viridis(t) }, label))
	p.X.Tick.Marker = ticksUpTo(x1)
	f := newFigure(1, 1, 8, 5.5)
	f.set(0, 0, p)
	return f, nil
}
