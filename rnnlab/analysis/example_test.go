package analysis_test

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"gonum.org/v1/gonum/mat"
)

// Principal components of four 2-D points: (±3, 0) and (0, ±1) rotated so
// that the long axis is (0.8, 0.6), then shifted by (1, 2).
func ExampleFitPCA() {
	data := mat.NewDense(4, 2, []float64{
		3.4, 3.8,
		-1.4, 0.2,
		0.4, 2.8,
		1.6, 1.2,
	})
	p, err := analysis.FitPCA(data, 2)
	if err != nil {
		panic(err)
	}
	fmt.Printf("mean %.2f\n", p.Mean)
	fmt.Printf("PC1 %.2f  PC2 %.2f\n", p.Component(0), p.Component(1))
	fmt.Printf("explained variance ratio %.2f\n", p.ExplainedVarianceRatio)
	pc, _ := p.Transform(data)
	fmt.Printf("first sample in PC space %.2f\n", mat.Row(nil, 0, pc))
	// Output:
	// mean [1.00 2.00]
	// PC1 [0.80 0.60]  PC2 [-0.60 0.80]
	// explained variance ratio [0.90 0.10]
	// first sample in PC space [3.00 0.00]
}

// The primer's analysis of a network in a few calls (not run here: the
// full search on 2200 candidates takes minutes; see Analyze).
func ExampleAnalyze() {
	task, _ := tasks.New("PerceptualDecisionMaking-v0", tasks.WithDt(100), tasks.WithSeed(0))
	net, _ := models.NewParams(models.DefaultConfig(), 0) // load a trained one instead
	act, _ := analysis.Run(net, task, 100)                // 100 trials x 22 steps
	ev, err := analysis.NewEvaluator(net)                 // the network's one-step map
	if err != nil {
		panic(err)
	}
	res, err := analysis.Analyze(ev, act, analysis.TutorialInput, fixedpoints.TutorialPipeline())
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Points.Summary())
	if res.Line != nil {
		fmt.Printf("eigenvalue %.3f, line measure %.3f\n", res.Line.Eigenvalue, res.Line.LineMeasure)
	}
}
