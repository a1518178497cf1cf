package multitask

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/rnnlab/rnnlab/rnnlab/plots"
)

// CompositionFigure draws the compositionality analysis: top, the task
// space of each rule set (its four rules on the two PCs, the sides a→b and
// c→d as arrows-like lines, so a parallelogram shows as two parallel
// sides); bottom, the performance of each rule-replacement setup with each
// rule input, as bars (the last bar, the composition).
func CompositionFigure(c *Composition) (*plots.Figure, error) {
	if c == nil || len(c.Spaces) == 0 || len(c.Replacements) == 0 {
		return nil, fmt.Errorf("multitask: no compositionality analysis to draw")
	}
	var ps []*plot.Plot
	for _, s := range c.Spaces {
		p := plots.NewPlot(fmt.Sprintf("%s…: cos %.2f", s.Rules[0], s.Cos), "PC 1", "PC 2")
		for side := range 2 {
			a, b := s.XY[2*side], s.XY[2*side+1]
			l, err := plotter.NewLine(plotter.XYs{{X: a[0], Y: a[1]}, {X: b[0], Y: b[1]}})
			if err != nil {
				return nil, err
			}
			l.Color = plots.ChoiceColor(side)
			l.Width = vg.Points(2)
			p.Add(l)
		}
		for i, xy := range s.XY {
			sc, err := plotter.NewScatter(plotter.XYs{{X: xy[0], Y: xy[1]}})
			if err != nil {
				return nil, err
			}
			sc.Color, sc.Shape, sc.Radius = plots.ChoiceColor(i/2), draw.CircleGlyph{}, vg.Points(4)
			lab, err := plotter.NewLabels(plotter.XYLabels{XYs: []plotter.XY{{X: xy[0], Y: xy[1]}}, Labels: []string{" " + s.Rules[i]}})
			if err != nil {
				return nil, err
			}
			p.Add(sc, lab)
		}
		p.X.Padding, p.Y.Padding = vg.Points(30), vg.Points(15)
		ps = append(ps, p)
	}
	for _, r := range c.Replacements {
		p := plots.NewPlot(r.Task, "", "Performance")
		bars, err := plotter.NewBarChart(plotter.Values(r.Perf), vg.Points(18))
		if err != nil {
			return nil, err
		}
		bars.Color = plots.ChoiceColor(0)
		p.Add(bars)
		p.NominalX(r.Inputs...)
		p.X.Tick.Label.Rotation = 0.6
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
		p.Y.Min, p.Y.Max = 0, 1
		ps = append(ps, p)
	}
	return plots.Panels(2, 3, 14, 9, ps...)
}
