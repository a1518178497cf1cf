package seeds_test

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

// The streams of the run with seed 3.
func Example() {
	s := uint64(3)
	fmt.Println(seeds.Params(s), seeds.Data(s), seeds.Analysis(s), seeds.Rollout(s))
	// Output: 3 1003 2003 3003
}
