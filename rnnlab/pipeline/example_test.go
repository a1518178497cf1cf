package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// The tutorial in three calls: train into a run folder, analyse, report.
// (Not run as a test: the full tutorial takes about 20 s; see the tests.)
func Example() {
	ctx := context.Background()
	run, err := pipeline.Train(ctx, "runs/s0", pipeline.TrainOptions{
		Training: training.Config{Seed: 0}, // zero fields are the tutorial's settings
		Log:      os.Stdout,                // "Step 100, Loss 0.2511, Acc 0.020" ...
	})
	if err != nil {
		panic(err)
	}
	a, err := pipeline.Analyze(run, pipeline.AnalyzeOptions{FixedPoints: analysis.FixedPointOptions{Log: os.Stdout}})
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Points.Summary())
	if a.Line != nil {
		fmt.Printf("slow mode %.3f, line measure %.3f\n", real(a.Line.Eigenvalue), a.Line.LineMeasure)
	}
	figs, err := pipeline.Figures(run, a, 1)
	if err != nil {
		panic(err)
	}
	if err := a.Write("runs/s0/analysis", figs); err != nil {
		panic(err)
	}
	rep, err := pipeline.Report(run, a, figs)
	if err != nil {
		panic(err)
	}
	if err := rep.WriteFile(filepath.Join("runs/s0", pipeline.ReportFile)); err != nil {
		panic(err)
	}
}

// A run folder written by Train (or rnnlab train) loads back with its
// configuration and training summary.
func ExampleLoadRun() {
	run, err := pipeline.LoadRun("runs/s0")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d steps, final accuracy %.3f\n", run.Summary.Steps, run.Summary.FinalAccuracy)
}
