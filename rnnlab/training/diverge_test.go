package training

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/finite"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

// tinyRun trains a 16-unit CTRNN on the CPU engine for cfg.Steps steps of
// 4 trials × 20 time steps with learning rate lr.
func tinyRun(t *testing.T, steps int, lr float64) (*Summary, *Trainer, error) {
	t.Helper()
	cfg := Config{Steps: steps, LR: lr, BatchSize: 4, SeqLen: 20, Seed: 5, LogEvery: 10}
	ds, cfg, err := NewTaskDataset(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Model.NumHidden = 16
	eng, err := models.NewEngine(models.EngineCPU, cfg.Model)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(cfg, eng, ds, nil, Hooks{NoProgress: true, Log: &strings.Builder{}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := tr.Run(context.Background())
	return s, tr, err
}

func requireFiniteState(t *testing.T, tr *Trainer) {
	t.Helper()
	for i, v := range tr.Params.Values {
		for _, x := range [][]float32{v, tr.Adam.M[i], tr.Adam.V[i]} {
			if err := finite.Check(tr.Params.ParamNames()[i], nil, x); err != nil {
				t.Fatalf("after the failed run: %v", err)
			}
		}
	}
}

func sameValues(a, b [][]float32) bool {
	for i := range a {
		for j := range a[i] {
			if math.Float32bits(a[i][j]) != math.Float32bits(b[i][j]) {
				return false
			}
		}
	}
	return true
}

// TestDivergedRunFails: with learning rate 1e30 the first update moves every
// weight by about 1e30 and the next forward pass overflows; the run stops at
// that step with a *DivergedError naming it, the summary is failed with NaN
// final means (null in JSON), and the weights and Adam's state are exactly
// those of a run stopped one step earlier.
func TestDivergedRunFails(t *testing.T) {
	s, tr, err := tinyRun(t, 150, 1e30)
	var de *DivergedError
	if !errors.As(err, &de) {
		t.Fatalf("error %v, want a *DivergedError", err)
	}
	t.Logf("%v", err)
	if de.Step < 1 || de.Step > 150 || !strings.HasPrefix(err.Error(), "training diverged at step ") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("error %q", err)
	}
	if s == nil || s.Status != StatusFailed || s.Error != err.Error() || s.Steps != de.Step-1 || tr.Adam.Step != de.Step-1 {
		t.Fatalf("summary %+v, Adam step %d, for divergence at step %d", s, tr.Adam.Step, de.Step)
	}
	if !math.IsNaN(s.FinalLoss) || !math.IsNaN(s.FinalAccuracy) {
		t.Errorf("a failed run's final means are %v, %v; want NaN", s.FinalLoss, s.FinalAccuracy)
	}
	requireFiniteState(t, tr)
	if de.Step > 1 {
		_, ok, err := tinyRun(t, de.Step-1, 1e30)
		if err != nil {
			t.Fatalf("the run up to step %d: %v", de.Step-1, err)
		}
		if !sameValues(tr.Params.Values, ok.Params.Values) || !sameValues(tr.Adam.M, ok.Adam.M) || !sameValues(tr.Adam.V, ok.Adam.V) {
			t.Errorf("the failed run's state differs from the run stopped at step %d", de.Step-1)
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	for _, want := range []string{`"final_loss":null`, `"final_accuracy":null`, `"status":"failed"`, `"error":"training diverged at step `} {
		if !strings.Contains(js, want) {
			t.Errorf("train.json lacks %s: %s", want, js)
		}
	}
	var back Summary
	if err := json.Unmarshal(b, &back); err != nil || !math.IsNaN(back.FinalLoss) || back.Status != StatusFailed || back.Steps != s.Steps {
		t.Errorf("read back: %+v, %v", back, err)
	}
}

// TestDivergedUpdateRolledBack: a learning rate of 1e39 makes the first
// update overflow float32 (|Δθ| ≈ lr > 3.4e38) although the loss and the
// gradients are finite: the step is refused naming the weight, and the
// weights are the initial ones, bit for bit.
func TestDivergedUpdateRolledBack(t *testing.T) {
	s, tr, err := tinyRun(t, 5, 1e39)
	var de *DivergedError
	if !errors.As(err, &de) || de.Step != 1 || !strings.Contains(err.Error(), "after the Adam update (learning rate 1e+39)") {
		t.Fatalf("error %v, want divergence at step 1 in the update", err)
	}
	t.Logf("%v", err)
	init, err := models.NewParams(tr.Params.Config, seeds.Params(tr.Config.Seed))
	if err != nil {
		t.Fatal(err)
	}
	if s.Steps != 0 || tr.Adam.Step != 0 || !sameValues(tr.Params.Values, init.Values) {
		t.Errorf("%d steps, Adam step %d; the weights are the initial ones: %v", s.Steps, tr.Adam.Step, sameValues(tr.Params.Values, init.Values))
	}
	for i := range tr.Adam.M {
		for j := range tr.Adam.M[i] {
			if tr.Adam.M[i][j] != 0 || tr.Adam.V[i][j] != 0 {
				t.Fatalf("Adam's moments of parameter %d are not back to 0", i)
			}
		}
	}
	if b, err := json.Marshal(s); err != nil || !strings.Contains(string(b), `"history":[]`) {
		t.Errorf("summary of a run with no step: %s, %v", b, err)
	}
}

func TestGuardCheck(t *testing.T) {
	p, err := models.NewParams(models.DefaultConfig(), 1)
	if err != nil {
		t.Fatal(err)
	}
	g := NewGuard(p)
	grads := make([][]float32, len(p.Values))
	for i, v := range p.Values {
		grads[i] = make([]float32, len(v))
	}
	if err := g.Check(3, 0.5, grads); err != nil {
		t.Fatal(err)
	}
	if err := g.Check(37, math.NaN(), grads); err == nil || err.Error() != "training diverged at step 37: loss is NaN" {
		t.Errorf("NaN loss: %v", err)
	}
	grads[1][12] = float32(math.Inf(1)) // w_rr (64, 64): row 0, column 12
	if err := g.Check(4, 0.5, grads); err == nil || err.Error() != "training diverged at step 4: gradient of w_rr[0,12] is +Inf" {
		t.Errorf("Inf gradient: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("the default config: %v", err)
	}
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{LR: math.Inf(1)}, "lr must be a finite number > 0, got +Inf"},
		{Config{LR: math.NaN()}, "lr must be a finite number > 0, got NaN"},
		{Config{LR: -1e-3}, "lr must be a finite number > 0, got -0.001"},
		{Config{Steps: -1}, "steps must be >= 0, got -1"},
		{Config{Dt: math.Inf(1)}, "dt must be a finite number > 0"},
		{Config{ClipNorm: math.NaN()}, "clip_norm must be a finite number >= 0"},
	} {
		err := c.cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.cfg, err, c.want)
		}
		if _, err := NewTrainer(c.cfg, nil, nil, nil, Hooks{}); err == nil {
			t.Errorf("NewTrainer accepts %+v", c.cfg)
		}
	}
}

// TestPointJSONNull: a log window without a decision step has no accuracy:
// null in the JSON, NaN when read back, never 0.
func TestPointJSONNull(t *testing.T) {
	b, err := json.Marshal(Point{Step: 100, Loss: 0.25, Acc: math.NaN()})
	if err != nil || string(b) != `{"step":100,"loss":0.25,"acc":null}` {
		t.Fatalf("%s, %v", b, err)
	}
	var p Point
	if err := json.Unmarshal(b, &p); err != nil || p.Step != 100 || p.Loss != 0.25 || !math.IsNaN(p.Acc) {
		t.Errorf("read back %+v, %v", p, err)
	}
}

// TestNonFiniteStartRefused: a library caller's weights or Adam moments
// with a NaN or Inf are refused before any step, naming the value.
func TestNonFiniteStartRefused(t *testing.T) {
	cfg := Config{Steps: 3, BatchSize: 4, SeqLen: 20, Seed: 5}
	ds, cfg, err := NewTaskDataset(cfg)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := models.NewEngine(models.EngineCPU, cfg.Model)
	if err != nil {
		t.Fatal(err)
	}
	p, err := models.NewParams(cfg.Model, 1)
	if err != nil {
		t.Fatal(err)
	}
	p.Values[2][9] = float32(math.NaN()) // b_rr
	if _, err := NewTrainer(cfg, eng, ds, p, Hooks{}); err == nil || !strings.HasSuffix(err.Error(), "b_rr[9] is NaN") {
		t.Errorf("NaN bias: %v", err)
	}
	p.Values[2][9] = 0
	tr, err := NewTrainer(cfg, eng, ds, p, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	st := &optim.State{Step: 2}
	for _, v := range p.Values {
		st.M, st.V = append(st.M, make([]float32, len(v))), append(st.V, make([]float32, len(v)))
	}
	st.M[3][7] = float32(math.Inf(-1)) // w_ro (64, 3): row 2, column 1
	if err := tr.Resume(st, nil); err == nil || !strings.HasSuffix(err.Error(), "adam_m.w_ro[2,1] is -Inf") {
		t.Errorf("infinite moment: %v", err)
	}
}
