package training

import (
	"bytes"
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// TestResumeBitForBit trains N steps in one go, and k steps, a checkpoint
// with Adam's state (models.SaveState), a reload and N-k more steps, and
// checks that both end with the same weights and moments, bit for bit: a
// CTRNN with recurrent and input noise and every training option, a GRU
// with input noise and the MSE loss, and Yang et al. (2019)'s leaky cell
// (softplus, both noises, sigmoid outputs with the masked MSE).
func TestResumeBitForBit(t *testing.T) {
	const N, k = 12, 5
	cases := []struct {
		name  string
		model func(models.Config) models.Config
		cfg   Config
	}{
		{"ctrnn", func(m models.Config) models.Config {
			m.NumHidden, m.Dt, m.SigmaRec, m.SigmaIn, m.Activation = 16, 20, 0.1, 0.05, models.ActSoftplus
			return m
		}, Config{Dt: 20, WeightL1: 1e-3, WeightL2: 1e-2, ClipNorm: 0.5, LRSchedule: LRSchedule{DecayRate: 0.9, DecaySteps: 4}}},
		{"gru", func(m models.Config) models.Config {
			m.Cell, m.NumHidden, m.SigmaIn, m.Loss, m.Sigmoid = models.CellGRU, 8, 0.1, models.LossMSE, true
			return m
		}, Config{WeightL2: 1e-3}},
		{"leaky", func(m models.Config) models.Config {
			m.Cell, m.NumHidden, m.Dt, m.Activation = models.CellLeaky, 16, 20, models.ActSoftplus
			m.SigmaRec, m.SigmaIn, m.Loss, m.Sigmoid = 0.05, 0.01, models.LossMSE, true
			return m
		}, Config{Dt: 20, ClipNorm: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.cfg.Steps, c.cfg.Seed, c.cfg.BatchSize, c.cfg.SeqLen, c.cfg.LogEvery = N, 9, 4, 30, 4
			// The run's config with the model filled in.
			_, cfg, err := NewTaskDataset(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Model = c.model(cfg.Model)
			engine, err := models.NewEngine(models.EngineAuto, cfg.Model)
			if err != nil {
				t.Fatal(err)
			}
			hooks := Hooks{Log: &bytes.Buffer{}, NoProgress: true}
			newTrainer := func(cfg Config, p *models.Params) *Trainer {
				ds, _, err := NewTaskDataset(cfg)
				if err != nil {
					t.Fatal(err)
				}
				tr, err := NewTrainer(cfg, engine, ds, p, hooks)
				if err != nil {
					t.Fatal(err)
				}
				return tr
			}
			straight := newTrainer(cfg, nil)
			if _, err := straight.Run(context.Background()); err != nil {
				t.Fatal(err)
			}

			first := cfg
			first.Steps = k
			tr := newTrainer(first, nil)
			s1, err := tr.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "model.npz")
			if err := models.SaveState(path, tr.Params, tr.Adam, nil); err != nil {
				t.Fatal(err)
			}
			p, st, err := models.LoadState(path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resumed := newTrainer(cfg, p)
			if err := resumed.Resume(st, s1.History); err != nil {
				t.Fatal(err)
			}
			s2, err := resumed.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if s2.Steps != N || s2.ResumedAt != k || len(s2.History) != N/cfg.LogEvery {
				t.Errorf("resumed summary: %d steps, resumed at %d, %d log points", s2.Steps, s2.ResumedAt, len(s2.History))
			}
			same := func(what string, a, b [][]float32) {
				for i := range a {
					for j := range a[i] {
						if math.Float32bits(a[i][j]) != math.Float32bits(b[i][j]) {
							t.Fatalf("%s %s[%d]: %v straight, %v resumed", what, straight.Params.ParamNames()[i], j, a[i][j], b[i][j])
						}
					}
				}
			}
			same("weights", straight.Params.Values, resumed.Params.Values)
			same("adam m", straight.Adam.M, resumed.Adam.M)
			same("adam v", straight.Adam.V, resumed.Adam.V)
			if straight.Adam.Step != resumed.Adam.Step {
				t.Errorf("adam steps %d and %d", straight.Adam.Step, resumed.Adam.Step)
			}
			// Without the state, the same weights from step k do not give the
			// same run: the test is sensitive to what Resume restores.
			p2, _, _ := models.LoadState(path, nil)
			fresh := newTrainer(cfg, p2)
			fresh.Run(context.Background())
			differs := false
			for i := range fresh.Params.Values {
				for j := range fresh.Params.Values[i] {
					differs = differs || fresh.Params.Values[i][j] != straight.Params.Values[i][j]
				}
			}
			if !differs {
				t.Error("a run restarted without Adam's state ends with the same weights")
			}
		})
	}
}
