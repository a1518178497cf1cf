package multitask

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/models"
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

// RuleLabel writes a rule combination (yang2019.SetRuleInput's weights)
// as the paper labels it, the rules of positive weight first, each group
// in the order of yang2019.Rules: "delaygo + fdanti − fdgo".
func RuleLabel(weights map[string]float64) string {
	var b strings.Builder
	for _, sign := range []float64{1, -1} {
		for _, r := range yang2019.Rules() {
			w := weights[r]
			if w*sign <= 0 {
				continue
			}
			switch {
			case b.Len() == 0 && w == 1:
			case b.Len() == 0 && w == -1:
				b.WriteString("−")
			case w == 1:
				b.WriteString(" + ")
			case w == -1:
				b.WriteString(" − ")
			case b.Len() == 0:
				fmt.Fprintf(&b, "%g·", w)
			case w > 0:
				fmt.Fprintf(&b, " + %g·", w)
			default:
				fmt.Fprintf(&b, " − %g·", -w)
			}
			b.WriteString(r)
		}
	}
	return b.String()
}

// ReplacementTrials is the number of trials per rule input in Analyze
// (taskset.py's 1000).
const ReplacementTrials = 1000

// ReplacementBatch is the number of trials that share their timing in
// RuleReplacement (taskset.py runs 20 batches of 50).
const ReplacementBatch = 50

// RuleReplacement measures the paper's performance of p on n fresh trials
// of rep.Rule for each of rep.Inputs (yang2019.Replacements has the
// paper's three setups): the trials are yang2019.Generate's, in batches of
// ReplacementBatch drawn from PCG(seed, 0) (the same trials for every
// input), their rule inputs replaced by the combination
// (yang2019.SetRuleInput), run from rest without noise. It returns one
// performance per input.
func RuleReplacement(eng models.Engine, p *models.Params, rep yang2019.Replacement, n int, seed uint64) ([]float64, error) {
	if !IsPaperNetwork(p) {
		return nil, fmt.Errorf("multitask: rule replacement needs a network of the paper's setup")
	}
	if n < 1 {
		return nil, fmt.Errorf("multitask: rule replacement needs at least 1 trial, got %d", n)
	}
	if _, err := yang2019.RuleIndex(rep.Rule); err != nil {
		return nil, fmt.Errorf("multitask: %w", err)
	}
	perf := make([]float64, len(rep.Inputs))
	for i, in := range rep.Inputs {
		rng := rand.New(rand.NewPCG(seed, 0))
		correct := 0
		for done := 0; done < n; {
			bs := min(ReplacementBatch, n-done)
			b, info, err := yang2019.Generate(rep.Rule, bs, p.Dt, rng)
			if err != nil {
				return nil, fmt.Errorf("multitask: %w", err)
			}
			if err := yang2019.SetRuleInput(b, in); err != nil {
				return nil, fmt.Errorf("multitask: %w", err)
			}
			c, err := paperCorrect(eng, p, b, info)
			if err != nil {
				return nil, fmt.Errorf("multitask: %s: %w", rep.Rule, err)
			}
			correct += c
			done += bs
		}
		perf[i] = float64(correct) / float64(n)
	}
	return perf, nil
}
