package report_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"github.com/rnnlab/rnnlab/rnnlab/report"
)

func Example() {
	r := report.New("Perceptual decision making, seed 0")
	r.AddSection("Training", "Trained for **2000** steps with Adam.\n\n- batch 16\n- 64 units")
	r.AddValues("Result", report.Pair{Name: "accuracy", Value: 0.97}, report.Pair{Name: "final loss", Value: 0.0213})

	fig, err := plots.TrainingCurve(plots.TrainingHistory{Steps: []int{0, 1000, 2000}, Loss: []float64{1.1, 0.1, 0.02}})
	if err != nil {
		log.Fatal(err)
	}
	if err := r.AddFigure("Training loss", fig); err != nil {
		log.Fatal(err)
	}

	dir, err := os.MkdirTemp("", "report")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := r.WriteFile(filepath.Join(dir, "report.html")); err != nil {
		log.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		log.Fatal(err)
	}
	page := string(html)
	fmt.Printf("title %t, section %t, values %t, figures %d\n",
		strings.Contains(page, "<title>Perceptual decision making, seed 0</title>"),
		strings.Contains(page, "<strong>2000</strong> steps"),
		strings.Contains(page, "0.0213"), strings.Count(page, "<img"))
	// Output: title true, section true, values true, figures 1
}
