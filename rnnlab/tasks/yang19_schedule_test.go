package tasks

import (
	"slices"
	"testing"
)

// TestYang19MultitaskDataset trains' data for one network on the twenty Yang
// et al. 2019 tasks: a Random schedule with the one-hot rule input, batched
// by the Dataset. Every row of every batch must be the row of the trial that
// a reference copy of the schedule (seeded as the Dataset seeds its env i)
// draws at that position, and its 20 rule channels must be the one-hot of
// that trial's task; every task must appear.
func TestYang19MultitaskDataset(t *testing.T) {
	names := Yang19Names()
	var ts []Task
	for _, n := range names {
		task, err := New(n)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, task)
	}
	s := newSchedule(t, ts, Random(), true)
	const obs, rules = 33, 20
	if s.ObsSize() != obs+rules || s.NumActions() != 17 {
		t.Fatalf("schedule has %d inputs and %d actions, want 53 and 17", s.ObsSize(), s.NumActions())
	}
	cfg := DatasetConfig{BatchSize: 8, SeqLen: 100, Seed: 7}
	ds, err := NewDataset(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cache := ds.CacheLen()
	nb := cache/cfg.SeqLen - 1 // batches served before the first refill
	if nb < 1 {
		t.Fatalf("cache of %d rows for sequences of %d", cache, cfg.SeqLen)
	}
	batches := make([]*Batch, nb)
	for k := range batches {
		batches[k] = ds.Next()
	}
	seen := map[int]bool{}
	for i := range cfg.BatchSize {
		env := s.Clone()
		env.Seed(cfg.Seed + uint64(i))
		var rows [][]float32
		var labels, task []int
		for len(rows) < cache {
			tr := mustTrial(t, env, nil)
			k := tr.Record.(ScheduleTrial).Task
			for st := range min(tr.N, cache-len(rows)) {
				rows = append(rows, tr.ObsAt(st))
				labels = append(labels, tr.Labels[st])
				task = append(task, k)
			}
		}
		for bi, b := range batches {
			for st := range b.T {
				p := bi*cfg.SeqLen + st
				got := b.Inputs[(st*b.B+i)*b.ObsSize : (st*b.B+i+1)*b.ObsSize]
				if !slices.Equal(got, rows[p]) || int(b.Labels[st*b.B+i]) != labels[p] {
					t.Fatalf("stream %d, batch %d, step %d: not the reference trial's row", i, bi, st)
				}
				for r := range rules {
					want := float32(0)
					if r == task[p] {
						want = 1
					}
					if got[obs+r] != want {
						t.Fatalf("stream %d, batch %d, step %d: rule channel %d = %v, the trial is task %d (%s)",
							i, bi, st, r, got[obs+r], task[p], names[task[p]])
					}
				}
				seen[task[p]] = true
			}
		}
	}
	if len(seen) != rules {
		t.Errorf("%d of the 20 tasks appear in %d batches of %d streams", len(seen), nb, cfg.BatchSize)
	}
}
