package plots

import (
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

// TestWriteGallery writes every figure as PNG and SVG into the directory
// named by RNNLAB_GALLERY, for looking at them.
func TestWriteGallery(t *testing.T) {
	dir := os.Getenv("RNNLAB_GALLERY")
	if dir == "" {
		t.Skip("set RNNLAB_GALLERY=dir to write the gallery")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, f := range galleryFigures(t) {
		for _, ext := range []string{".png", ".svg"} {
			if err := f.WriteFile(filepath.Join(dir, name+ext)); err != nil {
				t.Fatalf("%s%s: %v", name, ext, err)
			}
		}
	}
}
