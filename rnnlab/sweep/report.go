package sweep

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/rnnlab/rnnlab/rnnlab/report"
)

// sansFont is the font of package plots' figures.
var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// palette is matplotlib's tab10, the colour of each seed in turn.
var palette = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255}, {148, 103, 189, 255},
	{140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255}, {188, 189, 34, 255}, {23, 190, 207, 255},
}

// Figures draws, for every axis with more than one value (the seed's
// included), the final accuracy and the slow mode (the real part of the
// leading eigenvalue) against the axis' values: one line per seed, each
// point the mean over the runs with that seed and value (over the other
// axes), the runs themselves as faint dots. A metric without any value
// (slow mode without analysis) has no figure. Each figure is a PNG image
// (report.Figure.PNG) named as its file, e.g. "final_accuracy_vs_hidden".
func Figures(s *Sweep, t *Table) ([]report.Figure, error) {
	var figs []report.Figure
	for ai, ax := range s.Axes {
		if len(ax.Values) < 2 {
			continue
		}
		for _, m := range []struct{ col, label string }{
			{"final_accuracy", "final accuracy"},
			{"slow_mode_re", "slow mode (Re of the leading eigenvalue)"},
		} {
			f, err := metricFigure(s, t, ai, m.col, m.label)
			if err != nil {
				return nil, err
			}
			if f != nil {
				figs = append(figs, *f)
			}
		}
	}
	return figs, nil
}

func metricFigure(s *Sweep, t *Table, ai int, col, label string) (*report.Figure, error) {
	ax := s.Axes[ai]
	mc := t.Column(col)
	axCol := t.Column(ax.Name)
	categorical := kind(ax.Name) == "string"
	// x position of each axis value.
	xOf := func(v any) float64 {
		if categorical {
			return float64(slices.Index(ax.Values, v))
		}
		switch x := v.(type) {
		case int64:
			return float64(x)
		case float64:
			return x
		}
		return math.NaN()
	}
	logX := false
	if !categorical {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range ax.Values {
			lo, hi = math.Min(lo, xOf(v)), math.Max(hi, xOf(v))
		}
		logX = lo > 0 && hi/lo >= 20
	}
	type key struct {
		seed uint64
		x    float64
	}
	sum, n := map[key]float64{}, map[key]int{}
	var seedList []uint64
	var dots plotter.XYs
	for i, row := range t.Rows {
		v, ok := row[mc].(float64)
		if !ok {
			continue
		}
		seed := s.Runs[i].Params.Seed
		if ax.Name == "seed" {
			seed = 0 // one line through all the seeds
		}
		if !slices.Contains(seedList, seed) {
			seedList = append(seedList, seed)
		}
		k := key{seed, xOf(row[axCol])}
		sum[k] += v
		n[k]++
		dots = append(dots, plotter.XY{X: k.x, Y: v})
	}
	if len(dots) == 0 {
		return nil, nil
	}
	slices.Sort(seedList)
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s vs %s", label, ax.Name)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = ax.Name
	p.Y.Label.Text = label
	p.Title.TextStyle.Font = font.From(sansFont, 13)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, 12)
		a.Tick.Label.Font = font.From(sansFont, 10)
	}
	legend := plot.NewLegend()
	legend.TextStyle.Font = font.From(sansFont, 10)
	legend.Left, legend.Top = true, true
	legend.ThumbnailWidth = vg.Points(22)
	p.Add(plotter.NewGrid())
	if logX {
		p.X.Scale = plot.LogScale{}
	}
	if !categorical && len(ax.Values) <= 12 {
		// A tick at every value of the axis.
		var ticks []plot.Tick
		for _, v := range ax.Values {
			ticks = append(ticks, plot.Tick{Value: xOf(v), Label: Cell(v)})
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
		lo, hi := xOf(ax.Values[0]), xOf(ax.Values[0])
		for _, v := range ax.Values {
			lo, hi = math.Min(lo, xOf(v)), math.Max(hi, xOf(v))
		}
		pad := 0.05 * (hi - lo)
		if logX {
			p.X.Min, p.X.Max = lo/math.Pow(hi/lo, 0.05), hi*math.Pow(hi/lo, 0.05)
		} else {
			p.X.Min, p.X.Max = lo-pad, hi+pad
		}
	} else if logX {
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	if categorical {
		names := make([]string, len(ax.Values))
		for i, v := range ax.Values {
			names[i] = strings.TrimSuffix(fmt.Sprint(v), "-v0")
		}
		p.NominalX(names...)
		p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	}
	sc, err := plotter.NewScatter(dots)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: color.RGBA{0, 0, 0, 60}, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
	p.Add(sc)
	for si, seed := range seedList {
		var xs []float64
		for k := range n {
			if k.seed == seed {
				xs = append(xs, k.x)
			}
		}
		slices.Sort(xs)
		xy := make(plotter.XYs, len(xs))
		for j, x := range xs {
			k := key{seed, x}
			xy[j] = plotter.XY{X: x, Y: sum[k] / float64(n[k])}
		}
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		c := palette[si%len(palette)]
		l.Color, l.Width = c, vg.Points(1.5)
		pts.Color, pts.Shape, pts.Radius = c, draw.CircleGlyph{}, vg.Points(3)
		p.Add(l, pts)
		name := fmt.Sprintf("seed %d", seed)
		if ax.Name == "seed" {
			name = "mean"
		}
		legend.Add(name, l, pts)
	}
	var b bytes.Buffer
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(7*vg.Inch, 4*vg.Inch), vgimg.UseDPI(120))}
	dc := draw.New(c)
	// The legend goes in a right margin, outside the data.
	r := legend.Rectangle(dc)
	w := r.Max.X - r.Min.X + vg.Points(16)
	pc := draw.Crop(dc, 0, -w, 0, 0)
	p.Draw(pc)
	da := p.DataCanvas(pc)
	lc := da
	lc.Min.X, lc.Max.X = da.Max.X+vg.Points(12), da.Max.X+w
	legend.Draw(lc)
	if _, err := c.WriteTo(&b); err != nil {
		return nil, err
	}
	caption := fmt.Sprintf("%s against %s", label, ax.Name)
	if ax.Name == "seed" {
		caption += ": the mean over the other axes (line) and every run (dots)."
	} else {
		caption += ": one line per seed, each point the mean over the runs with that seed and value"
		if len(s.Axes) > 2 || (len(s.Axes) == 2 && !s.hasAxis("seed")) {
			caption += " (over the other axes)"
		}
		caption += "; every run as a dot."
	}
	return &report.Figure{Name: col + "_vs_" + ax.Name, Caption: caption, PNG: b.Bytes()}, nil
}

func (s *Sweep) hasAxis(name string) bool {
	for _, a := range s.Axes {
		if a.Name == name {
			return true
		}
	}
	return false
}

// Report returns the sweep's HTML report: the counts, the table and the
// figures.
func Report(s *Sweep, t *Table, sts []RunStatus, figs []report.Figure) (*report.Report, error) {
	rep := report.New("Sweep " + filepath.Base(s.Out))
	var axes []string
	for _, a := range s.Axes {
		vals := make([]string, len(a.Values))
		for i, v := range a.Values {
			vals[i] = Cell(v)
		}
		axes = append(axes, fmt.Sprintf("- `%s`: %s", a.Name, strings.Join(vals, ", ")))
	}
	text := fmt.Sprintf("Sweep file `%s` (id %s), %s.", s.File, s.ID, Summary(sts))
	if len(axes) > 0 {
		text += "\n\nAxes:\n\n" + strings.Join(axes, "\n")
	}
	rep.AddSection("Runs", text)
	rows := make([][]string, len(t.Rows))
	for i, row := range t.Rows {
		rows[i] = make([]string, len(row))
		for j, v := range row {
			if f, ok := v.(float64); ok {
				rows[i][j] = fmt.Sprintf("%.4g", f)
			} else {
				rows[i][j] = Cell(v)
			}
		}
	}
	if err := rep.AddTable("One row per run (results.csv and results.json have every digit)", t.Columns, rows); err != nil {
		return nil, err
	}
	if len(figs) > 0 {
		rep.AddSection("Figures", "Final accuracy (mean decision accuracy over the last 100 training steps) and "+
			"the slow mode (the real part of the leading eigenvalue of the Jacobian at the line attractor's point) against each axis.")
		for _, f := range figs {
			if err := rep.AddNamedFigure(f); err != nil {
				return nil, err
			}
		}
	}
	return rep, nil
}

// WriteReport collects the sweep and writes results.csv, results.json,
// figures/*.png and report.html into the sweep folder.
func WriteReport(s *Sweep, t *Table, sts []RunStatus) error {
	if err := t.Write(s.Out); err != nil {
		return err
	}
	figs, err := Figures(s, t)
	if err != nil {
		return err
	}
	dir := filepath.Join(s.Out, "figures")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := report.WriteFiles(dir, figs, ".png"); err != nil {
		return err
	}
	rep, err := Report(s, t, sts, figs)
	if err != nil {
		return err
	}
	return rep.WriteFile(filepath.Join(s.Out, ReportFile))
}
