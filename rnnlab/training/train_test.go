package training

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

func TestAccuracy(t *testing.T) {
	// 4 steps x 1 trial, 3 outputs. Labels: fixate, choose 1, choose 2, choose 1.
	labels := []int32{0, 1, 2, 1}
	logits := []float32{
		0, 5, 0, // fixation step: ignored even though argmax is 1
		0, 2, 1, // argmax 1 == 1: hit
		3, 0, 2, // argmax 0 != 2: miss
		0, 1, 1, // tie between 1 and 2: numpy picks 1: hit
	}
	if got := Accuracy(logits, labels, 3); math.Abs(got-2.0/3) > 1e-12 {
		t.Errorf("Accuracy = %v, want 2/3", got)
	}
	if got := Accuracy(logits[:3], labels[:1], 3); !math.IsNaN(got) {
		t.Errorf("no decision step: Accuracy = %v, want NaN", got)
	}
}

func newEngine(t testing.TB, cfg models.Config) *models.GoMLXEngine {
	t.Helper()
	e, err := models.NewGoMLXEngine(nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Finalize)
	return e
}

// run trains with the task dataset of cfg and records every step's loss.
func run(t testing.TB, cfg Config, log *bytes.Buffer) (*Summary, []float64) {
	t.Helper()
	ds, cfg, err := NewTaskDataset(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var losses []float64
	hooks := Hooks{Log: log, NoProgress: true, OnStep: func(s StepInfo) error { losses = append(losses, s.Loss); return nil }}
	s, _, err := Train(context.Background(), cfg, newEngine(t, cfg.Model), ds, nil, hooks)
	if err != nil {
		t.Fatal(err)
	}
	return s, losses
}

var logLine = regexp.MustCompile(`^Step \d+, Loss \d+\.\d{4}, Acc (\d\.\d{3}|NaN)$`)

func TestShortRunLearns(t *testing.T) {
	var log bytes.Buffer
	s, losses := run(t, Config{Steps: 200, LogEvery: 50, Seed: 3}, &log)
	if len(losses) != 200 || s.Steps != 200 || len(s.History) != 4 {
		t.Fatalf("%d losses, %d steps, %d log points", len(losses), s.Steps, len(s.History))
	}
	first, last := s.History[0].Loss, s.History[3].Loss
	t.Logf("loss %.4f -> %.4f, acc %.3f -> %.3f, %.1f ms/step", first, last, s.History[0].Acc, s.History[3].Acc, s.MedianStepMs)
	if !(last < 0.6*first) {
		t.Errorf("loss did not decrease clearly: %v", s.History)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "Step 50, Loss ") {
		t.Errorf("log:\n%s", log.String())
	}
	for _, l := range lines {
		if !logLine.MatchString(l) {
			t.Errorf("log line %q is not in the seed's format", l)
		}
	}
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"history":[{"step":50,"loss":`, `"final_accuracy":`, `"median_step_ms":`, `"engine":"gomlx:`, `"backend":"go"`, `"seed":3`, `"steps":200`} {
		if !strings.Contains(string(js), key) {
			t.Errorf("train.json lacks %s: %s", key, js)
		}
	}
}

func TestSameSeedSameRun(t *testing.T) {
	_, a := run(t, Config{Steps: 25, Seed: 7}, &bytes.Buffer{})
	_, b := run(t, Config{Steps: 25, Seed: 7}, &bytes.Buffer{})
	_, c := run(t, Config{Steps: 25, Seed: 8}, &bytes.Buffer{})
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("step %d: losses %v and %v differ with the same seed", i+1, a[i], b[i])
		}
	}
	if a[0] == c[0] {
		t.Errorf("seeds 7 and 8 give the same first loss %v", a[0])
	}
}

func TestCancelAndResume(t *testing.T) {
	ds, cfg, err := NewTaskDataset(Config{Steps: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr, err := NewTrainer(cfg, newEngine(t, cfg.Model), ds, nil, Hooks{Log: &bytes.Buffer{}, NoProgress: true,
		OnStep: func(s StepInfo) error {
			if s.Step == 4 {
				cancel()
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := tr.Run(ctx)
	if !errors.Is(err, context.Canceled) || !s.Canceled || s.Steps != 4 {
		t.Fatalf("cancelled run: steps %d, canceled %v, err %v", s.Steps, s.Canceled, err)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Errorf("summary of a cancelled run does not marshal: %v", err)
	}
	stop := errors.New("stop")
	tr.Hooks.OnStep = func(s StepInfo) error {
		if s.Step == 7 {
			return stop
		}
		return nil
	}
	if s, err = tr.Run(context.Background()); !errors.Is(err, stop) || s.Steps != 7 {
		t.Fatalf("hook stop: steps %d, err %v", s.Steps, err)
	}
	tr.Hooks.OnStep = nil
	if s, err = tr.Run(context.Background()); err != nil || s.Steps != 10 {
		t.Fatalf("resumed run: steps %d, err %v", s.Steps, err)
	}
}

func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	p := NewLineProgress(&buf, 0, false)
	p.Update(ProgressState{Step: 5, Steps: 10, Loss: 0.5, Acc: 0.25, MsPerStep: 30})
	p.Clear()
	p.Done(ProgressState{Step: 10, Steps: 10, Loss: 0.1, Acc: 0.9})
	out := buf.String()
	if !strings.Contains(out, "\r[############............]  5/10  loss 0.5000  acc 0.250  30.0 ms/step") || !strings.HasSuffix(out, "\n") {
		t.Errorf("progress output %q", out)
	}
}

// TestTutorialAccuracy runs the seed's full 1500-step training on the CPU
// engine (about 10 s; the GoMLX engine gives the same numbers, see
// models.TestCPUEngineMatchesGoMLX) and checks the final decision accuracy
// (the seed reaches about 0.89).
func TestTutorialAccuracy(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips the 1500-step training")
	}
	cfg := Config{Seed: 0}
	ds, cfg, err := NewTaskDataset(cfg)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := models.NewCPUEngine(cfg.Model)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	s, _, err := Train(context.Background(), cfg, eng, ds, nil, Hooks{Log: &log, NoProgress: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", log.String())
	t.Logf("final loss %.4f, final accuracy %.3f, %.1f ms/step, %.1f s", s.FinalLoss, s.FinalAccuracy, s.MedianStepMs, s.WallSeconds)
	if s.Steps != 1500 || len(s.History) != 15 {
		t.Fatalf("%d steps, %d log points", s.Steps, len(s.History))
	}
	if s.FinalAccuracy < 0.85 {
		t.Errorf("final accuracy %.3f < 0.85", s.FinalAccuracy)
	}
}

var _ Dataset = (*tasks.Dataset)(nil)
