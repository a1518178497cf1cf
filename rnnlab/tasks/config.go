package tasks

import (
	"fmt"
	"math"
)

// Ptr returns a pointer to v; handy for optional Config fields.
func Ptr[T any](v T) *T { return &v }

// Rewards holds the rewards of a "fixate, then choose" task. A nil field
// means the task's default (for PerceptualDecisionMaking: Abort -0.1,
// Correct +1, Fail 0).
type Rewards struct {
	// Abort is given for breaking fixation during the fixation period.
	Abort *float64
	// Correct is given for the correct choice in the decision period.
	Correct *float64
	// Fail is given for a wrong choice in the decision period.
	Fail *float64
}

// Resolve returns a copy of r with the given defaults in place of its nil
// fields, and the values named "abort", "correct" and "fail" in that order,
// for Spec.Rewards. Every value must be finite.
func (r Rewards) Resolve(abort, correct, fail float64) (Rewards, []NamedValue, error) {
	var out Rewards
	var named []NamedValue
	for _, f := range []struct {
		name string
		in   *float64
		def  float64
		out  **float64
	}{{"abort", r.Abort, abort, &out.Abort}, {"correct", r.Correct, correct, &out.Correct}, {"fail", r.Fail, fail, &out.Fail}} {
		v := f.def
		if f.in != nil {
			v = *f.in
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Rewards{}, nil, fmt.Errorf("reward %s = %v: must be finite", f.name, v)
		}
		*f.out = Ptr(v)
		named = append(named, NamedValue{f.name, v})
	}
	return out, named, nil
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
