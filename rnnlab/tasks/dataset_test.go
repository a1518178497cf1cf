package tasks

import (
	"slices"
	"strings"
	"testing"
)

func newDataset(t *testing.T, task Task, cfg DatasetConfig) *Dataset {
	t.Helper()
	d, err := NewDataset(task, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCacheLength(t *testing.T) {
	for _, tc := range []struct {
		obs, batch, seq, given, want int
	}{
		{3, 16, 100, 0, 1600},  // 1e5/4/16 = 1562.5
		{3, 32, 1000, 0, 1000}, // 781.25 -> cache == seq
		{3, 1, 1000, 0, 26000}, // c = 25000, (1+25)*1000
		{3, 16, 100, 1600, 1700},
		{3, 16, 100, 50, 100},
	} {
		if got := CacheLength(tc.obs, tc.batch, tc.seq, tc.given); got != tc.want {
			t.Errorf("CacheLength(%d, %d, %d, %d) = %d, want %d", tc.obs, tc.batch, tc.seq, tc.given, got, tc.want)
		}
	}
}

// phase returns the within-trial step index of row 0 of column i of a
// batch of 22-step trials, from the position of the first decision step.
func phase(t *testing.T, b *Batch, i int) int {
	t.Helper()
	for s := 0; s < 22 && s < b.T; s++ {
		if b.Labels[s*b.B+i] != 0 {
			return ((21-s)%22 + 22) % 22
		}
	}
	t.Fatalf("no decision step in the first 22 rows of column %d", i)
	return -1
}

// stream concatenates the trials a fresh copy of task seeded with seed
// generates: it returns the first n rows of inputs and labels of the
// cache fills, each fill of cacheLen rows starting at a trial onset.
func stream(task Task, seed uint64, fills, cacheLen int) ([][]float32, []int) {
	env := task.Clone()
	env.Seed(seed)
	var obs [][]float32
	var lab []int
	for f := 0; f < fills; f++ {
		for p := 0; p < cacheLen; {
			tr, err := env.NewTrial(nil)
			if err != nil {
				panic(err)
			}
			for s := 0; s < tr.N && p < cacheLen; s++ {
				obs = append(obs, tr.ObsAt(s))
				lab = append(lab, tr.Labels[s])
				p++
			}
		}
	}
	return obs, lab
}

// TestDatasetPrimerBatches checks the batching of the primer setup:
// batch 16, seq_len 100, dt 100.
func TestDatasetPrimerBatches(t *testing.T) {
	task := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{})
	ds := newDataset(t, task, DatasetConfig{BatchSize: 16, SeqLen: 100, Seed: 123})
	if ds.CacheLen() != 1600 || ds.BatchSize() != 16 || ds.SeqLen() != 100 || ds.ObsSize() != 3 || ds.NumActions() != 3 {
		t.Fatalf("cache %d batch %d seq %d obs %d", ds.CacheLen(), ds.BatchSize(), ds.SeqLen(), ds.ObsSize())
	}
	// Expected streams of columns 0, 7 and 15: env i is seeded 123+i.
	cols := []int{0, 7, 15}
	wantObs := map[int][][]float32{}
	wantLab := map[int][]int{}
	for _, i := range cols {
		wantObs[i], wantLab[i] = stream(task, 123+uint64(i), 3, 1600)
	}
	var batches []*Batch
	for k := 1; k <= 31; k++ {
		b := ds.Next()
		batches = append(batches, b)
		if b.T != 100 || b.B != 16 || b.ObsSize != 3 || len(b.Inputs) != 100*16*3 || len(b.Labels) != 100*16 {
			t.Fatalf("batch %d: shape T %d B %d obs %d, len %d/%d", k, b.T, b.B, b.ObsSize, len(b.Inputs), len(b.Labels))
		}
		// Refills happen on calls 16 and 31.
		wantRefills := 1 + (k-1)/15
		if ds.Refills() != wantRefills {
			t.Fatalf("after call %d: %d fills, want %d", k, ds.Refills(), wantRefills)
		}
		// Batch k of a cache (1..15) starts at phase 100(k-1) mod 22.
		kc := (k-1)%15 + 1
		for i := 0; i < 16; i++ {
			if ph := phase(t, b, i); ph != 100*(kc-1)%22 {
				t.Fatalf("batch %d column %d: phase %d, want %d", k, i, ph, 100*(kc-1)%22)
			}
		}
		// Exact contents: cache c (0-based) rows 100(kc-1).. of the stream.
		c := (k - 1) / 15
		for _, i := range cols {
			for s := 0; s < 100; s++ {
				r := c*1600 + 100*(kc-1) + s
				row := (s*16 + i)
				if !slices.Equal(b.Inputs[row*3:row*3+3], wantObs[i][r]) || int(b.Labels[row]) != wantLab[i][r] {
					t.Fatalf("batch %d column %d row %d differs from the concatenated trials", k, i, s)
				}
			}
		}
	}
	if ds.Served() != 31 {
		t.Errorf("Served %d", ds.Served())
	}
	// Each column holds whole trials back to back: a decision every 22 steps.
	for s := 0; s < 100; s++ {
		if got, want := batches[0].Labels[s*16+3] != 0, s%22 == 21; got != want {
			t.Fatalf("batch 1 column 3 step %d: decision %v, want %v", s, got, want)
		}
	}
	// Env is env 0 and holds the last (truncated) trial of column 0.
	if ds.Env().Current() == nil || ds.Env().Name() != task.Name() {
		t.Error("Env() has no current trial")
	}
}

func TestDatasetSeedsAndOwnership(t *testing.T) {
	task := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{})
	before := task.Clone()
	a := newDataset(t, task, DatasetConfig{BatchSize: 4, SeqLen: 50, Seed: 1})
	b := newDataset(t, task, DatasetConfig{BatchSize: 4, SeqLen: 50, Seed: 1})
	c := newDataset(t, task, DatasetConfig{BatchSize: 4, SeqLen: 50, Seed: 2})
	first := a.Next()
	snapshot := append([]float32(nil), first.Inputs...)
	labSnap := append([]int32(nil), first.Labels...)
	bFirst := b.Next()
	if !slices.Equal(first.Inputs, bFirst.Inputs) || !slices.Equal(first.Labels, bFirst.Labels) {
		t.Fatal("same seed, different first batch")
	}
	if slices.Equal(first.Inputs, c.Next().Inputs) {
		t.Fatal("different seeds, same first batch")
	}
	// The caller owns batches: scribbling on one changes nothing else.
	for i := range bFirst.Inputs {
		bFirst.Inputs[i] = -7
	}
	for i := range bFirst.Labels {
		bFirst.Labels[i] = -7
	}
	n := a.CacheLen()/50 + 2 // past a refill
	for k := 0; k < n; k++ {
		x, y := a.Next(), b.Next()
		if !slices.Equal(x.Inputs, y.Inputs) || !slices.Equal(x.Labels, y.Labels) {
			t.Fatalf("batch %d differs between same-seed datasets", k+2)
		}
	}
	if !slices.Equal(first.Inputs, snapshot) || !slices.Equal(first.Labels, labSnap) {
		t.Error("a returned batch changed after later calls (aliasing)")
	}
	// The task passed in is not consumed.
	if !slices.Equal(mustTrial(t, task, nil).Obs, mustTrial(t, before, nil).Obs) {
		t.Error("NewDataset advanced the caller's task")
	}
	// Reseeding affects the next fill: equal to a fresh dataset's refill.
	a.Seed(9)
	d := newDataset(t, task, DatasetConfig{BatchSize: 4, SeqLen: 50, Seed: 9})
	var x *Batch
	for r := a.Refills(); a.Refills() == r; { // run a to its next refill
		x = a.Next()
	}
	if y := d.Next(); !slices.Equal(x.Inputs, y.Inputs) {
		t.Error("after Seed(9), the next fill differs from a fresh dataset seeded 9")
	}
}

func TestDatasetCacheEqualsSeqLen(t *testing.T) {
	// batch 32, seq 1000: cache_len == seq_len, every call refills and
	// starts at a trial onset.
	task := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{})
	ds := newDataset(t, task, DatasetConfig{BatchSize: 32, SeqLen: 1000})
	if ds.CacheLen() != 1000 {
		t.Fatalf("cache %d", ds.CacheLen())
	}
	for k := 1; k <= 3; k++ {
		b := ds.Next()
		if ds.Refills() != 1+k {
			t.Fatalf("call %d: %d fills", k, ds.Refills())
		}
		for i := 0; i < 32; i++ {
			if ph := phase(t, b, i); ph != 0 {
				t.Fatalf("call %d column %d: phase %d, want 0", k, i, ph)
			}
		}
	}
}

func TestDatasetVariableTrialsAndMaxBatch(t *testing.T) {
	task := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Dt: 20, Timing: PDMTiming{Stimulus: Choice(100, 200, 400, 800)}})
	ds := newDataset(t, task, DatasetConfig{BatchSize: 3, SeqLen: 40, CacheLen: 150, MaxBatch: 5})
	if ds.CacheLen() != 160 {
		t.Fatalf("cache %d, want (1+floor(150/40))*40 = 160", ds.CacheLen())
	}
	o, l := stream(task, 1, 3, 160) // column 1, seed 0+1
	got := 0
	for k := 0; k < 6; k++ {
		b := ds.Next()
		if k == 5 {
			if b != nil {
				t.Fatal("MaxBatch 5: sixth call should return nil")
			}
			break
		}
		// Cache of 160, seq 40: three batches per fill (rows 0-119).
		c, kc := k/3, k%3
		for s := 0; s < 40; s++ {
			r := c*160 + kc*40 + s
			row := s*3 + 1
			if !slices.Equal(b.Inputs[row*3:row*3+3], o[r]) || int(b.Labels[row]) != l[r] {
				t.Fatalf("batch %d row %d: differs from the concatenated trials", k, s)
			}
		}
		got++
	}
	if got != 5 || ds.Next() == nil {
		t.Error("iteration did not restart after nil")
	}
}

func TestDatasetErrors(t *testing.T) {
	task := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{})
	for _, tc := range []struct {
		name string
		task Task
		cfg  DatasetConfig
		want string
	}{
		{"nil task", nil, DatasetConfig{}, "nil task"},
		{"negative batch", task, DatasetConfig{BatchSize: -1}, "batch size"},
		{"negative seq", task, DatasetConfig{SeqLen: -1}, "sequence length"},
		{"negative cache", task, DatasetConfig{CacheLen: -1}, "cache length"},
		{"negative max batch", task, DatasetConfig{MaxBatch: -1}, "max batch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewDataset(tc.task, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	ds := newDataset(t, task, DatasetConfig{})
	if ds.BatchSize() != 1 || ds.SeqLen() != 1000 || ds.CacheLen() != 26000 {
		t.Errorf("defaults: batch %d seq %d cache %d", ds.BatchSize(), ds.SeqLen(), ds.CacheLen())
	}
}
