package plots

import (
	"bytes"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkPNG decodes b and checks that a reasonable share of pixels is not
// white.
func checkPNG(t *testing.T, name string, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: decoding PNG: %v", name, err)
	}
	r := img.Bounds()
	if r.Dx() < 100 || r.Dy() < 100 {
		t.Fatalf("%s: PNG is %dx%d", name, r.Dx(), r.Dy())
	}
	nonWhite := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr < 0xf000 || cg < 0xf000 || cb < 0xf000 {
				nonWhite++
			}
		}
	}
	if frac := float64(nonWhite) / float64(r.Dx()*r.Dy()); frac < 0.005 {
		t.Errorf("%s: only %.4f of the pixels are not white", name, frac)
	}
}

func TestFiguresRender(t *testing.T) {
	for name, f := range galleryFigures(t) {
		b, err := f.PNG()
		if err != nil {
			t.Fatalf("%s: PNG: %v", name, err)
		}
		checkPNG(t, name, b)
		s, err := f.SVG()
		if err != nil {
			t.Fatalf("%s: SVG: %v", name, err)
		}
		if !bytes.HasPrefix(s, []byte("<?xml")) && !bytes.HasPrefix(s, []byte("<svg")) {
			t.Errorf("%s: SVG starts with %q", name, s[:min(len(s), 20)])
		}
		if !bytes.Contains(s, []byte("</svg>")) {
			t.Errorf("%s: SVG is not closed", name)
		}
	}
}

func TestRedAndBlueTrajectories(t *testing.T) {
	f, err := PCTrajectories(synthTrajectories(10), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, _ := png.Decode(bytes.NewReader(b))
	red, blue := 0, 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			switch {
			case cr > 0xe000 && cg < 0x2000 && cb < 0x2000:
				red++
			case cb > 0xe000 && cr < 0x2000 && cg < 0x2000:
				blue++
			}
		}
	}
	if red < 100 || blue < 100 {
		t.Errorf("expected red and blue trajectories, got %d red and %d blue pixels", red, blue)
	}
}

func TestSizeAndDPI(t *testing.T) {
	f, err := Spectrum([]complex128{0.5, 0.2i, -0.2i})
	if err != nil {
		t.Fatal(err)
	}
	f.SetSize(4*72, 3*72).SetDPI(50).SetTitle("small")
	b, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got.X != 200 || got.Y != 150 {
		t.Errorf("size %v, want 200x150", got)
	}
	if f.DPI() != 50 || f.Title() != "small" {
		t.Errorf("DPI %d title %q", f.DPI(), f.Title())
	}
}

func TestWriteFile(t *testing.T) {
	f, err := TrainingCurve(synthHistory(10))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, ext := range []string{"png", "svg", "pdf"} {
		p := filepath.Join(dir, "curve."+ext)
		if err := f.WriteFile(p); err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			t.Fatalf("%s: %v, %d bytes", ext, err, len(b))
		}
	}
	if err := f.WriteFile(filepath.Join(dir, "curve.gif")); err == nil {
		t.Error("no error for .gif")
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestBadInput(t *testing.T) {
	nan := math.NaN()
	good := synthTrajectories(3)
	fps := synthFixedPoints()
	env := func(mod func(*EnvData)) EnvData {
		d := synthEnv()
		mod(&d)
		return d
	}
	cases := map[string]func() (*Figure, error){
		"env empty":         func() (*Figure, error) { return Env(EnvData{}) },
		"env no channels":   func() (*Figure, error) { return Env(EnvData{Obs: [][]float32{{}}, Actions: []int{0}}) },
		"env ragged obs":    func() (*Figure, error) { return Env(env(func(d *EnvData) { d.Obs[3] = d.Obs[3][:1] })) },
		"env nan obs":       func() (*Figure, error) { return Env(env(func(d *EnvData) { d.Obs[3][1] = float32(nan) })) },
		"env actions":       func() (*Figure, error) { return Env(env(func(d *EnvData) { d.Actions = d.Actions[1:] })) },
		"env labels":        func() (*Figure, error) { return Env(env(func(d *EnvData) { d.Labels = d.Labels[1:] })) },
		"env rewards":       func() (*Figure, error) { return Env(env(func(d *EnvData) { d.Rewards = d.Rewards[1:] })) },
		"env perf":          func() (*Figure, error) { return Env(env(func(d *EnvData) { d.Perf = append(d.Perf, 1) })) },
		"env nan reward":    func() (*Figure, error) { return Env(env(func(d *EnvData) { d.Rewards[2] = nan })) },
		"env trial start":   func() (*Figure, error) { return Env(env(func(d *EnvData) { d.TrialStarts = []int{100} })) },
		"env channel group": func() (*Figure, error) { return Env(env(func(d *EnvData) { d.ChannelGroups[0].Indices = []int{7} })) },
		"env empty group":   func() (*Figure, error) { return Env(env(func(d *EnvData) { d.ActionGroups[0].Indices = nil })) },
		"pc none":           func() (*Figure, error) { return PCTrajectories(nil, 5) },
		"pc empty trial":    func() (*Figure, error) { return PCTrajectories([]Trajectory{{}}, 5) },
		"pc mismatch": func() (*Figure, error) {
			return PCTrajectories([]Trajectory{{X: []float64{1, 2}, Y: []float64{1}}}, 5)
		},
		"pc nan": func() (*Figure, error) {
			return PCTrajectories([]Trajectory{{X: []float64{1, nan}, Y: []float64{1, 2}}}, 5)
		},
		"fp none":      func() (*Figure, error) { return FixedPoints(good, Points{}, 10) },
		"fp mismatch":  func() (*Figure, error) { return FixedPoints(good, Points{X: []float64{1}, Y: nil}, 10) },
		"fp no trials": func() (*Figure, error) { return FixedPoints(nil, fps, 10) },
		"la zero dir":  func() (*Figure, error) { return LineAttractor(good, fps, [2]float64{0, 0}, 10) },
		"la nan dir":   func() (*Figure, error) { return LineAttractor(good, fps, [2]float64{nan, 1}, 10) },
		"la no fps":    func() (*Figure, error) { return LineAttractor(good, Points{}, [2]float64{1, 0}, 10) },
		"spec empty":   func() (*Figure, error) { return Spectrum(nil) },
		"spec nan":     func() (*Figure, error) { return Spectrum([]complex128{complex(nan, 0)}) },
		"coh empty":    func() (*Figure, error) { return CoherenceTrajectories(nil) },
		"coh mismatch": func() (*Figure, error) {
			return CoherenceTrajectories([]CondTrajectory{{Coh: 1, X: []float64{1}, Y: []float64{1, 2}}})
		},
		"coh nan coh": func() (*Figure, error) {
			return CoherenceTrajectories([]CondTrajectory{{Coh: nan, X: []float64{1}, Y: []float64{1}}})
		},
		"train empty":    func() (*Figure, error) { return TrainingCurve(TrainingHistory{}) },
		"train mismatch": func() (*Figure, error) { return TrainingCurve(TrainingHistory{Steps: []int{1, 2}, Loss: []float64{1}}) },
		"train acc mismatch": func() (*Figure, error) {
			return TrainingCurve(TrainingHistory{Steps: []int{1}, Loss: []float64{1}, AccSteps: []int{1}})
		},
		"train all nan": func() (*Figure, error) { return TrainingCurve(TrainingHistory{Steps: []int{1}, Loss: []float64{nan}}) },
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic: %v", r)
				}
			}()
			f, err := fn()
			if err == nil {
				t.Fatalf("no error (figure %v)", f != nil)
			}
		})
	}
}

func TestEdgeCasesRender(t *testing.T) {
	// Degenerate but valid inputs must render without error.
	cases := map[string]func() (*Figure, error){
		"env minimal": func() (*Figure, error) {
			return Env(EnvData{Obs: [][]float32{{1, 0}}, Actions: []int{0}})
		},
		"env constant obs no trial end": func() (*Figure, error) {
			return Env(EnvData{Obs: [][]float32{{0}, {0}}, Actions: []int{0, 0}, Rewards: []float64{0, 0}, Perf: []float64{-1, -1}})
		},
		"single point trajectory": func() (*Figure, error) {
			return PCTrajectories([]Trajectory{{X: []float64{1}, Y: []float64{1}, Choice: 3}}, 0)
		},
		"single fixed point line": func() (*Figure, error) {
			return LineAttractor(synthTrajectories(2), Points{X: []float64{0}, Y: []float64{0}}, [2]float64{1, 1}, 0)
		},
		"complex leading": func() (*Figure, error) { return Spectrum([]complex128{0.3, complex(0.1, 0.9), complex(0.1, -0.9)}) },
		"single coherence": func() (*Figure, error) {
			return CoherenceTrajectories([]CondTrajectory{{Coh: 0, X: []float64{0, 1}, Y: []float64{0, 1}}})
		},
		"one loss": func() (*Figure, error) { return TrainingCurve(TrainingHistory{Steps: []int{0}, Loss: []float64{0.7}}) },
		"negative loss": func() (*Figure, error) {
			return TrainingCurve(TrainingHistory{Steps: []int{0, 1}, Loss: []float64{0.7, -0.1}})
		},
	}
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) {
			f, err := fn()
			if err != nil {
				t.Fatal(err)
			}
			b, err := f.PNG()
			if err != nil {
				t.Fatal(err)
			}
			checkPNG(t, name, b)
		})
	}
}

func TestLogTicks(t *testing.T) {
	for _, r := range [][2]float64{{0.01, 10}, {0.3, 0.7}, {0.05, 0.9}, {2, 3}} {
		labelled := 0
		for _, tk := range (logTicks{}).Ticks(r[0], r[1]) {
			if tk.Value < r[0]*(1-1e-9) || tk.Value > r[1]*(1+1e-9) {
				t.Errorf("range %v: tick %g outside", r, tk.Value)
			}
			if tk.Label != "" {
				labelled++
			}
		}
		if labelled < 2 {
			t.Errorf("range %v: %d labelled ticks", r, labelled)
		}
	}
}

func TestDiverging(t *testing.T) {
	if c := Diverging(-1); c.R <= c.B {
		t.Errorf("Diverging(-1) = %v, want red", c)
	}
	if c := Diverging(1); c.B <= c.R {
		t.Errorf("Diverging(1) = %v, want blue", c)
	}
	if c := Diverging(0); c.R != c.B {
		t.Errorf("Diverging(0) = %v, want grey", c)
	}
	if ChoiceColor(0) != Red || ChoiceColor(1) != Blue {
		t.Error("choice colours")
	}
}

func TestEqualAspectRerender(t *testing.T) {
	f, err := Spectrum(synthEigs())
	if err != nil {
		t.Fatal(err)
	}
	p := f.Plots()[0][0]
	if _, err := f.SetSize(8*72, 4*72).PNG(); err != nil {
		t.Fatal(err)
	}
	wide := p.X.Max - p.X.Min
	if _, err := f.SetSize(4*72, 8*72).PNG(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.SetSize(8*72, 4*72).PNG(); err != nil {
		t.Fatal(err)
	}
	if got := p.X.Max - p.X.Min; math.Abs(got-wide) > 1e-9*wide {
		t.Errorf("x span %g after re-rendering, want %g", got, wide)
	}
	if p.Y.Max-p.Y.Min > 3 {
		t.Errorf("y span %g grew across renders", p.Y.Max-p.Y.Min)
	}
}
