package multitask

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// grid is a matrix as a plotter.GridXYZ: column c at x = c, row r at
// y = rows−1−r (row 0 on top).
type grid [][]float64

func (g grid) Dims() (c, r int)   { return len(g[0]), len(g) }
func (g grid) Z(c, r int) float64 { return g[r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(len(g) - 1 - r) }

// taskTicks labels x = 0..19 with the tasks' short names, written
// vertically.
func taskTicks(p *plot.Plot) {
	var ts []plot.Tick
	for k, s := range ShortNames() {
		ts = append(ts, plot.Tick{Value: float64(k), Label: s})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ts)
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
}

// heat adds a heat map of m (values in [lo, hi], viridis) to p.
func heat(p *plot.Plot, m [][]float64, lo, hi float64) {
	h := plotter.NewHeatMap(grid(m), plots.ViridisPalette(64))
	h.Min, h.Max = lo, hi
	p.Add(h)
	p.X.Min, p.X.Max = -0.5, float64(len(m[0]))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(m))-0.5
}

// hline adds a horizontal line at y over the x range of a matrix of n
// columns.
func hline(p *plot.Plot, y float64, n int, c color.Color) error {
	l, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: y}, {X: float64(n) - 0.5, Y: y}})
	if err != nil {
		return err
	}
	l.Color, l.Width = c, vg.Points(1)
	p.Add(l)
	return nil
}

// VarianceFigure draws the normalised task variance of the active units,
// units (rows, sorted by cluster) × tasks, with white lines between the
// clusters, and the silhouette score of every k tried, mean ± sd over the
// repetitions (SilhouettePlot).
func VarianceFigure(a *Analysis) (*plots.Figure, error) {
	if len(a.Normalized) == 0 {
		return nil, fmt.Errorf("multitask: no active unit to draw")
	}
	if a.Sweep == nil {
		return nil, errNoSweep
	}
	stable := "stable"
	if !a.Sweep.Stable {
		stable = "not stable"
	}
	p := plots.NewPlot(fmt.Sprintf("Normalised task variance: %d units, k = %d (%s)", len(a.Active), a.K, stable), "", "Unit (sorted by cluster)")
	heat(p, a.Normalized, 0, 1)
	taskTicks(p)
	p.Y.Tick.Marker = plot.ConstantTicks(nil)
	for i := 1; i < len(a.Labels); i++ {
		if a.Labels[i] != a.Labels[i-1] {
			if err := hline(p, float64(len(a.Labels)-i)-0.5, len(a.Tasks), color.White); err != nil {
				return nil, err
			}
		}
	}
	s, err := SilhouettePlot(a.Sweep)
	if err != nil {
		return nil, err
	}
	f, err := plots.Panels(1, 2, 11, 7, p, s)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// FTVFigure draws the FTV histograms of the analysis' pairs, one panel
// each: the number of active units in each of the 20 bins over [−1, 1].
func FTVFigure(a *Analysis) (*plots.Figure, error) {
	if len(a.FTV) == 0 {
		return nil, fmt.Errorf("multitask: no FTV pair to draw")
	}
	var ps []*plot.Plot
	for _, r := range a.FTV {
		p := plots.NewPlot(fmt.Sprintf("%s vs %s", r.Pair.A, r.Pair.B), fmt.Sprintf("FTV (−1: %s only, 1: %s only)", r.Pair.B, r.Pair.A), "Units")
		p.Y.Tick.Marker = plainTicks{}
		w := 2.0 / float64(len(r.Counts))
		h := &plotter.Histogram{Width: w, FillColor: plots.C0}
		h.LineStyle.Width = vg.Points(0.5)
		for i, c := range r.Counts {
			h.Bins = append(h.Bins, plotter.HistogramBin{Min: -1 + float64(i)*w, Max: -1 + float64(i+1)*w, Weight: float64(c)})
		}
		p.Add(h)
		p.X.Min, p.X.Max = -1, 1
		p.Y.Min = 0
		ps = append(ps, p)
	}
	cols := min(3, len(ps))
	rows := (len(ps) + cols - 1) / cols
	return plots.Panels(rows, cols, 4*float64(cols), 3.2*float64(rows), ps...)
}

// plainTicks is gonum's default ticker with labels in %g (no "50.00").
type plainTicks struct{}

// Ticks implements plot.Ticker.
func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = strconv.FormatFloat(ts[i].Value, 'g', 4, 64)
		}
	}
	return ts
}

// cellLabels writes each value of m, as %.2f, on its heat-map cell: white
// where dark(v) (a dark cell), else black.
func cellLabels(p *plot.Plot, m [][]float64, dark func(v float64) bool) error {
	var xy plotter.XYLabels
	for r, row := range m {
		for c, v := range row {
			xy.XYs = append(xy.XYs, plotter.XY{X: float64(c), Y: float64(len(m) - 1 - r)})
			xy.Labels = append(xy.Labels, fmt.Sprintf("%.2f", v))
		}
	}
	l, err := plotter.NewLabels(xy)
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		r, c := i/len(m[0]), i%len(m[0])
		l.TextStyle[i].Font = p.X.Tick.Label.Font // the package's sans-serif
		l.TextStyle[i].Font.Size = vg.Points(8)
		l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = draw.XCenter, draw.YCenter
		l.TextStyle[i].Color = color.Black
		if dark(m[r][c]) {
			l.TextStyle[i].Color = color.White
		}
	}
	p.Add(l)
	return nil
}

// LesionFigure draws the accuracy of every task (columns) for the intact
// network (top row) and after silencing each cluster (one row each).
func LesionFigure(a *Analysis) (*plots.Figure, error) {
	m := append([][]float64{a.Intact}, a.Lesions...)
	p := plots.NewPlot("Accuracy after silencing each cluster", "", "")
	heat(p, m, 0, 1)
	if err := cellLabels(p, m, func(v float64) bool { return v <= 0.6 }); err != nil { // viridis over [0, 1]
		return nil, err
	}
	taskTicks(p)
	var ts []plot.Tick
	for r := range m {
		lab := "intact"
		if r > 0 {
			lab = fmt.Sprintf("cluster %d (%d)", r, len(a.Clusters[r-1]))
		}
		ts = append(ts, plot.Tick{Value: float64(len(m) - 1 - r), Label: lab})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ts)
	return plots.Panels(1, 1, 12, 2.5+0.35*float64(len(m)), p)
}

// AccuracyFigure draws every task's accuracy over training, one panel per
// task, with its target as a dashed line.
func AccuracyFigure(history []Eval, targets map[string]float64) (*plots.Figure, error) {
	if len(history) == 0 {
		return nil, fmt.Errorf("multitask: no evaluation to draw")
	}
	var ps []*plot.Plot
	for k, s := range ShortNames() {
		p := plots.NewPlot(s, "", "")
		var xy plotter.XYs
		for _, e := range history {
			xy = append(xy, plotter.XY{X: float64(e.Step), Y: e.Acc[k]})
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, err
		}
		l.Color, l.Width = plots.C0, vg.Points(1.5)
		p.Add(l)
		if tg, ok := targets[s]; ok {
			x1 := math.Max(xy[len(xy)-1].X, 1)
			t, err := plotter.NewLine(plotter.XYs{{X: 0, Y: tg}, {X: x1, Y: tg}})
			if err != nil {
				return nil, err
			}
			t.Color, t.Dashes = plots.Grey, []vg.Length{vg.Points(3), vg.Points(3)}
			p.Add(t)
		}
		p.Y.Min, p.Y.Max = 0, 1
		ps = append(ps, p)
	}
	f, err := plots.Panels(4, 5, 13, 9, ps...)
	if err != nil {
		return nil, err
	}
	f.SetTitle("Decision accuracy on fresh trials against the training step")
	return f, nil
}
