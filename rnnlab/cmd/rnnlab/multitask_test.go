package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/multitask"
)

// TestMultitaskCLI trains a tiny network for a few steps, resumes it, then
// analyses it: every file must be written, and bad command lines must exit
// 2 with one line.
func TestMultitaskCLI(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	st, out, errs := cli("multitask", "train", "--out", run, "--steps", "4", "--hidden", "16", "--eval-every", "2", "--eval-trials", "4", "--seed", "2")
	if st != 0 {
		t.Fatalf("train: status %d, stderr %q", st, errs)
	}
	if !strings.Contains(out, "step 4 ") {
		t.Errorf("train printed no evaluation at step 4: %q", out)
	}
	st, _, errs = cli("multitask", "train", "--out", run, "--steps", "6", "--resume", "--quiet")
	if st != 0 {
		t.Fatalf("resume: status %d, stderr %q", st, errs)
	}
	for _, f := range []string{"checkpoint.npz", "train.json", "accuracy.png"} {
		if _, err := os.Stat(filepath.Join(run, f)); err != nil {
			t.Error(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(run, "train.json"))
	if err != nil || !strings.Contains(string(b), `"step": 6`) {
		t.Errorf("train.json has no evaluation at step 6: %v", err)
	}
	st, out, errs = cli("multitask", "analyze", "--run", run, "--var-trials", "6", "--eval-trials", "4", "--k-max", "4", "--n-init", "2", "--repeats", "3")
	if st != 0 {
		t.Fatalf("analyze: status %d, stdout %q, stderr %q", st, out, errs)
	}
	if !strings.Contains(out, "Choice of k in 3 repetitions") || !strings.Contains(out, "ARI mean") || !strings.Contains(out, "cluster  1:") {
		t.Errorf("analyze printed no k distribution, agreement or lesion summary: %q", out)
	}
	for _, f := range []string{"analysis.json", "report.html", "variance.png", "kseeds.png", "ftv.png", "lesions.png", "connectivity.png", "accuracy.png"} {
		if _, err := os.Stat(filepath.Join(run, "analysis", f)); err != nil {
			t.Error(err)
		}
	}
	a, err := multitask.LoadAnalysis(filepath.Join(run, "analysis", multitask.AnalysisFile))
	if err != nil {
		t.Fatal(err)
	}
	if a.Sweep == nil || len(a.Sweep.Chosen) != 3 || len(a.Sweep.Trials) != 3 || len(a.Effects) != a.K || len(a.Connectivity) != a.K {
		t.Errorf("analysis.json lacks the sweep of 3 repetitions, the lesion effects or the connectivity: %+v", a.Sweep)
	}
	for _, args := range [][]string{
		{"multitask"},
		{"multitask", "fly"},
		{"multitask", "train"},
		{"multitask", "train", "--out", run}, // exists, no --resume
		{"multitask", "train", "--out", run, "--resume", "--seed", "3"}, // cannot change
		{"multitask", "train", "--out", dir, "--steps", "-1"},
		{"multitask", "train", "--out", dir, "--target", "2"},
		{"multitask", "analyze", "--var-trials", "1"},
		{"multitask", "analyze", "--run", run, "--k-max", "1"},
		{"multitask", "analyze", "--run", run, "--repeats", "0"},
	} {
		st, _, errs := cli(args...)
		if st != 2 || len(stderrLines(errs)) != 1 {
			t.Errorf("%v: status %d, stderr %q; want 2 and one line", args, st, errs)
		}
	}
}

// TestMultitaskAnalyzeShipped analyses the shipped network (no --run),
// with few trials: the report must be written where --out says.
func TestMultitaskAnalyzeShipped(t *testing.T) {
	out := filepath.Join(t.TempDir(), "an")
	st, stdout, errs := cli("multitask", "analyze", "--out", out, "--var-trials", "6", "--eval-trials", "4", "--k-max", "4", "--n-init", "2", "--repeats", "2")
	if st != 0 {
		t.Fatalf("analyze: status %d, stdout %q, stderr %q", st, stdout, errs)
	}
	if !strings.Contains(stdout, "of 256 units active") {
		t.Errorf("analyze of the shipped network printed %q; want its 256 units", stdout)
	}
	for _, f := range []string{"analysis.json", "report.html", "accuracy.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestMultitaskPaperCLI trains Yang et al. 2019's setup (--paper) for a
// few steps on a tiny network: the checkpoint must record the paper's
// network (dt 20, noise, sigmoid outputs with the MSE), a resume keeps it,
// and --paper cannot be given again when resuming.
func TestMultitaskPaperCLI(t *testing.T) {
	run := filepath.Join(t.TempDir(), "paper")
	st, out, errs := cli("multitask", "train", "--paper", "--out", run, "--steps", "3", "--hidden", "12", "--eval-every", "3", "--eval-trials", "3", "--confirm-trials", "3", "--seed", "1")
	if st != 0 {
		t.Fatalf("train --paper: status %d, stderr %q", st, errs)
	}
	if !strings.Contains(out, "dt 20 ms") || !strings.Contains(out, "the paper's setup") || !strings.Contains(out, "step 3 ") {
		t.Errorf("train --paper printed %q", out)
	}
	if st, _, errs = cli("multitask", "train", "--out", run, "--steps", "4", "--resume", "--quiet"); st != 0 {
		t.Fatalf("resume: status %d, stderr %q", st, errs)
	}
	b, err := os.ReadFile(filepath.Join(run, "train.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"paper": true`, `"dt": 20`, `"sigma_rec": 0.05`, `"sigma_in": 0.01`, `"step": 4`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("train.json has no %s", want)
		}
	}
	if st, _, errs = cli("multitask", "train", "--out", run, "--resume", "--paper"); st != 2 || len(stderrLines(errs)) != 1 {
		t.Errorf("resume with --paper: status %d, stderr %q; want 2 and one line", st, errs)
	}
}
