package plots

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Spectrum draws eigenvalues of a discrete-time system's Jacobian in the
// complex plane with equal axis scales: the eigenvalues as dots, the unit
// circle, and the dashed line Re = 1 from Im = -1 to 1 (as in the primer).
// The first eigenvalue given is the leading one: it is circled in red and
// its value is given in the legend (sort them first, by modulus or, for the
// slow mode of an attractor, by real part).
func Spectrum(eigs []complex128) (*Figure, error) {
	if len(eigs) == 0 {
		return nil, errors.New("plots: no eigenvalues")
	}
	xy := make(plotter.XYs, len(eigs))
	for i, e := range eigs {
		if cmplx.IsNaN(e) || cmplx.IsInf(e) {
			return nil, fmt.Errorf("plots: eigenvalue %d is not finite", i)
		}
		xy[i] = plotter.XY{X: real(e), Y: imag(e)}
	}
	p := newPlot("Eigenvalue spectrum", "Real", "Imaginary")

	const n = 200
	circ := make(plotter.XYs, n+1)
	for i := range circ {
		a := 2 * math.Pi * float64(i) / n
		circ[i] = plotter.XY{X: math.Cos(a), Y: math.Sin(a)}
	}
	lc, err := plotter.NewLine(circ)
	if err != nil {
		return nil, err
	}
	lc.Color = Grey
	lc.Width = vg.Points(1)
	p.Add(lc)
	p.Legend.Add("unit circle", lc)

	re1, err := plotter.NewLine(plotter.XYs{{X: 1, Y: -1}, {X: 1, Y: 1}})
	if err != nil {
		return nil, err
	}
	re1.Color = C1
	re1.Width = vg.Points(1.5)
	re1.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	p.Add(re1)
	p.Legend.Add("Re = 1", re1)

	s, err := plotter.NewScatter(xy)
	if err != nil {
		return nil, err
	}
	s.Color = C0
	s.Shape = draw.CircleGlyph{}
	s.Radius = vg.Points(3)
	p.Add(s)
	p.Legend.Add("eigenvalues", s)

	le := eigs[0]
	hl, err := plotter.NewScatter(plotter.XYs{{X: real(le), Y: imag(le)}})
	if err != nil {
		return nil, err
	}
	hl.Color = Red
	hl.Shape = draw.RingGlyph{}
	hl.Radius = vg.Points(5.5)
	p.Add(hl)
	label := fmt.Sprintf("leading: λ = %.3f", real(le))
	if imag(le) != 0 {
		sign := "+"
		if imag(le) < 0 {
			sign = "−"
		}
		label = fmt.Sprintf("leading: λ = %.3f %s %.3fi", real(le), sign, math.Abs(imag(le)))
		label += fmt.Sprintf(", |λ| = %.3f", cmplx.Abs(le))
	}
	// The value goes in the legend: a label next to the point would
	// overlap the other eigenvalues.
	p.Legend.Add(label, hl)

	// Make room for the circle and a margin, then keep equal scales.
	m := 0.15
	p.X.Min, p.X.Max = math.Min(p.X.Min, -1)-m, math.Max(p.X.Max, 1)+m
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, -1)-m, math.Max(p.Y.Max, 1)+m

	f := newFigure(1, 1, 7.5, 6)
	pn := f.set(0, 0, p)
	pn.equal = true
	pn.moveLegendOutside()
	pn.outside.Padding = vg.Points(3)
	return f, nil
}
