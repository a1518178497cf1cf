// Package nbui shows rnnlab's figures in GoNB notebooks: static figures as PNG outputs, live training
// curves redrawn in place while a network trains, and rotatable 3-D views (package plots/plot3d) that
// work offline.
//
// It is the only rnnlab package that imports GoNB's gonbui: the rest of the library builds and runs
// outside notebooks. Outside a notebook (gonbui.IsNotebook false) every display is a no-op, so a
// program or test may call these functions freely. The HTML each display sends is built by an exported
// pure function (CurvesHTML, SceneHTML), tested without a notebook. Must and Must2 turn a function's
// error into a panic, the way a notebook cell reports it.
package nbui

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"github.com/rnnlab/rnnlab/rnnlab/plots/plot3d"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// Show displays a figure of package plots as a PNG output and waits until GoNB has it (a cell's
// program may end right after, and a figure still in the pipe would be lost). It takes a figure
// function's two results, Show(plots.Spectrum(v)), and panics with the error, if any: in a notebook
// cell a panic is how an error reaches the reader.
func Show(f *plots.Figure, err error) {
	if err != nil {
		panic(err)
	}
	png, err := f.PNG()
	if err != nil {
		panic(err)
	}
	gonbui.DisplayPng(png)
	gonbui.Sync()
}

// imgHTML is an <img> element holding png inline.
func imgHTML(png []byte) string {
	return `<img src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(png) + `">`
}

// CurvesHTML draws the training curves of h (plots.TrainingCurve: the loss on a log scale and the
// accuracy, against the step) as an HTML <img> element with the PNG inline, the content of the live
// output that LiveCurves updates.
func CurvesHTML(h plots.TrainingHistory) (string, error) {
	png, err := drawCurves(h, "png")
	if err != nil {
		return "", err
	}
	return imgHTML(png), nil
}

// CurvesSVG draws the training curves of h as inline SVG (without the XML declaration), for the live
// output while training runs.
func CurvesSVG(h plots.TrainingHistory) (string, error) {
	svg, err := drawCurves(h, "svg")
	if err != nil {
		return "", err
	}
	s := string(svg)
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	return "<div>" + s + "</div>", nil
}

// drawCurves draws the training curves of h (plots.TrainingCurve) and
// encodes them as "png" or "svg".
func drawCurves(h plots.TrainingHistory, format string) ([]byte, error) {
	f, err := plots.TrainingCurve(h)
	if err != nil {
		return nil, err
	}
	return f.Encode(format)
}

// LiveCurves is the training curves of a run in progress, redrawn in place in one notebook output each
// time the trainer logs a point: pass Hooks() to training (pipeline.TrainOptions.Hooks) and call Done
// when training returns. The saved notebook keeps the last drawing.
type LiveCurves struct {
	// History holds the points logged so far: Steps, Loss and, at the same steps, Accuracy.
	History plots.TrainingHistory
	id      string
	// update replaces the output's HTML (gonbui.UpdateHtml in a notebook).
	update func(id, html string)
}

// NewLiveCurves starts the live output with a placeholder line until the first point is logged.
func NewLiveCurves() *LiveCurves {
	l := &LiveCurves{id: "rnnlab-curves-" + gonbui.UniqueId(), update: gonbui.UpdateHtml}
	l.update(l.id, "<i>The training curves appear here after the first logged step.</i>")
	return l
}

// OnLog appends the point p (its step, mean loss and decision accuracy) to History and redraws the
// curves; it has the signature of training.Hooks.OnLog. While training runs the curves are drawn as
// inline SVG (CurvesSVG: a few milliseconds, where a PNG takes a tenth of a second or more); Done
// replaces them with a PNG. A figure that cannot be drawn is an error, which stops training.
func (l *LiveCurves) OnLog(p training.Point) error {
	h := &l.History
	h.Steps = append(h.Steps, p.Step)
	h.Loss = append(h.Loss, p.Loss)
	h.AccSteps = append(h.AccSteps, p.Step)
	h.Accuracy = append(h.Accuracy, p.Acc)
	html, err := CurvesSVG(*h)
	if err != nil {
		return fmt.Errorf("nbui: drawing the training curves at step %d: %w", p.Step, err)
	}
	l.update(l.id, html)
	return nil
}

// Hooks returns training hooks that draw the curves live (OnLog) and turn off the terminal progress
// bar, which a notebook output cannot redraw.
func (l *LiveCurves) Hooks() training.Hooks {
	return training.Hooks{OnLog: l.OnLog, NoProgress: true}
}

// Done draws the whole history once more as a PNG (CurvesHTML), which every notebook viewer shows and
// the saved notebook keeps, and waits until it has reached the notebook: call it when training returns,
// before the cell ends. With no point logged it leaves the output as it is.
func (l *LiveCurves) Done() error {
	if len(l.History.Steps) > 0 {
		html, err := CurvesHTML(l.History)
		if err != nil {
			return err
		}
		l.update(l.id, html)
	}
	gonbui.Sync()
	return nil
}

// PlotlyMarker is the attribute of the <script> element that carries plotly.js in SceneHTML's
// fragment. scripts/run-notebooks.sh --commit removes such elements from a notebook's saved outputs
// (1.75 MB each), keeping the figure's data: re-running the cell, or opening the notebook where
// plotly.js is already loaded, draws the view again.
const PlotlyMarker = "data-rnnlab-plotlyjs"

// SceneHTML returns a notebook output for the 3-D view s: a <div> holding a one-line note (what a
// reader sees where scripts do not run, as on GitHub, or once plotly.js was stripped from a committed
// notebook), plotly.js inline in a <script PlotlyMarker> element (run only if the page has no
// window.Plotly yet), and the script that draws s's figure (plot3d.Scene.Figure) into the <div>,
// replacing the note. No network is needed.
func SceneHTML(s *plot3d.Scene) (string, error) {
	fig, err := s.Figure()
	if err != nil {
		return "", err
	}
	js, err := plot3d.PlotlyJS()
	if err != nil {
		return "", err
	}
	id := s.ID
	if id == "" {
		// Derived from the figure, as plot3d does: the same figure gets the same id, so a re-executed
		// notebook's saved output changes only when the figure does.
		sum := sha256.Sum256(fig)
		id = "rnnlab3d-" + hex.EncodeToString(sum[:6])
	}
	height := s.Height
	if height <= 0 {
		height = 560
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<div id=%q class=\"rnnlab-plot3d\" style=\"width:100%%;min-height:%dpx\">"+
		"<i>Interactive 3-D view: run this cell in Jupyter to see it and rotate it "+
		"(plotly.js, which draws it, is not saved with the notebook).</i></div>\n", id, height)
	fmt.Fprintf(&b, "<script type=\"text/javascript\" %s>\nif (!window.Plotly) {\n", PlotlyMarker)
	b.Write(js)
	b.WriteString("\n}\n</script>\n<script type=\"text/javascript\">\n")
	fmt.Fprintf(&b, `(function () {
  var fig = %s;
  var el = document.getElementById(%q);
  if (!window.Plotly || !el) { return; }
  el.innerHTML = "";
  Plotly.newPlot(el, fig.data, fig.layout, {responsive: true, displaylogo: false});
})();`, fig, id)
	b.WriteString("\n</script>\n")
	return b.String(), nil
}

// Show3D displays the rotatable 3-D view s (SceneHTML) and waits until GoNB has it.
func Show3D(s *plot3d.Scene) error {
	html, err := SceneHTML(s)
	if err != nil {
		return err
	}
	gonbui.DisplayHTML(html)
	gonbui.Sync()
	return nil
}
