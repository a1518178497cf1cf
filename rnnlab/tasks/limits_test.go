package tasks

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSizeBounds: options that would make a trial of terabytes (issue 19:
// dim_ring=1000000000, timing.delay=1e15, dt=1e-9) are one-line errors at
// construction, before anything of that size is made.
func TestSizeBounds(t *testing.T) {
	cases := []struct {
		settings []string
		opts     []Option
		want     string
	}{
		{[]string{"dim_ring=1000000000"}, nil, "dim_ring = 1000000000: at most 4096"},
		{[]string{"timing.delay=1e15"}, nil, "timing.delay: 1e+15 ms is 1e+13 steps at dt 100 ms; a trial has at most 1000000 steps"},
		{nil, []Option{WithDt(1e-9)}, "steps at dt 1e-09 ms; a trial has at most 1000000 steps"},
		{[]string{"timing.delay=truncexp(1e12,0)"}, nil, "timing.delay: 2e+13 ms"},
		{[]string{"timing.delay=uniform(0,1e9)"}, nil, "timing.delay: 1e+09 ms"},
		{[]string{"dim_ring=4096", "timing.delay=9000000"}, nil, "observation channels"},
	}
	for _, c := range cases {
		_, err := NewWithSettings(PerceptualDecisionMakingName, c.settings, c.opts...)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v %d options: error %v, want one line containing %q", c.settings, len(c.opts), err, c.want)
		}
	}
	for _, name := range []string{AntiReachName, ContextDecisionMakingName, DelayMatchSampleName, MultiSensoryIntegrationName, Reaching1DName} {
		if _, err := NewWithSettings(name, []string{"dim_ring=5000"}); err == nil || !strings.Contains(err.Error(), "at most 4096") {
			t.Errorf("%s dim_ring=5000: %v", name, err)
		}
	}
	if _, err := NewWithSettings(PerceptualDecisionMakingName, []string{"dim_ring=4096"}); err != nil {
		t.Errorf("dim_ring=4096 (the bound) refused: %v", err)
	}
}

// TestDrawnTrialBeyondBounds: a duration drawn beyond the bounds (a
// function, whose range is unknown in advance) fails that trial with an
// error and leaves the task's random state as it was.
func TestDrawnTrialBeyondBounds(t *testing.T) {
	task, err := New(PerceptualDecisionMakingName, WithConfig(PerceptualDecisionMakingConfig{
		Timing: PDMTiming{Delay: Func(func(rng *rand.Rand) float64 { return 1e12 })},
	}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = task.NewTrial(nil)
	if err == nil || !strings.Contains(err.Error(), "a trial has at most 1000000 steps") {
		t.Fatalf("trial with a 1e12 ms period: %v", err)
	}
}
