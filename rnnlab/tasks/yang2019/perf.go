package yang2019

import (
	"fmt"
	"math"
)

// The constants of network.get_perf.
const (
	// FixThreshold is the fixation output above which the network is
	// fixating: y_0 > 0.5.
	FixThreshold = 0.5
	// MaxError is the largest angular error of a correct response,
	// exclusive: Dist(popvec − y_loc) < 0.2π.
	MaxError = 0.2 * math.Pi
)

// PopVec returns the population-vector direction of the ring outputs y
// (output k prefers θ_k = 2πk/len(y)), in [0, 2π), as network.popvec:
//
//	popvec(y) = atan2(Σ_k y_k sin θ_k / Σ_k y_k, Σ_k y_k cos θ_k / Σ_k y_k) mod 2π
//
// It is NaN when Σ_k y_k = 0 (as numpy's 0/0), which Correct counts as a
// wrong direction.
func PopVec(y []float32) float64 {
	var sum, s, c float64
	for k, v := range y {
		th := 2 * math.Pi * float64(k) / float64(len(y))
		sum += float64(v)
		s += float64(v) * math.Sin(th)
		c += float64(v) * math.Cos(th)
	}
	if sum == 0 {
		return math.NaN()
	}
	return wrap(math.Atan2(s/sum, c/sum))
}

// Correct is the paper's verdict (network.get_perf) on one trial from the
// network's outputs y at the trial's last step (33 values, the sigmoid
// already applied: y_0 the fixation output, y_1..y_32 the ring) and the
// trial's response direction yLoc:
//
//	yLoc < 0 (NoResponse, no-go): correct ⇔ y_0 > 0.5
//	otherwise:                    correct ⇔ y_0 ≤ 0.5 and Dist(popvec(y_1..y_32) − yLoc) < 0.2π
func Correct(y []float32, yLoc float64) bool {
	fixating := float64(y[0]) > FixThreshold
	if yLoc < 0 {
		return fixating
	}
	return !fixating && Dist(PopVec(y[1:NumOutput])-yLoc) < MaxError
}

// Performance applies Correct to every trial of a batch: out holds the
// network's outputs [T][B][33] (sigmoid applied; only the last step t = T−1
// is read) and yLoc the B trials' response directions (Info.YLoc). It
// returns each trial's verdict and the fraction correct (the mean that
// train.do_eval logs as perf). A length of out that is not a positive
// multiple of B·33 is an error.
func Performance(out []float32, yLoc []float64) ([]bool, float64, error) {
	B := len(yLoc)
	if B == 0 || len(out) == 0 || len(out)%(B*NumOutput) != 0 {
		return nil, 0, fmt.Errorf("yang2019: performance: %d outputs are not T·%d·%d for any T >= 1", len(out), B, NumOutput)
	}
	last := out[len(out)-B*NumOutput:]
	ok := make([]bool, B)
	n := 0
	for b := range ok {
		ok[b] = Correct(last[b*NumOutput:(b+1)*NumOutput], yLoc[b])
		if ok[b] {
			n++
		}
	}
	return ok, float64(n) / float64(B), nil
}
