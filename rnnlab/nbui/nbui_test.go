package nbui

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"github.com/rnnlab/rnnlab/rnnlab/plots/plot3d"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// decodeImg decodes the PNG inline in an <img> element.
func decodeImg(t *testing.T, html string) (w, h int) {
	t.Helper()
	const prefix = `<img src="data:image/png;base64,`
	if !strings.HasPrefix(html, prefix) || !strings.HasSuffix(html, `">`) {
		t.Fatalf("not an inline PNG image: %.80q", html)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(strings.TrimPrefix(html, prefix), `">`))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Width, cfg.Height
}

// TestLiveCurves feeds logged points to the live curves and checks the history they keep and that each
// update replaces the same output with a drawable PNG of the curves so far.
func TestLiveCurves(t *testing.T) {
	var ids []string
	var last string
	l := &LiveCurves{id: "x1", update: func(id, html string) { ids = append(ids, id); last = html }}
	hooks := l.Hooks()
	if !hooks.NoProgress || hooks.OnLog == nil {
		t.Fatalf("hooks %+v: want OnLog and no progress bar", hooks)
	}
	pts := []training.Point{{Step: 100, Loss: 0.5, Acc: 0.2}, {Step: 200, Loss: 0.1, Acc: 0.6}, {Step: 300, Loss: 0.05, Acc: 0.8}}
	for _, p := range pts {
		if err := hooks.OnLog(p); err != nil {
			t.Fatal(err)
		}
	}
	h := l.History
	if len(ids) != 3 || ids[0] != "x1" || ids[2] != "x1" {
		t.Errorf("updates went to %q, want 3 to x1", ids)
	}
	for i, p := range pts {
		if h.Steps[i] != p.Step || h.AccSteps[i] != p.Step || h.Loss[i] != p.Loss || h.Accuracy[i] != p.Acc {
			t.Errorf("history at %d: step %d/%d, loss %v, acc %v; want %+v", i, h.Steps[i], h.AccSteps[i], h.Loss[i], h.Accuracy[i], p)
		}
	}
	live, err := CurvesSVG(h)
	if err != nil {
		t.Fatal(err)
	}
	if last != live || !strings.HasPrefix(last, "<div><svg") || strings.Contains(last, "<?xml") {
		t.Errorf("the last live update is not the SVG curves of the whole history: %.80q", last)
	}
	if err := l.Done(); err != nil {
		t.Fatal(err)
	}
	want, err := CurvesHTML(h)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 4 || ids[3] != "x1" || last != want {
		t.Error("Done did not replace the live curves with the PNG of the whole history")
	}
	if w, ht := decodeImg(t, last); w < 200 || ht < 100 {
		t.Errorf("curves image %d×%d", w, ht)
	}
	// Curves that cannot be drawn (no finite loss yet) stop training with an error.
	bad := &LiveCurves{id: "x2", update: func(string, string) {}}
	if err := bad.OnLog(training.Point{Step: 400, Loss: math.NaN(), Acc: 0.9}); err == nil || !strings.Contains(err.Error(), "step 400") {
		t.Errorf("drawing a diverged first point: %v", err)
	}
}

// TestSceneHTML checks the 3-D view's output: the note where scripts do not run, plotly.js in the
// marked element that run-notebooks.sh --commit strips, and the figure's data in the drawing script.
func TestSceneHTML(t *testing.T) {
	s := &plot3d.Scene{ID: "v1", Trajectories: []plot3d.Trajectory{{X: []float64{0, 1}, Y: []float64{0, 1}, Z: []float64{0, 2}}}}
	html, err := SceneHTML(s)
	if err != nil {
		t.Fatal(err)
	}
	fig, err := s.Figure()
	if err != nil {
		t.Fatal(err)
	}
	js, err := plot3d.PlotlyJS()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(html, `<div id="v1" class="rnnlab-plot3d"`) || !strings.Contains(html, "run this cell in Jupyter to see it") {
		t.Errorf("no <div> with a note: %.200q", html)
	}
	if !strings.Contains(html, string(fig)) || !strings.Contains(html, `document.getElementById("v1")`) {
		t.Error("the drawing script lacks the figure or the element id")
	}
	// The same rule as run-notebooks.sh --commit: remove the marked <script> element.
	strip := regexp.MustCompile(`(?s)<script[^>]*` + PlotlyMarker + `[^>]*>.*?</script>\n?`)
	stripped := strip.ReplaceAllString(html, "")
	if len(html)-len(stripped) < len(js) || strings.Contains(stripped, string(js[:200])) {
		t.Errorf("stripping the marked element removed %d bytes; plotly.js is %d", len(html)-len(stripped), len(js))
	}
	if !strings.Contains(stripped, string(fig)) || len(stripped) > len(fig)+1000 {
		t.Errorf("after stripping, %d bytes remain (figure %d) or the figure is gone", len(stripped), len(fig))
	}
	if _, err := SceneHTML(&plot3d.Scene{}); err == nil {
		t.Error("an empty scene: no error")
	}
}

// TestOutsideANotebook checks that the displays are no-ops outside GoNB.
func TestOutsideANotebook(t *testing.T) {
	f, err := plots.TrainingCurve(plots.TrainingHistory{Steps: []int{1, 2}, Loss: []float64{1, 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	Show(f, nil)
	l := NewLiveCurves()
	if err := l.OnLog(training.Point{Step: 1, Loss: 1, Acc: 0.5}); err != nil {
		t.Fatal(err)
	}
	if err := l.Done(); err != nil {
		t.Fatal(err)
	}
	if err := Show3D(&plot3d.Scene{Trajectories: []plot3d.Trajectory{{X: []float64{0}, Y: []float64{0}, Z: []float64{0}}}}); err != nil {
		t.Fatal(err)
	}
}

// TestExplore checks Explore outside a notebook: it draws the initial frame only, and reports bad
// frames and drawing errors.
func TestExplore(t *testing.T) {
	f, err := plots.TrainingCurve(plots.TrainingHistory{Steps: []int{1, 2}, Loss: []float64{1, 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	var drawn []int
	draw := func(i int) (*plots.Figure, error) { drawn = append(drawn, i); return f, nil }
	label := func(i int) string { return fmt.Sprintf("<frame %d>", i) }
	if err := Explore(5, 3, label, draw, time.Second); err != nil {
		t.Fatal(err)
	}
	if len(drawn) != 1 || drawn[0] != 3 {
		t.Errorf("drew frames %v, want [3]", drawn)
	}
	if err := Explore(5, 5, label, draw, time.Second); err == nil {
		t.Error("initial frame 5 of 5: no error")
	}
	bad := func(int) (*plots.Figure, error) { return nil, errors.New("boom") }
	if err := Explore(2, 0, label, bad, time.Second); err == nil || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), "<frame 0>") {
		t.Errorf("a drawing error: %v", err)
	}
	html, err := ExploreFrame("a < b", f)
	if err != nil {
		t.Fatal(err)
	}
	label0, img, _ := strings.Cut(html, "</div>")
	if label0 != "<div><b>a &lt; b</b>" {
		t.Errorf("frame label %q", label0)
	}
	if w, h := decodeImg(t, img); w < 100 || h < 100 {
		t.Errorf("frame image %d×%d", w, h)
	}
}

// TestSceneHTMLStableID checks that a scene without an ID gets one derived from its figure: the same
// figure, the same id (so that re-executing a notebook leaves its saved output unchanged).
func TestSceneHTMLStableID(t *testing.T) {
	s := &plot3d.Scene{Trajectories: []plot3d.Trajectory{{X: []float64{0, 1}, Y: []float64{0, 1}, Z: []float64{0, 2}}}}
	a, err := SceneHTML(s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := SceneHTML(s)
	if err != nil {
		t.Fatal(err)
	}
	s.Trajectories[0].Z[1] = 3
	c, err := SceneHTML(s)
	if err != nil {
		t.Fatal(err)
	}
	id := func(h string) string { return h[:strings.Index(h, " class=")] }
	if !strings.HasPrefix(a, `<div id="rnnlab3d-`) || id(a) != id(b) || id(a) == id(c) {
		t.Errorf("ids %s, %s (same figure), %s (another)", id(a), id(b), id(c))
	}
}
