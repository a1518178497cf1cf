package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// TargetCellRatio is the goal for every cell's training step: the median
// time rnnlab/PyTorch at H 64, B 16, T 100 must not exceed it. A cell above
// it is flagged in the summary (Report.Flagged).
const TargetCellRatio = 0.5

// Shapes of the per-cell comparison.
const (
	// EIAlpha is α = dt/τ of the E-I network (dt 20 ms, τ 100 ms, as
	// nn-brain trains it), EISigmaRec its σ_rec and EIFrac its excitatory
	// fraction.
	EIAlpha    = 0.2
	EISigmaRec = 0.15
	EIFrac     = 0.8
	// CellBatch and CellSeqLen are the batch size and sequence length of
	// every cell's training step (the tutorial's).
	CellBatch  = 16
	CellSeqLen = 100
	// CellHidden is the hidden size of the per-cell table.
	CellHidden = 64
)

// CellConfig is the network the benchmark trains for cell (one of
// models.Cells) with hidden units, 3 inputs and 3 outputs, cross-entropy:
//
//   - ctrnn: the primer's ReLU CTRNN, α = dt/τ = 100/100 = 1, no noise;
//   - ei: nn-brain's EI_RNN, ReLU, α = 20/100 = 0.2, σ_rec = 0.15,
//     excitatory fraction 0.8, W_eff = |W_rr| ⊙ D, read-out from the
//     excitatory units;
//   - gru, lstm: PyTorch's nn.GRU and nn.LSTM with an nn.Linear read-out;
//   - ugrnn: the update-gate RNN (models.CellUGRNN), against a PyTorch loop
//     of the same equations;
//   - leaky: Yang et al. (2019)'s LeakyRNNCell as the paper trains it:
//     softplus, α = 20/100 = 0.2, σ_rec = 0.05 inside f.
func CellConfig(cell string, hidden int) models.Config {
	c := models.Config{Cell: cell, NumInput: 3, NumHidden: hidden, NumOutput: 3, Dt: 100, Tau: 100}
	switch cell {
	case models.CellEI:
		c.Dt = EIAlpha * c.Tau
		c.SigmaRec, c.EFrac = EISigmaRec, EIFrac
	case models.CellLeaky:
		c.Dt, c.Activation, c.SigmaRec = 20, models.ActSoftplus, 0.05
	}
	return c
}

// CellRow is one cell's training step (forward over SeqLen steps of a
// batch of Batch, BPTT, Adam) side by side with PyTorch's; times in ms
// per step.
type CellRow struct {
	Cell    string `json:"cell"`
	Network string `json:"network"` // models.Config.Describe
	Hidden  int    `json:"hidden"`
	Batch   int    `json:"batch"`
	SeqLen  int    `json:"seq_len"`
	// Engine is the engine models.NewEngine("auto", cfg) chose ("cpu",
	// "gomlx:go", ...).
	Engine string `json:"engine"`
	Rnnlab *Stat  `json:"rnnlab"`
	Torch  *Stat  `json:"torch,omitempty"`
	// Ratio is Rnnlab/Torch by order statistic.
	Ratio *Stat `json:"ratio,omitempty"`
	// Target is TargetCellRatio on the per-cell table (0 on scaling rows);
	// Met reports Ratio.Median <= Target (nil without PyTorch).
	Target float64 `json:"target,omitempty"`
	Met    *bool   `json:"met,omitempty"`
}

// OnGoMLX reports whether the row ran on the GoMLX engine (the fallback of
// "auto" for a network without a CPU kernel).
func (c CellRow) OnGoMLX() bool { return strings.HasPrefix(c.Engine, "gomlx") }

// timeCell times the training step of cell at hidden units on batches with
// the engine "auto" picks and the Adam of rnnlab/optim, and returns its row.
func timeCell(cell string, hidden int, batches []*tasks.Batch, seed uint64, steps, repeats int) (CellRow, error) {
	cfg := CellConfig(cell, hidden)
	row := CellRow{Cell: cell, Network: cfg.Describe(), Hidden: hidden, Batch: batches[0].B, SeqLen: batches[0].T}
	eng, err := models.NewEngine(models.EngineAuto, cfg)
	if err != nil {
		return row, err
	}
	row.Engine = eng.Name()
	st, err := timeTraining(eng, cfg, batches, seed, steps, repeats)
	if err != nil {
		return row, fmt.Errorf("training step of %s (%s engine): %w", cfg.Describe(), eng.Name(), err)
	}
	row.Rnnlab = st
	return row, nil
}

// runCells measures the per-cell table: every cell of o.Cells at
// CellHidden on the prepared task batches (B 16, T 100).
func (m *measurer) runCells(ctx context.Context, r *Report, batches []*tasks.Batch) error {
	for _, cell := range m.o.Cells {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, err := timeCell(cell, CellHidden, batches, m.o.Seed, m.o.TrainSteps, m.o.Repeats)
		if err != nil {
			return err
		}
		row.Target = TargetCellRatio
		m.logf("bench: training step, %s (%s engine): %s ms", row.Network, row.Engine, fmtStat(row.Rnnlab))
		r.Cells = append(r.Cells, row)
	}
	return nil
}

// runCellScaling measures every cell of o.Cells at each hidden size of
// o.Sweeps.CellHidden (B 16, T 100, synthetic batches).
func runCellScaling(ctx context.Context, o Options, logf func(string, ...any)) ([]CellRow, error) {
	rng := rand.New(rand.NewPCG(o.Seed, 5))
	bs := syntheticBatches(rng, CellSeqLen, CellBatch, 4)
	var rows []CellRow
	for _, cell := range o.Cells {
		for _, h := range o.Sweeps.CellHidden {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			row, err := timeCell(cell, h, bs, o.Seed, o.Sweeps.Steps, o.Sweeps.Repeats)
			if err != nil {
				return nil, err
			}
			logf("bench: scaling, %s H %d (%s engine): %s ms", cell, h, row.Engine, fmtStat(row.Rnnlab))
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// torchCellJob lists rows for the reference script.
func torchCellJob(rows []CellRow) []map[string]any {
	var out []map[string]any
	for _, r := range rows {
		out = append(out, map[string]any{"cell": r.Cell, "hidden": r.Hidden, "batch": r.Batch, "seq": r.SeqLen})
	}
	return out
}

// torchCell is one row of the script's per-cell output.
type torchCell struct {
	Cell   string    `json:"cell"`
	Hidden int       `json:"hidden"`
	Batch  int       `json:"batch"`
	Seq    int       `json:"seq"`
	Ms     []float64 `json:"ms"`
}

// attachTorchCells sets Torch, Ratio and Met of rows from the script's
// rows with the same cell and shape.
func attachTorchCells(rows []CellRow, t []torchCell) {
	for k := range rows {
		r := &rows[k]
		i := slices.IndexFunc(t, func(c torchCell) bool {
			return c.Cell == r.Cell && c.Hidden == r.Hidden && c.Batch == r.Batch && c.Seq == r.SeqLen
		})
		if i < 0 {
			continue
		}
		r.Torch = NewStat(t[i].Ms)
		r.Ratio = ratio(r.Rnnlab, r.Torch)
		if r.Target > 0 && r.Ratio != nil {
			met := r.Ratio.Median <= r.Target
			r.Met = &met
		}
	}
}

// Flagged lists the cells of the per-cell table whose median ratio
// rnnlab/PyTorch exceeds TargetCellRatio, with their engine, such as
// "gru (gomlx:go engine): 3.1". Cells without a PyTorch time are not
// flagged.
func (r *Report) Flagged() []string {
	var out []string
	for _, c := range r.Cells {
		if c.Met != nil && !*c.Met {
			out = append(out, fmt.Sprintf("%s (%s engine): %.2f", c.Cell, c.Engine, c.Ratio.Median))
		}
	}
	return out
}

// CellsMarkdown returns the per-cell table as markdown: median ms per step
// (min–max), PyTorch's median, the median ratio and the check against
// TargetCellRatio.
func (r *Report) CellsMarkdown() string {
	var b strings.Builder
	b.WriteString("| cell | network | engine | rnnlab ms (min–max) | PyTorch ms | rnnlab/PyTorch | ≤ 0.5 |\n")
	b.WriteString("|---|---|---|---:|---:|---:|---|\n")
	for _, c := range r.Cells {
		torch, rat, met := cellCols(c)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", c.Cell, c.Network, c.Engine, fmtMedRange(c.Rnnlab), torch, rat, met)
	}
	return b.String()
}

// CellsMarkdown returns the per-cell hidden-size sweep as markdown: one
// row per cell and hidden size with the engine, rnnlab's median ms per
// step (min–max), PyTorch's median and the median ratio.
func (s *Scaling) CellsMarkdown() string {
	var b strings.Builder
	b.WriteString("| cell | H | engine | rnnlab ms (min–max) | PyTorch ms | rnnlab/PyTorch |\n")
	b.WriteString("|---|---:|---|---:|---:|---:|\n")
	for _, r := range s.Cells {
		torch, rat, _ := cellCols(r)
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s |\n", r.Cell, r.Hidden, r.Engine, fmtMedRange(r.Rnnlab), torch, rat)
	}
	return b.String()
}

// cellCols formats PyTorch's median, the median ratio and the target check
// of a row ("–" when absent).
func cellCols(c CellRow) (torch, rat, met string) {
	torch, rat, met = "–", "–", "–"
	if c.Torch != nil {
		torch = num(c.Torch.Median)
	}
	if c.Ratio != nil {
		rat = fmt.Sprintf("%.2f", c.Ratio.Median)
	}
	if c.Met != nil {
		met = "met"
		if !*c.Met {
			met = "**flagged**"
		}
	}
	return torch, rat, met
}

func fmtMedRange(s *Stat) string {
	if s == nil {
		return "–"
	}
	return fmt.Sprintf("%s (%s–%s)", num(s.Median), num(s.Min), num(s.Max))
}
