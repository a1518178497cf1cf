package multitask

import (
	"fmt"
	"math"
	"slices"
)

// FTVBins is the number of bins of an FTV histogram over [−1, 1] (the
// paper's 20).
const FTVBins = 20

// FTV returns the fractional task variance of each unit listed in units
// between tasks a and b (columns of V):
//
//	FTV(j) = (V[j][a] − V[j][b]) / (V[j][a] + V[j][b]),
//
// −1 for a unit active only in b, +1 only in a. Units with
// V[j][a] + V[j][b] = 0 are left out.
func FTV(V [][]float64, units []int, a, b int) []float64 {
	var out []float64
	for _, j := range units {
		s := V[j][a] + V[j][b]
		if s > 0 {
			out = append(out, (V[j][a]-V[j][b])/s)
		}
	}
	return out
}

// Histogram counts xs in bins equal bins over [lo, hi] (numpy's
// histogram: the last bin includes hi; values outside are left out).
func Histogram(xs []float64, bins int, lo, hi float64) []int {
	h := make([]int, bins)
	w := (hi - lo) / float64(bins)
	for _, x := range xs {
		if x < lo || x > hi || math.IsNaN(x) {
			continue
		}
		i := min(int((x-lo)/w), bins-1)
		h[i]++
	}
	return h
}

// Pair names two tasks compared by FTV, by short name.
type Pair struct {
	A string `json:"a"`
	B string `json:"b"`
}

// DefaultPairs are the FTV pairs of the paper's figure 3: ctxdm1 vs
// ctxdm2, dm1 vs dm2, ctxdlydm1 vs ctxdlydm2, dms vs dmc, go vs anti.
var DefaultPairs = []Pair{
	{"ctxdm1", "ctxdm2"}, {"dm1", "dm2"}, {"ctxdlydm1", "ctxdlydm2"}, {"dms", "dmc"}, {"go", "anti"},
}

// TaskIndex returns the index of the task with short name s (ShortNames).
func TaskIndex(s string) (int, error) {
	if k := slices.Index(ShortNames(), s); k >= 0 {
		return k, nil
	}
	return 0, fmt.Errorf("multitask: unknown task %q", s)
}
