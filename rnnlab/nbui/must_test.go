package nbui

import (
	"errors"
	"strconv"
	"testing"
)

// TestMust checks that Must and Must2 pass their values through and panic
// with the error itself.
func TestMust(t *testing.T) {
	if got := Must(strconv.Atoi("42")); got != 42 {
		t.Fatalf("Must = %d, want 42", got)
	}
	pair := func(fail bool) (int, string, error) {
		if fail {
			return 0, "", errors.New("boom")
		}
		return 1, "one", nil
	}
	if a, b := Must2(pair(false)); a != 1 || b != "one" {
		t.Fatalf("Must2 = %d, %q", a, b)
	}
	panicked := func(f func()) (v any) {
		defer func() { v = recover() }()
		f()
		return nil
	}
	if v := panicked(func() { Must(strconv.Atoi("x")) }); v == nil {
		t.Fatal("Must did not panic on an error")
	} else if err, ok := v.(error); !ok || !errors.Is(err, strconv.ErrSyntax) {
		t.Fatalf("Must panicked with %v, want the error", v)
	}
	if v := panicked(func() { Must2(pair(true)) }); v == nil || v.(error).Error() != "boom" {
		t.Fatalf("Must2 panicked with %v, want boom", v)
	}
}
