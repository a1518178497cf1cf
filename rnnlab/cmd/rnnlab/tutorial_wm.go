package main

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/workingmemory"
)

func init() {
	tutorials["working-memory"] = tutorialCmd{
		synopsis: "the parametric working-memory network (DelayComparison): several seeds, the line attractor that stores f1",
		run:      runWorkingMemoryTutorial,
	}
}

// runWorkingMemoryTutorial trains --seeds networks on DelayComparison,
// scores each (does it form a line attractor?), analyses the first that
// does and writes the report.
// maxTutorialSeeds bounds --seeds of the working-memory tutorial.
const maxTutorialSeeds = 1000

func runWorkingMemoryTutorial(args []string, stdout io.Writer) error {
	fs := newFlagSet("tutorial --name working-memory", "tutorial --name working-memory --out DIR [--seeds N] [--first-seed S] [--steps N] [--legacy-fixation]", []string{
		"rnnlab tutorial --name working-memory --out wm     # then open wm/report.html",
		"rnnlab tutorial --name working-memory --out wm --seeds 6 --legacy-fixation",
	}, stdout)
	out := fs.String("out", "", "folder for the runs (seed-N), scores.json, the figures and report.html")
	n := fs.Int("seeds", 4, "number of seeds to train and score")
	first := fs.Uint64("first-seed", 0, "first seed (seeds first-seed, first-seed+1, ...)")
	steps := fs.Int("steps", workingmemory.Steps, "training steps per seed")
	legacy := fs.Bool("legacy-fixation", false, "fixation uniform on 1500-3000 ms (neurogym before 2020) instead of v2.2.0's 500 ms")
	engine := fs.String("engine", "auto", "training and fixed-point engine: auto, cpu or gomlx")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *out == "":
		return usagef("--out is required")
	case *n < 1 || *n > maxTutorialSeeds:
		return usagef("--seeds must be in 1..%d, got %d", maxTutorialSeeds, *n)
	case *steps < 1:
		return usagef("--steps must be >= 1, got %d", *steps)
	}
	if _, err := models.UseCPU(*engine); err != nil {
		return usageError{err.Error()}
	}
	if err := pipeline.PrepareDir(*out); err != nil {
		return err
	}
	opts := workingmemory.TrainOptions{Steps: *steps, Engine: *engine, Log: stdout,
		Analyze: workingmemory.AnalyzeOptions{FixedPoints: analysis.FixedPointOptions{Engine: *engine}}, LegacyFixation: *legacy}
	seeds := make([]uint64, *n)
	for i := range seeds {
		seeds[i] = *first + uint64(i)
	}
	start := time.Now()
	ctx, stop := interruptible()
	defer stop()
	fmt.Fprintf(stdout, "== Training and scoring %d seeds\n", *n)
	scores, err := workingmemory.TrainSeeds(ctx, *out, seeds, opts)
	if err != nil {
		return err
	}
	run, chosen, ok, err := workingmemory.LoadChosen(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d of %d seeds form a line attractor.\n", workingmemory.CountLines(scores), len(scores))
	if !ok {
		fmt.Fprintf(stdout, "No seed forms a line; analysing seed %d anyway.\n", chosen.Seed)
	}
	fmt.Fprintf(stdout, "== Analysis of seed %d\n", chosen.Seed)
	a, err := workingmemory.Analyze(run, opts.Analyze)
	if err != nil {
		return err
	}
	if err := workingmemory.Write(*out, run, a, scores); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Tutorial done in %.1f s. Report: %s\n", time.Since(start).Seconds(), filepath.Join(*out, workingmemory.ReportFile))
	return nil
}
