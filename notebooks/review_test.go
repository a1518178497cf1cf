package notebooks

import (
	"strings"
	"testing"
)

// TestReview checks the checks on a hand-made executed notebook (testdata/review.ipynb) holding a panic,
// an error output, a PNG too small to be a figure, two figures and a few printed lines. It runs even with
// RNNLAB_SKIP_NOTEBOOKS=1: it needs neither Jupyter nor GoNB.
func TestReview(t *testing.T) {
	exp := expectation{
		figures: 3,
		checks: []numberCheck{
			{what: "accuracy", re: `^Step (\d+), Loss [0-9.]+, Acc ([0-9.]+)$`, count: 2, min: 200, max: 200},
			{what: "accuracy too low", re: `^Step \d+, Loss [0-9.]+, Acc ([0-9.]+)$`, min: 0.8, max: 1},
			{what: "wrong count", re: `^Step \d+`, count: 15},
			{what: "fixed points", re: `^Fixed points: (\d+)$`, count: 1, min: 1, max: 100},
			{what: "missing line", re: `^Leading eigenvalue`},
		},
	}
	r, err := review("testdata/review.ipynb", exp)
	if err != nil {
		t.Fatal(err)
	}
	if r.figures != 2 {
		t.Errorf("figures = %d, want 2 (a PNG of 120×100 and an SVG in HTML; the 10×10 PNG does not count)", r.figures)
	}
	want := []string{
		`cell 2 ("%%"): image/png output is only 10×10 pixels`,
		`cell 3 ("%%"): panic on stderr:`,
		`cell 3 ("%%"): error output: ERROR: exit status 2`,
		`2 figures, want at least 3`,
		`accuracy too low: 0.75 (in "Step 200, Loss 0.3000, Acc 0.750") is outside [0.8, 1]`,
		`wrong count: 2 printed lines match "^Step \\d+", want 15`,
		`missing line: no printed line matches "^Leading eigenvalue"`,
	}
	if len(r.problems) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(r.problems), len(want), strings.Join(r.problems, "\n"))
	}
	for i, w := range want {
		if i < len(r.problems) && !strings.HasPrefix(r.problems[i], w) {
			t.Errorf("problem %d = %q, want it to start with %q", i, r.problems[i], w)
		}
	}
}
