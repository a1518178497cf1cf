package main

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
)

func init() {
	commands["tutorial"] = command{"the whole tutorial: train, analyse, write figures and an HTML report", runTutorial}
}

func runTutorial(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("tutorial", "tutorial --out DIR [flags]", []string{
		"rnnlab tutorial --out run                      # then open run/report.html",
		"rnnlab tutorial --out run-s3 --seed 3 --tolerance 1e-5",
	}, stdout)
	var tf trainFlags
	tf.register(fs)
	var af analyzeFlags
	af.register(fs)
	out := fs.String("out", "", "folder for the run, the analysis and report.html")
	if err := parse(fs, args); err != nil {
		return err
	}
	opts, err := tf.options(stdout)
	if err != nil {
		return err
	}
	aopts, err := af.options(stdout)
	if err != nil {
		return err
	}
	if tf.quiet {
		aopts.Log = io.Discard
	}
	if *out == "" {
		return usagef("--out is required")
	}
	if err := pipeline.PrepareDir(*out); err != nil {
		return err
	}
	start := time.Now()
	ctx, stop := interruptible()
	defer stop()
	fmt.Fprintln(stdout, "== Training")
	run, err := pipeline.Train(ctx, *out, opts)
	if err != nil {
		return err
	}
	printTrained(stdout, run.Summary)
	fmt.Fprintln(stdout, "== Analysis")
	a, figs, err := analyzeRun(run, aopts, *out, stdout)
	if err != nil {
		return err
	}
	rep, err := pipeline.Report(run, a, figs)
	if err != nil {
		return err
	}
	path := filepath.Join(*out, pipeline.ReportFile)
	if err := rep.WriteFile(path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Tutorial done in %.1f s. Report: %s\n", time.Since(start).Seconds(), path)
	return nil
}
