package main

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/report"
)

func init() {
	commands["tutorial"] = command{"one of the primer's tutorials end to end (--name): train, analyse, write figures and an HTML report", runTutorial}
}

// tutorials are the primer's notebooks as commands, by --name; each
// registers itself from its own file. "decision" (the default) is
// runDecisionTutorial below.
var tutorials = map[string]tutorialCmd{}

// tutorialCmd runs one tutorial with its own flags (args has no --name)
// and writes its run, figures and report.html into the folder of --out.
type tutorialCmd struct {
	synopsis string
	run      func(args []string, stdout io.Writer) error
}

// tutorialNames lists the --name values, the default first.
func tutorialNames() []string {
	names := []string{"decision"}
	for n := range tutorials {
		names = append(names, n)
	}
	slices.Sort(names[1:])
	return names
}

// runTutorial dispatches on --name (given as --name X or --name=X anywhere
// in args) and passes the other arguments on.
func runTutorial(args []string, stdout, stderr io.Writer) error {
	name, rest := "decision", make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--name" || a == "-name":
			if i+1 >= len(args) {
				return usagef("--name needs a value: %s", strings.Join(tutorialNames(), ", "))
			}
			name = args[i+1]
			i++
		case strings.HasPrefix(a, "--name=") || strings.HasPrefix(a, "-name="):
			name = a[strings.Index(a, "=")+1:]
		default:
			rest = append(rest, a)
		}
	}
	if name == "decision" {
		return runDecisionTutorial(rest, stdout)
	}
	t, ok := tutorials[name]
	if !ok {
		return usagef("unknown tutorial %q (want %s)", name, strings.Join(tutorialNames(), ", "))
	}
	return t.run(rest, stdout)
}

// runDecisionTutorial is the primer's main tutorial: the CTRNN on
// PerceptualDecisionMaking, its fixed points and line attractor.
func runDecisionTutorial(args []string, stdout io.Writer) error {
	fs := newFlagSet("tutorial", "tutorial [--name decision] --out DIR [flags]", []string{
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
		aopts.FixedPoints.Log = io.Discard
	}
	if *out == "" {
		return usagef("--out is required")
	}
	start := time.Now() // pipeline.Train makes --out once the run is checked
	ctx, stop := interruptible()
	defer stop()
	fmt.Fprintln(stdout, "== Training")
	run, err := pipeline.Train(ctx, *out, opts)
	if err != nil {
		return divergedNote(err, run)
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
	return writeTutorialReport(stdout, rep, filepath.Join(*out, pipeline.ReportFile), start)
}

// writeTutorialReport writes a tutorial's report to path and prints the
// closing line: the time since start and where the report is.
func writeTutorialReport(stdout io.Writer, rep *report.Report, path string, start time.Time) error {
	if err := rep.WriteFile(path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Tutorial done in %.1f s. Report: %s\n", time.Since(start).Seconds(), path)
	return nil
}
