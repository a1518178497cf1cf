package analysis_test

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
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

// The activity of a network on 100 fresh trials of the primer's task: the
// states are the fixed-point candidates and the data of the PCA.
func ExampleCollectActivity() {
	task, err := tasks.New(tasks.PerceptualDecisionMakingName, tasks.WithDt(100), tasks.WithSeed(2000))
	if err != nil {
		panic(err)
	}
	net, err := models.NewParams(models.DefaultConfig(), 0) // or a trained one: pipeline.LoadRun
	if err != nil {
		panic(err)
	}
	act, err := analysis.CollectActivity(net, task, 100)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d trials, %d states of %d units\n", len(act.Trials), act.NumStates(), act.H)
	pca, err := analysis.FitPCA(act.StackDense(), 2)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d principal components of %d units\n", len(pca.ExplainedVarianceRatio), len(pca.Mean))
	// Output:
	// 100 trials, 2200 states of 64 units
	// 2 principal components of 64 units
}
