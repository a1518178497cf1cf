package plot3d_test

import (
	"fmt"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/plots/plot3d"
)

// A notebook cell draws the view with gonbui.DisplayHTML(html); a report
// writes scene.WriteFile("fixed_points_3d.html").
func Example() {
	scene := &plot3d.Scene{
		Title: "Fixed points",
		Trajectories: []plot3d.Trajectory{
			{X: []float64{0, 1, 2}, Y: []float64{0, 0.5, 0.4}, Z: []float64{0, 0.1, 0}, Choice: 1},
		},
		FixedPoints: []plot3d.FixedPoint{
			{X: 2, Y: 0.4, Z: 0, Stable: true},
			{X: 0, Y: 0, Z: 0, Modes: [][2][3]float64{{{-0.25, 0, 0}, {0.25, 0, 0}}}},
		},
	}
	html, err := scene.HTML()
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.HasPrefix(html, "<div id=\"rnnlab3d-"), strings.Contains(html, "Plotly.newPlot"), len(html) > 1_000_000)
	// Output: true true true
}
