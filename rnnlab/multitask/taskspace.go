package multitask

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// TaskSpace is the representation of a set of rules in the paper's
// compositionality analysis (analysis/taskset.py, Yang et al. 2019 Fig. 6):
// for each rule, the rates averaged over the trials of its fixed test
// batch (yang2019.GenerateTest, no noise) at the last step of the stim1
// epoch; and their projection on the first two principal components of the
// rules' points.
type TaskSpace struct {
	Rules []string
	// Points[i] is rule i's stimulus-averaged rate vector (length H).
	Points [][]float64
	// XY[i] is Points[i] on PC 1 and PC 2 of the points.
	XY [][2]float64
}

// NewTaskSpace computes the TaskSpace of rules for a network of the
// paper's setup. The paper reduces with MDS; PCA is used here (the two
// agree for four points up to a rotation when the points are nearly
// planar; Parallelogram measures the structure in the full space).
func NewTaskSpace(eng models.Engine, p *models.Params, rules []string) (*TaskSpace, error) {
	if !IsPaperNetwork(p) {
		return nil, fmt.Errorf("multitask: task space needs a network of the paper's setup")
	}
	if len(rules) < 3 {
		return nil, fmt.Errorf("multitask: task space needs at least 3 rules, got %d", len(rules))
	}
	H := p.NumHidden
	ts := &TaskSpace{Rules: slices.Clone(rules)}
	data := mat.NewDense(len(rules), H, nil)
	for i, rule := range rules {
		b, info, err := yang2019.GenerateTest(rule, p.Dt)
		if err != nil {
			return nil, fmt.Errorf("multitask: %w", err)
		}
		end := -1
		for _, e := range info.Epochs {
			if e.Name == "stim1" {
				end = e.End - 1
			}
		}
		if end < 0 {
			return nil, fmt.Errorf("multitask: rule %s has no stim1 epoch", rule)
		}
		states, _, err := eng.Forward(p, b)
		if err != nil {
			return nil, fmt.Errorf("multitask: %s: %w", rule, err)
		}
		rates := batchRates(p, b.T, b.B, states)
		pt := make([]float64, H)
		for _, r := range rates {
			for j, x := range r[end*H : (end+1)*H] {
				pt[j] += float64(x) / float64(b.B)
			}
		}
		ts.Points = append(ts.Points, pt)
		data.SetRow(i, pt)
	}
	pca, err := analysis.FitPCA(data, 2)
	if err != nil {
		return nil, fmt.Errorf("multitask: task space: %w", err)
	}
	for _, pt := range ts.Points {
		xy := pca.TransformRow(pt)
		ts.XY = append(ts.XY, [2]float64{xy[0], xy[1]})
	}
	return ts, nil
}

// Parallelogram measures how compositional a four-rule TaskSpace a, b, c,
// d is (a : b as c : d): the cosine between the two difference vectors
// b − a and d − c in the full rate space, and the length of their
// difference relative to their mean length,
//
//	cos = ⟨b−a, d−c⟩ / (‖b−a‖ ‖d−c‖),  err = ‖(b−a) − (d−c)‖ / ((‖b−a‖ + ‖d−c‖)/2).
//
// A perfect parallelogram has cos 1 and err 0.
func (ts *TaskSpace) Parallelogram() (cos, err float64) {
	if len(ts.Points) != 4 {
		return math.NaN(), math.NaN()
	}
	a, b, c, d := ts.Points[0], ts.Points[1], ts.Points[2], ts.Points[3]
	var dot, n1, n2, e float64
	for j := range a {
		u, v := b[j]-a[j], d[j]-c[j]
		dot += u * v
		n1 += u * u
		n2 += v * v
		e += (u - v) * (u - v)
	}
	n1, n2 = math.Sqrt(n1), math.Sqrt(n2)
	return dot / (n1 * n2), math.Sqrt(e) / ((n1 + n2) / 2)
}

// Composition is the paper's compositionality analysis of a network of
// its setup: the task space of each rule set (TaskSets) with its
// parallelogram measure, and the rule-replacement tests
// (yang2019.Replacements).
type Composition struct {
	Spaces       []SpaceResult       `json:"spaces"`
	Replacements []ReplacementResult `json:"replacements"`
}

// SpaceResult is a TaskSpace with its Parallelogram measure.
type SpaceResult struct {
	Rules []string     `json:"rules"`
	XY    [][2]float64 `json:"xy"`
	Cos   float64      `json:"cos"`
	Err   float64      `json:"err"`
}

// ReplacementResult is the performance of Task with each rule input.
type ReplacementResult struct {
	Task   string    `json:"task"`
	Inputs []string  `json:"inputs"`
	Perf   []float64 `json:"perf"`
}

// Composed reports whether the composition (the last input) performs
// better than every single replacement (an input of one other rule).
func (r ReplacementResult) Composed(setup yang2019.Replacement) bool {
	last := r.Perf[len(r.Perf)-1]
	for i, in := range setup.Inputs[:len(setup.Inputs)-1] {
		if len(in) == 1 && in[setup.Rule] == 0 && r.Perf[i] >= last {
			return false
		}
	}
	return true
}

// Compose runs the compositionality analysis of p with n trials per rule
// input, seeded with seed.
func Compose(eng models.Engine, p *models.Params, n int, seed uint64) (*Composition, error) {
	c := &Composition{}
	for _, rules := range yang2019.TaskSpaceRules() {
		ts, err := NewTaskSpace(eng, p, rules)
		if err != nil {
			return nil, err
		}
		cos, e := ts.Parallelogram()
		c.Spaces = append(c.Spaces, SpaceResult{Rules: ts.Rules, XY: ts.XY, Cos: cos, Err: e})
	}
	for _, rep := range yang2019.Replacements() {
		perf, err := RuleReplacement(eng, p, rep, n, seed)
		if err != nil {
			return nil, err
		}
		r := ReplacementResult{Task: rep.Rule, Perf: perf}
		for _, in := range rep.Inputs {
			r.Inputs = append(r.Inputs, RuleLabel(in))
		}
		c.Replacements = append(c.Replacements, r)
	}
	return c, nil
}

// Lines describes the composition in one line per task set and per
// replacement setup.
func (c *Composition) Lines() []string {
	var out []string
	for _, s := range c.Spaces {
		out = append(out, fmt.Sprintf("task space %s : %s as %s : %s: cosine %.2f, relative error %.2f", s.Rules[0], s.Rules[1], s.Rules[2], s.Rules[3], s.Cos, s.Err))
	}
	for i, r := range c.Replacements {
		parts := make([]string, len(r.Inputs))
		for j, in := range r.Inputs {
			parts[j] = fmt.Sprintf("%s %.2f", in, r.Perf[j])
		}
		verdict := "the composition beats every single replacement"
		if !r.Composed(yang2019.Replacements()[i]) {
			verdict = "the composition does NOT beat every single replacement"
		}
		out = append(out, fmt.Sprintf("%s performed with: %s (%s)", r.Task, strings.Join(parts, " | "), verdict))
	}
	return out
}
