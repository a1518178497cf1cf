package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// rdbuStops samples matplotlib's RdBu colour map at 11 evenly spaced points
// (ColorBrewer's 11-class RdBu): strong red, through white, to strong blue.
var rdbuStops = []color.RGBA{
	{103, 0, 31, 255},
	{178, 24, 43, 255},
	{214, 96, 77, 255},
	{244, 165, 130, 255},
	{253, 219, 199, 255},
	{247, 247, 247, 255},
	{209, 229, 240, 255},
	{146, 197, 222, 255},
	{67, 147, 195, 255},
	{33, 102, 172, 255},
	{5, 48, 97, 255},
}

// interpolate reads a colour map given by evenly spaced stops at t in
// [0, 1] (clamped; NaN gives light grey).
func interpolate(stops []color.RGBA, t float64) color.RGBA {
	if math.IsNaN(t) {
		return color.RGBA{R: 200, G: 200, B: 200, A: 255}
	}
	t = math.Max(0, math.Min(1, t)) * float64(len(stops)-1)
	k := min(int(t), len(stops)-2)
	return lerp(stops[k], stops[k+1], t-float64(k))
}

// RdBu is matplotlib's diverging RdBu colour map at v in [-1, 1]: -1 a
// strong red, 0 white, +1 a strong blue (values outside are clamped). It
// is the map of connectivity matrices, with v = w / max|w| so that 0 is
// white: excitatory (positive) weights blue, inhibitory red.
func RdBu(v float64) color.RGBA { return interpolate(rdbuStops, (v+1)/2) }

// Viridis is matplotlib's sequential viridis colour map at t in [0, 1]
// (clamped): dark purple at 0, yellow at 1.
func Viridis(t float64) color.RGBA { return interpolate(viridisStops, t) }

// colorBar draws a vertical colour bar inside a plot's data area, at data
// x in [x0, x1] and y in [y0, y1], for values lo (bottom) to hi (top), with
// tick labels to its right and a title above it. It reserves room for its
// labels through GlyphBoxes, so the plot shrinks its data to fit them.
type colorBar struct {
	x0, x1, y0, y1 float64
	lo, hi         float64
	cmap           func(t float64) color.RGBA // t in [0, 1]
	title          string
	ticks          []float64
}

// newColorBar returns a bar for [lo, hi] with ticks at "nice" values (or at
// lo, 0, hi for a range symmetric about 0).
func newColorBar(x0, x1, y0, y1, lo, hi float64, cmap func(float64) color.RGBA, title string) *colorBar {
	cb := &colorBar{x0: x0, x1: x1, y0: y0, y1: y1, lo: lo, hi: hi, cmap: cmap, title: title}
	if lo < 0 && hi > 0 && math.Abs(lo+hi) <= 1e-12*math.Abs(hi) {
		cb.ticks = []float64{lo, 0, hi}
	} else {
		for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
			if t.Label != "" && t.Value >= lo && t.Value <= hi {
				cb.ticks = append(cb.ticks, t.Value)
			}
		}
		if len(cb.ticks) < 2 {
			cb.ticks = []float64{lo, hi}
		}
	}
	return cb
}

func (cb *colorBar) label(v float64) string {
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// Plot implements plot.Plotter.
func (cb *colorBar) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x0, x1 := trX(cb.x0), trX(cb.x1)
	y0, y1 := trY(cb.y0), trY(cb.y1)
	const n = 128
	for k := range n {
		a := y0 + (y1-y0)*vg.Length(k)/n
		b := y0 + (y1-y0)*vg.Length(k+1)/n
		if k < n-1 {
			b += vg.Points(0.5) // overlap: no seams
		}
		c.FillPolygon(cb.cmap((float64(k)+0.5)/n), []vg.Point{{X: x0, Y: a}, {X: x1, Y: a}, {X: x1, Y: b}, {X: x0, Y: b}})
	}
	edge := draw.LineStyle{Color: color.Black, Width: vg.Points(0.6)}
	c.StrokeLines(edge, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
	sty := textStyle(tickSize)
	sty.YAlign = draw.YCenter
	for _, v := range cb.ticks {
		y := y0 + (y1-y0)*vg.Length((v-cb.lo)/(cb.hi-cb.lo))
		c.StrokeLine2(edge, x1, y, x1+vg.Points(3), y)
		c.FillText(sty, vg.Point{X: x1 + vg.Points(5), Y: y}, cb.label(v))
	}
	if cb.title != "" {
		ts := textStyle(tickSize)
		ts.XAlign = draw.XCenter
		c.FillText(ts, vg.Point{X: (x0 + x1) / 2, Y: y1 + vg.Points(4)}, cb.title)
	}
}

// DataRange implements plot.DataRanger.
func (cb *colorBar) DataRange() (xmin, xmax, ymin, ymax float64) {
	return cb.x0, cb.x1, cb.y0, cb.y1
}

// GlyphBoxes implements plot.GlyphBoxer: boxes for the tick labels right of
// the bar and the title above it.
func (cb *colorBar) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	sty := textStyle(tickSize)
	var w vg.Length
	for _, v := range cb.ticks {
		w = max(w, sty.Width(cb.label(v)))
	}
	h := sty.Height("0")
	boxes := []plot.GlyphBox{{
		X: p.X.Norm(cb.x1), Y: p.Y.Norm((cb.y0 + cb.y1) / 2),
		Rectangle: vg.Rectangle{Min: vg.Point{X: 0, Y: -h / 2}, Max: vg.Point{X: w + vg.Points(8), Y: h / 2}},
	}}
	if cb.title != "" {
		tw := sty.Width(cb.title)
		boxes = append(boxes, plot.GlyphBox{
			X: p.X.Norm((cb.x0 + cb.x1) / 2), Y: p.Y.Norm(cb.y1),
			Rectangle: vg.Rectangle{Min: vg.Point{X: -tw / 2, Y: 0}, Max: vg.Point{X: tw / 2, Y: h + vg.Points(6)}},
		})
	}
	return boxes
}

// ticksUpTo keeps the default ticks of an axis at or below hi (the data's
// end, before a colour bar placed beyond it).
func ticksUpTo(hi float64) plot.Ticker {
	return plot.TickerFunc(func(lo, max float64) []plot.Tick {
		var out []plot.Tick
		for _, t := range (plainTicks{}).Ticks(lo, max) {
			if t.Value <= hi+1e-12*math.Abs(hi) {
				out = append(out, t)
			}
		}
		return out
	})
}

// checkFinite reports the first non-finite value of xs as an error naming
// what.
func checkFinite(what string, xs []float64) error {
	for i, v := range xs {
		if !finite(v) {
			return fmt.Errorf("plots: %s value %d is not finite", what, i)
		}
	}
	return nil
}

// plainTicks are gonum's default ticks labelled in the shortest form
// ("2.5", "5" rather than "2.50", "5.00"); with integers, only the
// integer-valued ticks are kept (for counts).
type plainTicks struct{ integers bool }

// Ticks implements plot.Ticker.
func (pt plainTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if pt.integers && t.Value != math.Round(t.Value) {
			continue
		}
		if t.Label != "" {
			t.Label = strconv.FormatFloat(t.Value, 'g', 4, 64)
		}
		out = append(out, t)
	}
	return out
}
