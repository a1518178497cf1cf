package multitask

import (
	"math"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// TestRunTrialsMatchesForward: trials of different lengths run as one
// padded batch must give each trial's states and logits as the plain-Go
// forward pass of that trial alone, and Evaluate's accuracy must be the
// fraction of trials whose argmax at the decision step is the label,
// recomputed trial by trial.
func TestRunTrialsMatchesForward(t *testing.T) {
	p, err := models.NewParams(Config{Hidden: 10}.Model(), 9)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := models.NewEngine(models.EngineCPU, p.Config)
	if err != nil {
		t.Fatal(err)
	}
	sched, err := NewSchedule(p.Dt, false)
	if err != nil {
		t.Fatal(err)
	}
	sched.Seed(11)
	for _, k := range []int{0, 6, 15, 17} {
		trs, err := TaskTrials(sched, k, 5)
		if err != nil {
			t.Fatal(err)
		}
		states, logits, err := RunTrials(eng, p, trs)
		if err != nil {
			t.Fatal(err)
		}
		for i, tr := range trs {
			ws, wl := p.Forward(tr.Obs)
			for x := range ws {
				if math.Abs(float64(ws[x]-states[i][x])) > 1e-4 {
					t.Fatalf("task %d trial %d: state %d is %v batched, %v alone", k, i, x, states[i][x], ws[x])
				}
			}
			for x := range wl {
				if math.Abs(float64(wl[x]-logits[i][x])) > 1e-4 {
					t.Fatalf("task %d trial %d: logit %d is %v batched, %v alone", k, i, x, logits[i][x], wl[x])
				}
			}
			if ob := tr.ObsAt(0); ob[33+k] != 1 {
				t.Errorf("task %d trial %d: rule input %d is %v, want 1", k, i, 33+k, ob[33+k])
			}
		}
	}
	const n, seed = 20, 4
	acc, err := Evaluate(eng, p, n, seed)
	if err != nil {
		t.Fatal(err)
	}
	sched.Seed(seed)
	for k := range ShortNames() {
		trs, err := TaskTrials(sched, k, n)
		if err != nil {
			t.Fatal(err)
		}
		c := 0
		for _, tr := range trs {
			_, out := p.Forward(tr.Obs)
			d := DecisionStep(tr)
			best := 0
			for o := range p.NumOutput {
				if out[d*p.NumOutput+o] > out[d*p.NumOutput+best] {
					best = o
				}
			}
			if best == tr.Labels[d] {
				c++
			}
		}
		if want := float64(c) / n; acc[k] != want {
			t.Errorf("task %s: Evaluate %v, recomputed %v", ShortNames()[k], acc[k], want)
		}
	}
}
