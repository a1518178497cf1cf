package analysis

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// The primer's analysis in a few calls, on an untrained seeded network and a
// shortened search (the full one takes minutes): trials -> candidates ->
// tutorial pipeline -> PCA -> line attractor.
func TestTutorialPipelineEndToEnd(t *testing.T) {
	task, err := tasks.New("PerceptualDecisionMaking-v0", tasks.WithDt(100), tasks.WithSeed(1))
	if err != nil {
		t.Fatal(err)
	}
	p, err := models.NewParams(models.DefaultConfig(), 4)
	if err != nil {
		t.Fatal(err)
	}
	act, err := Run(p, task, 40)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := NewEvaluator(p)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	pl := fixedpoints.TutorialPipeline()
	pl.Options.MaxIters = 400
	pl.Options.Adam.LR = fixedpoints.Exponential(0.05, 1, 0.9999)
	pl.Options.Log = &log
	pl.Newton = &fixedpoints.NewtonOptions{MaxIters: 10, Tol: 1e-6, MaxHalvings: 20}
	res, err := Analyze(ev, act, TutorialInput, pl)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Optimizing with Adam(", "Kept ", "unique fixed points", "Excluding outliers:", "Newton refinement"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
	t.Logf("%s", res.Points.Summary())
	if res.Points.Len() < 2 {
		if res.Line != nil {
			t.Errorf("line attractor from %d points", res.Points.Len())
		}
		t.Skipf("untrained network kept %d fixed points; nothing to fit a line to", res.Points.Len())
	}
	la := res.Line
	if la == nil || la.Index < 0 || la.Index >= res.Points.Len() || len(la.Direction) != 64 {
		t.Fatalf("bad line attractor %+v", la)
	}
	t.Logf("leading eigenvalue %.3f, line measure %.3f, PC1 cosine %.3f", la.Eigenvalue, la.LineMeasure, la.PC1Cosine)
}
