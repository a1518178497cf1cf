package tasks

import "testing"

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
