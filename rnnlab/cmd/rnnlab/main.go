// Command rnnlab trains recurrent networks on cognitive tasks and analyses
// them as dynamical systems, as in Yang & Wang (2020)'s primer.
//
// Usage:
//
//	rnnlab train    --seed S --steps N --out DIR    train the tutorial network
//	rnnlab tasks    [--task NAME] [--json]          list the tasks, their sizes, timing and options
//	rnnlab trials   [--task NAME] [--set k=v ...] --seed S --n N --out FILE.npz
//	                                                write trials of a task
//	rnnlab plot-env [--task NAME] [--set k=v ...] --out FILE.png|.svg
//	                                                plot a task played by a random agent
//	rnnlab analyze  --run DIR --out DIR2            fixed points, Jacobians, figures
//	rnnlab tutorial --out DIR                       train + analyse + HTML report
//	rnnlab bench    [--json FILE]                   time the tutorial's work
//	rnnlab sweep    plan|run|status|collect FILE     many networks from a sweep file,
//	                                                locally or as a Slurm job array
//	rnnlab multitask train|analyze --out DIR | --run DIR  one network, Yang et al. 2019's twenty tasks
//
// Every command takes --help. Errors are one line on stderr with a non-zero
// exit status: 2 for a bad command line, 1 for a failure while running.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one subcommand of the CLI.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

// usageError marks a bad command line (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// flagError is a flag that does not parse (unknown, or a bad value): one
// line, then a hint to the command's help (exit status 2).
type flagError struct {
	msg string
	cmd string // "train", "sweep run", ...
}

func (e flagError) Error() string { return e.msg }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit status. A panic inside
// a command is reported as one line, never as a Go trace.
func run(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "rnnlab: internal error: %v\n", r)
			status = 1
		}
	}()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "rnnlab: unknown command %q (try: rnnlab --help)\n", args[0])
		return 2
	}
	err := cmd.run(args[1:], stdout, stderr)
	var ue usageError
	var fe flagError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "rnnlab %s: %v\nrun 'rnnlab %s -h' for usage\n", args[0], err, fe.cmd)
		return 2
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "rnnlab %s: %v\n", args[0], err)
		return 2
	default:
		fmt.Fprintf(stderr, "rnnlab %s: %v\n", args[0], err)
		return 1
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "rnnlab: train recurrent networks on cognitive tasks and analyse them as dynamical systems.")
	fmt.Fprintln(w, "\nUsage: rnnlab COMMAND [flags]   (rnnlab COMMAND --help for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nEnvironment: GOMLX_BACKEND selects the GoMLX backend (default: go, the pure-Go one).")
}

// newFlagSet returns a flag set whose errors come back as usage errors and
// whose --help prints, once, to stdout: the synopsis, the flags and the
// examples (lines of shell, one per example).
func newFlagSet(name, synopsis string, examples []string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fs.SetOutput(stdout)
		fmt.Fprintf(stdout, "Usage: rnnlab %s\n\n", synopsis)
		fs.PrintDefaults()
		if len(examples) > 0 {
			fmt.Fprintln(stdout, "\nExamples:")
			for _, e := range examples {
				fmt.Fprintf(stdout, "  %s\n", e)
			}
		}
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parseFlags parses args with fs. The usage is printed (to stdout) for
// -h and --help only; a flag that does not parse is a flagError, one line
// and a hint to the help.
func parseFlags(fs *flag.FlagSet, args []string) error {
	usage := fs.Usage
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		usage()
		return err
	case err != nil:
		return flagError{msg: oneLine(err.Error()), cmd: fs.Name()}
	}
	return nil
}

// parse parses args, turning flag errors into usage errors and rejecting
// stray positional arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
