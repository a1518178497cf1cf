package plot3d

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// demoScene is a synthetic view: 8 trajectories converging, by choice, to
// either end of a line of 9 fixed points on the PC 1 axis; the middle
// point is unstable with one mode along PC 1, the others stable.
func demoScene() *Scene {
	s := &Scene{Title: "Fixed points (synthetic)"}
	for k := range 8 {
		choice := k % 2
		end := -2.0
		if choice == 1 {
			end = 2
		}
		var t Trajectory
		t.Choice = choice
		for i := range 30 {
			a := float64(i) / 29
			ph := float64(k) * math.Pi / 4
			t.X = append(t.X, end*a+(1-a)*0.3*math.Cos(ph))
			t.Y = append(t.Y, (1-a)*math.Cos(ph+6*a))
			t.Z = append(t.Z, (1-a)*math.Sin(ph+6*a))
		}
		s.Trajectories = append(s.Trajectories, t)
	}
	for i := range 9 {
		x := -2 + 0.5*float64(i)
		p := FixedPoint{X: x, Stable: i != 4}
		if i == 4 {
			seg, err := ModeSegment([]float64{x, 0, 0}, []float64{3, 0, 0}, 0.25,
				func(v []float64) [3]float64 { return [3]float64{v[0], v[1], v[2]} })
			if err != nil {
				panic(err)
			}
			p.Modes = append(p.Modes, seg)
		}
		s.FixedPoints = append(s.FixedPoints, p)
	}
	return s
}

func TestPlotlyJSEmbedded(t *testing.T) {
	js, err := PlotlyJS()
	if err != nil {
		t.Fatal(err)
	}
	if len(js) < 1_000_000 || !bytes.Contains(js, []byte("plotly.js (gl3d - minified) v"+PlotlyVersion)) ||
		!bytes.Contains(js, []byte("window.Plotly = Plotly")) {
		t.Fatalf("embedded bundle (%d bytes) is not plotly.js gl3d %s defining window.Plotly", len(js), PlotlyVersion)
	}
	if bytes.Contains(js, []byte("</script")) {
		t.Error("bundle contains </script")
	}
}

// TestFigureJSON decodes the figure and checks its traces: one legend
// entry per choice, red/blue choice colours, 8 black stable points, 1 red
// unstable point and its mode from x-0.25 to x+0.25 along PC 1.
func TestFigureJSON(t *testing.T) {
	b, err := demoScene().Figure()
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Data []struct {
			Type, Mode, Name string
			X, Y, Z          []*float64
			Line, Marker     map[string]any
			ShowLegend       bool
		}
		Layout map[string]any
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Data) != 8+3 {
		t.Fatalf("%d traces, want 8 trajectories + stable, unstable, modes", len(f.Data))
	}
	legends := 0
	for _, tr := range f.Data[:8] {
		if tr.Type != "scatter3d" || tr.Mode != "lines" || len(tr.X) != 30 {
			t.Fatalf("trajectory trace %+v", tr)
		}
		want := map[string]string{"choice 0": "rgb(255,0,0)", "choice 1": "rgb(0,0,255)"}[tr.Name]
		if tr.Line["color"] != want {
			t.Errorf("%s drawn %v, want %s", tr.Name, tr.Line["color"], want)
		}
		if tr.ShowLegend {
			legends++
		}
	}
	if legends != 2 {
		t.Errorf("%d trajectory legend entries, want 2 (one per choice)", legends)
	}
	st, un, md := f.Data[8], f.Data[9], f.Data[10]
	if st.Name != "stable fixed points" || len(st.X) != 8 || st.Marker["color"] != "rgb(0,0,0)" {
		t.Errorf("stable trace %s, %d points, colour %v", st.Name, len(st.X), st.Marker["color"])
	}
	if un.Name != "unstable fixed points" || len(un.X) != 1 || *un.X[0] != 0 || un.Marker["color"] != "rgb(255,0,0)" {
		t.Errorf("unstable trace %s, %d points, colour %v", un.Name, len(un.X), un.Marker["color"])
	}
	if md.Name != "unstable modes" || len(md.X) != 3 || *md.X[0] != -0.25 || *md.X[1] != 0.25 || md.X[2] != nil || md.Line["color"] != "rgb(255,0,0)" {
		t.Errorf("mode trace %s, x %v", md.Name, md.X)
	}
	scene := f.Layout["scene"].(map[string]any)
	if got := scene["zaxis"].(map[string]any)["title"].(map[string]any)["text"]; got != "PC 3" {
		t.Errorf("z axis %v", got)
	}
	for name, s := range map[string]*Scene{
		"empty":    {},
		"ragged":   {Trajectories: []Trajectory{{X: []float64{1, 2}, Y: []float64{1}, Z: []float64{1, 2}}}},
		"nan fp":   {FixedPoints: []FixedPoint{{X: math.NaN()}}},
		"inf mode": {FixedPoints: []FixedPoint{{Modes: [][2][3]float64{{{math.Inf(1), 0, 0}, {}}}}}},
	} {
		if _, err := s.Figure(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := ModeSegment([]float64{1}, []float64{0}, 0.25, nil); err == nil {
		t.Error("zero mode: no error")
	}
}

// TestHTMLSelfContained checks that the fragment and the page hold the
// data, the whole library and nothing loaded from elsewhere, and that the
// same scene gets the same element id.
func TestHTMLSelfContained(t *testing.T) {
	s := demoScene()
	h, err := s.HTML()
	if err != nil {
		t.Fatal(err)
	}
	fig, _ := s.Figure()
	id := s.id(fig)
	for _, want := range []string{
		`<div id="` + id + `"`, string(fig), "Plotly.newPlot(\"" + id + "\"",
		"plotly.js (gl3d - minified) v" + PlotlyVersion, "if (!window.Plotly)",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("fragment lacks %.80q", want)
		}
	}
	js, _ := PlotlyJS()
	ours := strings.Replace(h, string(js), "", 1) // the markup and scripts around the library
	for _, bad := range []string{"<script src", "src=", "http:", "https:"} {
		if strings.Contains(ours, bad) {
			t.Errorf("fragment loads something: %q", bad)
		}
	}
	h2, _ := demoScene().HTML()
	if h2 != h {
		t.Error("the same scene gave different HTML")
	}
	page, err := s.Page()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(page, []byte("<!DOCTYPE html>")) || !bytes.Contains(page, []byte(h)) || !bytes.HasSuffix(page, []byte("</html>\n")) {
		t.Error("page is not a document around the fragment")
	}
}

// TestRendersInChromium opens the page in headless Chromium with the
// network off and checks, in the DOM after the scripts ran, that plotly.js
// drew the scene (its container, the 3-D scene and the legend entries).
// Skipped when chromium is not installed. RNNLAB_PLOT3D=dir also writes
// the page there, to take a screenshot (scripts/screenshot.sh).
func TestRendersInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser (about 10-30 s)")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not installed")
	}
	dir := t.TempDir()
	if d := os.Getenv("RNNLAB_PLOT3D"); d != "" {
		dir = d
	}
	page := filepath.Join(dir, "plot3d.html")
	if err := demoScene().WriteFile(page); err != nil {
		t.Fatal(err)
	}
	args := []string{"--headless", "--disable-gpu", "--enable-unsafe-swiftshader", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--proxy-server=127.0.0.1:9", "--user-data-dir=" + t.TempDir(), "--virtual-time-budget=10000",
		"--dump-dom", "file://" + page}
	if os.Geteuid() == 0 {
		args = append([]string{"--no-sandbox"}, args...)
	}
	cmd := exec.Command(chromium, args...)
	done := make(chan struct{})
	var out []byte
	go func() { out, err = cmd.Output(); close(done) }()
	select {
	case <-done:
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatal("chromium did not finish in 90 s")
	}
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)
	for _, want := range []string{`class="plot-container plotly"`, `id="scene"`, "stable fixed points", "unstable modes", "choice 1"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
}
