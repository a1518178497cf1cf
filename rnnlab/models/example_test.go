package models_test

import (
	"fmt"
	"log"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// Compute the loss, gradients and logits of one batch with the GoMLX engine.
func ExampleNewGoMLXEngine() {
	cfg := models.DefaultConfig() // 3 inputs, 64 hidden, 3 outputs, alpha = 1
	params, err := models.NewParams(cfg, 0)
	if err != nil {
		log.Fatal(err)
	}
	engine, err := models.NewGoMLXEngine(nil, cfg) // nil: backend.Shared()
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Finalize()
	const T, B = 5, 2
	batch := &tasks.Batch{T: T, B: B, ObsSize: cfg.NumInput,
		Inputs: make([]float32, T*B*cfg.NumInput), Labels: make([]int32, T*B)}
	for i := range batch.Inputs {
		batch.Inputs[i] = 0.5
	}
	res, err := engine.LossAndGrad(params, batch, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(engine.Name())
	fmt.Println("logits:", len(res.Logits), "gradients:", len(res.Grads[0]), len(res.Grads[1]), len(res.Grads[2]), len(res.Grads[3]), len(res.Grads[4]))
	// Output:
	// gomlx:go
	// logits: 30 gradients: 192 4096 64 192 3
}
