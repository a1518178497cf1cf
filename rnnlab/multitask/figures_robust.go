package multitask

import (
	"fmt"
	"image/color"
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// kAxis sets the x axis of a plot over k to the sweep's range, with a tick
// at every k divisible by step (and the first and last k).
func kAxis(p *plot.Plot, s *KSweep, step int) {
	lo, hi := s.Ks[0], s.Ks[len(s.Ks)-1]
	var ts []plot.Tick
	for _, k := range s.Ks {
		if k == lo || k == hi || k%step == 0 {
			ts = append(ts, plot.Tick{Value: float64(k), Label: fmt.Sprint(k)})
		}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ts)
	p.X.Min, p.X.Max = float64(lo)-0.6, float64(hi)+0.6
}

// band adds the mean curve (ys over xs) with a shaded band ys ± sd.
func band(p *plot.Plot, xs []int, ys, sd []float64, c color.RGBA) error {
	var up, down, mid plotter.XYs
	for i, x := range xs {
		mid = append(mid, plotter.XY{X: float64(x), Y: ys[i]})
		up = append(up, plotter.XY{X: float64(x), Y: ys[i] + sd[i]})
		down = append(down, plotter.XY{X: float64(xs[len(xs)-1-i]), Y: ys[len(xs)-1-i] - sd[len(xs)-1-i]})
	}
	poly, err := plotter.NewPolygon(append(up, down...))
	if err != nil {
		return err
	}
	poly.Color = color.NRGBA{R: c.R, G: c.G, B: c.B, A: 70} // not premultiplied
	poly.LineStyle.Width = 0
	l, pts, err := plotter.NewLinePoints(mid)
	if err != nil {
		return err
	}
	l.Color, pts.Color, pts.Shape, pts.Radius = c, c, draw.CircleGlyph{}, vg.Points(2)
	p.Add(poly, l, pts)
	return nil
}

// vline adds a dashed vertical line at x from y0 to y1.
func vline(p *plot.Plot, x, y0, y1 float64, c color.Color) error {
	l, err := plotter.NewLine(plotter.XYs{{X: x, Y: y0}, {X: x, Y: y1}})
	if err != nil {
		return err
	}
	l.Color, l.Dashes = c, []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(l)
	return nil
}

// SilhouettePlot draws the silhouette score against k as its mean over the
// sweep's repetitions with a band of ± one standard deviation, and a
// dashed line at the modal k.
func SilhouettePlot(s *KSweep) (*plot.Plot, error) {
	if s == nil || len(s.Ks) == 0 {
		return nil, errNoSweep
	}
	p := plots.NewPlot(fmt.Sprintf("Silhouette score, mean ± sd over %d repetitions", len(s.Chosen)), "Number of clusters k", "Score")
	if err := band(p, s.Ks, s.Mean, s.SD, plots.C0); err != nil {
		return nil, err
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range s.Ks {
		lo, hi = min(lo, s.Mean[i]-s.SD[i]), max(hi, s.Mean[i]+s.SD[i])
	}
	if err := vline(p, float64(s.K), lo, hi, plots.Grey); err != nil {
		return nil, err
	}
	kAxis(p, s, 5)
	return p, nil
}

// StabilityFigure draws how the choice of k varies over the sweep's
// repetitions: left, the number of repetitions that chose each k; right,
// the agreement of the repetitions' partitions at each k (mean and
// smallest adjusted Rand index over pairs), with StableARI dashed. The
// title is the verdict.
func StabilityFigure(s *KSweep) (*plots.Figure, error) {
	if s == nil || len(s.Ks) == 0 {
		return nil, errNoSweep
	}
	h := plots.NewPlot(fmt.Sprintf("k chosen by the silhouette in %d repetitions", len(s.Chosen)), "Number of clusters k", "Repetitions")
	hist := &plotter.Histogram{Width: 1, FillColor: plots.C0}
	hist.LineStyle.Width = vg.Points(0.5)
	for i, k := range s.Ks {
		hist.Bins = append(hist.Bins, plotter.HistogramBin{Min: float64(k) - 0.5, Max: float64(k) + 0.5, Weight: float64(s.Counts[i])})
	}
	h.Add(hist)
	h.Y.Min, h.Y.Tick.Marker = 0, plainTicks{}
	kAxis(h, s, 5)
	a := plots.NewPlot("Agreement of the partitions at each k", "Number of clusters k", "Adjusted Rand index")
	for _, c := range []struct {
		ys    []float64
		col   color.RGBA
		label string
	}{{s.ARIMean, plots.C0, "mean over pairs"}, {s.ARIMin, plots.C1, "smallest"}} {
		var xy plotter.XYs
		for i, k := range s.Ks {
			xy = append(xy, plotter.XY{X: float64(k), Y: c.ys[i]})
		}
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		l.Color, pts.Color, pts.Shape, pts.Radius = c.col, c.col, draw.CircleGlyph{}, vg.Points(2)
		a.Add(l, pts)
		a.Legend.Add(c.label, l, pts)
	}
	t, err := plotter.NewLine(plotter.XYs{{X: float64(s.Ks[0]), Y: StableARI}, {X: float64(s.Ks[len(s.Ks)-1]), Y: StableARI}})
	if err != nil {
		return nil, err
	}
	t.Color, t.Dashes = plots.Grey, []vg.Length{vg.Points(3), vg.Points(3)}
	a.Add(t)
	a.Legend.Top, a.Legend.Left = false, true
	a.Y.Max = 1.02
	kAxis(a, s, 5)
	f, err := plots.Panels(1, 2, 11, 4.2, h, a)
	if err != nil {
		return nil, err
	}
	verdict := "no stable cluster structure"
	if s.Stable {
		verdict = "stable"
	}
	f.SetTitle(fmt.Sprintf("Modal k = %d in %.0f %% of repetitions, ARI %.2f: %s", s.K, 100*s.Share, s.ARIMean[s.Index(s.K)], verdict))
	return f, nil
}

// rdbu is a palette.Palette of n samples of plots.RdBu from −1 to 1.
type rdbu int

// Colors implements palette.Palette.
func (n rdbu) Colors() []color.Color {
	out := make([]color.Color, int(n))
	for i := range out {
		out[i] = plots.RdBu(2*float64(i)/float64(int(n)-1) - 1)
	}
	return out
}

// ConnectivityFigure draws the mean recurrent weight from each cluster
// (rows) to each cluster (columns), Analysis.Connectivity, on a red–white–
// blue map symmetric about 0 (blue excitatory, red inhibitory), each value
// written on its cell.
func ConnectivityFigure(a *Analysis) (*plots.Figure, error) {
	m := a.Connectivity
	if len(m) == 0 {
		return nil, fmt.Errorf("multitask: no connectivity to draw")
	}
	top := 0.0
	for _, row := range m {
		for _, v := range row {
			top = max(top, math.Abs(v))
		}
	}
	top = max(top, 1e-12)
	p := plots.NewPlot("Mean recurrent weight between clusters", "To cluster", "From cluster")
	h := plotter.NewHeatMap(grid(m), rdbu(65))
	h.Min, h.Max = -top, top
	p.Add(h)
	p.X.Min, p.X.Max = -0.5, float64(len(m))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(m))-0.5
	if err := cellLabels(p, m, func(v float64) bool { return math.Abs(v)/top > 0.6 }); err != nil {
		return nil, err
	}
	var xt, yt []plot.Tick
	for c := range m {
		lab := fmt.Sprintf("%d (%d)", c+1, len(a.Clusters[c]))
		xt = append(xt, plot.Tick{Value: float64(c), Label: lab})
		yt = append(yt, plot.Tick{Value: float64(len(m) - 1 - c), Label: lab})
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
	side := 3 + 0.6*float64(len(m))
	return plots.Panels(1, 1, side+1, side, p)
}
