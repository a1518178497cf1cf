package yang2019_test

import (
	"slices"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// TestRuleSampling draws the rules of 28,000 training steps: contextdm1 and
// contextdm2 with probability 5/28 each, the eighteen others 1/28 (χ²);
// consecutive steps independent (the pair "same rule twice" has
// probability Σ p_r² = 68/784); the rule of step k the same on every call
// and from TrainStep and RuleAt; another seed another sequence.
func TestRuleSampling(t *testing.T) {
	const n = 28000
	counts, p := map[int]int{}, map[int]float64{}
	for i, r := range paperRules {
		p[i] = 1.0 / 28
		if r == "contextdm1" || r == "contextdm2" {
			p[i] = 5.0 / 28
		}
	}
	same, diff := 0, 0
	prev := ""
	for k := range n {
		r := yang2019.RuleAt(3, k)
		counts[slices.Index(paperRules, r)]++
		if k > 0 && r == prev {
			same++
		}
		if r != yang2019.RuleAt(4, k) {
			diff++
		}
		prev = r
	}
	checkCounts(t, "rule frequencies", counts, p)
	checkFrac(t, "same rule on consecutive steps", same, n-1, 68.0/784)
	if diff < n/2 {
		t.Errorf("seeds 3 and 4 agree on %d of %d steps", n-diff, n)
	}
	for _, k := range []int{0, 1, 999, 155999} {
		r1, g1 := yang2019.TrainStep(11, k)
		r2, g2 := yang2019.TrainStep(11, k)
		if r1 != r2 || r1 != yang2019.RuleAt(11, k) {
			t.Fatalf("step %d: rules %s, %s, %s", k, r1, r2, yang2019.RuleAt(11, k))
		}
		b1, _, err1 := yang2019.Generate(r1, 4, 20, g1)
		b2, _, err2 := yang2019.Generate(r2, 4, 20, g2)
		if err1 != nil || err2 != nil || !slices.Equal(b1.Inputs, b2.Inputs) {
			t.Fatalf("step %d: the resumed batch differs (%v, %v)", k, err1, err2)
		}
	}
	if yang2019.RuleWeight("contextdm2") != 5 || yang2019.RuleWeight("dm1") != 1 || yang2019.RuleWeight("go") != 0 {
		t.Errorf("rule weights")
	}
}
