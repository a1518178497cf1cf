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

// sourced is one batch, its recurrent noise and the time they took to
// make.
type sourced struct {
	b     *tasks.Batch
	noise []float32
	dur   time.Duration
	err   error
}

// prepFunc completes the batch b of training step k (1-based) before it
// is served: it may add targets and input noise (returning another batch)
// and draw the recurrent noise.
type prepFunc func(k int, b *tasks.Batch) (*tasks.Batch, []float32, error)

// batchMaker makes the batch of training step k (1-based); the steps are
// asked for in increasing order, from the first one on.
type batchMaker func(k int) (*tasks.Batch, error)

// scheduleMaker makes the batches of neurogym's yang19 setup: the batch of
// step k is batch (k−1) mod SegmentSteps of segment (k−1)/SegmentSteps's
// dataset (SegmentSeed), batch size bs and sequence length T; sched is
// cloned by the datasets, never used itself. first is the first step asked
// for (a resumed run replays its segment up to it).
func scheduleMaker(sched *tasks.Schedule, seed uint64, bs, T, first int) batchMaker {
	var ds *tasks.Dataset
	return func(k int) (*tasks.Batch, error) {
		s, off := (k-1)/SegmentSteps, (k-1)%SegmentSteps
		if ds == nil || off == 0 {
			var err error
			ds, err = tasks.NewDataset(sched, tasks.DatasetConfig{BatchSize: bs, SeqLen: T, Seed: SegmentSeed(seed, s)})
			if err != nil {
				return nil, err
			}
			if k == first {
				for range off { // replay to the resumed step
					ds.Next()
				}
			}
		}
		return ds.Next(), nil
	}
}

// newBatchSource starts serving the batches of step first (1-based) on,
// made by mk in a goroutine that works ahead of the engine. prep, if not
// nil, completes every batch (the MSE targets, the noise) before it is
// served, in the goroutine too, so that it overlaps the engine's work.
func newBatchSource(mk batchMaker, first int, prep prepFunc) *batchSource {
	src := &batchSource{ch: make(chan sourced, 2), done: make(chan struct{})}
	go func() {
		defer close(src.ch)
		for k := first; ; k++ {
			t0 := time.Now()
			b, err := mk(k)
			var noise []float32
			if err == nil && prep != nil {
				b, noise, err = prep(k, b)
			}
			if err != nil {
				err = fmt.Errorf("multitask: %w", err)
			}
			select {
			case src.ch <- sourced{b, noise, time.Since(t0), err}:
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

// next returns the next step's batch, its recurrent noise (nil without
// prep) and the time they took to make.
func (s *batchSource) next() (*tasks.Batch, []float32, time.Duration, error) {
	r, ok := <-s.ch
	if !ok {
		return nil, nil, 0, fmt.Errorf("multitask: batch source closed")
	}
	return r.b, r.noise, r.dur, r.err
}

// stop ends the goroutine.
func (s *batchSource) stop() {
	close(s.done)
	for range s.ch {
	}
}
