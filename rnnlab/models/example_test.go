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

// Every cell is a Config: its parameters are named and shaped by the cell.
func ExampleConfig_ParamNames() {
	for _, cell := range models.Cells {
		cfg := models.Config{Cell: cell, NumInput: 3, NumHidden: 50, NumOutput: 3, Dt: 20, Tau: 100}
		fmt.Printf("%-5s state %3d: %v %v\n", cell, cfg.StateSize(), cfg.ParamNames(), cfg.Shapes())
	}
	// Output:
	// ctrnn state  50: [w_ir w_rr b_rr w_ro b_ro] [[3 50] [50 50] [50] [50 3] [3]]
	// ei    state  50: [w_ir w_rr b_rr w_ro b_ro] [[3 50] [50 50] [50] [40 3] [3]]
	// gru   state  50: [w_ih w_hh b_ih b_hh w_ro b_ro] [[3 150] [50 150] [150] [150] [50 3] [3]]
	// lstm  state 100: [w_ih w_hh b_ih b_hh w_ro b_ro] [[3 200] [50 200] [200] [200] [50 3] [3]]
	// ugrnn state  50: [w_ih w_hh b_ih b_hh w_ro b_ro] [[3 100] [50 100] [100] [100] [50 3] [3]]
	// leaky state  50: [w_ir w_rr b_rr w_ro b_ro] [[3 50] [50 50] [50] [50 3] [3]]
}
