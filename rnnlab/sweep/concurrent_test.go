package sweep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentSweepRuns: two sweep runs of the same file at once (issue
// 19) do every run exactly once between them; each reports the runs the
// other holds or did as skipped, not failed, and succeeds; every run's log
// is written by one worker only (one header line, no NUL bytes).
func TestConcurrentSweepRuns(t *testing.T) {
	s := writeSweep(t, tinySweep)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var (
		logs [2]bytes.Buffer
		errs [2]error
		wg   sync.WaitGroup
	)
	for k := range 2 {
		wg.Go(func() {
			// Each process loads the file itself, as rnnlab sweep run does.
			mine, err := Load(s.File)
			if err != nil {
				errs[k] = err
				return
			}
			errs[k] = Local{Jobs: 1, Command: []string{exe, s.File, "--index"}, Log: &logs[k]}.Run(context.Background(), mine, []int{0, 1, 2, 3})
		})
	}
	wg.Wait()
	for k := range 2 {
		if errs[k] != nil {
			t.Errorf("sweep run %d: %v\n%s", k, errs[k], logs[k].String())
		}
	}
	for _, st := range statusesOf(t, s) {
		if st != StatusDone {
			t.Fatalf("statuses %v, want all done\n%s\n%s", statusesOf(t, s), logs[0].String(), logs[1].String())
		}
	}
	both := logs[0].String() + logs[1].String()
	skipped := 0
	for _, r := range s.Runs {
		done := strings.Count(both, "run "+r.ID+" done in")
		skip := strings.Count(both, "run "+r.ID+" held by another sweep run") + strings.Count(both, "run "+r.ID+" done by another sweep run")
		if done != 1 || skip != 1 {
			t.Errorf("run %s: done %d times, skipped %d times; want once each\n%s", r.ID, done, skip, both)
		}
		skipped += skip
		b, err := os.ReadFile(filepath.Join(s.Out, "logs", r.ID+".log"))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(b), "run "+r.ID+": "); n != 1 || bytes.IndexByte(b, 0) >= 0 {
			t.Errorf("log of run %s: %d header lines (want 1), NUL bytes %v:\n%q", r.ID, n, bytes.IndexByte(b, 0) >= 0, b)
		}
	}
	if strings.Contains(both, "failed") || skipped != 4 {
		t.Errorf("%d runs skipped (want 4), failures reported:\n%s", skipped, both)
	}
}
