package lstmviz

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// The test batch of nn-brain's notebook: memory_task(seq_len=20,
// batch_size=16, n_repeat=2), T = 40 steps, and the sequence its figure
// shows (i_trial = 1).
const (
	TestLen     = 20
	TestBatch   = 16
	TestRepeats = 2
	TestColumn  = 1
)

// Evaluation is a trained LSTM read out on a test batch of the task.
type Evaluation struct {
	// Batch is the test batch, time-major (tasks.MemoryReportBatch).
	Batch *tasks.Batch
	// Gates holds the gates, states and output of every sequence
	// (column) of Batch, from analysis.Gates.
	Gates []*analysis.LSTMGates
	// MSE is the loss on the batch: the mean of (y_t − target_t)² over
	// every step and sequence.
	MSE float64
	// ReportMSE is the same mean over the report steps only (report input
	// 1), where the target is the remembered stimulus; TargetVar is the
	// mean of target² over those steps, the ReportMSE of a network that
	// always answers 0 (about 1/3 for a stimulus uniform in (−1, 1)).
	ReportMSE, TargetVar float64
	// Reports is the number of report steps in Batch.
	Reports int
	// AtMemorise, AtReport and Elsewhere are the mean gates of every unit
	// over the memorise steps, the report steps and the other steps of
	// Batch.
	AtMemorise, AtReport, Elsewhere GateMeans
}

// GateMeans holds mean values of an LSTM's input, forget and output gates
// (i, f and o of analysis.LSTMGates) over a set of steps.
type GateMeans struct {
	Input, Forget, Output float64
}

// gateSum accumulates GateMeans.
type gateSum struct {
	i, f, o float64
	n       int
}

func (s *gateSum) add(g *analysis.LSTMGates, t int) {
	for j := range g.H {
		s.i += float64(g.Input[t*g.H+j])
		s.f += float64(g.Forget[t*g.H+j])
		s.o += float64(g.Output[t*g.H+j])
		s.n++
	}
}

func (s gateSum) mean() GateMeans {
	n := float64(max(s.n, 1))
	return GateMeans{Input: s.i / n, Forget: s.f / n, Output: s.o / n}
}

// Evaluate draws the test batch (TestLen, TestBatch, TestRepeats) from a
// PCG stream seeded with seeds.Analysis(seed) and runs the LSTM p on every
// sequence with analysis.Gates (no noise, h_0 = c_0 = 0).
func Evaluate(p *models.Params, seed uint64) (*Evaluation, error) {
	if p == nil {
		return nil, fmt.Errorf("lstmviz: evaluate: nil network")
	}
	if p.NumInput != 3 || p.NumOutput != 1 {
		return nil, fmt.Errorf("lstmviz: evaluate: the network has %d inputs and %d outputs, want 3 and 1", p.NumInput, p.NumOutput)
	}
	a := seeds.Analysis(seed)
	rng := rand.New(rand.NewPCG(a, a^0x4c53544d))
	b := tasks.MemoryReportBatch(rng, TestLen, TestBatch, TestRepeats)
	e := &Evaluation{Batch: b, Gates: make([]*analysis.LSTMGates, b.B)}
	var sum, rsum, vsum float64
	var mem, rep, other gateSum
	for k := range b.B {
		xs, ys := tasks.BatchColumn(b, k)
		g, err := analysis.Gates(p, xs)
		if err != nil {
			return nil, fmt.Errorf("lstmviz: evaluate: %w", err)
		}
		e.Gates[k] = g
		for t := range b.T {
			d := float64(g.Out[t]) - float64(ys[t])
			sum += d * d
			switch {
			case xs[t*3+tasks.MemoryChReport] == 1:
				rsum += d * d
				vsum += float64(ys[t]) * float64(ys[t])
				e.Reports++
				rep.add(g, t)
			case xs[t*3+tasks.MemoryChMemorise] == 1:
				mem.add(g, t)
			default:
				other.add(g, t)
			}
		}
	}
	e.MSE = sum / float64(b.T*b.B)
	e.AtMemorise, e.AtReport, e.Elsewhere = mem.mean(), rep.mean(), other.mean()
	if e.Reports > 0 {
		e.ReportMSE, e.TargetVar = rsum/float64(e.Reports), vsum/float64(e.Reports)
	}
	if math.IsNaN(e.MSE) || math.IsInf(e.MSE, 0) {
		return nil, fmt.Errorf("lstmviz: evaluate: the network's output is not finite")
	}
	return e, nil
}

// Trace is sequence k of the test batch for plots.LSTMGates: its inputs,
// target, the network's output and unit 0's input, forget and output gates.
func (e *Evaluation) Trace(k int) (plots.LSTMTrace, error) {
	if k < 0 || k >= len(e.Gates) {
		return plots.LSTMTrace{}, fmt.Errorf("lstmviz: trace: sequence %d outside [0, %d)", k, len(e.Gates))
	}
	xs, ys := tasks.BatchColumn(e.Batch, k)
	g := e.Gates[k]
	return plots.LSTMTrace{
		Stimulus:   analysis.Unit(xs, 3, tasks.MemoryChStimulus),
		Memorise:   analysis.Unit(xs, 3, tasks.MemoryChMemorise),
		Report:     analysis.Unit(xs, 3, tasks.MemoryChReport),
		Target:     analysis.Unit(ys, 1, 0),
		Output:     analysis.Unit(g.Out, 1, 0),
		InputGate:  analysis.Unit(g.Input, g.H, 0),
		ForgetGate: analysis.Unit(g.Forget, g.H, 0),
		OutputGate: analysis.Unit(g.Output, g.H, 0),
	}, nil
}

// Figure draws sequence k of the test batch with plots.LSTMGates.
func (e *Evaluation) Figure(k int) (*plots.Figure, error) {
	tr, err := e.Trace(k)
	if err != nil {
		return nil, err
	}
	return plots.LSTMGates(tr)
}

// GateTable is the mean gates as a table: a header and one row per kind
// of step (memorise, report, other), values with 3 decimals.
func (e *Evaluation) GateTable() (header []string, rows [][]string) {
	header = []string{"steps", "input gate", "forget gate", "output gate"}
	for _, r := range []struct {
		name string
		m    GateMeans
	}{{"memorise", e.AtMemorise}, {"report", e.AtReport}, {"other", e.Elsewhere}} {
		rows = append(rows, []string{r.name, fmt.Sprintf("%.3f", r.m.Input), fmt.Sprintf("%.3f", r.m.Forget), fmt.Sprintf("%.3f", r.m.Output)})
	}
	return header, rows
}

// WriteGateTable prints GateTable to w as aligned text, one line per row:
// "Mean gates at the memorise steps: input 0.978, forget 0.016, output 0.001".
func (e *Evaluation) WriteGateTable(w io.Writer) {
	_, rows := e.GateTable()
	for _, r := range rows {
		fmt.Fprintf(w, "Mean gates at the %s steps: input %s, forget %s, output %s\n", r[0], r[1], r[2], r[3])
	}
}

// String summarises the evaluation in one line.
func (e *Evaluation) String() string {
	return fmt.Sprintf("Test batch (%d sequences of %d steps): MSE %.3g; at the %d report steps %.3g (answering 0 would give %.3g)",
		e.Batch.B, e.Batch.T, e.MSE, e.Reports, e.ReportMSE, e.TargetVar)
}

// Pulse is one memorise/report pair of a sequence: the steps of the two
// pulses, the stimulus at the memorise step and the target at the report
// step (equal in the task).
type Pulse struct {
	Memorise, Report int
	Stimulus, Target float64
}

// Pulses lists the memorise/report pairs of column k of a memorise/report
// batch b, in time order (one per repeat): the i-th memorise pulse pairs
// with the i-th report pulse.
func Pulses(b *tasks.Batch, k int) []Pulse {
	xs, ys := tasks.BatchColumn(b, k)
	var mem, rep []int
	for t := range b.T {
		if xs[t*3+tasks.MemoryChMemorise] == 1 {
			mem = append(mem, t)
		}
		if xs[t*3+tasks.MemoryChReport] == 1 {
			rep = append(rep, t)
		}
	}
	out := make([]Pulse, min(len(mem), len(rep)))
	for i := range out {
		m, r := mem[i], rep[i]
		out[i] = Pulse{Memorise: m, Report: r, Stimulus: float64(xs[m*3+tasks.MemoryChStimulus]), Target: float64(ys[r])}
	}
	return out
}
