package sweep

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCollectDivergedRun is issue 19's "done when": a sweep whose lr axis
// has a diverging value (1e30) and a normal one collects a table in which
// the diverged run is failed with its reason, null metrics, and the other
// run is complete; run.json of the failed run has null metrics too.
func TestCollectDivergedRun(t *testing.T) {
	s := writeSweep(t, `
out = "out"
steps = 30
analyse = false
[base]
hidden = 8
batch = 4
seq_len = 20
[axes]
lr = [1e30, 1e-3]
`)
	ctx := context.Background()
	var log strings.Builder
	res, _, err := RunTask(ctx, s, 0, &log)
	if err == nil || res == nil || res.Status != StatusFailed || !strings.HasPrefix(res.Error, "training diverged at step ") {
		t.Fatalf("run 0 (lr 1e30): result %+v, error %v", res, err)
	}
	t.Logf("run 0: %v", err)
	if res, _, err := RunTask(ctx, s, 1, &log); err != nil || res.Status != StatusDone {
		t.Fatalf("run 1 (lr 1e-3): %v", err)
	}
	table, sts, err := s.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if Summary(sts) != "2 runs: 1 done, 1 failed, 0 running, 0 pending, 0 missing" {
		t.Errorf("status: %s", Summary(sts))
	}
	col := func(row int, name string) any { return table.Rows[row][table.Column(name)] }
	if col(0, "lr") != 1e30 || col(0, "status") != StatusFailed || col(0, "final_loss") != nil || col(0, "final_accuracy") != nil ||
		col(0, "note") != res.Error {
		t.Errorf("the diverged run's row: %v", table.Rows[0])
	}
	if loss, ok := col(1, "final_loss").(float64); col(1, "status") != StatusDone || !ok || !(loss > 0) || col(1, "steps") != 30 {
		t.Errorf("the normal run's row: %v", table.Rows[1])
	}
	if err := table.Write(s.Out); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(readFile(t, filepath.Join(s.Out, ResultsJSON)), &rows); err != nil {
		t.Fatal(err)
	}
	if rows[0]["status"] != "failed" || rows[0]["final_loss"] != nil || !strings.HasPrefix(rows[0]["note"].(string), "training diverged at step ") {
		t.Errorf("results.json, run 0: %v", rows[0])
	}
	csv := string(readFile(t, filepath.Join(s.Out, ResultsCSV)))
	if !strings.Contains(csv, ",failed,,,,") || !strings.Contains(csv, "training diverged at step ") {
		t.Errorf("results.csv:\n%s", csv)
	}
	b, err := os.ReadFile(filepath.Join(s.Runs[0].Dir(s.Out), ResultFile))
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(b, &rec); err != nil || rec["final_loss"] != nil || rec["final_accuracy"] != nil || rec["status"] != "failed" {
		t.Errorf("run.json of the failed run: %s", b)
	}
	if back, err := ReadResult(s.Runs[1].Dir(s.Out)); err != nil || back.FinalLoss != col(1, "final_loss") {
		t.Errorf("run.json of the done run reads back %v, %v", back, err)
	}
}
