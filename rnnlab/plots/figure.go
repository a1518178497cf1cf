package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DefaultDPI is the resolution used by Figure.PNG when the figure has no
// DPI of its own.
const DefaultDPI = 120

// Font sizes used by every figure, in points.
const (
	titleSize  = 13
	labelSize  = 12
	tickSize   = 10
	legendSize = 10
)

var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Figure is one rendered-on-demand image made of one or more panels laid
// out on a grid. Figures are returned by the figure functions of this
// package; render them with PNG, SVG or WriteFile.
//
// A Figure is not safe for concurrent rendering.
type Figure struct {
	rows, cols int
	panels     [][]*panel
	title      string
	width      vg.Length
	height     vg.Length
	dpi        int
}

// panel is one plot of a Figure with the layout options the plot package
// does not have itself.
type panel struct {
	p *plot.Plot
	// outside, when not nil, is a legend drawn to the right of the panel,
	// outside its data area.
	outside *plot.Legend
	// equal asks for equal data units on both axes.
	equal bool
	// saved axis ranges, restored before each equal-aspect adjustment.
	x0, x1, y0, y1 float64
	// adjusted holds the ranges set by the last equal-aspect adjustment, so
	// that a later render starts from the saved ranges again unless the
	// caller changed the ranges in between.
	adjusted    [4]float64
	hasAdjusted bool
}

// newFigure returns an empty rows×cols figure of the given size in inches.
func newFigure(rows, cols int, wInch, hInch float64) *Figure {
	f := &Figure{rows: rows, cols: cols, width: vg.Length(wInch) * vg.Inch, height: vg.Length(hInch) * vg.Inch}
	f.panels = make([][]*panel, rows)
	for i := range f.panels {
		f.panels[i] = make([]*panel, cols)
	}
	return f
}

// set places the plot p at row r, column c.
func (f *Figure) set(r, c int, p *plot.Plot) *panel {
	pn := &panel{p: p}
	f.panels[r][c] = pn
	return pn
}

// Size returns the figure's size.
func (f *Figure) Size() (w, h vg.Length) { return f.width, f.height }

// SetSize changes the figure's size (e.g. 8*vg.Inch, 6*vg.Inch) and returns
// the figure. Non-positive values leave the corresponding size unchanged.
func (f *Figure) SetSize(w, h vg.Length) *Figure {
	if w > 0 {
		f.width = w
	}
	if h > 0 {
		f.height = h
	}
	return f
}

// DPI returns the resolution used for PNG output.
func (f *Figure) DPI() int {
	if f.dpi <= 0 {
		return DefaultDPI
	}
	return f.dpi
}

// SetDPI changes the resolution of PNG output and returns the figure.
// A non-positive value restores DefaultDPI.
func (f *Figure) SetDPI(dpi int) *Figure {
	f.dpi = dpi
	return f
}

// Title returns the figure's overall title ("" if none).
func (f *Figure) Title() string { return f.title }

// SetTitle sets an overall title drawn above all panels and returns the
// figure.
func (f *Figure) SetTitle(s string) *Figure {
	f.title = s
	return f
}

// Plots returns the figure's panels as gonum plots, row-major, for callers
// who want to adjust them (axis ranges, labels) before rendering. Empty grid
// cells are nil.
func (f *Figure) Plots() [][]*plot.Plot {
	out := make([][]*plot.Plot, f.rows)
	for i, row := range f.panels {
		out[i] = make([]*plot.Plot, f.cols)
		for j, pn := range row {
			if pn != nil {
				out[i][j] = pn.p
			}
		}
	}
	return out
}

// PNG renders the figure as a PNG image at the figure's size and DPI.
func (f *Figure) PNG() ([]byte, error) {
	c := vgimg.NewWith(vgimg.UseWH(f.width, f.height), vgimg.UseDPI(f.DPI()), vgimg.UseBackgroundColor(color.White))
	if err := f.draw(c); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG renders the figure as an SVG document. Fonts are referenced by name
// (Liberation Sans), not embedded, which keeps the document small.
func (f *Figure) SVG() ([]byte, error) {
	c := vgsvg.New(f.width, f.height)
	if err := f.draw(c); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: encoding SVG: %w", err)
	}
	return buf.Bytes(), nil
}

// PDF renders the figure as a PDF document.
func (f *Figure) PDF() ([]byte, error) {
	c := vgpdf.New(f.width, f.height)
	if err := f.draw(c); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: encoding PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// Encode renders the figure in the given format: "png", "svg" or "pdf".
func (f *Figure) Encode(format string) ([]byte, error) {
	switch strings.ToLower(strings.TrimPrefix(format, ".")) {
	case "png":
		return f.PNG()
	case "svg":
		return f.SVG()
	case "pdf":
		return f.PDF()
	}
	return nil, fmt.Errorf("plots: unknown image format %q (want png, svg or pdf)", format)
}

// WriteTo writes the figure as a PNG image to w.
func (f *Figure) WriteTo(w io.Writer) (int64, error) {
	b, err := f.PNG()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

// WriteFile renders the figure to path, choosing the format from the
// extension (.png, .svg or .pdf). The file is written to a temporary file in
// the same directory and renamed into place.
func (f *Figure) WriteFile(path string) error {
	b, err := f.Encode(filepath.Ext(path))
	if err != nil {
		return err
	}
	return atomicfile.Write(path, b)
}

// draw lays the panels out on c. Panics from gonum/plot (which signals some
// bad inputs that way) are turned into errors.
func (f *Figure) draw(c vg.CanvasSizer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plots: rendering failed: %v", r)
		}
	}()
	if f.rows == 0 || f.cols == 0 {
		return errors.New("plots: figure has no panels")
	}
	dc := draw.New(c)
	pad := vg.Points(6)
	dc = draw.Crop(dc, pad, -pad, pad, -pad)

	if f.title != "" {
		sty := textStyle(titleSize + 1)
		sty.XAlign = draw.XCenter
		sty.YAlign = draw.YTop
		dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Max.Y}, f.title)
		dc.Max.Y -= sty.Rectangle(f.title).Size().Y + vg.Points(6)
	}

	// Reserve a right margin for outside legends.
	var legendW vg.Length
	for _, row := range f.panels {
		for _, pn := range row {
			if pn != nil && pn.outside != nil {
				r := pn.outside.Rectangle(dc)
				legendW = max(legendW, r.Max.X-r.Min.X)
			}
		}
	}
	if legendW > 0 {
		legendW += vg.Points(12)
	}
	area := draw.Crop(dc, 0, -legendW, 0, 0)

	plots := make([][]*plot.Plot, f.rows)
	for i, row := range f.panels {
		plots[i] = make([]*plot.Plot, f.cols)
		for j, pn := range row {
			if pn != nil {
				plots[i][j] = pn.p
			}
		}
	}
	tiles := draw.Tiles{Rows: f.rows, Cols: f.cols, PadX: vg.Points(14), PadY: vg.Points(10)}

	// Equal-aspect panels change their axis ranges to fit their data area,
	// which can change tick labels and thus the layout: iterate a little.
	for _, row := range f.panels {
		for _, pn := range row {
			if pn != nil && pn.equal {
				cur := [4]float64{pn.p.X.Min, pn.p.X.Max, pn.p.Y.Min, pn.p.Y.Max}
				if !pn.hasAdjusted || cur != pn.adjusted {
					pn.x0, pn.x1, pn.y0, pn.y1 = cur[0], cur[1], cur[2], cur[3]
				}
			}
		}
	}
	var canvases [][]draw.Canvas
	for iter := 0; iter < 3; iter++ {
		canvases = plot.Align(plots, tiles, area)
		changed := false
		for i, row := range f.panels {
			for j, pn := range row {
				if pn != nil && pn.equal {
					changed = pn.equalize(canvases[i][j]) || changed
				}
			}
		}
		if !changed {
			break
		}
	}

	for i, row := range f.panels {
		for j, pn := range row {
			if pn == nil {
				continue
			}
			if pn.equal {
				pn.adjusted = [4]float64{pn.p.X.Min, pn.p.X.Max, pn.p.Y.Min, pn.p.Y.Max}
				pn.hasAdjusted = true
			}
			pn.p.Draw(canvases[i][j])
			if pn.outside != nil {
				da := pn.p.DataCanvas(canvases[i][j])
				lc := da
				lc.Min.X = da.Max.X + vg.Points(10)
				lc.Max.X = lc.Min.X + legendW
				pn.outside.Left = true
				pn.outside.Top = true
				pn.outside.Draw(lc)
			}
		}
	}
	return nil
}

// equalize sets the axis ranges (widening one of them, starting from the
// saved ranges) so that one data unit has the same length on both axes. It
// reports whether the ranges changed.
func (pn *panel) equalize(c draw.Canvas) bool {
	oldX0, oldX1, oldY0, oldY1 := pn.p.X.Min, pn.p.X.Max, pn.p.Y.Min, pn.p.Y.Max
	pn.p.X.Min, pn.p.X.Max, pn.p.Y.Min, pn.p.Y.Max = pn.x0, pn.x1, pn.y0, pn.y1
	da := pn.p.DataCanvas(c)
	w, h := float64(da.Max.X-da.Min.X), float64(da.Max.Y-da.Min.Y)
	xr, yr := pn.x1-pn.x0, pn.y1-pn.y0
	if w > 0 && h > 0 && xr > 0 && yr > 0 {
		sx, sy := w/xr, h/yr
		if sx > sy {
			nx := w / sy
			mid := (pn.x0 + pn.x1) / 2
			pn.p.X.Min, pn.p.X.Max = mid-nx/2, mid+nx/2
		} else {
			ny := h / sx
			mid := (pn.y0 + pn.y1) / 2
			pn.p.Y.Min, pn.p.Y.Max = mid-ny/2, mid+ny/2
		}
	}
	eq := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*(math.Abs(a)+math.Abs(b)+1) }
	return !(eq(oldX0, pn.p.X.Min) && eq(oldX1, pn.p.X.Max) && eq(oldY0, pn.p.Y.Min) && eq(oldY1, pn.p.Y.Max))
}

// textStyle returns a sans-serif text style of the given size in points.
func textStyle(size float64) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(sansFont, vg.Points(size)),
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns a plot with this package's fonts and the given labels.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sansFont, titleSize)
	p.Title.Padding = vg.Points(4)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sansFont, labelSize)
		ax.Tick.Label.Font = font.From(sansFont, tickSize)
		ax.Label.Padding = vg.Points(3)
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.TextStyle.Font = font.From(sansFont, legendSize)
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = vg.Points(22)
	p.Legend.Padding = vg.Points(1)
	return p
}

// moveLegendOutside moves the plot's legend entries to the right of pn.
func (pn *panel) moveLegendOutside() {
	l := pn.p.Legend
	pn.outside = &l
	pn.p.Legend = plot.NewLegend()
}

// hideXTickLabels keeps the x tick marks of p but drops their labels.
func hideXTickLabels(p *plot.Plot) {
	inner := p.X.Tick.Marker
	p.X.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		ts := inner.Ticks(lo, hi)
		for i := range ts {
			if ts[i].Label != "" {
				ts[i].Label = " "
			}
		}
		return ts
	})
	p.X.Tick.Label.Font.Size = 1
}
