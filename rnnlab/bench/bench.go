// Package bench measures rnnlab's speed on the primer tutorial's workload and,
// when PyTorch is installed, the same work in PyTorch, in one run, so that the
// two can be compared on the same machine under the same load.
//
// # Figures
//
// Run measures
//
//   - the training step (forward over 100 steps of a batch of 16, BPTT, Adam)
//     of the primer's 64-unit CTRNN, with the hand-written CPU engine and with
//     the GoMLX engine;
//   - the training step of every cell (Options.Cells: ctrnn, ei, gru,
//     lstm, ugrnn, leaky; networks of CellConfig at H 64, B 16, T 100,
//     cross-entropy, the Adam of rnnlab/optim) with the engine models.NewEngine("auto",
//     cfg) picks: the CPU kernel where the cell has one, else the GoMLX
//     engine. Each is checked against TargetCellRatio (rnnlab/PyTorch of
//     the medians ≤ 0.5); Report.Flagged lists the cells that miss it;
//   - the fixed-point step (one iteration of fixedpoints.Finder.Find: speeds
//     and their gradient at 2200 candidates of 64 units, then the Adam update)
//     with the fast CTRNN evaluator and with the GoMLX graph evaluator;
//   - optionally the whole tutorial: 1500 training steps, then the analysis
//     as rnnlab analyze runs it (pipeline.Analyze: 100 trials of activity,
//     the default slow-point search from their 2200 states, Jacobians, PCA,
//     the line attractor, Newton's method for the exact fixed points);
//   - the peak resident memory of the process (VmHWM);
//   - optionally how the step times grow with the hidden size, the batch
//     size, the sequence length and the number of candidates, and every
//     cell's training step at H 64, 128, 256 (Scaling).
//
// Every per-step figure is measured Repeats times (each time over Steps
// steps, after a warm-up) and reported as min/median/max in milliseconds.
//
// # PyTorch
//
// With Options.Torch, Run writes the embedded reference script torch_ref.py
// to a temporary file and runs it with /usr/bin/python3 (Options.Python):
// a CTRNN of the same equations trained with torch.optim.Adam and
// cross-entropy on batches shaped like the task's, and the same fixed-point
// step (mean speed, backward, Adam on the candidates), and every cell of the
// per-cell table as PyTorch users write it (nn-brain's EI_RNN, nn.GRU and
// nn.LSTM with an nn.Linear read-out). It prints JSON; every
// figure then carries the PyTorch value and the ratio rnnlab/PyTorch, the
// ratio of corresponding order statistics (min/min, median/median,
// max/max). Without torch (import fails) the comparison is reported as
// unavailable, never as an error.
//
// The report prints as text (Report.Table), JSON and HTML (Report.HTML);
// Report.CellsMarkdown and Scaling.CellsMarkdown give the per-cell tables
// as markdown.
//
// Speed is measured, not asserted: the numbers depend on the machine and on
// whatever else runs on it, which is why the load average is recorded before
// and after, and why the comparison is made in one run.
package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// Options configure Run. The zero value of a numeric field means its
// default.
type Options struct {
	// Repeats is how many times each figure is measured (default 5).
	Repeats int `json:"repeats"`
	// TrainSteps is the number of training steps per repeat (default 20).
	TrainSteps int `json:"train_steps"`
	// FPSteps is the number of fixed-point iterations per repeat
	// (default 50).
	FPSteps int `json:"fp_steps"`
	// NoGoMLX skips the GoMLX engine and evaluator of the primer's CTRNN
	// figures. The per-cell table always uses the engine "auto" picks,
	// which is the GoMLX engine for a cell without a CPU kernel.
	NoGoMLX bool `json:"no_gomlx,omitempty"`
	// Cells are the cells of the per-cell table (default models.Cells:
	// ctrnn, ei, gru, lstm, ugrnn, leaky), each trained at
	// CellConfig(cell, 64).
	Cells []string `json:"cells"`

	// Pipeline runs the whole tutorial once (train, then analyse).
	Pipeline bool `json:"pipeline"`
	// PipelineSteps is the number of training steps of the tutorial
	// (default 1500).
	PipelineSteps int `json:"pipeline_steps"`
	// PipelineTrials is the number of analysis trials (default 100, which
	// gives 2200 candidates).
	PipelineTrials int `json:"pipeline_trials"`
	// PipelineFPIters caps the fixed-point search (default: the tutorial's
	// 10000; the default search, fixedpoints.SlowPointSearch, stops when
	// the mean speed is below 1e-4).
	PipelineFPIters int `json:"pipeline_fp_iters"`

	// Multitask measures the training step of Yang et al. (2019)'s
	// multitask network (MultitaskRow: H 256, B 32, T 100, 53 inputs,
	// 17 outputs, the batch made in Go inside the step); opt-in, about
	// 10 s with PyTorch.
	Multitask bool `json:"multitask,omitempty"`

	// Torch runs the PyTorch reference when torch can be imported.
	Torch bool `json:"torch"`
	// Python is the interpreter (default /usr/bin/python3).
	Python string `json:"python"`
	// TorchThreads sets torch.set_num_threads (0: PyTorch's default).
	TorchThreads int `json:"torch_threads,omitempty"`

	// Scaling runs the scaling sweeps (see ScalingOptions).
	Scaling bool           `json:"scaling"`
	Sweeps  ScalingOptions `json:"sweeps"`
	// PlotPath, when set and Scaling is on, receives the scaling figure
	// (PNG).
	PlotPath string `json:"plot_path,omitempty"`

	// Seed seeds the networks and the data (default 1).
	Seed uint64 `json:"seed"`
}

// ScalingOptions list the sizes of the scaling sweeps. Each training sweep
// varies one size with the others at the tutorial's (H 64, B 16, T 100).
type ScalingOptions struct {
	Hidden     []int `json:"hidden"`     // default 64, 128, 256, 512
	Batch      []int `json:"batch"`      // default 8, 16, 32, 64
	SeqLen     []int `json:"seq_len"`    // default 50, 100, 200
	Candidates []int `json:"candidates"` // default 550, 1100, 2200, 4400
	// CellHidden are the hidden sizes of the per-cell sweep (every cell of
	// Options.Cells, B 16, T 100; default 64, 128, 256).
	CellHidden []int `json:"cell_hidden"`
	// Repeats and Steps per point (default 3 and 5; FPSteps default 20).
	Repeats int `json:"repeats"`
	Steps   int `json:"steps"`
	FPSteps int `json:"fp_steps"`
}

// DefaultPython is the interpreter used for the PyTorch reference.
const DefaultPython = "/usr/bin/python3"

// WithDefaults returns o with every zero field set to its default.
func (o Options) WithDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Repeats, 5)
	def(&o.TrainSteps, 20)
	def(&o.FPSteps, 50)
	def(&o.PipelineSteps, 1500)
	def(&o.PipelineTrials, 100)
	def(&o.PipelineFPIters, 10000)
	if o.Python == "" {
		o.Python = DefaultPython
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if len(o.Cells) == 0 {
		o.Cells = slices.Clone(models.Cells)
	}
	s := &o.Sweeps
	if len(s.Hidden) == 0 {
		s.Hidden = []int{64, 128, 256, 512}
	}
	if len(s.Batch) == 0 {
		s.Batch = []int{8, 16, 32, 64}
	}
	if len(s.SeqLen) == 0 {
		s.SeqLen = []int{50, 100, 200}
	}
	if len(s.Candidates) == 0 {
		s.Candidates = []int{550, 1100, 2200, 4400}
	}
	if len(s.CellHidden) == 0 {
		s.CellHidden = []int{64, 128, 256}
	}
	def(&s.Repeats, 3)
	def(&s.Steps, 5)
	def(&s.FPSteps, 20)
	return o
}

// Stat summarises repeated measurements.
type Stat struct {
	Min    float64   `json:"min"`
	Median float64   `json:"median"`
	Max    float64   `json:"max"`
	Values []float64 `json:"values,omitempty"`
}

// NewStat summarises values (nil for none).
func NewStat(values []float64) *Stat {
	if len(values) == 0 {
		return nil
	}
	v := slices.Clone(values)
	slices.Sort(v)
	n := len(v)
	med := v[n/2]
	if n%2 == 0 {
		med = (v[n/2-1] + v[n/2]) / 2
	}
	return &Stat{Min: v[0], Median: med, Max: v[n-1], Values: values}
}

// ratio returns the ratio of corresponding order statistics a/b.
func ratio(a, b *Stat) *Stat {
	if a == nil || b == nil || b.Min <= 0 || b.Median <= 0 || b.Max <= 0 {
		return nil
	}
	return &Stat{Min: a.Min / b.Min, Median: a.Median / b.Median, Max: a.Max / b.Max}
}

// Measurement is one measured quantity (a "figure" of the report, in the
// sense of a number), with its PyTorch counterpart when there is one.
type Measurement struct {
	// Name identifies the measurement ("train_step_cpu", ...); Label describes it.
	Name  string `json:"name"`
	Label string `json:"label"`
	Unit  string `json:"unit"`
	// Rnnlab is rnnlab's measurement, Torch PyTorch's (nil when not run).
	Rnnlab *Stat `json:"rnnlab"`
	Torch  *Stat `json:"torch,omitempty"`
	// Ratio is Rnnlab/Torch by order statistic.
	Ratio *Stat `json:"ratio,omitempty"`
	// Target is the issue's goal for the median ratio (or, for the
	// pipeline, its time in seconds); 0 when none. Met reports it.
	Target float64 `json:"target,omitempty"`
	Met    *bool   `json:"met,omitempty"`
}

// Host describes where the run happened.
type Host struct {
	GoVersion  string     `json:"go_version"`
	GOOS       string     `json:"goos"`
	GOARCH     string     `json:"goarch"`
	NumCPU     int        `json:"num_cpu"`
	GOMAXPROCS int        `json:"gomaxprocs"`
	CPU        string     `json:"cpu,omitempty"`
	LoadBefore [3]float64 `json:"load_before"`
	LoadAfter  [3]float64 `json:"load_after"`
}

// PipelineTimes are the wall times (seconds) of the tutorial's pieces.
type PipelineTimes struct {
	Train       float64 `json:"train_s"`
	Activity    float64 `json:"activity_s"`
	FixedPoints float64 `json:"fixed_points_s"`
	FPIters     int     `json:"fp_iters"`
	FPKept      int     `json:"fp_kept"`
	Newton      float64 `json:"newton_s"`
	Analysis    float64 `json:"analysis_s"`
	Total       float64 `json:"total_s"`
	FinalLoss   float64 `json:"final_loss"`
	FinalAcc    float64 `json:"final_accuracy"`
	Engine      string  `json:"engine"`
	// Torch is PyTorch's time for the same compute (the training steps
	// and as many fixed-point steps), nil when not run.
	Torch *TorchPipeline `json:"torch,omitempty"`
}

// TorchPipeline is PyTorch's time for the tutorial's compute (seconds).
type TorchPipeline struct {
	Train       float64 `json:"train_s"`
	FixedPoints float64 `json:"fixed_points_s"`
	Total       float64 `json:"total_s"`
}

// TorchInfo says whether and how PyTorch ran.
type TorchInfo struct {
	// Status is "ok", "skipped" or "unavailable: reason".
	Status  string `json:"status"`
	Version string `json:"version,omitempty"`
	Threads int    `json:"threads,omitempty"`
	// PeakRSSMB is the reference process's peak resident memory.
	PeakRSSMB float64 `json:"peak_rss_mb,omitempty"`
}

// Report is the outcome of Run; it marshals to JSON.
type Report struct {
	Started time.Time `json:"started"`
	Seconds float64   `json:"seconds"`
	Host    Host      `json:"host"`
	Options Options   `json:"options"`
	// Measurements are the measured quantities; the JSON key is "figures",
	// as in the reports written before the type was named.
	Measurements []Measurement `json:"figures"`
	// Cells is the per-cell table: every cell's training step at H 64,
	// B 16, T 100 with the engine "auto" picks, against PyTorch.
	Cells []CellRow      `json:"cells"`
	Pipe  *PipelineTimes `json:"pipeline,omitempty"`
	// Multitask is the multitask row (Options.Multitask).
	Multitask *MultitaskRow `json:"multitask,omitempty"`
	Torch     TorchInfo     `json:"torch"`
	// PeakRSSMB is this process's peak resident memory (VmHWM) at the end,
	// GoHeapMB the memory the Go runtime holds from the OS then.
	PeakRSSMB float64  `json:"peak_rss_mb"`
	GoHeapMB  float64  `json:"go_mapped_mb"`
	Scaling   *Scaling `json:"scaling,omitempty"`
}

// Measurement returns the measurement called name, or nil.
func (r *Report) Measurement(name string) *Measurement {
	for k := range r.Measurements {
		if r.Measurements[k].Name == name {
			return &r.Measurements[k]
		}
	}
	return nil
}

// Run measures what o asks for and returns the report. Progress lines go to
// log (nil: silent). Cancelling ctx stops the run between measurements (and
// the tutorial's training) with ctx's error.
func Run(ctx context.Context, o Options, log io.Writer) (*Report, error) {
	o = o.WithDefaults()
	if log == nil {
		log = io.Discard
	}
	r := &Report{Started: time.Now(), Options: o, Host: hostInfo()}
	r.Host.LoadBefore = loadAvg()
	logf := func(format string, args ...any) { fmt.Fprintf(log, format+"\n", args...) }
	logf("bench: load average %.2f %.2f %.2f, %d CPUs", r.Host.LoadBefore[0], r.Host.LoadBefore[1], r.Host.LoadBefore[2], r.Host.NumCPU)

	m := &measurer{o: o, logf: logf}
	if err := m.run(ctx, r); err != nil {
		return nil, err
	}

	var torch *torchResult
	r.Torch.Status = "skipped"
	if o.Torch {
		logf("bench: PyTorch reference (%s)", o.Python)
		var err error
		torch, err = runTorch(ctx, o, m.torchJob(r))
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			r.Torch.Status = "unavailable: " + err.Error()
			logf("bench: PyTorch %s", r.Torch.Status)
		} else {
			r.Torch = TorchInfo{Status: "ok", Version: torch.Version, Threads: torch.Threads, PeakRSSMB: torch.PeakRSSKB / 1024}
		}
	}
	r.attachTorch(torch)
	if torch != nil {
		attachTorchCells(r.Cells, torch.Cells)
		if r.Multitask != nil && len(torch.MultitaskMs) > 0 {
			r.Multitask.attachTorch(torch.MultitaskMs)
		}
	}
	for _, f := range r.Flagged() {
		logf("bench: flagged: %s exceeds the ratio %g", f, TargetCellRatio)
	}
	if r.Scaling != nil {
		r.Scaling.attachTorch(torch)
		if o.PlotPath != "" {
			if err := r.Scaling.WritePlot(o.PlotPath); err != nil {
				return nil, err
			}
			logf("bench: wrote %s", o.PlotPath)
		}
	}
	r.PeakRSSMB, r.GoHeapMB = memoryMB()
	r.Host.LoadAfter = loadAvg()
	r.Seconds = time.Since(r.Started).Seconds()
	return r, nil
}

// Targets of issue 5 (ratios rnnlab/PyTorch of the medians, seconds for the
// pipeline).
const (
	TargetTrainRatio    = 0.5
	TargetFPRatio       = 1.0
	TargetPipelineSecs  = 30.0
	issueTorchTrainMs   = 13.0
	issueTorchFPMs      = 3.5
	issueTorchPipelineS = 38.0
)

func (r *Report) attachTorch(t *torchResult) {
	for k := range r.Measurements {
		f := &r.Measurements[k]
		if t != nil {
			switch f.Name {
			case "train_step_cpu", "train_step_gomlx":
				f.Torch = NewStat(t.TrainMs)
			case "fp_step_ctrnn", "fp_step_gomlx":
				f.Torch = NewStat(t.FPMs)
			case "pipeline":
				if t.Pipeline != nil {
					f.Torch = NewStat([]float64{t.Pipeline.Total})
					r.Pipe.Torch = t.Pipeline
				}
			}
			f.Ratio = ratio(f.Rnnlab, f.Torch)
		}
		switch f.Name {
		case "train_step_cpu":
			f.Target = TargetTrainRatio
		case "fp_step_ctrnn":
			f.Target = TargetFPRatio
		case "pipeline":
			f.Target = TargetPipelineSecs
			met := f.Rnnlab.Median < TargetPipelineSecs
			f.Met = &met
			continue
		}
		if f.Target > 0 && f.Ratio != nil {
			met := f.Ratio.Median <= f.Target
			f.Met = &met
		}
	}
}

func hostInfo() Host {
	h := Host{GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		NumCPU: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0)}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				h.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return h
}

// loadAvg reads /proc/loadavg (zeros where unavailable).
func loadAvg() [3]float64 {
	var l [3]float64
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return l
	}
	f := strings.Fields(string(b))
	for k := 0; k < 3 && k < len(f); k++ {
		l[k], _ = strconv.ParseFloat(f[k], 64)
	}
	return l
}
