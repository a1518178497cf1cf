package yang2019_test

import (
	"math"
	"slices"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// The stream is a training dataset.
var _ training.Dataset = (*yang2019.Stream)(nil)

// TestStream checks that the stream serves TrainStep's batches in order,
// that Skip lands on the same batch as stepping through, and its errors.
func TestStream(t *testing.T) {
	s, err := yang2019.NewStream(5, 6, 20)
	if err != nil {
		t.Fatal(err)
	}
	for k := range 5 {
		b := s.Next()
		rule, rng := yang2019.TrainStep(5, k)
		want, info, _ := yang2019.Generate(rule, 6, 20, rng)
		if s.Last().Rule != rule || !slices.Equal(b.Inputs, want.Inputs) || !slices.Equal(b.Mask, want.Mask) ||
			!slices.Equal(s.Last().YLoc(), info.YLoc()) {
			t.Fatalf("step %d: the stream's batch is not TrainStep's", k)
		}
	}
	r, _ := yang2019.NewStream(5, 6, 20)
	r.Skip(3)
	s2, _ := yang2019.NewStream(5, 6, 20)
	for range 3 {
		s2.Next()
	}
	if r.Step() != 3 || !slices.Equal(r.Next().Inputs, s2.Next().Inputs) {
		t.Fatalf("Skip(3) does not land on step 3")
	}
	if _, err := yang2019.NewStream(1, 0, 20); err == nil {
		t.Errorf("batch size 0: no error")
	}
	if _, err := yang2019.NewStream(1, 64, 0); err == nil {
		t.Errorf("dt 0: no error")
	}
}

// TestInputNoiseStd checks σ_x·sqrt(2/α) at the paper's values.
func TestInputNoiseStd(t *testing.T) {
	if got := yang2019.InputNoiseStd(0.01, 0.2); math.Abs(got-0.01*math.Sqrt(10)) > 1e-15 {
		t.Fatalf("InputNoiseStd(0.01, 0.2) = %v", got)
	}
}
