package yang2019_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

func Example() {
	// Training step 0 of a run with seed 1: the rule, then its batch of 64
	// trials at dt = 20 ms, from the step's own generator.
	rule, rng := yang2019.TrainStep(1, 0)
	b, info, err := yang2019.Generate(rule, yang2019.BatchSize, yang2019.Dt, rng)
	if err != nil {
		panic(err)
	}
	fmt.Println("rule:", rule)
	fmt.Printf("inputs [%d][%d][%d], targets and mask [%d][%d][%d]\n", b.T, b.B, b.ObsSize, b.T, b.B, len(b.Mask)/(b.T*b.B))
	var epochs []string
	for _, e := range info.Epochs {
		epochs = append(epochs, fmt.Sprintf("%s [%d, %d)", e.Name, e.Start, e.End))
	}
	fmt.Println(strings.Join(epochs, " "))
	fmt.Println("response on", info.ResponseOn, "check on", info.CheckOn)

	// The fixed test batch of dmsnogo: 80 go trials.
	tb, tinfo, _ := yang2019.GenerateTest("dmsnogo", 20)
	fmt.Println("dmsnogo test trials:", tb.B, "steps:", tb.T, "first response direction:", tinfo.Trials[0].YLoc)

	// The paper's verdict on ideal outputs (the targets): all correct.
	_, perf, _ := yang2019.Performance(b.Targets, info.YLoc())
	fmt.Println("performance of the targets:", perf)

	// Another generator gives other trials of the same distributions.
	_, other, _ := yang2019.Generate("dmcgo", 4, 20, rand.New(rand.NewPCG(5, 6)))
	fmt.Println("dmcgo epochs:", len(other.Epochs))
	// Output:
	// rule: reactanti
	// inputs [125][64][85], targets and mask [125][64][33]
	// fix1 [0, 100) go1 [100, 125)
	// response on 100 check on 105
	// dmsnogo test trials: 80 steps: 135 first response direction: 3.141592653589793
	// performance of the targets: 1
	// dmcgo epochs: 4
}
