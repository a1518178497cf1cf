package plots

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// galleryFigures builds every figure from synthetic data.
func galleryFigures(t *testing.T) map[string]*Figure {
	t.Helper()
	figs := map[string]*Figure{}
	add := func(name string, f *Figure, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		figs[name] = f
	}
	trials := synthTrajectories(40)
	f, err := Env(synthEnv())
	add("env", f, err)
	long := synthEnv()
	for k := 1; k < 5; k++ {
		d := synthEnv()
		off := len(long.Obs)
		long.Obs = append(long.Obs, d.Obs...)
		long.Actions = append(long.Actions, d.Actions...)
		long.Labels = append(long.Labels, d.Labels...)
		long.Rewards = append(long.Rewards, d.Rewards...)
		long.Perf = append(long.Perf, d.Perf...)
		for _, s := range d.TrialStarts {
			long.TrialStarts = append(long.TrialStarts, s+off)
		}
	}
	long.Perf[20] = 0
	long.Rewards = nil
	f, err = Env(long)
	add("env_long", f, err)
	f, err = PCTrajectories(trials, 5)
	add("pc_trajectories", f, err)
	f, err = FixedPoints(trials, synthFixedPoints(), 10)
	add("fixed_points", f, err)
	f, err = LineAttractor(trials, synthFixedPoints(), [2]float64{1, 0.13}, 10)
	add("line_attractor", f, err)
	f, err = Spectrum(synthEigs())
	add("spectrum", f, err)
	f, err = CoherenceTrajectories(synthConds())
	add("coherence", f, err)
	f, err = TrainingCurve(synthHistory(60))
	add("training", f, err)
	f, err = TrainingCurve(synthHistory(3))
	add("training_partial", f, err)
	return figs
}

// TestGallery renders every figure of the gallery (synthetic data) as PNG
// and SVG and checks what a reader would see: a PNG of the figure's size in
// pixels that is not blank (many colours: curves, text, colour maps) and an
// SVG that is well-formed XML of the same size. With RNNLAB_GALLERY=dir it
// also writes them there, to look at.
func TestGallery(t *testing.T) {
	dir := os.Getenv("RNNLAB_GALLERY")
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, f := range galleryFigures(t) {
		pngBytes, err := f.PNG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		img, err := png.Decode(bytes.NewReader(pngBytes))
		if err != nil {
			t.Fatalf("%s: PNG does not decode: %v", name, err)
		}
		w, h := f.Size()
		dpi := float64(f.DPI())
		if dx, dy := img.Bounds().Dx(), img.Bounds().Dy(); math.Abs(float64(dx)-w.Dots(dpi)) > 1 || math.Abs(float64(dy)-h.Dots(dpi)) > 1 {
			t.Errorf("%s: PNG is %d x %d pixels, figure %.0f x %.0f", name, dx, dy, w.Dots(dpi), h.Dots(dpi))
		}
		if n := distinctColours(img, 50); n < 50 {
			t.Errorf("%s: PNG has only %d distinct colours: blank or nearly", name, n)
		}
		svg, err := f.SVG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := wellFormedSVG(svg); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if dir == "" {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), pngBytes, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".svg"), svg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// distinctColours counts the distinct colours of img, stopping at limit.
func distinctColours(img image.Image, limit int) int {
	seen := map[color.RGBA64]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[color.RGBA64{uint16(r), uint16(g), uint16(bl), uint16(a)}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

// wellFormedSVG parses svg as XML and checks that its root is an <svg>.
func wellFormedSVG(svg []byte) error {
	d := xml.NewDecoder(bytes.NewReader(svg))
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		return fmt.Errorf("SVG root element is %q", root)
	}
	return nil
}
