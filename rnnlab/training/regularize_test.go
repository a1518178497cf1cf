package training

import (
	"bytes"
	"context"
	"math"
	"slices"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// TestWeightPenaltyGradient checks WeightPenalty's value against its formula
// and its gradient against central finite differences, for a CTRNN and a GRU.
func TestWeightPenaltyGradient(t *testing.T) {
	for _, cfg := range []models.Config{
		{NumInput: 3, NumHidden: 5, NumOutput: 2, Dt: 20, Tau: 100},
		{Cell: models.CellGRU, NumInput: 2, NumHidden: 3, NumOutput: 2, Dt: 20, Tau: 100},
	} {
		p, err := models.NewParams(cfg, 4)
		if err != nil {
			t.Fatal(err)
		}
		const l1, l2 = 0.3, 0.7
		// The formula, written out.
		want := 0.0
		for i, name := range p.ParamNames() {
			if name[:2] != "w_" {
				continue
			}
			s1, s2 := 0.0, 0.0
			for _, x := range p.Values[i] {
				s1 += math.Abs(float64(x))
				s2 += float64(x) * float64(x)
			}
			want += (l1*s1 + l2*s2) / float64(len(p.Values[i]))
		}
		grads := make([][]float32, len(p.Values))
		for i, v := range p.Values {
			grads[i] = make([]float32, len(v))
			for j := range grads[i] {
				grads[i][j] = 1 // the penalty's gradient is added to what is there
			}
		}
		got := WeightPenalty(p, l1, l2, grads)
		if math.Abs(got-want) > 1e-12*want {
			t.Errorf("%s: penalty %v, want %v", cfg.CellName(), got, want)
		}
		const h = 1e-3
		checked := 0
		for i, name := range p.ParamNames() {
			for j := range p.Values[i] {
				x := p.Values[i][j]
				if math.Abs(float64(x)) < 2*h { // keep |x| differentiable over the step
					continue
				}
				xp, xm := x+h, x-h
				p.Values[i][j] = xp
				fp := WeightPenalty(p, l1, l2, nil)
				p.Values[i][j] = xm
				fm := WeightPenalty(p, l1, l2, nil)
				p.Values[i][j] = x
				fd := (fp - fm) / float64(xp-xm)
				g := float64(grads[i][j]) - 1
				if !IsWeightMatrix(name) && g != 0 {
					t.Errorf("%s %s[%d]: bias gradient %v, want 0", cfg.CellName(), name, j, g)
				}
				if math.Abs(g-fd) > 1e-4*math.Max(1e-3, math.Abs(fd)) {
					t.Errorf("%s %s[%d]: gradient %v, finite difference %v", cfg.CellName(), name, j, g, fd)
				}
				checked++
			}
		}
		if checked < 20 {
			t.Errorf("%s: only %d entries checked", cfg.CellName(), checked)
		}
	}
	if WeightPenalty(&models.Params{}, 0, 0, nil) != 0 {
		t.Error("no penalty should be 0")
	}
}

func TestClipGradNorm(t *testing.T) {
	grads := [][]float32{{3, 0}, {0, -4}} // norm 5
	if n := ClipGradNorm(grads, 10); n != 5 || !slices.Equal(grads[0], []float32{3, 0}) || !slices.Equal(grads[1], []float32{0, -4}) {
		t.Errorf("norm 5 under max 10: got norm %v, grads %v", n, grads)
	}
	if n := ClipGradNorm(grads, 1); n != 5 {
		t.Errorf("norm before clipping %v, want 5", n)
	}
	c := float32(1 / (5 + 1e-6))
	if want := [][]float32{{3 * c, 0}, {0, -4 * c}}; !slices.Equal(grads[0], want[0]) || !slices.Equal(grads[1], want[1]) {
		t.Errorf("clipped grads %v, want %v", grads, want)
	}
	if n := GradNorm(grads); math.Abs(n-1) > 1e-6 {
		t.Errorf("norm after clipping %v, want 1", n)
	}
}

func TestClipGradValue(t *testing.T) {
	nan := float32(math.NaN())
	grads := [][]float32{{0.5, -3, 1}, {2, -1, nan}}
	if n := ClipGradValue(grads, 1); n != 2 {
		t.Errorf("changed %d values, want 2", n)
	}
	if !slices.Equal(grads[0], []float32{0.5, -1, 1}) || grads[1][0] != 1 || grads[1][1] != -1 || !math.IsNaN(float64(grads[1][2])) {
		t.Errorf("clipped grads %v, want [[0.5 -1 1] [1 -1 NaN]]", grads)
	}
	if n := ClipGradValue(grads, 0); n != 0 {
		t.Errorf("c = 0 changed %d values", n)
	}
}

func TestLRSchedule(t *testing.T) {
	c := Config{LR: 0.01}
	if r := c.Optimizer().LR.Rate(500); r != 0.01 {
		t.Errorf("constant schedule: rate %v", r)
	}
	c.LRSchedule = LRSchedule{DecayRate: 0.5, DecaySteps: 100}
	if r := c.Optimizer().LR.Rate(200); math.Abs(r-0.0025) > 1e-15 {
		t.Errorf("decay 0.5 per 100 steps: rate at 200 = %v, want 0.0025", r)
	}
	c.LRSchedule = LRSchedule{DecayRate: 0.9}
	if r := c.Optimizer().LR.Rate(2); math.Abs(r-0.0081) > 1e-15 {
		t.Errorf("decay 0.9 per step: rate at 2 = %v, want 0.0081", r)
	}
	for _, s := range []LRSchedule{{DecayRate: 1.5}, {DecayRate: -1}, {DecayRate: 0.9, DecaySteps: -1}, {DecaySteps: 10}, {DecayRate: math.NaN()}} {
		if s.Validate() == nil {
			t.Errorf("%+v: no error", s)
		}
	}
}

// TestPenaltyInLoss checks that the first step's loss of a run with weight
// penalties is the plain loss plus WeightPenalty of the initial weights.
func TestPenaltyInLoss(t *testing.T) {
	first := func(cfg Config) float64 {
		_, losses := run(t, cfg, &bytes.Buffer{})
		return losses[0]
	}
	base := Config{Steps: 1, Seed: 5, BatchSize: 4, SeqLen: 20}
	pen := base
	pen.WeightL1, pen.WeightL2 = 0.01, 0.1
	_, cfg, err := NewTaskDataset(base)
	if err != nil {
		t.Fatal(err)
	}
	p0, err := models.NewParams(cfg.Model, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := WeightPenalty(p0, 0.01, 0.1, nil)
	if got := first(pen) - first(base); math.Abs(got-want) > 1e-9 {
		t.Errorf("loss with penalty - loss without = %v, want the penalty %v", got, want)
	}
}

// TestMSETraining trains a small CTRNN with Yang's masked MSE loss and
// sigmoid outputs, and checks that the loss falls and the decisions are
// learnt. The decision period is 500 ms: neurogym's 100 ms would lie wholly
// in the cost mask's 100 ms grace period.
func TestMSETraining(t *testing.T) {
	task := tasks.PerceptualDecisionMakingConfig{Timing: tasks.PDMTiming{Stimulus: tasks.Constant(500), Decision: tasks.Constant(500)}}
	ds, cfg, err := NewTaskDataset(Config{Steps: 300, LogEvery: 100, Seed: 2, LR: 3e-3, SeqLen: 50, TaskConfig: task})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Model.Loss, cfg.Model.Sigmoid, cfg.Model.NumHidden = models.LossMSE, true, 32
	e, err := models.NewEngine(models.EngineAuto, cfg.Model)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := Train(context.Background(), cfg, e, ds, nil, Hooks{Log: &bytes.Buffer{}, NoProgress: true})
	if err != nil {
		t.Fatal(err)
	}
	first, last := s.History[0], s.History[len(s.History)-1]
	t.Logf("mse loss %.4f -> %.4f, acc %.3f -> %.3f", first.Loss, last.Loss, first.Acc, last.Acc)
	if !(last.Loss < 0.7*first.Loss) || !(last.Acc > 0.6) {
		t.Errorf("mse training did not learn: %v", s.History)
	}
}
