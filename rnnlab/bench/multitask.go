package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/multitask"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// Shape of the multitask row: the network and batches of Yang et al.
// (2019)'s twenty tasks as rnnlab multitask trains them (multitask.Config's
// defaults).
const (
	MultitaskHidden  = multitask.DefaultHidden
	MultitaskBatch   = multitask.DefaultBatchSize
	MultitaskSeqLen  = multitask.DefaultSeqLen
	MultitaskInputs  = tasks.Yang19ObsSize + 20 // 33 + the one-hot rule
	MultitaskOutputs = tasks.Yang19NumActions
	// NeurogymBatchMs is the time neurogym took to make one such batch
	// on this machine (issue 12), which the PyTorch figure leaves out.
	NeurogymBatchMs = 24.0
	// TargetMultitaskRatio is issue 12's goal: rnnlab's step, data
	// included, at most half of PyTorch's.
	TargetMultitaskRatio = 0.5
)

// MultitaskRow is one training step of the multitask network: a 256-unit
// ReLU CTRNN (α = 1) with 53 inputs and 17 outputs, mean cross-entropy over
// a batch of 32 streams of 100 steps, BPTT and Adam. rnnlab's time includes
// making the batch in Go (tasks.Dataset.Next on multitask.NewSchedule: the
// twenty tasks under the random schedule with the rule input), done in the
// same goroutine before the step, so it is an upper bound of the trainer's
// step (which makes the next batch in parallel). PyTorch trains the same
// network on random batches of the same shape made in advance: its time
// does not include making data (neurogym, which cannot run here, took
// about NeurogymBatchMs per batch).
type MultitaskRow struct {
	Network string `json:"network"`
	Hidden  int    `json:"hidden"`
	Batch   int    `json:"batch"`
	SeqLen  int    `json:"seq_len"`
	Inputs  int    `json:"inputs"`
	Outputs int    `json:"outputs"`
	Engine  string `json:"engine"`
	// Rnnlab is ms per step, batch included; Data the ms of making the
	// batch alone, measured inside the same steps.
	Rnnlab *Stat `json:"rnnlab"`
	Data   *Stat `json:"data"`
	// Torch is PyTorch's ms per step without data; Ratio Rnnlab/Torch.
	Torch *Stat `json:"torch,omitempty"`
	Ratio *Stat `json:"ratio,omitempty"`
	// Target is TargetMultitaskRatio; Met reports Ratio.Median <= Target.
	Target float64 `json:"target"`
	Met    *bool   `json:"met,omitempty"`
}

// timeMultitask measures the multitask row: steps training steps per
// repeat, after two warm-up steps, each making its batch and then running
// LossAndGrad and the Adam update.
func timeMultitask(ctx context.Context, seed uint64, steps, repeats int) (*MultitaskRow, error) {
	cfg := multitask.Config{Seed: seed}.WithDefaults()
	mc := cfg.Model()
	row := &MultitaskRow{Network: mc.Describe(), Hidden: mc.NumHidden, Batch: cfg.BatchSize, SeqLen: cfg.SeqLen,
		Inputs: mc.NumInput, Outputs: mc.NumOutput, Target: TargetMultitaskRatio}
	eng, err := models.NewEngine(cfg.Engine, mc)
	if err != nil {
		return nil, err
	}
	row.Engine = eng.Name()
	sched, err := multitask.NewSchedule(cfg.Dt, false)
	if err != nil {
		return nil, err
	}
	ds, err := tasks.NewDataset(sched, tasks.DatasetConfig{BatchSize: cfg.BatchSize, SeqLen: cfg.SeqLen,
		Seed: rand.New(rand.NewPCG(seed, 12)).Uint64()})
	if err != nil {
		return nil, err
	}
	p, err := models.NewParams(mc, seed)
	if err != nil {
		return nil, err
	}
	var sizes []int
	for _, t := range p.Tensors() {
		sizes = append(sizes, len(t))
	}
	adam := optim.PyTorchAdam(cfg.LR).NewState(sizes...)
	var dataDur time.Duration
	step := func() error {
		t0 := time.Now()
		b := ds.Next()
		dataDur += time.Since(t0)
		res, err := eng.LossAndGrad(p, b, nil)
		if err != nil {
			return err
		}
		return adam.Update(p.Tensors(), res.Grads)
	}
	for range 2 {
		if err := step(); err != nil {
			return nil, fmt.Errorf("multitask training step: %w", err)
		}
	}
	var ms, data []float64
	for range repeats {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		dataDur = 0
		t0 := time.Now()
		for range steps {
			if err := step(); err != nil {
				return nil, fmt.Errorf("multitask training step: %w", err)
			}
		}
		ms = append(ms, msPer(time.Since(t0), steps))
		data = append(data, msPer(dataDur, steps))
	}
	row.Rnnlab, row.Data = NewStat(ms), NewStat(data)
	return row, nil
}

// torchJob is the row's request to the reference script.
func (m *MultitaskRow) torchJob() map[string]any {
	return map[string]any{"hidden": m.Hidden, "batch": m.Batch, "seq": m.SeqLen, "inputs": m.Inputs, "outputs": m.Outputs}
}

// attachTorch sets Torch, Ratio and Met from PyTorch's ms per step.
func (m *MultitaskRow) attachTorch(ms []float64) {
	m.Torch = NewStat(ms)
	m.Ratio = ratio(m.Rnnlab, m.Torch)
	if m.Ratio != nil {
		met := m.Ratio.Median <= m.Target
		m.Met = &met
	}
}

// writeText prints the row: rnnlab's step with its data share, PyTorch's
// without data, the ratio and the target.
func (m *MultitaskRow) writeText(w io.Writer) {
	fmt.Fprintf(w, "multitask step (%s, %d in, %d out, B%d T%d, %s engine): rnnlab %s ms incl. making the batch in Go (%s ms of it)",
		m.Network, m.Inputs, m.Outputs, m.Batch, m.SeqLen, m.Engine, fmtStat(m.Rnnlab), fmtStat(m.Data))
	if m.Torch == nil {
		fmt.Fprintln(w, "; no PyTorch")
		return
	}
	verdict := "met"
	if m.Met != nil && !*m.Met {
		verdict = "missed"
	}
	fmt.Fprintf(w, "; PyTorch %s ms without data (neurogym adds ~%g ms); rnnlab/PyTorch %.2f, target <= %g (%s)\n",
		fmtStat(m.Torch), NeurogymBatchMs, m.Ratio.Median, m.Target, verdict)
}
