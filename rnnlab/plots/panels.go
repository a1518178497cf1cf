package plots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
)

// NewPlot returns an empty gonum plot with this package's fonts, title and
// axis labels, for callers who build their own panels (see Panels).
func NewPlot(title, xlabel, ylabel string) *plot.Plot { return newPlot(title, xlabel, ylabel) }

// Panels lays out the plots ps, row-major, on a rows×cols grid of a figure
// of wInch×hInch inches (nil entries leave a cell empty). It is how other
// packages make Figures of their own plots.
func Panels(rows, cols int, wInch, hInch float64, ps ...*plot.Plot) (*Figure, error) {
	if rows < 1 || cols < 1 || len(ps) > rows*cols {
		return nil, fmt.Errorf("plots: %d panels on a %d×%d grid", len(ps), rows, cols)
	}
	f := newFigure(rows, cols, wInch, hInch)
	for i, p := range ps {
		if p != nil {
			f.set(i/cols, i%cols, p)
		}
	}
	return f, nil
}

// ViridisPalette returns n >= 2 evenly spaced colours of Viridis, dark
// purple to yellow, for gonum's heat maps.
func ViridisPalette(n int) palette.Palette { return viridis(max(n, 2)) }
