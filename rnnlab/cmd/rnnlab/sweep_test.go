package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/sweep"
)

// TestMain makes the test binary act as the rnnlab command when
// RNNLAB_TEST_AS_RNNLAB=1, and sets that variable for the processes the
// tests start: the sweep's workers (os.Executable, local or in Slurm jobs,
// which inherit the environment) run `rnnlab sweep task` through it.
func TestMain(m *testing.M) {
	if os.Getenv("RNNLAB_TEST_AS_RNNLAB") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Setenv("RNNLAB_TEST_AS_RNNLAB", "1")
	os.Exit(m.Run())
}

// writeSweepFile writes a sweep file into dir (created).
func writeSweepFile(t *testing.T, dir, text string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sweep.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const cliSweep = `
out = "out"
steps = 20
analyse = false
[base]
hidden = 4
batch = 4
seq_len = 50
[axes]
seed = [0, 1]
`

// TestSweepBadInput: bad files and flags, a missing sbatch and a rejected
// submission are one line on stderr, with status 2 (bad input) or 1, and
// leave no sweep folder or job record behind.
func TestSweepBadInput(t *testing.T) {
	dir := t.TempDir()
	good := writeSweepFile(t, filepath.Join(dir, "good"), cliSweep)
	bad := func(name, text string) string { return writeSweepFile(t, filepath.Join(dir, name), text) }
	fakeBin := filepath.Join(dir, "bin")
	os.MkdirAll(fakeBin, 0o755)
	os.WriteFile(filepath.Join(fakeBin, "sbatch"), []byte("#!/bin/sh\necho 'sbatch: error: invalid partition specified: nope' >&2\necho 'sbatch: error: Batch job submission failed: Invalid partition name specified' >&2\nexit 1\n"), 0o755)
	cases := []struct {
		args   []string
		path   string // PATH for the command ("" keeps it)
		status int
		msg    string
	}{
		{[]string{"sweep"}, "", 2, "missing subcommand"},
		{[]string{"sweep", "frobnicate"}, "", 2, `unknown subcommand "frobnicate"`},
		{[]string{"sweep", "plan"}, "", 2, "the sweep file is required"},
		{[]string{"sweep", "plan", filepath.Join(dir, "nosuch.toml")}, "", 2, "cannot read sweep file"},
		{[]string{"sweep", "plan", bad("empty", "")}, "", 2, "empty sweep file"},
		{[]string{"sweep", "plan", bad("key", strings.Replace(cliSweep, "hidden = 4", "hiden = 4", 1))}, "", 2, `unknown key "base.hiden"`},
		{[]string{"sweep", "plan", bad("axis", cliSweep+"size = [1]\n")}, "", 2, `unknown axis "size"`},
		{[]string{"sweep", "plan", bad("type", strings.Replace(cliSweep, "seed = [0, 1]", "seed = [0, \"one\"]", 1))}, "", 2, `key "axes.seed", value 2: want an integer, got the string "one"`},
		{[]string{"sweep", "plan", bad("noaxis", strings.Replace(cliSweep, "seed = [0, 1]", "seed = []", 1))}, "", 2, `key "axes.seed": no values`},
		{[]string{"sweep", "plan", bad("cell", cliSweep+"cell = [\"rnn\"]\n")}, "", 2, `unknown cell "rnn"`},
		{[]string{"sweep", "run", good, "--jobs", "0"}, "", 2, "--jobs must be > 0"},
		{[]string{"sweep", "run", good, "--executor", "k8s"}, "", 2, "--executor must be local or slurm"},
		{[]string{"sweep", "run", good, "--partition", "cpu"}, "", 2, "--partition applies to --executor slurm only"},
		{[]string{"sweep", "run", good, "--executor", "slurm", "--jobs", "4"}, "", 2, "--jobs applies to --executor local only"},
		{[]string{"sweep", "run", good, "extra"}, "", 2, `unexpected argument "extra"`},
		{[]string{"sweep", "task", good}, "", 2, "--index is required"},
		{[]string{"sweep", "task", good, "--index", "2"}, "", 2, "--index 2 out of range: the sweep has 2 runs"},
		{[]string{"sweep", "run", good, "--executor", "slurm"}, t.TempDir(), 1, "sbatch not found"},
		{[]string{"sweep", "run", good, "--executor", "slurm", "--partition", "nope"}, fakeBin, 1,
			"sbatch rejected the job: sbatch: error: invalid partition specified: nope sbatch: error: Batch job submission failed"},
	}
	for _, c := range cases {
		if c.path != "" {
			t.Setenv("PATH", c.path)
		}
		st, _, errs := cli(c.args...)
		if st != c.status || !strings.Contains(errs, c.msg) || len(stderrLines(errs)) != 1 {
			t.Errorf("rnnlab %q: status %d, stderr %q; want %d and one line with %q", c.args, st, errs, c.status, c.msg)
		}
	}
	// Nothing was written but the sweep folder of the rejected submission, without a job.
	if _, err := os.Stat(filepath.Join(dir, "good", "out", "slurm", "jobs.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a job was recorded: %v", err)
	}
	for _, name := range []string{"key", "axis", "type", "noaxis", "cell"} {
		if _, err := os.Stat(filepath.Join(dir, name, "out")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a sweep folder was created", name)
		}
	}
}

// TestSweepLocalCLI: plan lists the runs with their folders; run does
// them and collects; status and a second run find them done.
func TestSweepLocalCLI(t *testing.T) {
	dir := t.TempDir()
	file := writeSweepFile(t, dir, cliSweep)
	st, out, errs := cli("sweep", "plan", file)
	if st != 0 || !strings.Contains(out, "2 runs of sweep") || !strings.Contains(out, filepath.Join(dir, "out", "runs", "0001-")) || !strings.Contains(out, "seed=1") {
		t.Fatalf("plan: %d %q %q", st, out, errs)
	}
	st, out, errs = cli("sweep", "run", file, "--jobs", "2", "--collect")
	if st != 0 || strings.Count(out, "] run 000") != 2 || !strings.Contains(out, "Collected 2 runs: 2 done") {
		t.Fatalf("run: %d %q %q", st, out, errs)
	}
	for _, f := range []string{sweep.ResultsCSV, sweep.ResultsJSON, sweep.ReportFile, "figures/final_accuracy_vs_seed.png"} {
		if _, err := os.Stat(filepath.Join(dir, "out", f)); err != nil {
			t.Error(err)
		}
	}
	st, out, _ = cli("sweep", "status", file)
	if st != 0 || out != "2 runs: 2 done, 0 failed, 0 running, 0 pending, 0 missing\n" {
		t.Errorf("status: %d %q", st, out)
	}
	st, out, _ = cli("sweep", "run", file)
	if st != 0 || !strings.Contains(out, "2 done, 0 running or pending; 0 to do") || strings.Contains(out, "] run") {
		t.Errorf("second run: %d %q", st, out)
	}
}

// cluster is a one-node Slurm cluster started for a test.
type cluster struct{ dir, script string }

// startSlurm starts a one-node Slurm cluster in a fresh folder with
// scripts/slurm-cluster.sh (the recipe of the shared notes) on free ports,
// points the Slurm clients at it (SLURM_CONF) and stops it when the test
// ends, whatever happens: jobs canceled, daemons SIGTERMed by the PIDs
// the script started. Without Slurm (or root) the test is skipped, except
// in CI (CI=true), where it fails.
func startSlurm(t *testing.T) *cluster {
	t.Helper()
	var missing []string
	for _, b := range []string{"slurmctld", "slurmd", "sbatch", "squeue", "scancel", "sinfo", "munged", "munge"} {
		if _, err := exec.LookPath(b); err != nil {
			if _, err := os.Stat("/usr/sbin/" + b); err != nil {
				missing = append(missing, b)
			}
		}
	}
	why := ""
	switch {
	case len(missing) > 0:
		why = fmt.Sprintf("Slurm is not installed (missing %s)", strings.Join(missing, ", "))
	case os.Geteuid() != 0:
		why = "the test cluster needs root"
	}
	if why != "" {
		const how = "install slurm: bash scripts/setup.sh --slurm (or apt-get install slurmctld slurmd slurm-client munge)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s; in CI the Slurm tests must run: %s", why, how)
		}
		t.Skipf("%s; %s", why, how)
	}
	c := &cluster{dir: t.TempDir(), script: filepath.Join("..", "..", "..", "scripts", "slurm-cluster.sh")}
	ctld, d := freePort(t), freePort(t)
	start := time.Now()
	cmd := exec.Command("bash", c.script, "start", c.dir)
	cmd.Env = append(os.Environ(), fmt.Sprintf("SLURMCTLD_PORT=%d", ctld), fmt.Sprintf("SLURMD_PORT=%d", d))
	out, err := cmd.CombinedOutput()
	t.Cleanup(func() {
		t0 := time.Now()
		out, err := exec.Command("bash", c.script, "stop", c.dir).CombinedOutput()
		if err != nil {
			t.Errorf("stopping the cluster: %v\n%s", err, out)
		}
		t.Logf("cluster stopped in %.1f s", time.Since(t0).Seconds())
	})
	if err != nil {
		t.Fatalf("starting the cluster: %v\n%s", err, out)
	}
	t.Setenv("SLURM_CONF", filepath.Join(c.dir, "slurm.conf"))
	t.Logf("cluster ready in %.1f s (ports %d, %d)", time.Since(start).Seconds(), ctld, d)
	return c
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// readCSV reads a results.csv without its wall-time columns.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var keep []int
	for j, c := range rows[0] {
		if !sweep.IsTimeColumn(c) {
			keep = append(keep, j)
		}
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		for _, j := range keep {
			out[i] = append(out[i], r[j])
		}
	}
	return out
}

// waitFor polls cond every 100 ms for up to limit.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v (%s)", what, limit, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func loadStatus(t *testing.T, file string) ([]string, *sweep.Sweep) {
	t.Helper()
	s, err := sweep.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	sts, err := s.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(sts))
	for i, st := range sts {
		out[i] = st.Status
	}
	return out, s
}

// waitJobsGone waits (up to a minute) until no job of the sweep in file is
// pending or running, so that no Slurm job writes into a test's folder
// after the test (the collect job may still be writing its report when
// results.csv appears).
func waitJobsGone(t *testing.T, file string) {
	t.Helper()
	s, err := sweep.Load(file)
	if err != nil {
		t.Error(err)
		return
	}
	jobs, err := s.Jobs()
	if err != nil {
		t.Error(err)
		return
	}
	var ids []string
	for _, j := range jobs {
		ids = append(ids, j.JobID)
		if j.CollectJobID != "" {
			ids = append(ids, j.CollectJobID)
		}
	}
	if len(ids) == 0 {
		return
	}
	deadline := time.Now().Add(time.Minute)
	for {
		out, _ := exec.Command("squeue", "-h", "-o", "%i %T", "-j", strings.Join(ids, ",")).Output()
		if strings.TrimSpace(string(out)) == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("Slurm jobs still queued a minute after the test: %s", out)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestSweepSlurm runs sweeps through sbatch --array on a real one-node
// Slurm cluster started for the test.
func TestSweepSlurm(t *testing.T) {
	startSlurm(t)

	// 2 tasks x 3 seeds x 2 hidden sizes, analysed: the table collected
	// from Slurm (by its dependent collect job) equals, value for value but
	// the wall times, the table of the local executor.
	t.Run("same table as local", func(t *testing.T) {
		text := `
out = "out"
steps = 30
[base]
batch = 8
seq_len = 50
[analysis]
trials = 5
[axes]
task = ["PerceptualDecisionMaking-v0", "PerceptualDecisionMakingDelayResponse-v0"]
seed = [0, 1, 2]
hidden = [4, 8]
`
		root := t.TempDir()
		local := writeSweepFile(t, filepath.Join(root, "laptop"), text)
		slurm := writeSweepFile(t, filepath.Join(root, "cluster"), text)
		t.Cleanup(func() { waitJobsGone(t, slurm) }) // before the folders are removed
		t0 := time.Now()
		if st, out, errs := cli("sweep", "run", local, "--jobs", "2", "--collect"); st != 0 {
			t.Fatalf("local run: %d\n%s%s", st, out, errs)
		}
		t.Logf("local executor: 12 runs in %.1f s", time.Since(t0).Seconds())
		t0 = time.Now()
		st, out, errs := cli("sweep", "run", slurm, "--executor", "slurm", "--collect", "--wait", "--poll", "200ms")
		if st != 0 || !strings.Contains(out, "Submitted array job") || !strings.Contains(out, "(runs 0-11) and collect job") || strings.Count(out, "] run ") != 12 {
			t.Fatalf("slurm run: %d\n%s%s", st, out, errs)
		}
		csvPath := filepath.Join(root, "cluster", "out", sweep.ResultsCSV)
		waitFor(t, "the collect job's results.csv", 60*time.Second, func() (bool, string) {
			_, err := os.Stat(csvPath)
			return err == nil, fmt.Sprint(err)
		})
		t.Logf("slurm executor: 12 runs and the collect job in %.1f s", time.Since(t0).Seconds())
		a, b := readCSV(t, filepath.Join(root, "laptop", "out", sweep.ResultsCSV)), readCSV(t, csvPath)
		if len(a) != 13 || !slices.Equal(a[0][:5], []string{"index", "id", "task", "seed", "hidden"}) {
			t.Fatalf("local table %q", a)
		}
		for i := range a {
			if !slices.Equal(a[i], b[i]) {
				t.Errorf("row %d differs:\nlocal %q\nslurm %q", i, a[i], b[i])
			}
		}
		fp := slices.Index(a[0], "fixed_points")
		if a[1][fp] == "" {
			t.Errorf("the runs were not analysed: %q", a[1])
		}
		log, _ := filepath.Glob(filepath.Join(root, "cluster", "out", "logs", "slurm-*_0.out"))
		if len(log) != 1 {
			t.Errorf("array task logs: %v", log)
		}
	})

	// One array task is canceled (scancel) mid-run, another run fails on
	// purpose: status reports them, the next run redoes exactly those.
	t.Run("scancel and failure", func(t *testing.T) {
		file := writeSweepFile(t, t.TempDir(), cliSweep+"hidden = [4, 6]\n")
		t.Cleanup(func() { waitJobsGone(t, file) }) // before the folder is removed
		t.Setenv("RNNLAB_SWEEP_TEST_FAULTS", "hang=1;fail=2")
		t0 := time.Now()
		if st, out, errs := cli("sweep", "run", file, "--executor", "slurm", "--max-parallel", "4"); st != 0 || !strings.Contains(out, "(runs 0-3)") {
			t.Fatalf("slurm run: %d\n%s%s", st, out, errs)
		}
		want := []string{sweep.StatusDone, sweep.StatusRunning, sweep.StatusFailed, sweep.StatusDone}
		var s *sweep.Sweep
		waitFor(t, "runs 0 and 3 done, 1 running, 2 failed", 60*time.Second, func() (bool, string) {
			var st []string
			st, s = loadStatus(t, file)
			return slices.Equal(st, want), fmt.Sprint(st)
		})
		jobs, err := s.Jobs()
		if err != nil || len(jobs) != 1 {
			t.Fatalf("jobs %v, %v", jobs, err)
		}
		if out, err := exec.Command("scancel", jobs[0].JobID+"_1").CombinedOutput(); err != nil {
			t.Fatalf("scancel: %v %s", err, out)
		}
		want[1] = sweep.StatusMissing
		waitFor(t, "the canceled run missing", 30*time.Second, func() (bool, string) {
			st, _ := loadStatus(t, file)
			return slices.Equal(st, want), fmt.Sprint(st)
		})
		st, out, _ := cli("sweep", "status", file)
		if st != 0 || !strings.Contains(out, "missing  "+s.Runs[1].ID) || !strings.Contains(out, "(slurm CANCELLED)") ||
			!strings.Contains(out, "failed   "+s.Runs[2].ID) || !strings.Contains(out, "injected failure") ||
			!strings.HasSuffix(out, "4 runs: 2 done, 1 failed, 0 running, 0 pending, 1 missing\n") {
			t.Errorf("status: %d\n%s", st, out)
		}
		if _, err := os.Stat(s.Runs[1].Dir(s.Out)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the canceled run left a run folder")
		}
		before := map[int][]byte{}
		for _, i := range []int{0, 3} {
			before[i], _ = os.ReadFile(filepath.Join(s.Runs[i].Dir(s.Out), sweep.ResultFile))
		}

		t.Setenv("RNNLAB_SWEEP_TEST_FAULTS", "")
		st, out, errs := cli("sweep", "run", file, "--executor", "slurm", "--wait", "--poll", "200ms")
		if st != 0 || !strings.Contains(out, "2 done, 0 running or pending; 2 to do") || !strings.Contains(out, "(runs 1-2)") ||
			strings.Count(out, "] run ") != 2 || !strings.Contains(out, "4 runs: 4 done") {
			t.Fatalf("second slurm run: %d\n%s%s", st, out, errs)
		}
		for i, b := range before {
			if now, _ := os.ReadFile(filepath.Join(s.Runs[i].Dir(s.Out), sweep.ResultFile)); !bytes.Equal(b, now) || len(b) == 0 {
				t.Errorf("run %d was recomputed", i)
			}
		}
		t.Logf("scancel, failure and redo in %.1f s", time.Since(t0).Seconds())
	})
}

// TestSweepHelp: every sweep subcommand's --help prints its usage and
// examples once, with status 0.
func TestSweepHelp(t *testing.T) {
	for sub := range sweepSubcommands {
		st, out, errs := cli("sweep", sub, "--help")
		if st != 0 || strings.Count(out, "Usage: rnnlab sweep "+sub) != 1 || strings.Count(out, "\nExamples:\n  rnnlab sweep "+sub) != 1 || errs != "" {
			t.Errorf("rnnlab sweep %s --help: status %d, stdout %q, stderr %q", sub, st, out, errs)
		}
	}
}
