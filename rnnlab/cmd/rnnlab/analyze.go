package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/report"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

func init() {
	commands["analyze"] = command{"find fixed points, Jacobians and the line attractor of a run; write figures", runAnalyze}
}

// analyzeFlags are the analysis options shared by analyze and tutorial.
type analyzeFlags struct {
	trials    int
	seed      int64
	noNewton  bool
	tolerance float64
	input     string
	fpEngine  string
}

func (f *analyzeFlags) register(fs interface {
	IntVar(*int, string, int, string)
	Int64Var(*int64, string, int64, string)
	BoolVar(*bool, string, bool, string)
	Float64Var(*float64, string, float64, string)
	StringVar(*string, string, string, string)
}) {
	fs.IntVar(&f.trials, "trials", 100, "fresh trials whose states are the candidates (> 0)")
	fs.Int64Var(&f.seed, "analysis-seed", -1, "seed of those trials (default: the run's seed + 2000, seeds.Analysis)")
	fs.BoolVar(&f.noNewton, "no-newton", false, "skip Newton's method from the kept points (the exact fixed points)")
	fs.Float64Var(&f.tolerance, "tolerance", 1e-4, "mean-speed tolerance of the search, for its stop and its loss filter (the seed's is 1e-5)")
	fs.StringVar(&f.fpEngine, "fp-engine", models.EngineAuto, "fixed-point evaluator: auto (the cpu kernel when the cell has one), cpu (the cell's hand-written kernel: relu ctrnn and the gated cells) or gomlx (any cell)")
	fs.StringVar(&f.input, "input", "", "constant input of the fixed-point search, comma-separated (default: the primer's zero-coherence input 1,0.5,0.5, for its task)")
}

func (f *analyzeFlags) options(log io.Writer) (pipeline.AnalyzeOptions, error) {
	if f.trials <= 0 || f.trials > pipeline.MaxAnalysisTrials {
		return pipeline.AnalyzeOptions{}, usagef("--trials must be in 1..%d, got %d", pipeline.MaxAnalysisTrials, f.trials)
	}
	if !(f.tolerance > 0) || math.IsInf(f.tolerance, 0) {
		return pipeline.AnalyzeOptions{}, usagef("--tolerance must be > 0, got %v", f.tolerance)
	}
	switch f.fpEngine {
	case models.EngineAuto, models.EngineCPU, models.EngineGoMLX:
	default:
		return pipeline.AnalyzeOptions{}, usagef("--fp-engine must be auto, cpu or gomlx, got %q", f.fpEngine)
	}
	var input []float32 // nil: the pipeline's default
	var parts []string
	if f.input != "" {
		parts = strings.Split(f.input, ",")
	}
	for _, part := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(part), 32)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return pipeline.AnalyzeOptions{}, usagef("--input: %q is not a number", part)
		}
		input = append(input, float32(v))
	}
	finder := fixedpoints.SlowPointSearch().WithTolerance(f.tolerance)
	o := pipeline.AnalyzeOptions{Trials: f.trials, Input: input,
		FixedPoints: analysis.FixedPointOptions{Search: &finder, NoNewton: f.noNewton, Engine: f.fpEngine, Log: log}}
	if f.seed >= 0 {
		s := uint64(f.seed)
		o.Seed = &s
	}
	return o, nil
}

func runAnalyze(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("analyze", "analyze --run DIR --out DIR2 [flags]", []string{
		"rnnlab analyze --run runs/s0 --out runs/s0/analysis",
		"rnnlab analyze --run runs/s0 --out runs/s0/seed-search --tolerance 1e-5   # the primer's exact search",
		"rnnlab analyze --run runs/s0 --out runs/s0/coh --input 1,0.6,0.4          # fixed points under evidence for choice 1",
	}, stdout)
	var f analyzeFlags
	f.register(fs)
	runDir := fs.String("run", "", "run folder written by rnnlab train")
	out := fs.String("out", "", "folder for the figures, fixed_points.npz and analysis.json")
	quiet := fs.Bool("quiet", false, "do not print the finder's progress")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *runDir == "" {
		return usagef("--run is required")
	}
	log := stdout
	if *quiet {
		log = io.Discard
	}
	opts, err := f.options(log)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required")
	}
	run, err := pipeline.LoadRun(*runDir)
	if err != nil {
		return err
	}
	if err := opts.Check(run); err != nil { // before the folder is made
		return err
	}
	if err := pipeline.PrepareDir(*out); err != nil {
		return err
	}
	if _, _, err := analyzeRun(run, opts, *out, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s\n", *out)
	return nil
}

// analyzeRun analyses a run, writes the analysis folder, prints its
// summary and returns the analysis with its figures.
func analyzeRun(run *pipeline.Run, opts pipeline.AnalyzeOptions, out string, stdout io.Writer) (*pipeline.Analysis, []report.Figure, error) {
	a, err := pipeline.Analyze(run, opts)
	if err != nil {
		return nil, nil, err
	}
	figs, err := pipeline.Figures(run, a, seeds.Rollout(run.Summary.Seed))
	if err != nil {
		return nil, nil, err
	}
	if err := a.Write(out, figs); err != nil {
		return nil, nil, err
	}
	s := a.Summary()
	fmt.Fprintf(stdout, "Activity: %d trials, %d states, trial accuracy %.3f; PCA explained variance %.3f, %.3f\n",
		s.Trials, s.States, s.Accuracy, s.ExplainedVar[0], s.ExplainedVar[1])
	fmt.Fprintf(stdout, "Fixed points after %d Adam iterations:", s.Iterations)
	for _, st := range s.Stages {
		fmt.Fprintf(stdout, " %s %d,", st.Name, st.Count)
	}
	fmt.Fprintf(stdout, " mean speed %.2g\n", s.MeanSpeed)
	if a.Line != nil {
		fmt.Fprintf(stdout, "Line attractor: line measure %.3f, |cos(leading eigenvector, PC1)| %.3f\n", s.LineMeasure, s.PC1Cosine)
		fmt.Fprintf(stdout, "Leading eigenvalues at point %d:", s.ChosenPoint)
		for _, v := range s.Leading {
			fmt.Fprintf(stdout, " %.4f%+.4fi", v[0], v[1])
		}
		fmt.Fprintln(stdout)
	}
	if a.Exact != nil {
		fmt.Fprintf(stdout, "Newton from the kept points: %d exact fixed point(s), max |r| %.2g, in %.2f s", s.Exact, s.ExactMaxResidual, s.Timings.Newton)
		if len(s.ExactLeading) > 0 {
			fmt.Fprintf(stdout, "; leading eigenvalue there %.4f%+.4fi", s.ExactLeading[0][0], s.ExactLeading[0][1])
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintf(stdout, "Analysis took %.1f s (fixed-point search %.1f s)\n", s.Timings.Total, s.Timings.FixedPoints)
	return a, figs, nil
}
