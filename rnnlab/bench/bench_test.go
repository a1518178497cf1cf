package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// ratioPositive checks a ratio of order statistics (not itself ordered).
func ratioPositive(t *testing.T, what string, s *Stat) {
	t.Helper()
	if s == nil || !(s.Min > 0) || !(s.Median > 0) || !(s.Max > 0) {
		t.Errorf("%s: not a positive ratio: %+v", what, s)
	}
}

func positive(t *testing.T, what string, s *Stat) {
	t.Helper()
	if s == nil || !(s.Min > 0) || s.Min > s.Median || s.Median > s.Max {
		t.Errorf("%s: not a sane positive measurement: %+v", what, s)
	}
}

// quick is a tiny configuration: a few steps of everything, the pipeline
// shortened, small sweeps.
func quick(dir string) Options {
	return Options{
		Repeats: 2, TrainSteps: 2, FPSteps: 2,
		Pipeline: true, PipelineSteps: 20, PipelineTrials: 5, PipelineFPIters: 30,
		Scaling: true,
		Sweeps: ScalingOptions{Hidden: []int{8, 16}, Batch: []int{2, 4}, SeqLen: []int{5, 10},
			Candidates: []int{30, 60}, CellHidden: []int{8, 16}, Repeats: 2, Steps: 1, FPSteps: 2},
		PlotPath: filepath.Join(dir, "scaling.png"),
		NoGoMLX:  testing.Short(),
	}
}

// TestRunQuick runs the whole benchmark on the tiny configuration and
// checks the shape of the report (speed is measured, not asserted).
func TestRunQuick(t *testing.T) {
	dir := t.TempDir()
	o := quick(dir)
	var log bytes.Buffer
	r, err := Run(context.Background(), o, &log)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"train_step_cpu", "fp_step_ctrnn", "pipeline"}
	if !o.NoGoMLX {
		want = append(want, "train_step_gomlx", "fp_step_gomlx")
	}
	for _, name := range want {
		f := r.Measurement(name)
		if f == nil {
			t.Fatalf("no figure %q", name)
		}
		positive(t, name, f.Rnnlab)
		if f.Torch != nil {
			positive(t, name+" (torch)", f.Torch)
			ratioPositive(t, name+" (ratio)", f.Ratio)
		}
	}
	if p := r.Pipe; p == nil || !(p.Train > 0) || !(p.FixedPoints > 0) || p.FPIters != 30 || !(p.Total >= p.Train+p.FixedPoints) {
		t.Errorf("pipeline times: %+v", r.Pipe)
	}
	if len(r.Scaling.Train) != 6 || len(r.Scaling.FP) != 2 {
		t.Fatalf("scaling rows: %d training, %d fixed-point", len(r.Scaling.Train), len(r.Scaling.FP))
	}
	for _, row := range append(r.Scaling.Train, r.Scaling.FP...) {
		positive(t, row.Sweep, row.Rnnlab)
	}
	checkCells(t, r, false)
	if !(r.PeakRSSMB > 0) && r.Host.GOOS == "linux" {
		t.Errorf("peak RSS %v", r.PeakRSSMB)
	}
	if fi, err := os.Stat(o.PlotPath); err != nil || fi.Size() < 1000 {
		t.Errorf("plot: %v", err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	var tab bytes.Buffer
	if err := r.Table(&tab); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"training step (cpu engine)", "fixed-point step (ctrnn evaluator)", "tutorial", "| step |", "load average",
		"cell (B16 T100 H64)", "ei, 64 units (51 E), relu, sigma_rec 0.15", "gru, 64 units", "lstm, 64 units", "| lstm | 16 | cpu"} {
		if !strings.Contains(tab.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, tab.String())
		}
	}
	var page bytes.Buffer
	if err := r.HTML(&page); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Cells {
		if !strings.Contains(page.String(), "<td>"+c.Network+"</td>") {
			t.Errorf("HTML lacks the row of %s", c.Network)
		}
	}
	if len(back.Cells) != len(r.Cells) || len(back.Scaling.Cells) != len(r.Scaling.Cells) {
		t.Errorf("JSON round trip: %d cells, %d cell sweep rows; want %d, %d", len(back.Cells), len(back.Scaling.Cells), len(r.Cells), len(r.Scaling.Cells))
	}
	if r.Torch.Status != "skipped" {
		t.Errorf("torch status %q without Options.Torch", r.Torch.Status)
	}
	t.Logf("\n%s", tab.String())
}

// TestTorchUnavailable checks that a missing interpreter (or torch) is
// reported, not an error.
func TestTorchUnavailable(t *testing.T) {
	o := Options{Repeats: 1, TrainSteps: 1, FPSteps: 1, NoGoMLX: true, Torch: true,
		Python: filepath.Join(t.TempDir(), "no-python")}
	r, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Torch.Status, "unavailable: ") {
		t.Errorf("torch status %q", r.Torch.Status)
	}
	if f := r.Measurement("train_step_cpu"); f == nil || f.Torch != nil || f.Ratio != nil {
		t.Errorf("train figure with missing torch: %+v", f)
	}
	var tab bytes.Buffer
	if err := r.Table(&tab); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tab.String(), "unavailable") {
		t.Errorf("table does not say torch is unavailable:\n%s", tab.String())
	}
}

// TestTorchReference runs the reference script on a tiny job when torch is
// installed. PyTorch is not needed to build or test rnnlab, and CI does not
// install it (Debian's python3-torch is large); the skip says how to run it.
func TestTorchReference(t *testing.T) {
	if err := TorchAvailable(context.Background(), ""); err != nil {
		t.Skipf("PyTorch is not available (%v): apt-get install python3-torch libopenblas0-pthread to run the reference script", err)
	}
	o := quick(t.TempDir())
	o.Torch, o.NoGoMLX, o.PlotPath = true, true, ""
	r, err := Run(context.Background(), o, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Torch.Status != "ok" {
		t.Fatalf("torch status %q", r.Torch.Status)
	}
	for _, name := range []string{"train_step_cpu", "fp_step_ctrnn", "pipeline"} {
		f := r.Measurement(name)
		positive(t, name+" (torch)", f.Torch)
		ratioPositive(t, name+" (ratio)", f.Ratio)
	}
	for _, row := range append(r.Scaling.Train, r.Scaling.FP...) {
		positive(t, row.Sweep+" (torch)", row.Torch)
	}
	checkCells(t, r, true)
	var tab bytes.Buffer
	if err := r.Table(&tab); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", tab.String())
}

// checkCells checks the per-cell table and sweep of a quick run: every cell
// of models.Cells at H 64, B 16, T 100 with a positive time and the engine
// "auto" picks (the CPU kernel for the primer's CTRNN), the sweep at every
// hidden size; with torch, a PyTorch time, a ratio and the check against
// TargetCellRatio on every row, and Flagged listing exactly the cells that
// miss it.
func checkCells(t *testing.T, r *Report, torch bool) {
	t.Helper()
	if len(r.Cells) != len(models.Cells) {
		t.Fatalf("%d cells in the report, want %d", len(r.Cells), len(models.Cells))
	}
	nflag := 0
	for k, c := range r.Cells {
		name := "cell " + c.Cell
		if c.Cell != models.Cells[k] || c.Hidden != CellHidden || c.Batch != CellBatch || c.SeqLen != CellSeqLen {
			t.Errorf("%s: row %d is %s H%d B%d T%d", name, k, c.Cell, c.Hidden, c.Batch, c.SeqLen)
		}
		if want := CellConfig(c.Cell, CellHidden).Describe(); c.Network != want {
			t.Errorf("%s: network %q, want %q", name, c.Network, want)
		}
		if c.Engine == "" || (c.Cell == models.CellCTRNN && c.Engine != models.EngineCPU) {
			t.Errorf("%s: engine %q", name, c.Engine)
		}
		positive(t, name, c.Rnnlab)
		if !torch {
			if c.Torch != nil || c.Met != nil {
				t.Errorf("%s: a PyTorch time without PyTorch: %+v", name, c)
			}
			continue
		}
		positive(t, name+" (torch)", c.Torch)
		ratioPositive(t, name+" (ratio)", c.Ratio)
		if c.Met == nil || *c.Met != (c.Ratio.Median <= TargetCellRatio) {
			t.Errorf("%s: ratio %+v, met %v", name, c.Ratio, c.Met)
		} else if !*c.Met {
			nflag++
		}
	}
	if len(r.Flagged()) != nflag {
		t.Errorf("flagged %q, want %d cells", r.Flagged(), nflag)
	}
	if r.Scaling == nil {
		return
	}
	hs := r.Options.Sweeps.CellHidden
	if len(r.Scaling.Cells) != len(models.Cells)*len(hs) {
		t.Fatalf("%d rows in the cell sweep, want %d", len(r.Scaling.Cells), len(models.Cells)*len(hs))
	}
	for k, c := range r.Scaling.Cells {
		name := fmt.Sprintf("sweep %s H%d", c.Cell, c.Hidden)
		if c.Cell != models.Cells[k/len(hs)] || c.Hidden != hs[k%len(hs)] {
			t.Errorf("%s: row %d", name, k)
		}
		positive(t, name, c.Rnnlab)
		if torch {
			positive(t, name+" (torch)", c.Torch)
		}
	}
}

// TestCellConfig checks the networks of the per-cell table: valid, with
// nn-brain's E-I settings (α 0.2, σ_rec 0.15, 80% excitatory, read-out from
// the E units) and the primer's CTRNN unchanged.
func TestCellConfig(t *testing.T) {
	for _, c := range models.Cells {
		if err := CellConfig(c, 64).Validate(); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	primer := models.DefaultConfig()
	primer.Cell = models.CellCTRNN
	if c := CellConfig(models.CellCTRNN, 64); c != primer {
		t.Errorf("ctrnn: %+v", c)
	}
	ei := CellConfig(models.CellEI, 64)
	if ei.Alpha() != EIAlpha || ei.SigmaRec != 0.15 || ei.NumExcitatory() != 51 || ei.ReadSize() != 51 {
		t.Errorf("ei: %+v (alpha %v, %d E)", ei, ei.Alpha(), ei.NumExcitatory())
	}
	if l := CellConfig(models.CellLeaky, 64); l.Alpha() != 0.2 || l.SigmaRec != 0.05 || l.ActivationName() != models.ActSoftplus {
		t.Errorf("leaky: %+v", l)
	}
}

// TestFlagged checks the ratio check on made-up times: a cell whose median
// ratio exceeds TargetCellRatio is flagged, one at or under it is not, one
// without a PyTorch time is neither.
func TestFlagged(t *testing.T) {
	r := &Report{Torch: TorchInfo{Status: "ok"}, Cells: []CellRow{
		{Cell: "ctrnn", Engine: "cpu", Hidden: 64, Batch: 16, SeqLen: 100, Target: TargetCellRatio, Rnnlab: NewStat([]float64{4, 5})},
		{Cell: "gru", Engine: "gomlx:go", Hidden: 64, Batch: 16, SeqLen: 100, Target: TargetCellRatio, Rnnlab: NewStat([]float64{30, 31})},
		{Cell: "lstm", Engine: "gomlx:go", Hidden: 64, Batch: 16, SeqLen: 100, Target: TargetCellRatio, Rnnlab: NewStat([]float64{30})},
	}}
	attachTorchCells(r.Cells, []torchCell{
		{Cell: "ctrnn", Hidden: 64, Batch: 16, Seq: 100, Ms: []float64{10, 10}},
		{Cell: "gru", Hidden: 64, Batch: 16, Seq: 100, Ms: []float64{20, 20}},
		{Cell: "lstm", Hidden: 128, Batch: 16, Seq: 100, Ms: []float64{20}},
	})
	if got := r.Flagged(); len(got) != 1 || got[0] != "gru (gomlx:go engine): 1.52" {
		t.Errorf("flagged %q", got)
	}
	if m := r.Cells[0].Met; m == nil || !*m || r.Cells[0].Ratio.Median != 0.45 {
		t.Errorf("ctrnn: %+v", r.Cells[0])
	}
	if r.Cells[2].Torch != nil || r.Cells[2].Met != nil {
		t.Errorf("lstm matched another shape: %+v", r.Cells[2])
	}
	var tab bytes.Buffer
	if err := r.Table(&tab); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tab.String(), "flagged (ratio > 0.5): gru (gomlx:go engine): 1.52") {
		t.Errorf("table does not flag gru:\n%s", tab.String())
	}
	if md := r.CellsMarkdown(); !strings.Contains(md, "| gru |") || !strings.Contains(md, "**flagged**") {
		t.Errorf("markdown:\n%s", md)
	}
}

// TestCancel checks that a cancelled context stops the run.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{Pipeline: true, NoGoMLX: true}, nil); err == nil {
		t.Error("no error from a cancelled run")
	}
}

// TestMultitaskRow measures the multitask row with one step and, when
// PyTorch is available, the reference script's answer to it: the shape of
// the network and batch, positive times, and the ratio and target check
// computed from them.
func TestMultitaskRow(t *testing.T) {
	row, err := timeMultitask(context.Background(), 1, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if row.Hidden != 256 || row.Batch != 32 || row.SeqLen != 100 || row.Inputs != 53 || row.Outputs != 17 || row.Engine != models.EngineCPU {
		t.Errorf("row %+v; want H 256, B 32, T 100, 53 inputs, 17 outputs on the cpu engine", row)
	}
	positive(t, "multitask", row.Rnnlab)
	positive(t, "multitask data", row.Data)
	if !(row.Data.Median < row.Rnnlab.Median) {
		t.Errorf("making the batch (%v ms) is not part of the step (%v ms)", row.Data.Median, row.Rnnlab.Median)
	}
	var ms []float64
	if err := TorchAvailable(context.Background(), ""); err != nil {
		ms = []float64{row.Rnnlab.Min * 4, row.Rnnlab.Max * 4} // a stand-in
	} else {
		job := map[string]any{"repeats": 2, "steps": 1, "fp_steps": 1, "multitask": row.torchJob()}
		res, err := runTorch(context.Background(), Options{}.WithDefaults(), job)
		if err != nil {
			t.Fatal(err)
		}
		ms = res.MultitaskMs
	}
	row.attachTorch(ms)
	positive(t, "multitask (torch)", row.Torch)
	ratioPositive(t, "multitask (ratio)", row.Ratio)
	if row.Met == nil || *row.Met != (row.Rnnlab.Median/row.Torch.Median <= TargetMultitaskRatio) {
		t.Errorf("ratio %+v, met %v", row.Ratio, row.Met)
	}
	r := &Report{Multitask: row}
	var tab, page bytes.Buffer
	if err := r.Table(&tab); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tab.String(), "multitask step (ctrnn, 256 units, relu, 53 in, 17 out, B32 T100, cpu engine)") {
		t.Errorf("table lacks the multitask row:\n%s", tab.String())
	}
	if err := r.HTML(&page); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "Multitask training step") {
		t.Error("HTML lacks the multitask row")
	}
	t.Logf("\n%s", tab.String())
}
