package report

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
)

// Figure is a named figure of a study: what its folder holds as Name.png
// (and Name.svg) and its report shows with Caption. It is drawn on demand
// from Figure or, when Figure is nil, is the already encoded PNG image.
type Figure struct {
	// Name is the file name stem, e.g. "pc_trajectories".
	Name    string
	Caption string
	// Figure is the figure of package plots; nil when PNG holds the image.
	Figure *plots.Figure
	// PNG is an already encoded PNG image (a figure drawn outside package
	// plots), used when Figure is nil.
	PNG []byte
}

// Encode renders the figure as "png" or "svg" (a leading dot is ignored;
// "pdf" too for a figure of package plots). A figure held as PNG bytes
// has only "png".
func (f Figure) Encode(format string) ([]byte, error) {
	if f.Figure != nil {
		return f.Figure.Encode(format)
	}
	if f.PNG == nil {
		return nil, fmt.Errorf("report: figure %s is empty", f.Name)
	}
	if strings.ToLower(strings.TrimPrefix(format, ".")) != "png" {
		return nil, fmt.Errorf("report: figure %s is a PNG image, not %s", f.Name, format)
	}
	return f.PNG, nil
}

// WriteFiles writes every figure into dir as Name.ext, one file for each
// extension (".png", ".svg"), each atomically (see atomicfile). The folder
// must exist.
func WriteFiles(dir string, figs []Figure, exts ...string) error {
	for _, f := range figs {
		for _, ext := range exts {
			b, err := f.Encode(ext)
			if err != nil {
				return fmt.Errorf("figure %s: %w", f.Name, err)
			}
			if err := atomicfile.Write(filepath.Join(dir, f.Name+ext), b); err != nil {
				return fmt.Errorf("figure %s: %w", f.Name, err)
			}
		}
	}
	return nil
}

// FigureList collects a study's named figures as they are drawn, keeping
// the first error: Add takes a figure function's two results, and after an
// error every later Add is ignored, so a study draws its figures one after
// another and checks once, at the end (Figures).
type FigureList struct {
	figs []Figure
	err  error
}

// Add appends the figure f under name with its caption, or, when err is
// not nil, records "figure name: err" as the list's error. Once the list
// has an error, Add does nothing.
func (l *FigureList) Add(name, caption string, f *plots.Figure, err error) {
	if l.err != nil {
		return
	}
	if err != nil {
		l.err = fmt.Errorf("figure %s: %w", name, err)
		return
	}
	l.figs = append(l.figs, Figure{Name: name, Caption: caption, Figure: f})
}

// Err returns the first error Add recorded, if any.
func (l *FigureList) Err() error { return l.err }

// Figures returns the figures added, in order, or nil and the first error.
func (l *FigureList) Figures() ([]Figure, error) {
	if l.err != nil {
		return nil, l.err
	}
	return l.figs, nil
}

// AddNamedFigure embeds the named figure f with its caption: rendered as
// PNG (AddFigure), or its PNG bytes as they are (AddPNG).
func (r *Report) AddNamedFigure(f Figure) error {
	if f.Figure == nil && f.PNG != nil {
		return r.AddPNG(f.Caption, f.PNG)
	}
	return r.AddFigure(f.Caption, f.Figure)
}

// AddFigures embeds, in the order of names, the figures of figs with those
// names (AddNamedFigure; of several with one name, the last). A name that
// figs lacks adds nothing: a figure the study did not draw, such as the
// training curves of a run without a history.
func (r *Report) AddFigures(figs []Figure, names ...string) error {
	for _, name := range names {
		for i := len(figs) - 1; i >= 0; i-- {
			if figs[i].Name == name {
				if err := r.AddNamedFigure(figs[i]); err != nil {
					return err
				}
				break
			}
		}
	}
	return nil
}
