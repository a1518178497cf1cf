package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestTwoSweepRunsAtOnce starts two `rnnlab sweep run` processes of the
// same file at the same time (issue 19: both exited 1, "2 of 5 runs
// failed", and truncated each other's logs). Both must exit 0, every run is
// done once, each process reports the runs the other held as held (not
// failed), and every run's log holds one worker's output.
func TestTwoSweepRunsAtOnce(t *testing.T) {
	dir := t.TempDir()
	file := writeSweepFile(t, dir, strings.Replace(cliSweep, "seed = [0, 1]", "seed = [0, 1, 2, 3, 4]", 1))
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg       sync.WaitGroup
		outs     [2]bytes.Buffer
		errbs    [2]bytes.Buffer
		statuses [2]error
	)
	for k := range 2 {
		cmd := exec.Command(exe, "sweep", "run", file) // the test binary is rnnlab (TestMain)
		cmd.Stdout, cmd.Stderr = &outs[k], &errbs[k]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() { statuses[k] = cmd.Wait() })
	}
	wg.Wait()
	both := outs[0].String() + outs[1].String()
	for k := range 2 {
		if statuses[k] != nil || errbs[k].Len() != 0 {
			t.Errorf("sweep run %d: %v, stderr %q\n%s", k, statuses[k], errbs[k].String(), outs[k].String())
		}
	}
	if strings.Contains(both, "failed") {
		t.Errorf("a run reported as failed:\n%s", both)
	}
	st, out, _ := cli("sweep", "status", file)
	if st != 0 || out != "5 runs: 5 done, 0 failed, 0 running, 0 pending, 0 missing\n" {
		t.Fatalf("status after both: %d %q\n%s", st, out, both)
	}
	logs, err := filepath.Glob(filepath.Join(dir, "out", "logs", "*.log"))
	if err != nil || len(logs) != 5 {
		t.Fatalf("logs %v, %v", logs, err)
	}
	done := 0
	for _, l := range logs {
		b, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		id := strings.TrimSuffix(filepath.Base(l), ".log")
		if strings.Count(string(b), "run "+id+": seed=") != 1 || bytes.IndexByte(b, 0) >= 0 {
			t.Errorf("log %s is not one worker's output:\n%q", id, b)
		}
		done += strings.Count(both, "run "+id+" done in")
	}
	if done != 5 {
		t.Errorf("%d runs reported done between the two, want 5:\n%s", done, both)
	}
}
