package analysis

import "sort"

// ConditionAverage is the mean state trajectory of the trials of one
// signed coherence (TrialResult.SignedCoh: −coh for ground truth 0, +coh
// otherwise; 0% trials of both choices are pooled).
type ConditionAverage struct {
	SignedCoh float64
	// Trials is the number of trials averaged.
	Trials int
	// Mean is row-major [T][S] (S the state size, Activity.S), T the
	// longest trial of the condition; step t averages the Counts[t] trials
	// that last beyond t.
	Mean   []float64
	Counts []int
}

// Steps is the trajectory's length T.
func (c ConditionAverage) Steps() int { return len(c.Counts) }

// ConditionAverages groups the trials by signed coherence and averages their
// states step by step (aligned at trial start). The result is sorted by
// SignedCoh ascending.
func ConditionAverages(a *Activity) []ConditionAverage {
	byCoh := map[float64]*ConditionAverage{}
	for i, tr := range a.Trials {
		sc := tr.SignedCoh()
		if sc == 0 {
			sc = 0 // fold −0 into 0
		}
		c := byCoh[sc]
		if c == nil {
			c = &ConditionAverage{SignedCoh: sc}
			byCoh[sc] = c
		}
		c.Trials++
		steps := len(a.States[i]) / a.S
		for len(c.Counts) < steps {
			c.Counts = append(c.Counts, 0)
			c.Mean = append(c.Mean, make([]float64, a.S)...)
		}
		for t := 0; t < steps; t++ {
			c.Counts[t]++
			for h := 0; h < a.S; h++ {
				c.Mean[t*a.S+h] += float64(a.States[i][t*a.S+h])
			}
		}
	}
	out := make([]ConditionAverage, 0, len(byCoh))
	for _, c := range byCoh {
		for t, n := range c.Counts {
			for h := 0; h < a.S; h++ {
				c.Mean[t*a.S+h] /= float64(n)
			}
		}
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SignedCoh < out[j].SignedCoh })
	return out
}
