package sweep_test

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/sweep"
)

// A sweep file plans its runs: here 2 tasks x 2 networks, the hidden size
// and the learning rate zipped (they advance together). Run them with
// sweep.Local or sweep.Slurm (or rnnlab sweep run), then Collect.
func Example() {
	s, err := sweep.ParseString(`
out = "sweeps/demo"
steps = 300

zip = [["hidden", "lr"]]

[base]
seed = 7

[axes]
task = ["PerceptualDecisionMaking-v0", "DelayComparison-v0"]
hidden = [32, 64]
lr = [1e-3, 5e-4]
`, "/home/me")
	if err != nil {
		panic(err)
	}
	fmt.Println(len(s.Runs), "runs in", s.Out)
	for _, r := range s.Runs {
		fmt.Println(r.Index, s.Label(r), "seed", r.Params.Seed, "steps", r.Params.Steps)
	}
	// Output:
	// 4 runs in /home/me/sweeps/demo
	// 0 task=PerceptualDecisionMaking-v0 hidden=32 lr=0.001 seed 7 steps 300
	// 1 task=PerceptualDecisionMaking-v0 hidden=64 lr=0.0005 seed 7 steps 300
	// 2 task=DelayComparison-v0 hidden=32 lr=0.001 seed 7 steps 300
	// 3 task=DelayComparison-v0 hidden=64 lr=0.0005 seed 7 steps 300
}
