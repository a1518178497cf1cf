package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

func init() {
	commands["plot-env"] = command{"plot a task played by a random agent (neurogym's plot_env) to PNG, SVG or PDF", runPlotEnv}
}

// maxPlotTrials is the most trials plot-env draws: more would not be read.
const maxPlotTrials = 1000

// imageFormats are the figure formats, chosen by the file extension.
var imageFormats = []string{".png", ".svg", ".pdf"}

func runPlotEnv(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("plot-env", "plot-env [--task NAME] [--set key=value ...] [--trials N] [--seed S] --out FILE.png|.svg|.pdf", []string{
		"rnnlab plot-env --out pdm.png",
		"rnnlab plot-env --task PerceptualDecisionMaking-v0 --set dim_ring=4 --trials 3 --seed 2 --out pdm4.svg",
	}, stdout)
	var tf taskFlags
	tf.register(fs)
	tf.registerSet(fs)
	seed := fs.Uint64("seed", 0, "random seed of the task and of the random agent")
	trials := fs.Int("trials", 2, "number of trials to play (1..1000)")
	out := fs.String("out", "", "figure file, written atomically; the extension picks the format: .png, .svg or .pdf")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *trials <= 0 || *trials > maxPlotTrials {
		return usagef("--trials must be in 1..%d, got %d", maxPlotTrials, *trials)
	}
	if *out == "" {
		return usagef("--out is required")
	}
	ext := strings.ToLower(filepath.Ext(*out))
	if !slices.Contains(imageFormats, ext) {
		return usagef("--out %s: unknown figure format %q (want %s)", *out, ext, strings.Join(imageFormats, ", "))
	}
	task, err := tf.build(*seed)
	if err != nil {
		return err
	}
	if err := prepareFile(*out); err != nil {
		return err
	}
	fig, steps, err := envFigure(task, *trials, *seed)
	if err != nil {
		return err
	}
	b, err := fig.Encode(ext)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, b); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d trials of %s (dt %g ms, %d steps) played by a random agent\n", *out, *trials, task.Name(), task.Dt(), steps)
	return nil
}

// envFigure plays n trials of task with uniformly random actions (seeded
// with seed) and draws neurogym's plot_env figure. It also returns the
// number of steps played.
func envFigure(task tasks.Task, n int, seed uint64) (*plots.Figure, int, error) {
	rec, err := tasks.Rollout(task, tasks.RolloutConfig{Trials: n, Seed: seed})
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", task.Name(), err)
	}
	fig, err := plots.Env(pipeline.EnvData(rec))
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", task.Name(), err)
	}
	return fig, rec.NumSteps, nil
}
