package training_test

import (
	"context"
	"fmt"
	"io"
	"log"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// Train the tutorial network for a few steps on PerceptualDecisionMaking-v0
// (the full tutorial run is Config{} with its default 1500 steps).
func ExampleTrain() {
	cfg := training.Config{Steps: 20, LogEvery: 10, Seed: 0}
	data, cfg, err := training.NewTaskDataset(cfg) // fills cfg.Model from the task
	if err != nil {
		log.Fatal(err)
	}
	engine, err := models.NewGoMLXEngine(nil, cfg.Model) // nil: the shared (go) backend
	if err != nil {
		log.Fatal(err)
	}
	hooks := training.Hooks{
		Log:        io.Discard, // or nil for "Step 10, Loss ..., Acc ..." on stdout
		NoProgress: true,
		OnLog:      func(p training.Point) error { /* plot p.Step, p.Loss */ return nil },
	}
	summary, params, err := training.Train(context.Background(), cfg, engine, data, nil, hooks)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(summary.Steps, "steps,", len(summary.History), "log points, hidden units:", params.NumHidden)
	// Output: 20 steps, 2 log points, hidden units: 64
}
