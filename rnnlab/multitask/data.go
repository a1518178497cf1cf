package multitask

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// SegmentSteps is the number of training steps served by one tasks.Dataset.
// Steps (s·SegmentSteps, (s+1)·SegmentSteps] draw their batches from a
// dataset of the schedule seeded with SegmentSeed(seed, s), so the batch of
// step k depends on the run's seed and k only: a resumed run rebuilds the
// dataset of its segment and replays at most SegmentSteps−1 batches.
const SegmentSteps = 100

// SegmentSeed is the seed of the dataset of segment s of a run with seed
// seed: the first draw of PCG(seeds.Data(seed), s). The dataset seeds its
// stream i with SegmentSeed + i.
func SegmentSeed(seed uint64, s int) uint64 {
	return rand.New(rand.NewPCG(seeds.Data(seed), uint64(s))).Uint64()
}

// batchSource serves the training batches of steps first, first+1, ...
// from a goroutine that prepares the next batches while the engine works.
type batchSource struct {
	ch   chan sourced
	done chan struct{}
}

// sourced is one batch with the time it took to make.
type sourced struct {
	b   *tasks.Batch
	dur time.Duration
	err error
}

// newBatchSource starts serving the batches of step first (1-based) on:
// the batch of step k is batch (k−1) mod SegmentSteps of segment
// (k−1)/SegmentSteps's dataset (SegmentSeed), batch size bs and sequence
// length T; sched is cloned by the datasets, never used itself. prep, if
// not nil, completes every batch (the MSE targets and mask of the paper's
// setup) before it is served.
func newBatchSource(sched *tasks.Schedule, seed uint64, bs, T, first int, prep func(*tasks.Batch) error) *batchSource {
	src := &batchSource{ch: make(chan sourced, 2), done: make(chan struct{})}
	go func() {
		defer close(src.ch)
		var ds *tasks.Dataset
		for k := first; ; k++ {
			t0 := time.Now()
			s, off := (k-1)/SegmentSteps, (k-1)%SegmentSteps
			var err error
			if ds == nil || off == 0 {
				ds, err = tasks.NewDataset(sched, tasks.DatasetConfig{BatchSize: bs, SeqLen: T, Seed: SegmentSeed(seed, s)})
				if err == nil && k == first {
					for range off { // replay to the resumed step
						ds.Next()
					}
				}
			}
			var b *tasks.Batch
			if err == nil {
				b = ds.Next()
				if prep != nil {
					if err = prep(b); err != nil {
						err = fmt.Errorf("multitask: %w", err)
					}
				}
			} else {
				err = fmt.Errorf("multitask: %w", err)
			}
			select {
			case src.ch <- sourced{b, time.Since(t0), err}:
			case <-src.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return src
}

// next returns the next step's batch and the time it took to make.
func (s *batchSource) next() (*tasks.Batch, time.Duration, error) {
	r, ok := <-s.ch
	if !ok {
		return nil, 0, fmt.Errorf("multitask: batch source closed")
	}
	return r.b, r.dur, r.err
}

// stop ends the goroutine.
func (s *batchSource) stop() {
	close(s.done)
	for range s.ch {
	}
}
