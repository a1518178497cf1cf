package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// EIActivity draws the rates of an excitatory-inhibitory network on sample
// trials, one panel per trial (at most 4), as nn-brain's EI_RNN does: every
// excitatory unit (0 … numE-1) a blue line, every inhibitory unit (numE …
// H-1) a red one, against the time step. trials[k] is trial k's rates,
// row-major [T_k][H] (analysis.Rates gives them).
func EIActivity(trials [][]float32, H, numE int) (*Figure, error) {
	if len(trials) == 0 {
		return nil, errors.New("plots: no trials")
	}
	if H <= 0 || numE < 0 || numE > H {
		return nil, fmt.Errorf("plots: %d excitatory units of %d", numE, H)
	}
	trials = trials[:min(len(trials), 4)]
	f := newFigure(1, len(trials), 4.2*float64(len(trials))+1.6, 4)
	var ps []*plot.Plot
	for k, r := range trials {
		if len(r) == 0 || len(r)%H != 0 {
			return nil, fmt.Errorf("plots: trial %d has %d rates, not a positive multiple of H = %d", k, len(r), H)
		}
		T := len(r) / H
		ylabel := ""
		if k == 0 {
			ylabel = "Activity"
		}
		p := newPlot(fmt.Sprintf("Trial %d", k), "Time step", ylabel)
		for j := H - 1; j >= 0; j-- { // inhibitory first, excitatory on top
			xy := make(plotter.XYs, T)
			for t := range T {
				v := float64(r[t*H+j])
				if !finite(v) {
					return nil, fmt.Errorf("plots: trial %d unit %d step %d is not finite", k, j, t)
				}
				xy[t] = plotter.XY{X: float64(t), Y: v}
			}
			l, err := plotter.NewLine(xy)
			if err != nil {
				return nil, err
			}
			l.Width = vg.Points(1)
			l.Color = withAlpha(Blue, 0.7)
			if j >= numE {
				l.Color = withAlpha(Red, 0.8)
			}
			p.Add(l)
		}
		ps = append(ps, p)
		f.set(0, k, p)
	}
	shareRanges(ps...)
	last := ps[len(ps)-1]
	if numE > 0 {
		last.Legend.Add("excitatory", &plotter.Line{LineStyle: draw.LineStyle{Color: Blue, Width: vg.Points(1.5)}})
	}
	if numE < H {
		last.Legend.Add("inhibitory", &plotter.Line{LineStyle: draw.LineStyle{Color: Red, Width: vg.Points(1.5)}})
	}
	f.panels[0][len(ps)-1].moveLegendOutside()
	return f, nil
}

// SelectivityHistograms draws the distribution of the units' choice
// selectivity d' (analysis.Selectivity.DPrime), excitatory units (0 …
// numE-1) in blue on the left and inhibitory units in red on the right,
// with the same bins (bins of them over the range of all d'; 20 if bins <=
// 0) and the same axes.
func SelectivityHistograms(dprime []float64, numE, bins int) (*Figure, error) {
	if len(dprime) == 0 {
		return nil, errors.New("plots: no selectivity values")
	}
	if numE < 0 || numE > len(dprime) {
		return nil, fmt.Errorf("plots: %d excitatory units of %d", numE, len(dprime))
	}
	if err := checkFinite("selectivity", dprime); err != nil {
		return nil, err
	}
	if bins <= 0 {
		bins = 20
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range dprime {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if hi == lo {
		lo, hi = lo-0.5, hi+0.5
	}
	width := (hi - lo) / float64(bins)
	hist := func(vs []float64, c color.RGBA) *plotter.Histogram {
		h := &plotter.Histogram{Width: width, FillColor: withAlpha(c, 0.75)}
		h.LineStyle = draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}
		h.Bins = make([]plotter.HistogramBin, bins)
		for b := range h.Bins {
			h.Bins[b] = plotter.HistogramBin{Min: lo + float64(b)*width, Max: lo + float64(b+1)*width}
		}
		for _, v := range vs {
			b := min(int((v-lo)/width), bins-1)
			h.Bins[b].Weight++
		}
		return h
	}
	f := newFigure(1, 2, 10, 4)
	pe := newPlot(fmt.Sprintf("Excitatory (%d units)", numE), "Selectivity d′", "Number of units")
	pi := newPlot(fmt.Sprintf("Inhibitory (%d units)", len(dprime)-numE), "Selectivity d′", "")
	pe.Add(hist(dprime[:numE], Blue))
	pi.Add(hist(dprime[numE:], Red))
	for _, p := range []*plot.Plot{pe, pi} {
		p.Add(newVLines([]float64{0}))
	}
	shareRanges(pe, pi)
	pe.Y.Min, pi.Y.Min = 0, 0
	for _, p := range []*plot.Plot{pe, pi} {
		p.X.Tick.Marker = plainTicks{}
		p.Y.Tick.Marker = plainTicks{integers: true}
	}
	f.set(0, 0, pe)
	f.set(0, 1, pi)
	return f, nil
}

// Connectivity draws an n×n weight matrix as nn-brain's EI_RNN does: w is
// row-major with presynaptic rows (w[i][j] from unit i to unit j, as
// models.Params.EffectiveRecurrent, sorted with analysis.Reorder), drawn
// with "From" (presynaptic) along x and "To" (postsynaptic) along y, top to
// bottom, on the RdBu map centred at 0 (−max|w| red, 0 white, +max|w|
// blue) with a colour bar. The first numE units are excitatory: lines
// separate the E and I pools and the axes are labelled E and I.
func Connectivity(w []float32, n, numE int, title string) (*Figure, error) {
	if n <= 0 || len(w) != n*n {
		return nil, fmt.Errorf("plots: %d weights for a %d×%d matrix", len(w), n, n)
	}
	if numE < 0 || numE > n {
		return nil, fmt.Errorf("plots: %d excitatory units of %d", numE, n)
	}
	wlim := 0.0
	for k, v := range w {
		if !finite(float64(v)) {
			return nil, fmt.Errorf("plots: weight %d is not finite", k)
		}
		wlim = math.Max(wlim, math.Abs(float64(v)))
	}
	if wlim == 0 {
		wlim = 1
	}
	if title == "" {
		title = "Effective connectivity"
	}
	p := newPlot(title, "From", "To")
	nf := float64(n)
	p.Add(&matrixMap{w: w, n: n, lim: wlim})
	// Pool boundaries.
	if numE > 0 && numE < n {
		b := nf - float64(numE) - 0.5 // y of the boundary (row numE from the top)
		x := float64(numE) - 0.5
		ls := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
		h, _ := plotter.NewLine(plotter.XYs{{X: -0.5, Y: b}, {X: nf - 0.5, Y: b}})
		v, _ := plotter.NewLine(plotter.XYs{{X: x, Y: -0.5}, {X: x, Y: nf - 0.5}})
		h.LineStyle, v.LineStyle = ls, ls
		p.Add(h, v)
	}
	cb := newColorBar(nf-0.5+0.06*nf, nf-0.5+0.1*nf, -0.5, nf-0.5, -wlim, wlim,
		func(t float64) color.RGBA { return RdBu(2*t - 1) }, "weight")
	p.Add(cb)
	pool := func(y bool) plot.ConstantTicks {
		var ts plot.ConstantTicks
		add := func(lo, hi int, name string) {
			if hi <= lo {
				return
			}
			c := float64(lo+hi-1) / 2
			if y {
				c = nf - 1 - c
			}
			ts = append(ts, plot.Tick{Value: c, Label: name})
		}
		add(0, numE, "E")
		add(numE, n, "I")
		return ts
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = pool(false), pool(true)
	p.X.Padding, p.Y.Padding = 0, 0
	p.Y.Min, p.Y.Max = -0.5, nf-0.5
	p.X.Min = -0.5
	f := newFigure(1, 1, 6.4, 5.6)
	f.set(0, 0, p)
	return f, nil
}

// matrixMap draws an n×n matrix, row a at y = n-1-a (top to bottom) and
// column b at x = b, each value v coloured RdBu(v/lim), as one filled
// rectangle per cell overlapping its neighbours slightly (no seams).
type matrixMap struct {
	w   []float32
	n   int
	lim float64
}

// Plot implements plot.Plotter. Cell (x = from, y = to) shows w[from][to].
func (m *matrixMap) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	eps := vg.Points(0.5)
	n := m.n
	for i := range n { // from: x
		x0, x1 := trX(float64(i)-0.5), trX(float64(i)+0.5)
		if i < n-1 {
			x1 += eps
		}
		for j := range n { // to: y, top to bottom
			y := float64(n - 1 - j)
			y0, y1 := trY(y-0.5), trY(y+0.5)
			if j > 0 {
				y1 += eps
			}
			col := RdBu(float64(m.w[i*n+j]) / m.lim)
			c.FillPolygon(col, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		}
	}
}

// DataRange implements plot.DataRanger.
func (m *matrixMap) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(m.n) - 0.5, -0.5, float64(m.n) - 0.5
}
