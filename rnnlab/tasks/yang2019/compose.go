package yang2019

import (
	"fmt"
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// SetRuleInput replaces the rule inputs of every step and trial of b by a
// weighted sum of one-hot rule vectors,
//
//	x[t][b][RuleStart + RuleIndex(r)] = w_r for each r in weights, 0 for the other rules
//
// as task.py's generate_trials(rule, ..., replace_rule=[r...],
// rule_strength=[w_r...]) does for the paper's rule-replacement test: the
// trials stay those of the batch's own rule, only the rule input changes
// (e.g. delayanti trials with the input fdanti + delaygo − fdgo). An
// unknown rule, a weight that is not finite, or a batch that is not of
// NumInput channels is an error and leaves b unchanged.
func SetRuleInput(b *tasks.Batch, weights map[string]float64) error {
	if b == nil || b.ObsSize != NumInput || len(b.Inputs) != b.T*b.B*NumInput {
		return fmt.Errorf("yang2019: set rule input: the batch is not [T][B][%d]", NumInput)
	}
	var row [NumRules]float32
	for r, w := range weights {
		i, err := RuleIndex(r)
		if err != nil {
			return err
		}
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("yang2019: set rule input: weight %v of %s is not finite", w, r)
		}
		row[i] = float32(w)
	}
	for i := 0; i < len(b.Inputs); i += NumInput {
		copy(b.Inputs[i+RuleStart:i+NumInput], row[:])
	}
	return nil
}

// Replacement is one of the paper's rule-replacement tests
// (analysis/taskset.compute_replacerule_performance): trials of Rule
// performed with each rule input of Inputs in turn (for SetRuleInput).
type Replacement struct {
	Rule   string
	Inputs []map[string]float64
}

// Replacements returns the paper's three rule-replacement setups:
//
//	1: delayanti with delayanti; fdanti; fdanti + delaygo; fdanti + delaygo − fdgo
//	2: contextdelaydm1 with contextdelaydm1; contextdelaydm2; contextdelaydm2 + contextdm1;
//	   contextdm1; contextdelaydm2 + contextdm1 − contextdm2
//	3: dmsgo with dmsgo; dmcgo; dmcgo + dmsnogo; dmcgo + dmsnogo − dmcnogo
//
// (taskset.py evaluates each on 1000 'random' trials with both noises on.)
func Replacements() []Replacement {
	return []Replacement{
		{"delayanti", []map[string]float64{
			{"delayanti": 1}, {"fdanti": 1}, {"fdanti": 1, "delaygo": 1}, {"fdanti": 1, "delaygo": 1, "fdgo": -1}}},
		{"contextdelaydm1", []map[string]float64{
			{"contextdelaydm1": 1}, {"contextdelaydm2": 1}, {"contextdelaydm2": 1, "contextdm1": 1},
			{"contextdm1": 1}, {"contextdelaydm2": 1, "contextdm1": 1, "contextdm2": -1}}},
		{"dmsgo", []map[string]float64{
			{"dmsgo": 1}, {"dmcgo": 1}, {"dmcgo": 1, "dmsnogo": 1}, {"dmcgo": 1, "dmsnogo": 1, "dmcnogo": -1}}},
	}
}

// TaskSpaceRules returns the rule sets of the paper's task-space
// representations (analysis/taskset.compute_taskspace, setups 1 to 3, from
// the activity in each rule's stim1 epoch):
//
//	{fdgo, fdanti, delaygo, delayanti}
//	{contextdelaydm1, contextdelaydm2, contextdm1, contextdm2}
//	{dmsgo, dmcgo, dmsnogo, dmcnogo}
func TaskSpaceRules() [][]string {
	return [][]string{
		{"fdgo", "fdanti", "delaygo", "delayanti"},
		{"contextdelaydm1", "contextdelaydm2", "contextdm1", "contextdm2"},
		{"dmsgo", "dmcgo", "dmsnogo", "dmcnogo"},
	}
}
