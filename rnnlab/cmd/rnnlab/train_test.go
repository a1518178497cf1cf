package main

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/npz"
)

// TestTrainBadFlags checks that bad network and trainer flags are one-line
// usage errors (status 2) that leave no file behind.
func TestTrainBadFlags(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r")
	run := filepath.Join(dir, "run")
	cases := []struct {
		args []string
		msg  string
	}{
		{[]string{"--cell", "rnn"}, `--cell: unknown cell "rnn" (want ctrnn, ei, gru, lstm, ugrnn or leaky)`},
		{[]string{"--activation", "gelu"}, "--activation must be relu, softplus, tanh or identity"},
		{[]string{"--loss", "l1"}, "--loss must be ce or mse"},
		{[]string{"--sigma-rec", "-0.1"}, "--sigma-rec must be a finite number >= 0"},
		{[]string{"--sigma-in", "NaN"}, "--sigma-in must be a finite number >= 0"},
		{[]string{"--rate-l1", "-1"}, "--rate-l1 must be"},
		{[]string{"--rate-l2", "+Inf"}, "--rate-l2 must be"},
		{[]string{"--weight-l1", "-1"}, "--weight-l1 must be"},
		{[]string{"--weight-l2", "x"}, "invalid value"},
		{[]string{"--clip-norm", "-2"}, "--clip-norm must be"},
		{[]string{"--lr-decay", "1.5"}, "--lr-decay must be in (0, 1]"},
		{[]string{"--lr-decay", "0.9", "--lr-decay-steps", "-1"}, "--lr-decay-steps must be"},
		{[]string{"--lr-decay-steps", "10"}, "--lr-decay-steps needs --lr-decay"},
		{[]string{"--cell", "gru", "--sigma-rec", "0.1"}, "--sigma-rec applies to the ctrnn, ei and leaky cells"},
		{[]string{"--cell", "lstm", "--activation", "tanh"}, "--activation applies to the ctrnn, ei and leaky cells"},
		{[]string{"--e-frac", "0.5"}, "--e-frac applies to the ei cell only"},
		{[]string{"--cell", "ei", "--e-frac", "1"}, "--e-frac must be in (0, 1)"},
		{[]string{"--cell", "ei", "--hidden", "2", "--e-frac", "0.2"}, "needs at least one of each kind"},
		{[]string{"--sigmoid"}, "--sigmoid needs --loss mse"},
		{[]string{"--resume", run, "--hidden", "32"}, "--hidden cannot be changed when resuming"},
		{[]string{"--resume", run, "--steps", "-1"}, "--steps must be > 0"},
		{[]string{"--resume", run, "--engine", "tpu"}, "unknown engine"},
	}
	for _, c := range cases {
		args := append([]string{"train", "--out", out}, c.args...)
		if c.args[0] == "--resume" {
			args = append([]string{"train"}, c.args...)
		}
		st, _, errs := cli(args...)
		if st != 2 || !strings.Contains(errs, c.msg) || len(stderrLines(errs)) != 1 {
			t.Errorf("%v: status %d, stderr %q; want status 2 and one line with %q", c.args, st, errs, c.msg)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
	if st, _, errs := cli("train", "--resume", run); st != 1 || !strings.Contains(errs, "not a run folder") || len(stderrLines(errs)) != 1 {
		t.Errorf("--resume of a missing run: status %d, stderr %q", st, errs)
	}
}

// readArrays returns the float32 arrays of an .npz file by name.
func readArrays(t *testing.T, path string) map[string][]float32 {
	t.Helper()
	f, err := npz.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float32{}
	for name, a := range f.Arrays {
		if d, ok := a.Data.([]float32); ok {
			out[name] = d
		}
	}
	return out
}

// TestTrainResume trains a noisy MSE network for 8 steps, resumes it to
// 14 and checks model.npz against a 14-step run in one go, bit for bit
// (weights and Adam's moments), for the ctrnn and the leaky cell.
func TestTrainResume(t *testing.T) {
	for _, cell := range []string{models.CellCTRNN, models.CellLeaky} {
		t.Run(cell, func(t *testing.T) { trainResume(t, cell) })
	}
}

func trainResume(t *testing.T, cell string) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	flags := []string{"--cell", cell, "--seed", "3", "--hidden", "10", "--batch", "4", "--seq-len", "20", "--sigma-rec", "0.1", "--sigma-in", "0.05",
		"--loss", "mse", "--sigmoid", "--activation", "softplus", "--weight-l2", "1e-3", "--clip-norm", "1", "--lr-decay", "0.99", "--no-progress", "--quiet"}
	if st, _, errs := cli(append([]string{"train", "--steps", "8", "--out", a}, flags...)...); st != 0 {
		t.Fatalf("train 8 steps: status %d: %s", st, errs)
	}
	if st, _, errs := cli("train", "--resume", a, "--steps", "8"); st != 2 || !strings.Contains(errs, "has 8 steps already") {
		t.Errorf("resume to 8 steps: status %d, stderr %q", st, errs)
	}
	st, out, errs := cli("train", "--resume", a, "--steps", "14", "--no-progress")
	if st != 0 || !strings.Contains(out, "Resuming "+a+" at step 8 of 14") || !strings.Contains(out, "Trained 14 steps") {
		t.Fatalf("resume: status %d\n%s\n%s", st, out, errs)
	}
	if st, _, errs := cli(append([]string{"train", "--steps", "14", "--out", b}, flags...)...); st != 0 {
		t.Fatalf("train 14 steps: status %d: %s", st, errs)
	}
	ra, rb := readArrays(t, filepath.Join(a, "model.npz")), readArrays(t, filepath.Join(b, "model.npz"))
	if len(ra) != 15 || len(ra) != len(rb) { // 5 parameters, their 2 moments each
		t.Fatalf("%d and %d arrays", len(ra), len(rb))
	}
	for name, x := range rb {
		y := ra[name]
		if !slices.EqualFunc(x, y, func(u, v float32) bool { return math.Float32bits(u) == math.Float32bits(v) }) {
			t.Errorf("array %s differs between the resumed and the straight run", name)
		}
	}
	p, err := models.Load(filepath.Join(a, "model.npz"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.CellName() != cell || p.Loss != models.LossMSE || p.SigmaRec != 0.1 || p.Activation != models.ActSoftplus || !p.Sigmoid {
		t.Errorf("stored model %+v", p.Config)
	}
}

// TestTrainCells trains each gated, E-I and leaky cell for a few steps
// through the CLI and checks the stored configuration.
func TestTrainCells(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want models.Config
	}{
		{[]string{"--cell", "gru", "--sigma-in", "0.1"}, models.Config{Cell: models.CellGRU, SigmaIn: 0.1}},
		{[]string{"--cell", "lstm", "--loss", "mse"}, models.Config{Cell: models.CellLSTM, Loss: models.LossMSE}},
		{[]string{"--cell", "ei", "--e-frac", "0.75", "--rate-l2", "0.01"}, models.Config{Cell: models.CellEI, EFrac: 0.75, RateL2: 0.01}},
		{[]string{"--cell", "leaky", "--activation", "softplus", "--sigma-rec", "0.05", "--loss", "mse", "--sigmoid"},
			models.Config{Cell: models.CellLeaky, Activation: models.ActSoftplus, SigmaRec: 0.05, Loss: models.LossMSE, Sigmoid: true}},
	} {
		out := filepath.Join(dir, c.args[1])
		args := append([]string{"train", "--steps", "3", "--hidden", "8", "--batch", "2", "--seq-len", "10", "--no-progress", "--quiet", "--out", out}, c.args...)
		if st, stdout, errs := cli(args...); st != 0 || !strings.Contains(stdout, "Trained 3 steps") {
			t.Errorf("%v: status %d\n%s\n%s", c.args, st, stdout, errs)
			continue
		}
		p, err := models.Load(filepath.Join(out, "model.npz"), nil)
		if err != nil {
			t.Fatal(err)
		}
		want := c.want
		want.NumInput, want.NumHidden, want.NumOutput, want.Dt, want.Tau = 3, 8, 3, 100, 100
		if p.Config != want {
			t.Errorf("%v: stored %+v, want %+v", c.args, p.Config, want)
		}
	}
}
