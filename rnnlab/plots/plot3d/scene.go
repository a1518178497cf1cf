package plot3d

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"image/color"
	"math"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
)

// Trajectory is one trial's path in a 3-D projection (e.g. PC 1-3 of its
// hidden states).
type Trajectory struct {
	X, Y, Z []float64
	// Choice colours the path as the 2-D figures do (plots.ChoiceColor:
	// 0 red, 1 blue) unless Color is set.
	Choice int
	// Color is a CSS colour ("rgb(…)", "#rrggbb"); "" means Choice's.
	Color string
	// Name labels the path in the legend and on hover; "" means "choice
	// N" (one legend entry per choice).
	Name string
}

// FixedPoint is a fixed point in the same projection.
type FixedPoint struct {
	X, Y, Z float64
	// Stable draws the point black; an unstable point is red.
	Stable bool
	// Modes are the unstable modes as segments in the projection, each
	// from its first to its second end (ModeSegment computes them as
	// plot_fps does).
	Modes [][2][3]float64
}

// Scene is an interactive 3-D view of trajectories and fixed points.
type Scene struct {
	// Title is drawn above the view.
	Title string
	// Labels name the three axes; empty ones are "PC 1", "PC 2", "PC 3".
	Labels [3]string
	// Trajectories are drawn as lines, half transparent.
	Trajectories []Trajectory
	// FixedPoints are drawn as dots with their unstable modes.
	FixedPoints []FixedPoint
	// Height is the view's height in pixels (default 560); the width
	// follows the page or the notebook cell.
	Height int
	// ID is the HTML element's id; "" means one derived from the figure
	// (the same figure gets the same id, so saved outputs are stable).
	ID string
}

// CSS returns c as a CSS colour "rgb(r,g,b)", for Trajectory.Color (e.g.
// CSS(plots.Viridis(t)) to colour trials by a continuous value).
func CSS(c color.RGBA) string { return fmt.Sprintf("rgb(%d,%d,%d)", c.R, c.G, c.B) }

// ModeSegment returns the segment drawn for one unstable mode of the fixed
// point x (full state space), as Golub & Sussillo's plot_fps draws it:
// from x − scale·v to x + scale·v, v the mode's eigenvector (real part,
// normalised to unit length here), both ends mapped by project (e.g. onto
// PC 1-3). plot_fps's default scale is 0.25.
func ModeSegment(x, v []float64, scale float64, project func([]float64) [3]float64) ([2][3]float64, error) {
	if len(x) != len(v) || len(x) == 0 {
		return [2][3]float64{}, fmt.Errorf("plot3d: ModeSegment: point of %d values, mode of %d", len(x), len(v))
	}
	var n float64
	for _, e := range v {
		n += e * e
	}
	n = math.Sqrt(n)
	if n == 0 || math.IsNaN(n) || math.IsInf(n, 0) {
		return [2][3]float64{}, errors.New("plot3d: ModeSegment: the mode must be finite and non-zero")
	}
	a, b := make([]float64, len(x)), make([]float64, len(x))
	for i := range x {
		a[i] = x[i] - scale*v[i]/n
		b[i] = x[i] + scale*v[i]/n
	}
	return [2][3]float64{project(a), project(b)}, nil
}

// trace is one plotly scatter3d trace.
type trace struct {
	Type        string         `json:"type"`
	Mode        string         `json:"mode"`
	Name        string         `json:"name"`
	X           []any          `json:"x"`
	Y           []any          `json:"y"`
	Z           []any          `json:"z"`
	Line        map[string]any `json:"line,omitempty"`
	Marker      map[string]any `json:"marker,omitempty"`
	Opacity     float64        `json:"opacity,omitempty"`
	LegendGroup string         `json:"legendgroup,omitempty"`
	ShowLegend  bool           `json:"showlegend"`
	HoverInfo   string         `json:"hoverinfo,omitempty"`
}

// figure is a plotly figure.
type figure struct {
	Data   []trace        `json:"data"`
	Layout map[string]any `json:"layout"`
}

func checkFinite(what string, vs ...float64) error {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("plot3d: %s is not finite", what)
		}
	}
	return nil
}

func vals(xs []float64) []any {
	out := make([]any, len(xs))
	for i, v := range xs {
		out[i] = v
	}
	return out
}

// Figure returns the scene as a plotly figure, JSON {"data": […],
// "layout": {…}}: one "lines" scatter3d trace per trajectory (one legend
// entry per choice or name), one "markers" trace for the stable points
// (black) and one for the unstable points (red), and one "lines" trace
// holding every unstable mode (red, segments separated by nulls). Bad
// inputs (no data, mismatched lengths, non-finite values) give an error.
func (s *Scene) Figure() ([]byte, error) {
	if len(s.Trajectories) == 0 && len(s.FixedPoints) == 0 {
		return nil, errors.New("plot3d: empty scene: no trajectories and no fixed points")
	}
	var f figure
	seen := map[string]bool{}
	for i, t := range s.Trajectories {
		if len(t.X) == 0 || len(t.X) != len(t.Y) || len(t.X) != len(t.Z) {
			return nil, fmt.Errorf("plot3d: trajectory %d has %d, %d and %d coordinates", i, len(t.X), len(t.Y), len(t.Z))
		}
		for k := range t.X {
			if err := checkFinite(fmt.Sprintf("trajectory %d point %d", i, k), t.X[k], t.Y[k], t.Z[k]); err != nil {
				return nil, err
			}
		}
		name, col := t.Name, t.Color
		if name == "" {
			name = fmt.Sprintf("choice %d", t.Choice)
		}
		if col == "" {
			col = CSS(plots.ChoiceColor(t.Choice))
		}
		f.Data = append(f.Data, trace{
			Type: "scatter3d", Mode: "lines", Name: name,
			X: vals(t.X), Y: vals(t.Y), Z: vals(t.Z),
			Line:    map[string]any{"color": col, "width": 3},
			Opacity: 0.55, LegendGroup: name, ShowLegend: !seen[name],
		})
		seen[name] = true
	}
	points := func(stable bool) trace {
		name, col := "unstable fixed points", "rgb(255,0,0)"
		if stable {
			name, col = "stable fixed points", "rgb(0,0,0)"
		}
		tr := trace{Type: "scatter3d", Mode: "markers", Name: name, X: []any{}, Y: []any{}, Z: []any{},
			Marker: map[string]any{"color": col, "size": 4}, ShowLegend: true}
		for _, p := range s.FixedPoints {
			if p.Stable == stable {
				tr.X, tr.Y, tr.Z = append(tr.X, p.X), append(tr.Y, p.Y), append(tr.Z, p.Z)
			}
		}
		return tr
	}
	modes := trace{Type: "scatter3d", Mode: "lines", Name: "unstable modes", X: []any{}, Y: []any{}, Z: []any{},
		Line: map[string]any{"color": "rgb(255,0,0)", "width": 5}, ShowLegend: true, HoverInfo: "skip"}
	for i, p := range s.FixedPoints {
		if err := checkFinite(fmt.Sprintf("fixed point %d", i), p.X, p.Y, p.Z); err != nil {
			return nil, err
		}
		for m, seg := range p.Modes {
			for _, e := range seg {
				if err := checkFinite(fmt.Sprintf("fixed point %d mode %d", i, m), e[:]...); err != nil {
					return nil, err
				}
			}
			modes.X = append(modes.X, seg[0][0], seg[1][0], nil)
			modes.Y = append(modes.Y, seg[0][1], seg[1][1], nil)
			modes.Z = append(modes.Z, seg[0][2], seg[1][2], nil)
		}
	}
	for _, tr := range []trace{points(true), points(false), modes} {
		if len(tr.X) > 0 {
			f.Data = append(f.Data, tr)
		}
	}
	labels := s.Labels
	for i := range labels {
		if labels[i] == "" {
			labels[i] = fmt.Sprintf("PC %d", i+1)
		}
	}
	height := s.height()
	axis := func(l string) map[string]any { return map[string]any{"title": map[string]any{"text": l}} }
	f.Layout = map[string]any{
		"height": height,
		"margin": map[string]any{"l": 0, "r": 0, "b": 0, "t": 40},
		"scene": map[string]any{"xaxis": axis(labels[0]), "yaxis": axis(labels[1]), "zaxis": axis(labels[2]),
			// A little farther than plotly's default eye (1.25, 1.25,
			// 1.25), so that the axes' labels fit.
			"camera": map[string]any{"eye": map[string]any{"x": 1.6, "y": 1.6, "z": 1.0}}},
		"legend": map[string]any{"x": 0, "y": 1},
	}
	if s.Title != "" {
		f.Layout["title"] = map[string]any{"text": s.Title}
	}
	// json.Marshal escapes <, > and & as \u003c…, so the JSON is safe
	// inside a <script> element.
	return json.Marshal(f)
}

// height is Height with its default.
func (s *Scene) height() int {
	if s.Height <= 0 {
		return 560
	}
	return s.Height
}

// id returns the element id: s.ID or one derived from the figure.
func (s *Scene) id(fig []byte) string {
	if s.ID != "" {
		return s.ID
	}
	sum := sha256.Sum256(fig)
	return "rnnlab3d-" + hex.EncodeToString(sum[:6])
}

// plotScript is the JavaScript that draws fig into the element id.
func plotScript(id string, fig []byte) string {
	return fmt.Sprintf(`(function () {
  var fig = %s;
  Plotly.newPlot(%q, fig.data, fig.layout, {responsive: true, displaylogo: false});
})();`, fig, id)
}

// HTML returns the scene as an HTML fragment for a notebook cell
// (gonbui.DisplayHTML) or any page: a <div> and the scripts that draw the
// figure in it, with plotly.js inline, run only if the page has no
// window.Plotly yet. The fragment needs no network, and a saved notebook
// keeps it (Jupyter runs the scripts of a trusted notebook's outputs when
// it opens it). It carries the whole library, about 1.75 MB.
func (s *Scene) HTML() (string, error) {
	fig, err := s.Figure()
	if err != nil {
		return "", err
	}
	js, err := PlotlyJS()
	if err != nil {
		return "", err
	}
	id := s.id(fig)
	var b strings.Builder
	fmt.Fprintf(&b, "<div id=%q class=\"rnnlab-plot3d\" style=\"width:100%%;min-height:%dpx\"></div>\n", id, s.height())
	b.WriteString("<script type=\"text/javascript\">\nif (!window.Plotly) {\n")
	b.Write(js)
	b.WriteString("\n}\n</script>\n<script type=\"text/javascript\">\n")
	b.WriteString(plotScript(id, fig))
	b.WriteString("\n</script>\n")
	return b.String(), nil
}

// Page returns the scene as a standalone HTML document with plotly.js
// inline: open it in a browser, offline, or link it from a report.
func (s *Scene) Page() ([]byte, error) {
	frag, err := s.HTML()
	if err != nil {
		return nil, err
	}
	title := s.Title
	if title == "" {
		title = "rnnlab 3-D view"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n</head>\n<body style=\"margin:0;font-family:sans-serif\">\n", html.EscapeString(title))
	b.WriteString(frag)
	b.WriteString("</body>\n</html>\n")
	return []byte(b.String()), nil
}

// WriteFile writes Page to path (through a temporary file renamed into
// place).
func (s *Scene) WriteFile(path string) error {
	b, err := s.Page()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, b)
}
