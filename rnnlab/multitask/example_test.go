package multitask_test

import (
	"context"
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/multitask"
)

// The default run: neurogym's yang19 setup, a 256-unit ReLU CTRNN on 53
// inputs (33 + 20 rule inputs) and 17 outputs.
func ExampleConfig() {
	c := multitask.Config{}.WithDefaults()
	fmt.Println(c.Model().Describe(), c.Model().NumInput, c.Model().NumOutput)
	fmt.Println(c.BatchSize, c.SeqLen, c.LR, c.Targets["dm1"], c.Targets["multidm"])
	// Output:
	// ctrnn, 256 units, relu 53 17
	// 32 100 0.001 0.9 0.85
}

// Train a tiny network for a few steps; a real run uses the defaults and a
// checkpoint path (rnnlab multitask train).
func ExampleTrainer() {
	t, err := multitask.NewTrainer(multitask.Config{Steps: 4, Hidden: 16, BatchSize: 4, SeqLen: 20, EvalEvery: 2, EvalTrials: 10})
	if err != nil {
		panic(err)
	}
	if err := t.Run(context.Background()); err != nil {
		panic(err)
	}
	for _, e := range t.Meta.History {
		fmt.Println(e.Step, len(e.Acc))
	}
	// Output:
	// 0 20
	// 2 20
	// 4 20
}

// K-means with the silhouette score choosing k, on points worked by hand.
func ExampleChooseK() {
	X := [][]float64{{0}, {1}, {10}, {11}, {30}, {31}}
	kc, err := multitask.ChooseK(X, 2, 4, 10, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(kc.Best.K, kc.Best.Inertia)
	// Output:
	// 3 1.5
}
