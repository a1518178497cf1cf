package multitask

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"testing"
)

// smallConfig is a run small enough for tests.
func smallConfig() Config {
	return Config{Steps: 7, Hidden: 12, BatchSize: 4, SeqLen: 20, Seed: 3, EvalEvery: 3, EvalTrials: 5}
}

// TestResumeExact runs 7 steps in one go and in two pieces (stopped at
// step 5, between two evaluations and inside a data segment, saved and
// resumed): weights, Adam's moments and the evaluation history must be the
// same bit for bit.
func TestResumeExact(t *testing.T) {
	for _, paper := range []bool{false, true} {
		t.Run(map[bool]string{false: "neurogym", true: "paper"}[paper], func(t *testing.T) {
			testResumeExact(t, paper)
		})
	}
}

func testResumeExact(t *testing.T, paper bool) {
	smallConfig := func() Config { c := smallConfig(); c.Paper = paper; return c }
	dir := t.TempDir()
	full, err := NewTrainer(smallConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := full.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if full.Step() != 7 || len(full.Meta.History) != 4 { // steps 0, 3, 6, 7
		t.Fatalf("full run: %d steps, %d evaluations", full.Step(), len(full.Meta.History))
	}

	cfg := smallConfig()
	cfg.Steps = 5
	part, err := NewTrainer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	part.Checkpoint = filepath.Join(dir, "ckpt.npz")
	if err := part.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	res, err := Resume(part.Checkpoint, func(c *Config) { c.Steps = 7 })
	if err != nil {
		t.Fatal(err)
	}
	if res.Step() != 5 {
		t.Fatalf("resumed at step %d, want 5", res.Step())
	}
	if err := res.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := range full.Params.Values {
		if !slices.Equal(full.Params.Values[i], res.Params.Values[i]) {
			t.Errorf("parameter %s differs after resuming", full.Params.ParamNames()[i])
		}
		if !slices.Equal(full.Adam.M[i], res.Adam.M[i]) || !slices.Equal(full.Adam.V[i], res.Adam.V[i]) {
			t.Errorf("Adam moments of %s differ after resuming", full.Params.ParamNames()[i])
		}
	}
	// The partial run evaluated at step 5 (its last); the full one did not.
	var hr []Eval
	for _, e := range res.Meta.History {
		if e.Step != 5 {
			hr = append(hr, e)
		}
	}
	if len(hr) != len(full.Meta.History) {
		t.Fatalf("history: %d evaluations resumed, %d in one go", len(hr), len(full.Meta.History))
	}
	for i, e := range full.Meta.History {
		if e.Step != hr[i].Step || !slices.Equal(e.Acc, hr[i].Acc) {
			t.Errorf("evaluation %d: step %d acc %v in one go, step %d acc %v resumed", i, e.Step, e.Acc, hr[i].Step, hr[i].Acc)
		}
	}
}

// stopAfter is a context whose Err reports cancellation from its n+1-th
// call on: Run checks it once before every step, so the run stops after n
// steps, deterministically.
type stopAfter struct {
	context.Context
	calls, n int
}

func (c *stopAfter) Err() error {
	c.calls++
	if c.calls > c.n {
		return context.Canceled
	}
	return nil
}

// TestInterruptResumeExact interrupts a run after step 4 (between the
// evaluations at 3 and 6, inside a data segment), resumes it from the
// checkpoint saved on the way out, and compares everything with an
// uninterrupted run: weights, moments and every evaluation, mean losses
// included, bit for bit.
func TestInterruptResumeExact(t *testing.T) {
	full, err := NewTrainer(smallConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := full.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	part, err := NewTrainer(smallConfig())
	if err != nil {
		t.Fatal(err)
	}
	part.Checkpoint = filepath.Join(t.TempDir(), "ckpt.npz")
	if err := part.Run(&stopAfter{Context: context.Background(), n: 4}); err != context.Canceled {
		t.Fatalf("interrupted run returned %v, want context.Canceled", err)
	}
	res, err := Resume(part.Checkpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Step() != 4 || len(res.Meta.Pending) != 1 {
		t.Fatalf("resumed at step %d with %d pending losses, want 4 and 1", res.Step(), len(res.Meta.Pending))
	}
	if err := res.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := range full.Params.Values {
		if !slices.Equal(full.Params.Values[i], res.Params.Values[i]) || !slices.Equal(full.Adam.V[i], res.Adam.V[i]) {
			t.Errorf("%s or its moments differ after resuming", full.Params.ParamNames()[i])
		}
	}
	if len(full.Meta.History) != len(res.Meta.History) {
		t.Fatalf("%d evaluations in one go, %d resumed", len(full.Meta.History), len(res.Meta.History))
	}
	for i, e := range full.Meta.History {
		r := res.Meta.History[i]
		if e.Step != r.Step || math.Float64bits(float64(e.Loss)) != math.Float64bits(float64(r.Loss)) || !slices.Equal(e.Acc, r.Acc) {
			t.Errorf("evaluation %d: %+v in one go, %+v resumed", i, e, r)
		}
	}
}

// TestStopAtTargets: with every target at 0 the first evaluation after
// training (step 3) reaches them, is confirmed on more trials, and stops
// the run there.
func TestStopAtTargets(t *testing.T) {
	cfg := smallConfig()
	cfg.ConfirmTrials = 7
	cfg.Targets = map[string]float64{}
	for _, s := range ShortNames() {
		cfg.Targets[s] = 0
	}
	tr, err := NewTrainer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := tr.Meta.History
	if tr.Step() != 3 || tr.Meta.Reached != 3 || len(h) != 2 || len(h[1].Confirm) != len(ShortNames()) {
		t.Fatalf("stopped at step %d, reached %d, %d evaluations (last %+v); want step 3, reached 3, 2 evaluations, a confirmation", tr.Step(), tr.Meta.Reached, len(h), h[len(h)-1])
	}
}
