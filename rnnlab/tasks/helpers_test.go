package tasks

import (
	"math"
	"strings"
	"testing"
)

// Test helpers shared by the tests of every task. Helpers of one family
// of tasks are in taskhelpers_a_test.go, helpers_c_test.go and
// wm_helpers_test.go.

// mustNew builds a task with its constructor mk and cfg, failing the test
// on an error: mustNew(t, NewGoNogo, GoNogoConfig{}).
func mustNew[C, T any](t testing.TB, mk func(C) (T, error), cfg C) T {
	t.Helper()
	task, err := mk(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return task
}

// mustTrial draws a trial with ov, failing the test on an error.
func mustTrial(t testing.TB, task Task, ov Override) *Trial {
	t.Helper()
	tr, err := task.NewTrial(ov)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// checkErr checks that err is a one-line error containing every string of
// want; what (if not "") prefixes the failure messages.
func checkErr(t testing.TB, what string, err error, want ...string) {
	t.Helper()
	if what != "" {
		what += ": "
	}
	if err == nil {
		t.Errorf("%sno error, want one containing %q", what, want)
		return
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("%serror %q is not one line", what, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%serror %q does not contain %q", what, err, w)
		}
	}
}

// checkFreq checks that count successes of n trials agree with the
// probability p within 5 binomial standard errors, sqrt(p(1-p)/n).
func checkFreq(t testing.TB, what string, count, n int, p float64) {
	t.Helper()
	tol := 5 * math.Sqrt(p*(1-p)/float64(n))
	if f := float64(count) / float64(n); math.Abs(f-p) > tol {
		t.Errorf("%s: frequency %.4f (%d of %d), want %.4f ± %.4f", what, f, count, n, p, tol)
	}
}
