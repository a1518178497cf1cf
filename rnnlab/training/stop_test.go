package training

import (
	"context"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// TestStopHook: a stop rule ends the run after the first log window whose
// point it accepts, complete, with that many steps; the windows before it
// are in the history.
func TestStopHook(t *testing.T) {
	cfg := Config{Steps: 100, BatchSize: 4, SeqLen: 20, Seed: 5, LogEvery: 10}
	ds, cfg, err := NewTaskDataset(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Model.NumHidden = 16
	eng, err := models.NewEngine(models.EngineCPU, cfg.Model)
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	hooks := Hooks{NoProgress: true, Log: &strings.Builder{},
		OnLog: func(pt Point) error { seen = append(seen, pt.Step); return nil },
		Stop:  func(pt Point) bool { return pt.Step >= 30 }}
	tr, err := NewTrainer(cfg, eng, ds, nil, hooks)
	if err != nil {
		t.Fatal(err)
	}
	s, err := tr.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Steps != 30 || s.Status != StatusComplete || s.Canceled || len(s.History) != 3 || len(seen) != 3 {
		t.Errorf("stopped run: %d steps, status %q, canceled %v, %d windows, OnLog at %v; want 30 steps, complete, 3 windows", s.Steps, s.Status, s.Canceled, len(s.History), seen)
	}
}
