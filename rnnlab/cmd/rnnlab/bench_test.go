package main

import (
	"strings"
	"testing"
)

// TestBenchUsage checks the bench command's flag errors: one line, status
// 2, nothing run.
func TestBenchUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"bench", "--cells", "ctrnn,rnn"}, `--cells: unknown cell "rnn"`},
		{[]string{"bench", "--cell-hidden", "64,128"}, "--cell-hidden needs --scaling"},
		{[]string{"bench", "--scaling", "--cell-hidden", "64,x"}, "not a hidden size"},
	} {
		st, _, errs := cli(c.args...)
		if st != 2 || !strings.Contains(errs, c.msg) || len(stderrLines(errs)) != 1 {
			t.Errorf("%v: status %d, stderr %q; want status 2 and one line with %q", c.args, st, errs, c.msg)
		}
	}
}
