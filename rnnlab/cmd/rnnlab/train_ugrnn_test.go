package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestTrainAnalyzeUGRNN trains the update-gate RNN on the primer's task
// from the command line (300 steps at learning rate 0.01: at the default
// 1e-3 the gated cells still fixate after 300 steps) and analyses the run:
// its choices on fresh trials are above chance (0.5) and the fixed-point
// search keeps slow points, among them an exact fixed point of residual
// below 1e-5.
func TestTrainAnalyzeUGRNN(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network")
	}
	dir := t.TempDir()
	run, an := filepath.Join(dir, "run"), filepath.Join(dir, "analysis")
	if st, out, errs := cli("train", "--cell", "ugrnn", "--steps", "300", "--lr", "0.01", "--out", run, "--quiet", "--no-progress"); st != 0 {
		t.Fatalf("train: status %d\n%s\n%s", st, out, errs)
	}
	if st, out, errs := cli("analyze", "--run", run, "--out", an, "--trials", "50", "--quiet"); st != 0 {
		t.Fatalf("analyze: status %d\n%s\n%s", st, out, errs)
	}
	data, err := os.ReadFile(filepath.Join(an, "analysis.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		TrialAccuracy    float64 `json:"trial_accuracy"`
		FinalMeanSpeed   float64 `json:"final_mean_speed"`
		ExactPoints      int     `json:"exact_fixed_points"`
		ExactMaxResidual float64 `json:"exact_max_residual"`
		Stages           []struct {
			Name  string `json:"name"`
			Count int    `json:"count"`
		} `json:"stages"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	kept := res.Stages[len(res.Stages)-1].Count
	t.Logf("accuracy %.3f, %d kept points (mean speed %.2g), %d exact (max |r| %.2g)", res.TrialAccuracy, kept, res.FinalMeanSpeed, res.ExactPoints, res.ExactMaxResidual)
	if res.TrialAccuracy <= 0.5 {
		t.Errorf("trial accuracy %v, not above chance", res.TrialAccuracy)
	}
	if kept == 0 || res.FinalMeanSpeed > 1e-4 {
		t.Errorf("%d kept points of mean speed %v", kept, res.FinalMeanSpeed)
	}
	if res.ExactPoints == 0 || res.ExactMaxResidual > 1e-5 {
		t.Errorf("%d exact points, max residual %v", res.ExactPoints, res.ExactMaxResidual)
	}
}
