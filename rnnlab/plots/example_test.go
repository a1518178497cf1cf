package plots_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"

	"github.com/rnnlab/rnnlab/rnnlab/plots"
)

// The spectrum of a Jacobian, as PNG (for a notebook: gonbui.DisplayPng)
// and SVG (for a report).
func ExampleSpectrum() {
	eigs := []complex128{0.85, complex(0.3, 0.4), complex(0.3, -0.4), -0.2}
	fig, err := plots.Spectrum(eigs)
	if err != nil {
		log.Fatal(err)
	}
	pngBytes, err := fig.PNG()
	if err != nil {
		log.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		log.Fatal(err)
	}
	w, h := fig.Size()
	fmt.Printf("%.0f x %.0f points at %d dpi: %d x %d pixels\n", float64(w), float64(h), fig.DPI(), img.Bounds().Dx(), img.Bounds().Dy())
	// Output: 540 x 432 points at 120 dpi: 900 x 720 pixels
}

func ExampleEnv() {
	// Two steps of fixation, two of stimulus, one decision step.
	d := plots.EnvData{
		Name:          "PerceptualDecisionMaking",
		Obs:           [][]float32{{1, 0, 0}, {1, 0.2, 0.6}, {1, 0.1, 0.9}, {1, 0.3, 0.7}, {0, 0, 0}},
		Actions:       []int{0, 0, 0, 0, 2},
		Labels:        []int{0, 0, 0, 0, 2},
		Rewards:       []float64{0, 0, 0, 0, 1},
		Perf:          []float64{-1, -1, -1, -1, 1},
		TrialStarts:   []int{0},
		ChannelGroups: []plots.Group{{Name: "fixation", Indices: []int{0}}, {Name: "stimulus", Indices: []int{1, 2}}},
		ActionGroups:  []plots.Group{{Name: "fixation", Indices: []int{0}}, {Name: "choice", Indices: []int{1, 2}}},
		RewardValues:  []plots.NamedValue{{Name: "abort", Value: -0.1}, {Name: "correct", Value: 1}},
	}
	fig, err := plots.Env(d)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := fig.PNG(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(fig.Plots()), "panels")
	// Output: 4 panels
}

func ExampleTrainingCurve() {
	// A partial history, e.g. while training is running.
	h := plots.TrainingHistory{
		Steps:    []int{0, 100, 200, 300},
		Loss:     []float64{1.1, 0.6, 0.35, 0.2},
		AccSteps: []int{0, 200},
		Accuracy: []float64{0.5, 0.8},
	}
	fig, err := plots.TrainingCurve(h)
	if err != nil {
		log.Fatal(err)
	}
	w, h2 := fig.Size()
	fmt.Printf("%.0f x %.0f points\n", float64(w), float64(h2))
	_, err = plots.TrainingCurve(plots.TrainingHistory{})
	fmt.Println(err)
	// Output:
	// 576 x 439 points
	// plots: training history has no finite loss
}
