package tasks

import (
	"fmt"
	"math/rand/v2"
)

// MemoryReportConfig configures MemoryReport, the memorise/report task of
// nn-brain's LSTMVisualization notebook. Zero fields mean the notebook's
// training values.
type MemoryReportConfig struct {
	// BatchSize is the number of sequences per batch (default 16).
	BatchSize int
	// MinLen and MaxLen bound the length L of one sequence, drawn uniformly
	// in [MinLen, MaxLen] for every batch (defaults 5 and 19: the
	// notebook's np.random.randint(5, 20)). MinLen must be >= 3 so that
	// both halves hold a pulse.
	MinLen, MaxLen int
	// Repeats is the number of sequences concatenated in time in every
	// batch (default 3), so T = Repeats·L.
	Repeats int
	// Seed seeds the batches: the same Seed gives the same batches.
	Seed uint64
}

// Defaults of MemoryReportConfig (nn-brain's LSTMVisualization training).
const (
	DefaultMemoryBatch   = 16
	DefaultMemoryMinLen  = 5
	DefaultMemoryMaxLen  = 19
	DefaultMemoryRepeats = 3
)

// MemoryReport serves batches of the memorise/report task for an MSE
// network with 3 inputs and 1 output (models.LossMSE). It implements
// training.Dataset. Every call of Next draws a sequence length L uniformly
// in [MinLen, MaxLen] and returns MemoryReportBatch(rng, L, BatchSize,
// Repeats), all from one PCG stream seeded by Seed.
type MemoryReport struct {
	cfg MemoryReportConfig
	rng *rand.Rand
}

// NewMemoryReport returns the task's batch generator, or an error naming
// the first bad field.
func NewMemoryReport(cfg MemoryReportConfig) (*MemoryReport, error) {
	if cfg.BatchSize == 0 {
		cfg.BatchSize = DefaultMemoryBatch
	}
	if cfg.MinLen == 0 {
		cfg.MinLen = DefaultMemoryMinLen
	}
	if cfg.MaxLen == 0 {
		cfg.MaxLen = DefaultMemoryMaxLen
	}
	if cfg.Repeats == 0 {
		cfg.Repeats = DefaultMemoryRepeats
	}
	switch {
	case cfg.BatchSize < 0:
		return nil, fmt.Errorf("tasks: memory report: batch size must be > 0, got %d", cfg.BatchSize)
	case cfg.MinLen < 3:
		return nil, fmt.Errorf("tasks: memory report: min length must be >= 3, got %d", cfg.MinLen)
	case cfg.MaxLen < cfg.MinLen:
		return nil, fmt.Errorf("tasks: memory report: max length %d < min length %d", cfg.MaxLen, cfg.MinLen)
	case cfg.Repeats < 0:
		return nil, fmt.Errorf("tasks: memory report: repeats must be > 0, got %d", cfg.Repeats)
	}
	return &MemoryReport{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x4d656d6f7279))}, nil
}

// Config returns the configuration with its defaults filled in.
func (m *MemoryReport) Config() MemoryReportConfig { return m.cfg }

// Next draws the next batch (never nil).
func (m *MemoryReport) Next() *Batch {
	L := m.cfg.MinLen + m.rng.IntN(m.cfg.MaxLen-m.cfg.MinLen+1)
	return MemoryReportBatch(m.rng, L, m.cfg.BatchSize, m.cfg.Repeats)
}

// Channels of the memorise/report task's input and its one output.
const (
	MemoryChStimulus = 0 // uniform(-1, 1) noise at every step
	MemoryChMemorise = 1 // 1 at the step whose stimulus is to be remembered
	MemoryChReport   = 2 // 1 at the step where the value must be reported
)

// MemoryReportBatch is nn-brain's memory_task(seq_len, batch_size,
// n_repeat): Repeats sequences of length L concatenated in time, T =
// Repeats·L steps, 3 input channels and 1 output, time-major. In sequence k
// of column b (steps kL to kL+L-1):
//
//	x[t][b][0] ~ U(-1, 1) at every step,
//	x[kL+m][b][1] = 1, m ~ U{0, …, ⌊L/2⌋-1}  (memorise, first half),
//	x[kL+r][b][2] = 1, r ~ U{⌊L/2⌋, …, L-2}  (report, second half),
//	y[kL+r][b][0] = x[kL+m][b][0], y = 0 elsewhere.
//
// (numpy's randint(L/2) and randint(L/2, L-1) truncate the float L/2, so
// the report never falls on a sequence's last step.) Mask is 1 everywhere:
// the loss is the plain mean squared error over every step, as nn.MSELoss
// in the notebook. Labels are all 0 (no classification). L must be >= 3.
func MemoryReportBatch(rng *rand.Rand, L, batch, repeats int) *Batch {
	if L < 3 || batch <= 0 || repeats <= 0 {
		panic(fmt.Sprintf("tasks: MemoryReportBatch: need L >= 3, batch > 0, repeats > 0; got %d, %d, %d", L, batch, repeats))
	}
	T := L * repeats
	const I = 3
	b := &Batch{
		T: T, B: batch, ObsSize: I,
		Inputs:  make([]float32, T*batch*I),
		Labels:  make([]int32, T*batch),
		Targets: make([]float32, T*batch),
		Mask:    make([]float32, T*batch),
	}
	for i := range b.Mask {
		b.Mask[i] = 1
	}
	half := L / 2
	for k := range repeats {
		t0 := k * L
		for t := t0; t < t0+L; t++ {
			for j := range batch {
				b.Inputs[(t*batch+j)*I+MemoryChStimulus] = float32(rng.Float64()*2 - 1)
			}
		}
		stim := make([]int, batch)
		for j := range batch {
			stim[j] = t0 + rng.IntN(half)
		}
		for j := range batch {
			test := t0 + half + rng.IntN(L-1-half)
			b.Inputs[(stim[j]*batch+j)*I+MemoryChMemorise] = 1
			b.Inputs[(test*batch+j)*I+MemoryChReport] = 1
			b.Targets[test*batch+j] = b.Inputs[(stim[j]*batch+j)*I+MemoryChStimulus]
		}
	}
	return b
}

// BatchColumn returns column k of a time-major batch as one trial: its
// inputs [T][ObsSize] and, for an MSE batch, its targets [T][O] (nil
// otherwise), row-major; for plotting a sample sequence.
func BatchColumn(b *Batch, k int) (inputs, targets []float32) {
	if k < 0 || k >= b.B {
		panic(fmt.Sprintf("tasks: BatchColumn: column %d outside [0, %d)", k, b.B))
	}
	I := b.ObsSize
	inputs = make([]float32, 0, b.T*I)
	for t := range b.T {
		off := (t*b.B + k) * I
		inputs = append(inputs, b.Inputs[off:off+I]...)
	}
	if b.Targets != nil {
		O := len(b.Targets) / (b.T * b.B)
		targets = make([]float32, 0, b.T*O)
		for t := range b.T {
			off := (t*b.B + k) * O
			targets = append(targets, b.Targets[off:off+O]...)
		}
	}
	return inputs, targets
}
