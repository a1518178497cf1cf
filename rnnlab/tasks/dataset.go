package tasks

import (
	"errors"
	"fmt"
	"math"
)

// DatasetConfig configures a Dataset. Zero fields mean their defaults.
type DatasetConfig struct {
	// BatchSize is the number of trial streams, one env copy each
	// (default 1).
	BatchSize int
	// SeqLen is the number of time steps per batch (default 1000).
	SeqLen int
	// CacheLen is neurogym's cache_len argument; 0 means the formula
	// c = 1e5/(ObsSize+1)/BatchSize. Either way the cache holds
	// (1+floor(c/SeqLen))*SeqLen steps, as in neurogym: a given 1600 with
	// SeqLen 100 becomes 1700. CacheLen() reports the actual length.
	CacheLen int
	// Seed seeds env i with Seed+i.
	Seed uint64
	// MaxBatch, when > 0, makes Next return nil after MaxBatch batches and
	// then start counting again (neurogym's max_batch ending an iteration).
	MaxBatch int
}

// Dataset batches a task's trials for supervised training, as neurogym's
// Dataset does: BatchSize copies of the task each fill one column of a cache
// of CacheLen() steps with trials concatenated end to end (the last one cut
// at the cache end); Next serves SeqLen consecutive steps of the cache and
// refills it, continuing every env's random stream, when start+SeqLen >=
// CacheLen() (so the last SeqLen rows of a cache are never served).
// Batches are time-major.
type Dataset struct {
	envs                  []Task
	batch, seqLen, cache  int
	obsSize               int
	maxBatch              int
	inputs                []float32 // [cache][batch][obs]
	labels                []int32   // [cache][batch]
	start                 int
	served, count, refill int
}

// NewDataset builds a dataset of task's trials: BatchSize clones of task
// (task itself is not used afterwards), env i seeded with cfg.Seed+i, and
// fills the first cache.
func NewDataset(task Task, cfg DatasetConfig) (*Dataset, error) {
	if task == nil {
		return nil, errors.New("dataset: nil task")
	}
	switch {
	case cfg.BatchSize < 0:
		return nil, fmt.Errorf("dataset: batch size %d < 0", cfg.BatchSize)
	case cfg.SeqLen < 0:
		return nil, fmt.Errorf("dataset: sequence length %d < 0", cfg.SeqLen)
	case cfg.CacheLen < 0:
		return nil, fmt.Errorf("dataset: cache length %d < 0", cfg.CacheLen)
	case cfg.MaxBatch < 0:
		return nil, fmt.Errorf("dataset: max batch %d < 0", cfg.MaxBatch)
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 1
	}
	if cfg.SeqLen == 0 {
		cfg.SeqLen = 1000
	}
	d := &Dataset{batch: cfg.BatchSize, seqLen: cfg.SeqLen, obsSize: task.ObsSize(), maxBatch: cfg.MaxBatch}
	d.cache = CacheLength(d.obsSize, cfg.BatchSize, cfg.SeqLen, cfg.CacheLen)
	if d.cache*d.batch*d.obsSize > 1<<31 {
		return nil, fmt.Errorf("dataset: cache of %d x %d x %d values is too large", d.cache, d.batch, d.obsSize)
	}
	d.envs = make([]Task, d.batch)
	for i := range d.envs {
		d.envs[i] = task.Clone()
		d.envs[i].Seed(cfg.Seed + uint64(i))
	}
	d.inputs = make([]float32, d.cache*d.batch*d.obsSize)
	d.labels = make([]int32, d.cache*d.batch)
	d.fill()
	return d, nil
}

// CacheLength is neurogym's cache length: with c = cacheLen if cacheLen >
// 0, else c = 1e5/(obsSize+1)/batchSize (the +1 is the size of a discrete
// action), it returns (1+floor(c/seqLen))*seqLen.
func CacheLength(obsSize, batchSize, seqLen, cacheLen int) int {
	c := float64(cacheLen)
	if cacheLen <= 0 {
		c = 1e5 / float64(obsSize+1) / float64(batchSize)
	}
	return (1 + int(math.Floor(c/float64(seqLen)))) * seqLen
}

// fill refills the cache with new trials from every env.
func (d *Dataset) fill() {
	ob := d.obsSize
	for i, env := range d.envs {
		for p := 0; p < d.cache; {
			tr, err := env.NewTrial(nil)
			if err != nil { // without overrides only a broken task fails
				panic(err)
			}
			if tr.N <= 0 {
				panic("tasks: dataset got a zero-length trial from " + env.Name())
			}
			if tr.ObsSize != ob {
				panic(fmt.Sprintf("tasks: trial obs size %d, dataset expects %d", tr.ObsSize, ob))
			}
			n := min(tr.N, d.cache-p)
			for t := 0; t < n; t++ {
				row := (p+t)*d.batch + i
				copy(d.inputs[row*ob:(row+1)*ob], tr.ObsAt(t))
				d.labels[row] = int32(tr.Labels[t])
			}
			p += n
		}
	}
	d.start = 0
	d.refill++
}

// Next returns the next batch, a fresh copy the caller owns: Inputs
// [SeqLen][BatchSize][ObsSize] and Labels [SeqLen][BatchSize]. With
// MaxBatch set it returns nil after every MaxBatch batches.
func (d *Dataset) Next() *Batch {
	d.count++
	if d.maxBatch > 0 && d.count > d.maxBatch {
		d.count = 0
		return nil
	}
	if d.start+d.seqLen >= d.cache {
		d.fill()
	}
	s, e := d.start*d.batch, (d.start+d.seqLen)*d.batch
	b := &Batch{
		T: d.seqLen, B: d.batch, ObsSize: d.obsSize,
		Inputs: append([]float32(nil), d.inputs[s*d.obsSize:e*d.obsSize]...),
		Labels: append([]int32(nil), d.labels[s:e]...),
	}
	d.start += d.seqLen
	d.served++
	return b
}

// Seed reseeds env i with seed+i. Like neurogym's dataset.seed, it affects
// only caches filled afterwards.
func (d *Dataset) Seed(seed uint64) {
	for i, env := range d.envs {
		env.Seed(seed + uint64(i))
	}
}

// Env returns env 0 (neurogym's dataset.env), e.g. for evaluation after
// training. It holds the last trial generated for batch row 0.
func (d *Dataset) Env() Task { return d.envs[0] }

// CacheLen returns the number of time steps in the cache.
func (d *Dataset) CacheLen() int { return d.cache }

// BatchSize returns the number of trial streams per batch.
func (d *Dataset) BatchSize() int { return d.batch }

// SeqLen returns the number of time steps per batch.
func (d *Dataset) SeqLen() int { return d.seqLen }

// ObsSize returns the number of input channels.
func (d *Dataset) ObsSize() int { return d.obsSize }

// NumActions returns the number of output classes of the task.
func (d *Dataset) NumActions() int { return d.envs[0].NumActions() }

// Refills returns how many times the cache has been filled, the
// constructor's fill included.
func (d *Dataset) Refills() int { return d.refill }

// Served returns how many batches Next has returned.
func (d *Dataset) Served() int { return d.served }
