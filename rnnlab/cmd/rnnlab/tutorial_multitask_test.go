package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMultitaskTutorial writes the analysis of the shipped network (few
// trials) with rnnlab tutorial --name multitask; --out is required.
func TestMultitaskTutorial(t *testing.T) {
	out := filepath.Join(t.TempDir(), "mt")
	st, stdout, errs := cli("tutorial", "--name", "multitask", "--out", out, "--var-trials", "6", "--eval-trials", "4", "--k-max", "4", "--n-init", "2", "--repeats", "2")
	if st != 0 {
		t.Fatalf("status %d, stdout %q, stderr %q", st, stdout, errs)
	}
	for _, f := range []string{"report.html", "variance.png", "kseeds.png", "ftv.png", "lesions.png", "connectivity.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	st, _, errs = cli("tutorial", "--name", "multitask")
	if st != 2 || len(stderrLines(errs)) != 1 || !strings.Contains(errs, "--out") {
		t.Errorf("no --out: status %d, stderr %q; want 2 and one line about --out", st, errs)
	}
}
