package lstmviz_test

import (
	"context"
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/lstmviz"
)

// Train the one-unit LSTM of nn-brain's LSTMVisualization until its
// running loss is below 1e-4, then read its gates on the test batch.
func Example() {
	r, err := lstmviz.Train(context.Background(), lstmviz.Config{Seed: lstmviz.DefaultSeed}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("converged %v after %d steps, running loss below 1e-4: %v\n", r.Converged, r.Steps, r.Loss < 1e-4)
	e, err := lstmviz.Evaluate(r.Params, lstmviz.DefaultSeed)
	if err != nil {
		panic(err)
	}
	fmt.Printf("input gate at the memorise steps %.2f, output gate at the report steps %.2f\n", e.AtMemorise.Input, e.AtReport.Output)
	// Output:
	// converged true after 6500 steps, running loss below 1e-4: true
	// input gate at the memorise steps 0.98, output gate at the report steps 0.89
}
