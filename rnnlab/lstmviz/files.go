package lstmviz

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"github.com/rnnlab/rnnlab/rnnlab/report"
)

// File names in a run folder.
const (
	NetworkFile = "lstm.npz"    // the trained network and the Result (models.Save)
	ReportFile  = "report.html" // Report's page (as pipeline.ReportFile)
)

// Save writes the trained network with r (without Params) as metadata to
// dir/NetworkFile, creating dir.
func Save(dir string, r *Result) error {
	if r == nil || r.Params == nil {
		return fmt.Errorf("lstmviz: save: no trained network")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("lstmviz: save: %w", err)
	}
	return models.Save(filepath.Join(dir, NetworkFile), r.Params, r)
}

// Load reads a run saved by Save from dir.
func Load(dir string) (*Result, error) {
	r := new(Result)
	p, err := models.Load(filepath.Join(dir, NetworkFile), r)
	if err != nil {
		return nil, err
	}
	if p.CellName() != models.CellLSTM {
		return nil, fmt.Errorf("lstmviz: load %s: the network is a %s, not an lstm", dir, p.CellName())
	}
	r.Params = p
	return r, nil
}

// Report builds the HTML report of a run: the task and network, the
// training (running loss against the step) and the test batch's sequence
// TestColumn with the gates.
func Report(r *Result, e *Evaluation) (*report.Report, error) {
	rep := report.New("A one-unit LSTM: memorise and report")
	rep.Subtitle = fmt.Sprintf("seed %d, %s", r.Config.Seed, r.Params.Describe())
	rep.AddSection("Task and network", "nn-brain's LSTMVisualization (primer, Yang & Wang 2020). "+
		"Three inputs: a stimulus uniform in (-1, 1) at every step, a **memorise** pulse in the first half of "+
		"each sequence and a **report** pulse in the second half; at the report step the output must equal the "+
		"stimulus seen at the memorise step, and 0 elsewhere (MSE loss over every step). "+
		"The network is an LSTM with one unit and a linear read-out.")
	task := r.Config.Task
	rep.AddValues("Settings",
		report.Pair{Name: "Seed", Value: r.Config.Seed},
		report.Pair{Name: "Units", Value: r.Params.NumHidden},
		report.Pair{Name: "Adam learning rate", Value: r.Config.LR},
		report.Pair{Name: "Batch", Value: fmt.Sprintf("%d sequences × %d repeats of %d to %d steps", task.BatchSize, task.Repeats, task.MinLen, task.MaxLen)},
		report.Pair{Name: "Stop", Value: fmt.Sprintf("running loss over %d steps < %g, or %d steps", r.Config.Window, r.Config.TargetLoss, r.Config.MaxSteps)},
		report.Pair{Name: "Engine", Value: r.Engine},
	)
	rep.AddSection("Training", "The network "+r.String()+".")
	curve, err := plots.TrainingCurve(r.History())
	if err != nil {
		return nil, err
	}
	if err := rep.AddFigure(fmt.Sprintf("Running loss (mean over %d steps)", r.Config.Window), curve); err != nil {
		return nil, err
	}
	rep.AddSection("Gates", e.String()+". "+
		"In a trained network the input gate opens and the forget gate closes at the memorise pulse (the old "+
		"memory is erased and the stimulus written into the cell), the forget gate stays near 1 in between to "+
		"hold it, and the output gate opens at the report pulse to read it out: the table gives the mean gates "+
		"over the test batch.")
	header, rows := e.GateTable()
	if err := rep.AddTable("Mean gates over the test batch", header, rows); err != nil {
		return nil, err
	}
	fig, err := e.Figure(TestColumn)
	if err != nil {
		return nil, err
	}
	if err := rep.AddFigure(fmt.Sprintf("Test sequence %d: inputs, target and output, gates", TestColumn), fig); err != nil {
		return nil, err
	}
	return rep, nil
}
