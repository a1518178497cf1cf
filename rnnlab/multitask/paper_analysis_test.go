package multitask

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// smallPaperNet is an untrained network of the paper's setup with 10
// units and its CPU engine.
func smallPaperNet(t *testing.T) (models.Engine, *models.Params) {
	t.Helper()
	m := Config{Paper: true, Hidden: 10}.Model()
	p, err := models.NewParams(m, seeds.Params(4))
	if err != nil {
		t.Fatal(err)
	}
	// Larger random recurrent weights than the 0.5·I start, so that the
	// units differ across trials and rules.
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range p.Values[1] {
		p.Values[1][i] += float32(0.3 * rng.NormFloat64())
	}
	eng, err := models.NewEngine(models.EngineAuto, m)
	if err != nil {
		t.Fatal(err)
	}
	return eng, p
}

// TestPaperTaskVariance recomputes variance.py's task variance from the
// plain-Go forward pass of every trial of every rule's test batch: from
// the end of fix1 on, the variance across trials at each step (ddof 0),
// averaged over the steps, for one or two rules of each family.
func TestPaperTaskVariance(t *testing.T) {
	eng, p := smallPaperNet(t)
	V, err := TaskVariance(eng, p, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	H := p.NumHidden
	for k, rule := range yang2019.Rules() {
		if !slices.Contains([]string{"fdgo", "reactanti", "dm1", "delaydm2", "dmsgo", "dmcnogo"}, rule) {
			continue // one or two of each family: the plain-Go forward pass is slow
		}
		b, info, err := yang2019.GenerateTest(rule, p.Dt)
		if err != nil {
			t.Fatal(err)
		}
		if info.Epochs[0].Name != "fix1" {
			t.Fatalf("%s: first epoch %q", rule, info.Epochs[0].Name)
		}
		start := info.Epochs[0].End
		rates := make([][]float32, b.B)
		for i := range rates {
			xs := make([]float32, b.T*b.ObsSize)
			for s := range b.T {
				copy(xs[s*b.ObsSize:(s+1)*b.ObsSize], b.Inputs[(s*b.B+i)*b.ObsSize:(s*b.B+i+1)*b.ObsSize])
			}
			rates[i], _ = p.Forward(xs) // the leaky cell's state is its rate
		}
		for j := range H {
			var v float64
			for s := start; s < b.T; s++ {
				var m, m2 float64
				for i := range rates {
					x := float64(rates[i][s*H+j])
					m += x
					m2 += x * x
				}
				m /= float64(b.B)
				v += m2/float64(b.B) - m*m
			}
			v /= float64(b.T - start)
			if math.Abs(V[j][k]-v) > 1e-3*(1+math.Abs(v)) { // float32 states over up to 150 steps
				t.Errorf("%s unit %d: variance %v, recomputed %v", rule, j, V[j][k], v)
			}
		}
	}
	if slices.ContainsFunc(V, func(r []float64) bool { return slices.Max(r) == 0 }) {
		t.Error("a unit has no variance on any rule: the test network is too quiet")
	}
}

// TestRuleReplacement: with the task's own rule the performance is the
// one of the unmodified trials (same generator state); labels; bad inputs
// are errors.
func TestRuleReplacement(t *testing.T) {
	eng, p := smallPaperNet(t)
	const n = 60 // a batch of 50 and one of 10
	for _, rep := range yang2019.Replacements() {
		perf, err := RuleReplacement(eng, p, rep, n, 9)
		if err != nil {
			t.Fatal(err)
		}
		if len(perf) != len(rep.Inputs) {
			t.Fatalf("%s: %d results for %d inputs", rep.Rule, len(perf), len(rep.Inputs))
		}
		rng := rand.New(rand.NewPCG(9, 0))
		c := 0
		for _, bs := range []int{50, 10} {
			b, info, err := yang2019.Generate(rep.Rule, bs, p.Dt, rng)
			if err != nil {
				t.Fatal(err)
			}
			k, err := paperCorrect(eng, p, b, info)
			if err != nil {
				t.Fatal(err)
			}
			c += k
		}
		if want := float64(c) / n; perf[0] != want {
			t.Errorf("%s with its own rule: %v, unmodified trials %v", rep.Rule, perf[0], want)
		}
	}
	if got := RuleLabel(map[string]float64{"fdanti": 1, "delaygo": 1, "fdgo": -1}); got != "delaygo + fdanti − fdgo" {
		t.Errorf("label %q", got)
	}
	if got := RuleLabel(map[string]float64{"fdgo": -1, "dm1": 0.5}); got != "0.5·dm1 − fdgo" {
		t.Errorf("label %q", got)
	}
	for _, bad := range []yang2019.Replacement{{Rule: "nosuch", Inputs: []map[string]float64{{"fdgo": 1}}}, {Rule: "fdgo", Inputs: []map[string]float64{{"nosuch": 1}}}, {Rule: "fdgo", Inputs: []map[string]float64{{"fdgo": math.NaN()}}}} {
		if _, err := RuleReplacement(eng, p, bad, 10, 0); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
