package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/sweep"
)

func init() {
	commands["sweep"] = command{"train and analyse many networks from a sweep file, locally or on Slurm", runSweep}
}

var sweepExamples = []string{
	"rnnlab sweep plan sweep.toml                        # list the runs and their folders",
	"rnnlab sweep run sweep.toml --jobs 2 --collect      # on this machine, 2 runs at a time",
	"rnnlab sweep run sweep.toml --executor slurm --partition cpu --time 30:00 --max-parallel 50 --collect",
	"rnnlab sweep status sweep.toml                      # done, failed, running, pending, missing",
	"rnnlab sweep collect sweep.toml                     # results.csv, results.json, report.html",
}

var sweepSubcommands = map[string]func(args []string, stdout io.Writer) error{
	"plan":    sweepPlan,
	"run":     sweepRun,
	"status":  sweepStatus,
	"collect": sweepCollect,
	"task":    sweepTask,
}

func runSweep(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		if sub, ok := sweepSubcommands[args[0]]; ok {
			return sub(args[1:], stdout)
		}
	}
	fs := newFlagSet("sweep", "sweep plan|run|status|collect|task FILE [flags]   (rnnlab sweep SUBCOMMAND --help)", sweepExamples, stdout)
	if err := parse(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
			return usagef("unknown subcommand %q (plan, run, status, collect, task)", args[0])
		}
		return err
	}
	return usagef("missing subcommand: plan, run, status, collect or task (rnnlab sweep --help)")
}

// parseFile parses the flags and the one positional argument, the sweep
// file, which may come before or after the flags.
func parseFile(fs *flag.FlagSet, args []string) (string, error) {
	file := ""
	for {
		if err := parseFlags(fs, args); err != nil {
			return "", err
		}
		if fs.NArg() == 0 {
			break
		}
		if file != "" {
			return "", usagef("unexpected argument %q", fs.Arg(0))
		}
		file, args = fs.Arg(0), fs.Args()[1:]
	}
	if file == "" {
		return "", usagef("the sweep file is required")
	}
	return file, nil
}

// loadSweep reads the sweep file; a bad file is a usage error (one line).
func loadSweep(file string) (*sweep.Sweep, error) {
	s, err := sweep.Load(file)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return s, nil
}

func sweepPlan(args []string, stdout io.Writer) error {
	fs := newFlagSet("sweep plan", "sweep plan FILE", []string{"rnnlab sweep plan sweep.toml"}, stdout)
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	s, err := loadSweep(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d runs of sweep %s (index, folder, axis values):\n", len(s.Runs), s.ID)
	for _, r := range s.Runs {
		fmt.Fprintf(stdout, "%5d  %s  %s\n", r.Index, r.Dir(s.Out), s.Label(r))
	}
	if err := s.CheckFolder(); err != nil {
		return err
	}
	return nil
}

// workerCommand returns the rnnlab binary's command line that runs one run
// of file (the index is appended).
func workerCommand(bin, file string, sub string) ([]string, error) {
	if bin == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("cannot find the rnnlab binary (give --rnnlab): %w", err)
		}
		bin = exe
	} else {
		// An absolute path: the workers (and Slurm's nodes) run elsewhere.
		p, err := exec.LookPath(bin)
		if err != nil {
			return nil, usagef("--rnnlab: %v", err)
		}
		if bin, err = filepath.Abs(p); err != nil {
			return nil, err
		}
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	if sub == "collect" {
		return []string{bin, "sweep", "collect", abs}, nil
	}
	return []string{bin, "sweep", "task", abs, "--index"}, nil
}

func sweepRun(args []string, stdout io.Writer) error {
	fs := newFlagSet("sweep run", "sweep run FILE [--executor local --jobs N | --executor slurm [slurm flags]] [--collect]", []string{
		"rnnlab sweep run sweep.toml --jobs 2 --collect",
		"rnnlab sweep run sweep.toml --executor slurm --partition cpu --time 30:00 --mem 2G --max-parallel 50 --collect",
		"rnnlab sweep run sweep.toml --executor slurm --wait   # submit, then follow the runs until they end",
	}, stdout)
	executor := fs.String("executor", "local", "local (worker processes on this machine) or slurm (one sbatch --array job)")
	jobs := fs.Int("jobs", 1, "local: runs at once (> 0)")
	partition := fs.String("partition", "", "slurm: partition (default: the cluster's)")
	tlimit := fs.String("time", "", "slurm: time limit of each array task, e.g. 30:00")
	mem := fs.String("mem", "", "slurm: memory of each array task, e.g. 2G")
	cpus := fs.Int("cpus", 0, "slurm: CPUs per array task (default: the sweep's threads)")
	maxPar := fs.Int("max-parallel", 0, "slurm: array tasks running at once (0: no limit)")
	collect := fs.Bool("collect", false, "collect the results when the runs end (slurm: a dependent job)")
	wait := fs.Bool("wait", false, "slurm: wait for the array to end, one line per finished run")
	poll := fs.Duration("poll", 2*time.Second, "slurm: status poll interval with --wait")
	bin := fs.String("rnnlab", "", "the rnnlab binary that runs each run (default: this one)")
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *executor != "local" && *executor != "slurm":
		return usagef("--executor must be local or slurm, got %q", *executor)
	case *jobs <= 0:
		return usagef("--jobs must be > 0, got %d", *jobs)
	case *cpus < 0:
		return usagef("--cpus must be >= 0, got %d", *cpus)
	case *maxPar < 0:
		return usagef("--max-parallel must be >= 0, got %d", *maxPar)
	case *poll <= 0:
		return usagef("--poll must be > 0, got %v", *poll)
	}
	if *executor == "local" {
		for _, f := range []string{"partition", "time", "mem", "cpus", "max-parallel", "wait"} {
			if set(fs, f) {
				return usagef("--%s applies to --executor slurm only", f)
			}
		}
	} else if set(fs, "jobs") {
		return usagef("--jobs applies to --executor local only (use --max-parallel)")
	}
	s, err := loadSweep(file)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	sts, err := s.Status(ctx)
	if err != nil {
		return err
	}
	todo := sweep.ToDo(sts)
	c := sweep.Counts(sts)
	fmt.Fprintf(stdout, "Sweep %s: %d runs, %d done, %d running or pending; %d to do\n",
		s.ID, len(s.Runs), c[sweep.StatusDone], c[sweep.StatusRunning]+c[sweep.StatusPending], len(todo))
	task, err := workerCommand(*bin, file, "task")
	if err != nil {
		return err
	}
	if *executor == "local" {
		if len(todo) > 0 {
			err = sweep.Local{Jobs: *jobs, Command: task, Log: stdout}.Run(ctx, s, todo)
		}
		if *collect && ctx.Err() == nil {
			if cerr := collectSweep(ctx, s, stdout); cerr != nil && err == nil {
				err = cerr
			}
		}
		return err
	}
	if len(todo) == 0 {
		fmt.Fprintln(stdout, "Nothing to submit.")
		return nil
	}
	sl := sweep.Slurm{Task: task, Partition: *partition, Time: *tlimit, Mem: *mem, CPUs: *cpus, MaxParallel: *maxPar}
	if *collect {
		if sl.Collect, err = workerCommand(*bin, file, "collect"); err != nil {
			return err
		}
	}
	job, err := sl.Submit(ctx, s, todo)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Submitted array job %s (runs %s)", job.JobID, sweep.ArraySpec(job.Indexes))
	if job.CollectJobID != "" {
		fmt.Fprintf(stdout, " and collect job %s", job.CollectJobID)
	}
	fmt.Fprintf(stdout, "; script %s\n", job.Script)
	if !*wait {
		fmt.Fprintf(stdout, "Follow it with: rnnlab sweep status %s\n", file)
		return nil
	}
	sts, err = sweep.Wait(ctx, s, job.Indexes, *poll, stdout)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, sweep.Summary(sts))
	if n := len(sweep.ToDo(sts)); n > 0 {
		return fmt.Errorf("%d runs failed or are missing (rnnlab sweep status %s)", n, file)
	}
	return nil
}

// set reports whether the flag was given on the command line.
func set(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

func sweepStatus(args []string, stdout io.Writer) error {
	fs := newFlagSet("sweep status", "sweep status FILE [--all]", []string{
		"rnnlab sweep status sweep.toml",
		"rnnlab sweep status sweep.toml --all   # every run, the done ones too",
	}, stdout)
	all := fs.Bool("all", false, "list every run, not only those that are not done")
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	s, err := loadSweep(file)
	if err != nil {
		return err
	}
	sts, err := s.Status(context.Background())
	if sts != nil {
		sweep.PrintStatus(stdout, s, sts, *all)
	}
	return err
}

func sweepCollect(args []string, stdout io.Writer) error {
	fs := newFlagSet("sweep collect", "sweep collect FILE", []string{"rnnlab sweep collect sweep.toml   # then open OUT/report.html"}, stdout)
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	s, err := loadSweep(file)
	if err != nil {
		return err
	}
	return collectSweep(context.Background(), s, stdout)
}

func collectSweep(ctx context.Context, s *sweep.Sweep, stdout io.Writer) error {
	t, sts, err := s.Collect(ctx)
	if t == nil {
		return err
	}
	if err != nil {
		fmt.Fprintf(stdout, "warning: %v\n", err)
	}
	if err := sweep.WriteReport(s, t, sts); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Collected %s into %s: %s, %s, %s\n", sweep.Summary(sts), s.Out, sweep.ResultsCSV, sweep.ResultsJSON, sweep.ReportFile)
	return nil
}

func sweepTask(args []string, stdout io.Writer) error {
	fs := newFlagSet("sweep task", "sweep task FILE --index I", []string{
		"rnnlab sweep task sweep.toml --index 3   # what array task 3 runs",
	}, stdout)
	index := fs.Int("index", -1, "the run to do (0-based, as in sweep plan)")
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	if *index < 0 {
		return usagef("--index is required (>= 0)")
	}
	s, err := loadSweep(file)
	if err != nil {
		return err
	}
	if *index >= len(s.Runs) {
		return usagef("--index %d out of range: the sweep has %d runs", *index, len(s.Runs))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, skipped, err := sweep.RunTask(ctx, s, *index, stdout)
	switch {
	case err != nil:
		return err
	case skipped:
		fmt.Fprintf(stdout, "run %s is already done\n", res.ID)
	default:
		fmt.Fprintf(stdout, "run %s done in %.1f s: final accuracy %.3f, final loss %.4f\n", res.ID, res.Seconds, res.FinalAccuracy, res.FinalLoss)
		if res.Note != "" {
			fmt.Fprintf(stdout, "note: %s\n", res.Note)
		}
	}
	return nil
}
