package plots

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// notebookFigures builds the figures of the E-I, working-memory and LSTM
// notebooks from synthetic data, with the panel grid each must have.
func notebookFigures(t *testing.T) map[string]struct {
	f          *Figure
	rows, cols int
} {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	const H, E, T = 10, 8, 40
	var trials [][]float32
	for k := range 3 {
		r := make([]float32, T*H)
		for tt := range T {
			for j := range H {
				r[tt*H+j] = float32(math.Max(0, math.Sin(float64(tt)/6+float64(j+k))+0.3*rng.NormFloat64()))
			}
		}
		trials = append(trials, r)
	}
	out := map[string]struct {
		f          *Figure
		rows, cols int
	}{}
	add := func(name string, f *Figure, err error, rows, cols int) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = struct {
			f          *Figure
			rows, cols int
		}{f, rows, cols}
	}
	f, err := EIActivity(trials, H, E)
	add("ei_activity", f, err, 1, 3)
	d := make([]float64, 50)
	for i := range d {
		d[i] = rng.NormFloat64() * 1.5
	}
	f, err = SelectivityHistograms(d, 40, 0)
	add("selectivity", f, err, 1, 2)
	w := make([]float32, 50*50)
	for i := range 50 {
		for j := range 50 {
			v := float32(math.Abs(rng.NormFloat64()) * 0.1)
			if i >= 40 {
				v *= -3
			}
			if i == j {
				v = 0
			}
			w[i*50+j] = v
		}
	}
	f, err = Connectivity(w, 50, 40, "")
	add("connectivity", f, err, 1, 1)
	var vt []ValueTrajectory
	for k := range 30 {
		f1 := 10 + 24*float64(k)/29
		var x, y []float64
		for s := range 20 {
			a := float64(s) / 19
			x = append(x, (f1-22)*0.2*a+0.05*rng.NormFloat64())
			y = append(y, 1-a+0.05*rng.NormFloat64())
		}
		vt = append(vt, ValueTrajectory{X: x, Y: y, Value: f1})
	}
	f, err = ValueTrajectories(vt, "f1 (Hz)", &Points{X: []float64{-2, 0, 2}, Y: []float64{0, 0, 0}})
	add("value_trajectories", f, err, 1, 1)
	var tr LSTMTrace
	for s := range 40 {
		tr.Stimulus = append(tr.Stimulus, rng.Float64()*2-1)
		tr.Memorise = append(tr.Memorise, b2f(s == 3 || s == 23))
		tr.Report = append(tr.Report, b2f(s == 14 || s == 35))
		tr.Target = append(tr.Target, b2f(s == 14)*0.6-b2f(s == 35)*0.4)
		tr.Output = append(tr.Output, b2f(s == 14)*0.58-b2f(s == 35)*0.41)
		tr.InputGate = append(tr.InputGate, 0.1+0.8*b2f(s == 3 || s == 23))
		tr.ForgetGate = append(tr.ForgetGate, 0.95-0.9*b2f(s == 3 || s == 23))
		tr.OutputGate = append(tr.OutputGate, 0.05+0.9*b2f(s == 14 || s == 35))
	}
	f, err = LSTMGates(tr)
	add("lstm_gates", f, err, 4, 1)
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// countColor counts the pixels within tol (per 8-bit channel) of c.
func countColor(img image.Image, c color.RGBA, tol int) int {
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			d := func(a uint32, b uint8) int { return int(a>>8) - int(b) }
			if abs(d(cr, c.R)) <= tol && abs(d(cg, c.G)) <= tol && abs(d(cb, c.B)) <= tol {
				n++
			}
		}
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestNotebookFigures renders the notebooks' figures to PNG and checks the
// panels and the colours a reader must see: blue E and red I traces and
// bars, the RdBu matrix with strong blue (E rows) and strong red (I rows)
// cells, viridis' two ends in the f1-coloured projection and its colour
// bar, Set1's three colours in the LSTM panels. With RNNLAB_GALLERY=dir the
// PNGs are written there to look at.
func TestNotebookFigures(t *testing.T) {
	dir := os.Getenv("RNNLAB_GALLERY")
	want := map[string][]color.RGBA{
		"ei_activity":        {withAlpha(Blue, 1), {R: 255, A: 255}},
		"selectivity":        {{R: 64, G: 64, B: 255, A: 255}, {R: 255, G: 64, B: 64, A: 255}},
		"connectivity":       {{R: 247, G: 247, B: 247, A: 255}},
		"value_trajectories": {viridisStops[0], viridisStops[len(viridisStops)-1]},
		"lstm_gates":         Set1,
	}
	for name, fg := range notebookFigures(t) {
		ps := fg.f.Plots()
		if len(ps) != fg.rows || len(ps[0]) != fg.cols {
			t.Errorf("%s: %d×%d panels, want %d×%d", name, len(ps), len(ps[0]), fg.rows, fg.cols)
		}
		b, err := fg.f.PNG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkPNG(t, name, b)
		if _, err := fg.f.SVG(); err != nil {
			t.Fatalf("%s: SVG: %v", name, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range want[name] {
			if n := countColor(img, c, 40); n < 30 {
				t.Errorf("%s: %d pixels of colour %v, want >= 30", name, n, c)
			}
		}
		if dir != "" {
			if err := os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestConnectivityColours checks the matrix's colour map on a 2×2 matrix
// [[+1, 0], [-0.5, 0]]: the cell of the largest weight is RdBu's strongest
// blue, a zero weight white, -0.5 a mid red, and there is a colour bar
// with both ends.
func TestConnectivityColours(t *testing.T) {
	if c := RdBu(0); c != (color.RGBA{247, 247, 247, 255}) {
		t.Errorf("RdBu(0) = %v, want white", c)
	}
	if c := RdBu(1); c != rdbuStops[10] {
		t.Errorf("RdBu(1) = %v", c)
	}
	if c := RdBu(-1); c != rdbuStops[0] {
		t.Errorf("RdBu(-1) = %v", c)
	}
	f, err := Connectivity([]float32{1, 0, -0.5, 0}, 2, 1, "2 units")
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, _ := png.Decode(bytes.NewReader(b))
	if n := countColor(img, rdbuStops[10], 3); n < 2000 {
		t.Errorf("%d pixels of the strongest blue (a cell and the bar's top), want a whole cell", n)
	}
	if n := countColor(img, RdBu(-0.5), 3); n < 2000 {
		t.Errorf("%d pixels of RdBu(-0.5), want a whole cell", n)
	}
	for _, bad := range [][]float32{{1, 2, 3}, {float32(math.NaN()), 0, 0, 0}} {
		if _, err := Connectivity(bad, 2, 1, ""); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	if _, err := SelectivityHistograms([]float64{1, math.Inf(1)}, 1, 0); err == nil {
		t.Error("infinite d': no error")
	}
	if _, err := LSTMGates(LSTMTrace{Stimulus: []float64{1, 2}}); err == nil {
		t.Error("short LSTM trace: no error")
	}
	if _, err := EIActivity([][]float32{{1, 2, 3}}, 2, 1); err == nil {
		t.Error("ragged rates: no error")
	}
}
