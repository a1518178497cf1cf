package training

import (
	"context"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// TestFlipFlopGRULearns trains a 16-unit GRU with the masked MSE and an
// identity read-out of 3 outputs on the 3-bit flip-flop's ±1 targets
// (tasks.FlipFlopDataset) and checks, on 64 fresh trials, that the outputs
// hold every channel's sign: RMSE < 0.2 and sign accuracy > 0.99.
func TestFlipFlopGRULearns(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network")
	}
	model := models.Config{Cell: models.CellGRU, NumInput: 3, NumHidden: 16, NumOutput: 3, Loss: models.LossMSE, Dt: 1, Tau: 1}
	p, err := models.NewParams(model, seeds.Params(0))
	if err != nil {
		t.Fatal(err)
	}
	engine, err := models.NewEngine("cpu", model)
	if err != nil {
		t.Fatal(err)
	}
	data, err := tasks.NewFlipFlopDataset(tasks.FlipFlopConfig{}, tasks.DatasetConfig{BatchSize: 32, SeqLen: 64, Seed: seeds.Data(0)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Steps: 1500, LR: 0.01, BatchSize: 32, SeqLen: 64, Seed: 0, LogEvery: 100, Task: tasks.FlipFlopName, Dt: 1, Model: model}
	if _, _, err := Train(context.Background(), cfg, engine, data, p, Hooks{NoProgress: true, Log: testLog{t}}); err != nil {
		t.Fatal(err)
	}
	test, _ := tasks.NewFlipFlopDataset(tasks.FlipFlopConfig{Seed: 99}, tasks.DatasetConfig{BatchSize: 64, SeqLen: 64, Seed: 1234})
	b := test.Next()
	_, out, err := engine.Forward(p, b)
	if err != nil {
		t.Fatal(err)
	}
	rmse, acc, err := tasks.FlipFlopError(b, out)
	t.Logf("held-out flip-flop: RMSE %.4f, sign accuracy %.4f", rmse, acc)
	if err != nil || rmse > 0.2 || acc < 0.99 {
		t.Errorf("GRU did not learn the flip-flop: RMSE %v, sign accuracy %v, %v", rmse, acc, err)
	}
}

// testLog writes the trainer's log lines to the test log.
type testLog struct{ t *testing.T }

func (w testLog) Write(b []byte) (int, error) { w.t.Log(string(b)); return len(b), nil }
