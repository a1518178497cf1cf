package yang2019_test

import (
	"math"
	"slices"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// TestSetRuleInput checks that the rule inputs become the weighted sum of
// one-hot vectors at every step and trial and nothing else changes.
func TestSetRuleInput(t *testing.T) {
	bs, _ := gen(t, "delayanti", 1, 3, 20, 1)
	b := bs[0]
	before := slices.Clone(b.Inputs)
	if err := yang2019.SetRuleInput(b, map[string]float64{"fdanti": 1, "delaygo": 1, "fdgo": -1}); err != nil {
		t.Fatal(err)
	}
	want := map[int]float32{65 + 3: 1, 65 + 2: 1, 65 + 0: -1}
	for i, v := range b.Inputs {
		ch := i % 85
		w := before[i]
		if ch >= 65 {
			w = want[ch]
		}
		if v != w {
			t.Fatalf("entry %d (channel %d) = %v, want %v", i, ch, v, w)
		}
	}
	for _, bad := range []map[string]float64{{"go": 1}, {"fdgo": math.Inf(1)}} {
		c := slices.Clone(b.Inputs)
		if err := yang2019.SetRuleInput(b, bad); err == nil || !slices.Equal(c, b.Inputs) {
			t.Errorf("SetRuleInput(%v): error %v or the batch changed", bad, err)
		}
	}
}

// TestReplacementsAndTaskSpace checks the setups against taskset.py's
// tables (rule, then the strengths over the four replace rules).
func TestReplacementsAndTaskSpace(t *testing.T) {
	type row struct {
		rule    string
		replace []string
		w       [][]float64
	}
	rows := []row{
		{"delayanti", []string{"delayanti", "fdanti", "delaygo", "fdgo"},
			[][]float64{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 1, 1, 0}, {0, 1, 1, -1}}},
		{"contextdelaydm1", []string{"contextdelaydm1", "contextdelaydm2", "contextdm1", "contextdm2"},
			[][]float64{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 1, 1, 0}, {0, 0, 1, 0}, {0, 1, 1, -1}}},
		{"dmsgo", []string{"dmsgo", "dmcgo", "dmsnogo", "dmcnogo"},
			[][]float64{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 1, 1, 0}, {0, 1, 1, -1}}},
	}
	got := yang2019.Replacements()
	if len(got) != len(rows) {
		t.Fatalf("%d setups", len(got))
	}
	for i, r := range rows {
		if got[i].Rule != r.rule || len(got[i].Inputs) != len(r.w) {
			t.Fatalf("setup %d: %+v", i+1, got[i])
		}
		for j, w := range r.w {
			for k, name := range r.replace {
				if got[i].Inputs[j][name] != w[k] {
					t.Errorf("setup %d input %d: %s weight %v, want %v", i+1, j, name, got[i].Inputs[j][name], w[k])
				}
			}
			if n := len(got[i].Inputs[j]); n != countNonzero(w) {
				t.Errorf("setup %d input %d: %d rules named, want %d", i+1, j, n, countNonzero(w))
			}
		}
	}
	ts := yang2019.TaskSpaceRules()
	if len(ts) != 3 || !slices.Equal(ts[0], []string{"fdgo", "fdanti", "delaygo", "delayanti"}) ||
		!slices.Equal(ts[2], []string{"dmsgo", "dmcgo", "dmsnogo", "dmcnogo"}) {
		t.Errorf("task-space rules %v", ts)
	}
}

func countNonzero(w []float64) int {
	n := 0
	for _, v := range w {
		if v != 0 {
			n++
		}
	}
	return n
}
