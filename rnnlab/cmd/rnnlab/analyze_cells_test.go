package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// TestAnalyzeGatedRuns runs rnnlab analyze on (untrained) GRU, LSTM and
// UGRNN run folders: the fixed points and Jacobians it writes live in the cell's
// state space (2H for the LSTM). An E-I run asked for the cpu fixed-point
// kernel, which it has not, is a one-line error.
func TestAnalyzeGatedRuns(t *testing.T) {
	for _, cell := range []string{models.CellGRU, models.CellLSTM, models.CellUGRNN, models.CellEI} {
		t.Run(cell, func(t *testing.T) {
			cfg := training.Config{Model: models.Config{Cell: cell, NumInput: 3, NumHidden: 10, NumOutput: 3, Dt: 100, Tau: 100}}.WithDefaults()
			p, err := models.NewParams(cfg.Model, 3)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			run := filepath.Join(dir, "run")
			r := &pipeline.Run{Params: p, Summary: &training.Summary{Config: cfg, Seed: 3}}
			if err := r.Save(run); err != nil {
				t.Fatal(err)
			}
			an := filepath.Join(dir, "analysis")
			if cell == models.CellEI {
				st, _, errs := cli("analyze", "--run", run, "--out", an, "--trials", "5", "--fp-engine", "cpu", "--quiet")
				if st != 1 || !strings.Contains(errs, "no cpu fixed-point kernel") || strings.Count(errs, "\n") != 1 {
					t.Errorf("ei with --fp-engine cpu: status %d, stderr %q", st, errs)
				}
				return
			}
			st, out, errs := cli("analyze", "--run", run, "--out", an, "--trials", "10", "--tolerance", "1e-2", "--quiet")
			if st != 0 || !strings.Contains(out, "Fixed points after") {
				t.Fatalf("analyze: status %d\n%s\n%s", st, out, errs)
			}
			f, err := npz.ReadFile(filepath.Join(an, pipeline.FixedPointsFile))
			if err != nil {
				t.Fatal(err)
			}
			S := p.StateSize()
			for name, want := range map[string][]int{"candidates": {-1, S}, "pca_mean": {S}, "points": {-1, S}, "jacobians": {-1, S, S}} {
				a, ok := f.Arrays[name]
				if !ok {
					t.Fatalf("%s missing", name)
				}
				if len(a.Shape) != len(want) {
					t.Fatalf("%s has shape %v, want %v", name, a.Shape, want)
				}
				for k, d := range want {
					if d >= 0 && a.Shape[k] != d {
						t.Errorf("%s has shape %v, want %v", name, a.Shape, want)
					}
				}
			}
			if _, err := os.Stat(filepath.Join(an, "coherence_trajectories.png")); err != nil {
				t.Error(err)
			}
		})
	}
}
