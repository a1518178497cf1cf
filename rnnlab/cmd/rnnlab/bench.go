package main

import (
	"fmt"
	"io"

	"github.com/rnnlab/rnnlab/rnnlab/bench"
)

func init() {
	commands["bench"] = command{"time training and fixed-point steps, the whole tutorial, side by side with PyTorch", runBench}
}

func runBench(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", "bench [--json FILE] [flags]", []string{
		"rnnlab bench                                   # training and fixed-point steps, side by side with PyTorch",
		"rnnlab bench --json bench.json --scaling --plot scaling.png",
	}, stdout)
	var o bench.Options
	fs.IntVar(&o.Repeats, "repeats", 5, "measurements of each figure (min/median/max are reported)")
	fs.IntVar(&o.TrainSteps, "train-steps", 20, "training steps per measurement")
	fs.IntVar(&o.FPSteps, "fp-steps", 50, "fixed-point iterations per measurement")
	noPipeline := fs.Bool("no-pipeline", false, "skip the whole tutorial (1500 training steps and the analysis)")
	noTorch := fs.Bool("no-torch", false, "skip the PyTorch reference (it runs only if /usr/bin/python3 can import torch)")
	fs.BoolVar(&o.NoGoMLX, "no-gomlx", false, "skip the GoMLX engine and evaluator")
	fs.IntVar(&o.TorchThreads, "torch-threads", 0, "PyTorch threads (0: PyTorch's default)")
	fs.BoolVar(&o.Scaling, "scaling", false, "also sweep hidden size, batch size, sequence length and candidates")
	fs.StringVar(&o.PlotPath, "plot", "", "with --scaling: write the scaling figure to this PNG")
	jsonOut := fs.String("json", "", "write the report as JSON to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if o.Repeats <= 0 || o.TrainSteps <= 0 || o.FPSteps <= 0 || o.TorchThreads < 0 {
		return usagef("--repeats, --train-steps and --fp-steps must be > 0, --torch-threads >= 0")
	}
	if o.PlotPath != "" && !o.Scaling {
		return usagef("--plot needs --scaling")
	}
	for _, p := range []string{*jsonOut, o.PlotPath} {
		if p != "" {
			if err := prepareFile(p); err != nil {
				return err
			}
		}
	}
	o.Pipeline, o.Torch = !*noPipeline, !*noTorch
	ctx, stop := interruptible()
	defer stop()
	rep, err := bench.Run(ctx, o, stderr)
	if err != nil {
		return err
	}
	if err := rep.Table(stdout); err != nil {
		return err
	}
	if *jsonOut != "" {
		if err := writeJSON(*jsonOut, rep); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Wrote %s\n", *jsonOut)
	}
	return nil
}
