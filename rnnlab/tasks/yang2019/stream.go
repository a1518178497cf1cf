package yang2019

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// Stream serves the training batches of the paper's main networks
// (experiment.train_all), one per step: step k's batch is
// Generate(rule, BatchSize, Dt, rng) with (rule, rng) = TrainStep(seed, k),
// k = 0, 1, 2, .... It implements training.Dataset (Next); pass it the
// run's data seed (seeds.Data). Skip moves ahead without generating, so a
// resumed run can continue from step k at once.
type Stream struct {
	seed      uint64
	batchSize int
	dt        float64
	k         int
	last      *Info
}

// NewStream returns the stream of batches of batchSize trials at dt ms
// (64 and 20 in the paper) drawn from seed. batchSize < 1 or dt outside
// (0, 100] is an error.
func NewStream(seed uint64, batchSize int, dt float64) (*Stream, error) {
	if batchSize < 1 {
		return nil, fmt.Errorf("yang2019: batch size must be >= 1, got %d", batchSize)
	}
	if err := checkDt(dt); err != nil {
		return nil, err
	}
	return &Stream{seed: seed, batchSize: batchSize, dt: dt}, nil
}

// Next returns the batch of the current step and moves to the next step;
// Last describes it. It never ends (nil is never returned).
func (s *Stream) Next() *tasks.Batch {
	rule, rng := TrainStep(s.seed, s.k)
	b, info, err := Generate(rule, s.batchSize, s.dt, rng)
	if err != nil { // NewStream checked every argument
		panic(err)
	}
	s.k++
	s.last = info
	return b
}

// Skip moves n steps ahead (n ≥ 0) without generating their batches.
func (s *Stream) Skip(n int) {
	if n > 0 {
		s.k += n
	}
}

// Step returns the step whose batch Next returns next.
func (s *Stream) Step() int { return s.k }

// Last returns the Info of the batch Next returned last (nil before the
// first call): its rule, timing and the trials' y_loc for Performance.
func (s *Stream) Last() *Info { return s.last }
