package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/npz"
)

// cli runs the command line in-process and returns its status and outputs.
func cli(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	st := run(args, &out, &errb)
	return st, out.String(), errb.String()
}

func TestHelpOnEveryCommand(t *testing.T) {
	if st, out, _ := cli("--help"); st != 0 || !strings.Contains(out, "Commands:") {
		t.Fatalf("rnnlab --help: status %d, output %q", st, out)
	}
	for name := range commands {
		st, out, errs := cli(name, "--help")
		if st != 0 || strings.Count(out, "Usage: rnnlab "+name) != 1 || strings.Count(out, "\nExamples:\n  rnnlab "+name) != 1 || errs != "" {
			t.Errorf("rnnlab %s --help: status %d, want the usage and examples once; stdout %q, stderr %q", name, st, out, errs)
		}
	}
}

// TestBadCommandLines checks that bad flags and values exit non-zero with one
// line on stderr, and leave no file behind.
func TestBadCommandLines(t *testing.T) {
	dir := t.TempDir()
	npzOut := filepath.Join(dir, "x.npz")
	cases := []struct {
		args   []string
		status int
		msg    string
	}{
		{[]string{"nosuch"}, 2, "unknown command"},
		{[]string{"trials", "--bogus"}, 2, "flag provided but not defined"},
		{[]string{"trials", "--dt", "0", "--out", npzOut}, 2, "--dt must be > 0"},
		{[]string{"trials", "--dt", "-5", "--out", npzOut}, 2, "--dt must be > 0"},
		{[]string{"trials", "--n", "0", "--out", npzOut}, 2, "--n must be > 0"},
		{[]string{"trials", "--task", "NoTask-v0", "--out", npzOut}, 2, "unknown task"},
		{[]string{"trials", "--out", filepath.Join(dir, "missing", "x.npz")}, 1, "does not exist"},
		{[]string{"trials"}, 2, "--out is required"},
		{[]string{"trials", "--out", npzOut, "extra"}, 2, "unexpected argument"},
		{[]string{"train", "--steps", "-1", "--out", dir + "/r"}, 2, "--steps must be > 0"},
		{[]string{"train", "--hidden", "0", "--out", dir + "/r"}, 2, "--hidden must be > 0"},
		{[]string{"train", "--dt", "0", "--out", dir + "/r"}, 2, "--dt must be > 0"},
		{[]string{"train", "--lr", "0", "--out", dir + "/r"}, 2, "--lr must be a finite number > 0"},
		{[]string{"train", "--engine", "tpu", "--out", dir + "/r"}, 2, "unknown engine"},
		{[]string{"train", "--task", "Nope-v0", "--out", dir + "/r"}, 2, "unknown task"},
		{[]string{"train", "--steps", "1"}, 2, "--out is required"},
		{[]string{"analyze", "--out", dir + "/a"}, 2, "--run is required"},
		{[]string{"analyze", "--run", dir, "--out", dir + "/a"}, 1, "not a run folder"},
		{[]string{"analyze", "--run", dir, "--out", dir + "/a", "--tolerance", "0"}, 2, "--tolerance must be > 0"},
		{[]string{"analyze", "--run", dir, "--out", dir + "/a", "--trials", "0"}, 2, "--trials must be in 1..1000000"},
		{[]string{"tutorial", "--steps", "-3", "--out", dir + "/t"}, 2, "--steps must be > 0"},
		{[]string{"analyze", "--run", dir, "--out", dir + "/a", "--input", "1,x,0.5"}, 2, "--input"},
		{[]string{"bench", "--repeats", "0"}, 2, "must be > 0"},
		{[]string{"bench", "--plot", dir + "/p.png"}, 2, "--plot needs --scaling"},
	}
	for _, c := range cases {
		st, _, errs := cli(c.args...)
		if st != c.status || !strings.Contains(errs, c.msg) || len(stderrLines(errs)) != 1 || strings.Contains(errs, "goroutine") {
			t.Errorf("%v: status %d, stderr %q; want status %d and one line with %q", c.args, st, errs, c.status, c.msg)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

// TestCorruptCheckpoint checks that a checkpoint that does not load is a
// one-line error naming the file.
func TestCorruptCheckpoint(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "model.npz")
	os.WriteFile(model, []byte("PK\x03\x04 truncated"), 0o644)
	st, _, errs := cli("analyze", "--run", dir, "--out", filepath.Join(dir, "a"))
	if st != 1 || !strings.Contains(errs, model) || len(stderrLines(errs)) != 1 {
		t.Errorf("status %d, stderr %q", st, errs)
	}
}

// TestTrainThenAnalyze runs the CLI's main path on a short run.
func TestTrainThenAnalyze(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	st, out, errs := cli("train", "--seed", "2", "--steps", "200", "--out", run, "--no-progress")
	if st != 0 || !strings.Contains(out, "Step 200, Loss") {
		t.Fatalf("train: status %d\n%s\n%s", st, out, errs)
	}
	an := filepath.Join(dir, "analysis")
	st, out, errs = cli("analyze", "--run", run, "--out", an, "--trials", "20", "--tolerance", "1e-2", "--quiet")
	if st != 0 || !strings.Contains(out, "Fixed points after") {
		t.Fatalf("analyze: status %d\n%s\n%s", st, out, errs)
	}
	for _, f := range []string{"analysis.json", "fixed_points.npz", "pc_trajectories.png", "task.svg"} {
		if _, err := os.Stat(filepath.Join(an, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestTrialsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trials.npz")
	if st, _, errs := cli("trials", "--seed", "3", "--n", "40", "--out", path); st != 0 {
		t.Fatalf("status %d: %s", st, errs)
	}
	f, err := npz.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	obs, shape, err := f.Float32("obs")
	if err != nil || len(shape) != 3 || shape[0] != 40 || shape[1] != 22 || shape[2] != 3 {
		t.Fatalf("obs shape %v, err %v", shape, err)
	}
	gt := f.Arrays["gt"].Data.([]int64)
	truth := f.Arrays["ground_truth"].Data.([]int64)
	for i := 0; i < 40; i++ {
		for s := 0; s < 22; s++ {
			want := int64(0)
			if s == 21 {
				want = truth[i] + 1
			}
			if gt[i*22+s] != want {
				t.Fatalf("trial %d step %d: label %d, want %d", i, s, gt[i*22+s], want)
			}
			fix := obs[(i*22+s)*3]
			if (s < 21) != (fix == 1) {
				t.Fatalf("trial %d step %d: fixation input %v", i, s, fix)
			}
		}
	}
	// The same seed gives the same file content; the newer fixation mode differs.
	path2 := filepath.Join(t.TempDir(), "again.npz")
	cli("trials", "--seed", "3", "--n", "40", "--out", path2)
	g, _ := npz.ReadFile(path2)
	obs2, _, _ := g.Float32("obs")
	if !slices.Equal(obs, obs2) {
		t.Error("same seed gave different trials")
	}
	cli("trials", "--seed", "3", "--n", "40", "--fixation-only-in-fixation", "--out", path2)
	g, _ = npz.ReadFile(path2)
	obs3, _, _ := g.Float32("obs")
	if obs3[3] != 0 || obs3[0] != 1 {
		t.Errorf("fixation-only mode: step 0 fixation %v, step 1 fixation %v", obs3[0], obs3[3])
	}
}
