package main

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/bench"
	"github.com/rnnlab/rnnlab/rnnlab/models"
)

func init() {
	commands["bench"] = command{"time training steps of every cell, fixed-point steps, the whole tutorial, side by side with PyTorch", runBench}
}

// Bounds of the bench flags: the largest --cell-hidden and --torch-threads.
const (
	maxBenchHidden  = 8192
	maxBenchThreads = 1024
)

func runBench(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", "bench [--json FILE] [--html FILE] [flags]", []string{
		"rnnlab bench                                   # every cell's training step, fixed-point steps, side by side with PyTorch",
		"rnnlab bench --json bench.json --html bench.html --scaling --plot scaling.png",
		"rnnlab bench --no-pipeline --cells gru,lstm",
	}, stdout)
	var o bench.Options
	fs.IntVar(&o.Repeats, "repeats", 5, "measurements of each figure (min/median/max are reported)")
	fs.IntVar(&o.TrainSteps, "train-steps", 20, "training steps per measurement")
	fs.IntVar(&o.FPSteps, "fp-steps", 50, "fixed-point iterations per measurement")
	noPipeline := fs.Bool("no-pipeline", false, "skip the whole tutorial (1500 training steps and the analysis)")
	noTorch := fs.Bool("no-torch", false, "skip the PyTorch reference (it runs only if /usr/bin/python3 can import torch)")
	fs.BoolVar(&o.NoGoMLX, "no-gomlx", false, "skip the GoMLX engine and evaluator")
	fs.IntVar(&o.TorchThreads, "torch-threads", 0, "PyTorch threads (0: PyTorch's default)")
	fs.BoolVar(&o.Multitask, "multitask", false, "also time a training step of Yang 2019's multitask network (H 256, B 32, T 100, 53 in, 17 out), batch making included")
	fs.BoolVar(&o.Scaling, "scaling", false, "also sweep hidden size, batch size, sequence length and candidates")
	fs.StringVar(&o.PlotPath, "plot", "", "with --scaling: write the scaling figure to this PNG")
	cells := fs.String("cells", strings.Join(models.Cells, ","), "cells of the per-cell table and sweep, comma-separated")
	fs.Func("cell-hidden", "with --scaling: hidden sizes of the per-cell sweep, comma-separated (default 64,128,256)", func(v string) error {
		o.Sweeps.CellHidden = nil
		for _, f := range strings.Split(v, ",") {
			var h int
			if _, err := fmt.Sscan(strings.TrimSpace(f), &h); err != nil || h <= 0 || h > maxBenchHidden {
				return fmt.Errorf("%q is not a hidden size in 1..%d", f, maxBenchHidden)
			}
			o.Sweeps.CellHidden = append(o.Sweeps.CellHidden, h)
		}
		return nil
	})
	jsonOut := fs.String("json", "", "write the report as JSON to this file")
	htmlOut := fs.String("html", "", "write the report as an HTML page to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if o.Repeats <= 0 || o.TrainSteps <= 0 || o.FPSteps <= 0 || o.TorchThreads < 0 || o.TorchThreads > maxBenchThreads {
		return usagef("--repeats, --train-steps and --fp-steps must be > 0, --torch-threads in 0..%d", maxBenchThreads)
	}
	if o.PlotPath != "" && !o.Scaling {
		return usagef("--plot needs --scaling")
	}
	if o.Sweeps.CellHidden != nil && !o.Scaling {
		return usagef("--cell-hidden needs --scaling")
	}
	for _, c := range strings.Split(*cells, ",") {
		c = strings.TrimSpace(c)
		if !slices.Contains(models.Cells, c) {
			return usagef("--cells: unknown cell %q (want %s)", c, strings.Join(models.Cells, ", "))
		}
		if !slices.Contains(o.Cells, c) {
			o.Cells = append(o.Cells, c)
		}
	}
	for _, p := range []string{*jsonOut, *htmlOut, o.PlotPath} {
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
	if *htmlOut != "" {
		var b bytes.Buffer
		if err := rep.HTML(&b); err != nil {
			return err
		}
		if err := atomicfile.Write(*htmlOut, b.Bytes()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Wrote %s\n", *htmlOut)
	}
	return nil
}
