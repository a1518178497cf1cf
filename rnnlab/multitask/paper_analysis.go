package multitask

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// batchRates returns each trial's rates [T][H], row-major, from the
// states [T][B][S] of a batch of B trials (models.Params.Rates).
func batchRates(p *models.Params, T, B int, states []float32) [][]float32 {
	H, S := p.NumHidden, p.StateSize()
	out := make([][]float32, B)
	for i := range out {
		r := make([]float32, T*H)
		for t := range T {
			p.Rates(states[(t*B+i)*S:(t*B+i+1)*S], r[t*H:(t+1)*H])
		}
		out[i] = r
	}
	return out
}

// PaperTaskVariance is TaskVariance for a network of the paper's setup, as
// gyyang/multitask's variance.py computes it: for every rule, its fixed
// test batch (yang2019.GenerateTest, no noise), run from rest without
// noise; the fixation epoch fix1 dropped; each unit's variance across the
// trials at every step, averaged over the steps (UnitVariance). It returns
// V[j][k] for unit j and rule k in the order of yang2019.Rules.
func PaperTaskVariance(eng models.Engine, p *models.Params) ([][]float64, error) {
	if !IsPaperNetwork(p) {
		return nil, fmt.Errorf("multitask: a network with %d inputs is not of the paper's setup", p.NumInput)
	}
	rules := yang2019.Rules()
	V := make([][]float64, p.NumHidden)
	for j := range V {
		V[j] = make([]float64, len(rules))
	}
	for k, rule := range rules {
		b, info, err := yang2019.GenerateTest(rule, p.Dt)
		if err != nil {
			return nil, fmt.Errorf("multitask: %w", err)
		}
		states, _, err := eng.Forward(p, b)
		if err != nil {
			return nil, fmt.Errorf("multitask: %s: %w", rule, err)
		}
		start := 0
		if len(info.Epochs) > 0 && info.Epochs[0].Name == "fix1" {
			start = info.Epochs[0].End
		}
		rates := batchRates(p, b.T, b.B, states)
		starts := make([]int, b.B)
		for i := range starts {
			starts[i] = start
		}
		v, err := UnitVariance(rates, starts, p.NumHidden)
		if err != nil {
			return nil, err
		}
		for j := range V {
			V[j][k] = v[j]
		}
	}
	return V, nil
}

// RuleTerm is one rule input of a combination and its strength.
type RuleTerm struct {
	Rule     string
	Strength float64
}

// RuleInput is a weighted combination of rule inputs (task.py's
// replace_rule and rule_strength), in the order the paper writes it.
type RuleInput []RuleTerm

// String writes the combination as the paper labels it:
// "fdanti + delaygo − fdgo".
func (ri RuleInput) String() string {
	var b strings.Builder
	for _, t := range ri {
		s := t.Strength
		if s == 0 {
			continue
		}
		switch {
		case b.Len() == 0 && s == 1:
		case b.Len() == 0 && s == -1:
			b.WriteString("−")
		case s == 1:
			b.WriteString(" + ")
		case s == -1:
			b.WriteString(" − ")
		case b.Len() == 0:
			fmt.Fprintf(&b, "%g·", s)
		default:
			fmt.Fprintf(&b, " %+g·", s)
		}
		b.WriteString(t.Rule)
	}
	return b.String()
}

// terms is a RuleInput of strength-1 rules followed by one of strength −1
// when minus is not empty.
func terms(minus string, plus ...string) RuleInput {
	var ri RuleInput
	for _, r := range plus {
		ri = append(ri, RuleTerm{r, 1})
	}
	if minus != "" {
		ri = append(ri, RuleTerm{minus, -1})
	}
	return ri
}

// Replacement is one of the paper's rule-replacement tests
// (analysis/taskset.py, compute_replacerule_performance): the trials of
// Task, performed with each of Inputs in place of Task's own rule input.
type Replacement struct {
	Task   string
	Inputs []RuleInput
}

// ReplacementSetups returns the paper's three rule-replacement setups
// (Yang et al. 2019, Fig. 7): the task's own rule; single replacements; the
// composition that should stand in for the task's rule, last.
//
//	1: delayanti with delayanti | fdanti | fdanti + delaygo | fdanti + delaygo − fdgo
//	2: contextdelaydm1 with contextdelaydm1 | contextdelaydm2 | contextdelaydm2 + contextdm1 |
//	   contextdm1 | contextdelaydm2 + contextdm1 − contextdm2
//	3: dmsgo with dmsgo | dmcgo | dmcgo + dmsnogo | dmcgo + dmsnogo − dmcnogo
func ReplacementSetups() []Replacement {
	return []Replacement{
		{"delayanti", []RuleInput{terms("", "delayanti"), terms("", "fdanti"), terms("", "fdanti", "delaygo"), terms("fdgo", "fdanti", "delaygo")}},
		{"contextdelaydm1", []RuleInput{terms("", "contextdelaydm1"), terms("", "contextdelaydm2"), terms("", "contextdelaydm2", "contextdm1"),
			terms("", "contextdm1"), terms("contextdm2", "contextdelaydm2", "contextdm1")}},
		{"dmsgo", []RuleInput{terms("", "dmsgo"), terms("", "dmcgo"), terms("", "dmcgo", "dmsnogo"), terms("dmcnogo", "dmcgo", "dmsnogo")}},
	}
}

// ReplacementTrials is the number of trials per rule input in Analyze
// (taskset.py's 1000).
const ReplacementTrials = 1000

// ReplacementBatch is the number of trials that share their timing in
// RuleReplacement (taskset.py runs 20 batches of 50).
const ReplacementBatch = 50

// RuleReplacement measures the paper's performance of p on n fresh trials
// of rep.Task for each of rep.Inputs: the trials are yang2019.Generate's,
// in batches of ReplacementBatch drawn from PCG(seed, i) for input i (the
// same trials for every input: each input's generator starts from the same
// state), their rule inputs replaced by the combination, run from rest
// without noise. It returns one performance per input.
func RuleReplacement(eng models.Engine, p *models.Params, rep Replacement, n int, seed uint64) ([]float64, error) {
	if !IsPaperNetwork(p) {
		return nil, fmt.Errorf("multitask: rule replacement needs a network of the paper's setup")
	}
	if n < 1 {
		return nil, fmt.Errorf("multitask: rule replacement needs at least 1 trial, got %d", n)
	}
	rules := yang2019.Rules()
	if !slices.Contains(rules, rep.Task) {
		return nil, fmt.Errorf("multitask: unknown rule %q", rep.Task)
	}
	perf := make([]float64, len(rep.Inputs))
	for i, in := range rep.Inputs {
		rule := make([]float32, yang2019.NumRules)
		for _, term := range in {
			k := slices.Index(rules, term.Rule)
			if k < 0 || math.IsNaN(term.Strength) || math.IsInf(term.Strength, 0) {
				return nil, fmt.Errorf("multitask: rule input %q: unknown rule or non-finite strength %v", term.Rule, term.Strength)
			}
			rule[k] += float32(term.Strength)
		}
		rng := rand.New(rand.NewPCG(seed, 0))
		correct := 0
		for done := 0; done < n; {
			bs := min(ReplacementBatch, n-done)
			b, info, err := yang2019.Generate(rep.Task, bs, p.Dt, rng)
			if err != nil {
				return nil, fmt.Errorf("multitask: %w", err)
			}
			setRuleInput(b, rule)
			c, err := paperCorrect(eng, p, b, info)
			if err != nil {
				return nil, fmt.Errorf("multitask: %s: %w", rep.Task, err)
			}
			correct += c
			done += bs
		}
		perf[i] = float64(correct) / float64(n)
	}
	return perf, nil
}

// setRuleInput sets the rule inputs of every step and trial of b
// (yang2019.RuleStart on, yang2019.NumRules of them) to rule.
func setRuleInput(b *tasks.Batch, rule []float32) {
	I := b.ObsSize
	for i := 0; i < b.T*b.B; i++ {
		copy(b.Inputs[i*I+yang2019.RuleStart:(i+1)*I], rule)
	}
}
