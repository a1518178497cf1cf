package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/memlimit"
	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

func init() {
	commands["trials"] = command{"write independent trials of a task to an .npz file", runTrials}
}

// taskFlags are the task options shared by train, trials, plot-env and
// tutorial.
type taskFlags struct {
	name          string
	dt            dtFlag
	fixationFirst bool
	settings      settingsFlag // --set key=value, for commands that register it
}

// dtFlag is --dt: the task's own time step unless given.
type dtFlag struct {
	v   float64
	set bool
}

func (d *dtFlag) String() string {
	if d == nil || !d.set {
		return ""
	}
	return strconv.FormatFloat(d.v, 'g', -1, 64)
}

func (d *dtFlag) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New("not a number")
	}
	d.v, d.set = v, true
	return nil
}

// settingsFlag collects repeated --set key=value flags.
type settingsFlag []string

func (s *settingsFlag) String() string { return strings.Join(*s, " ") }

func (s *settingsFlag) Set(v string) error {
	*s = append(*s, v)
	return nil
}

// flagRegistrar is what taskFlags needs of a flag set.
type flagRegistrar interface {
	StringVar(*string, string, string, string)
	Float64Var(*float64, string, float64, string)
	BoolVar(*bool, string, bool, string)
	Var(flag.Value, string, string)
}

func (tf *taskFlags) register(fs flagRegistrar) {
	fs.StringVar(&tf.name, "task", tasks.PerceptualDecisionMakingName, "task id (rnnlab tasks lists them)")
	fs.Var(&tf.dt, "dt", "time step in `ms`, > 0 (default: the task's own, 100 for "+tasks.PerceptualDecisionMakingName+")")
	fs.BoolVar(&tf.fixationFirst, "fixation-only-in-fixation", false,
		"fixation input 1 only in the fixation period (neurogym 2025); default: the primer's, 1 through fixation, stimulus and delay")
}

// registerSet adds the repeatable --set flag.
func (tf *taskFlags) registerSet(fs flagRegistrar) {
	fs.Var(&tf.settings, "set", "set a task option, `key=value` (repeatable; rnnlab tasks --task NAME lists the options), e.g. dim_ring=3, cohs=0,25.6, 'timing.delay=choice(0,500)'")
}

// build validates the flags and returns the task seeded with seed. Every
// problem with the task, its options or their values is a usage error.
func (tf *taskFlags) build(seed uint64) (tasks.Task, error) {
	opts := []tasks.Option{tasks.WithSeed(seed)}
	if tf.dt.set {
		if !(tf.dt.v > 0) || math.IsInf(tf.dt.v, 0) {
			return nil, usagef("--dt must be > 0, got %v", tf.dt.v)
		}
		opts = append(opts, tasks.WithDt(tf.dt.v))
	}
	settings := slices.Clone([]string(tf.settings))
	for _, s := range settings {
		key, _, _ := strings.Cut(s, "=")
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "dt", "seed":
			return nil, usagef("--set %s: use --%s instead", s, strings.ToLower(strings.TrimSpace(key)))
		}
	}
	if tf.fixationFirst {
		if tf.name != tasks.PerceptualDecisionMakingName {
			return nil, usagef("--fixation-only-in-fixation applies to %s only", tasks.PerceptualDecisionMakingName)
		}
		settings = append(settings, "fixation_only_in_fixation=true")
	}
	t, err := tasks.NewWithSettings(tf.name, settings, opts...)
	if err != nil {
		return nil, usageError{oneLine(err.Error())}
	}
	return t, nil
}

// oneLine folds a message onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func runTrials(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("trials", "trials [--task NAME] [--set key=value ...] --seed S --n N --out FILE.npz [flags]", []string{
		"rnnlab trials --seed 1 --n 100 --out trials.npz",
		"rnnlab trials --task PerceptualDecisionMaking-v0 --set dim_ring=3 --set 'timing.delay=choice(0,500)' --n 50 --out pdm3.npz",
		"python3 -c 'import numpy as np; f = np.load(\"trials.npz\"); print(f[\"obs\"].shape, f[\"gt\"].shape, f[\"length\"][:5])'",
	}, stdout)
	var tf taskFlags
	tf.register(fs)
	tf.registerSet(fs)
	seed := fs.Uint64("seed", 0, "random seed")
	n := fs.Int("n", 100, "number of trials (> 0)")
	out := fs.String("out", "", "output .npz file (written atomically): obs, gt, length and one array per trial-record field")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *n <= 0 {
		return usagef("--n must be > 0, got %d", *n)
	}
	task, err := tf.build(*seed)
	if err != nil {
		return err
	}
	if err := prepareFile(*out); err != nil {
		return err
	}
	w, tmax, err := trialsArchive(task, *n)
	if err != nil {
		return err
	}
	if err := w.WriteFile(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d trials of %s (dt %g ms, up to %d steps) to %s\n", *n, task.Name(), task.Dt(), tmax, *out)
	return nil
}

// checkTrialsMemory refuses n trials of up to T steps of D channels when
// the archive would not fit in memory: the trials, the padded arrays and
// their encoding (three copies of float32 observations and int64 labels),
// and 1 kB per trial for its record and bookkeeping (measured: 2.1 GB of
// peak memory for 10^6 trials of 22 steps of PerceptualDecisionMaking).
func checkTrialsMemory(n, T, D int) error {
	need := float64(n) * (3*float64(T)*(4*float64(D)+8) + 1024)
	return memlimit.Check(fmt.Sprintf("%d trials of up to %d steps", n, T), need)
}

// reservedArrays are the names of the archive's own arrays; a record field
// of the same name is written as "record_<name>".
var reservedArrays = []string{"obs", "gt", "length"}

// trialsArchive draws n independent trials and lays them out as arrays,
// Tmax being the longest trial's number of steps:
//
//	obs     [n, Tmax, ObsSize] float32, zero after each trial's end
//	gt      [n, Tmax] int64, the labels, -1 after each trial's end
//	length  [n] int64, each trial's number of steps
//
// plus one [n] array per field of the trials' records, named after the
// field (PerceptualDecisionMaking: ground_truth int64, coh float64): int64
// for a discrete field that every record has, else float64 with NaN where a
// record lacks the field (as from a multi-task schedule). It also returns
// Tmax.
func trialsArchive(task tasks.Task, n int) (*npz.Writer, int, error) {
	T, D := 0, task.ObsSize()
	probe, err := task.Clone().NewTrial(nil) // the size of a trial, before n are made
	if err != nil {
		return nil, 0, err
	}
	if err := checkTrialsMemory(n, probe.N, D); err != nil {
		return nil, 0, err
	}
	trials := make([]*tasks.Trial, n)
	recs := make([]tasks.Record, n)
	for i := range trials {
		tr, err := task.NewTrial(nil)
		if err != nil {
			return nil, 0, err
		}
		if tr.ObsSize != D || len(tr.Obs) != tr.N*D || len(tr.Labels) != tr.N {
			return nil, 0, fmt.Errorf("%s: trial %d has %d steps, %d observations of %d channels and %d labels; want %d channels",
				task.Name(), i, tr.N, len(tr.Obs), tr.ObsSize, len(tr.Labels), D)
		}
		trials[i], recs[i] = tr, tr.Record
		if tr.N > T || i == 0 {
			T = tr.N
			if err := checkTrialsMemory(n, T, D); err != nil {
				return nil, 0, err
			}
		}
	}
	obs := make([]float32, n*T*D)
	gt := make([]int64, n*T)
	length := make([]int64, n)
	for i, tr := range trials {
		copy(obs[i*T*D:], tr.Obs)
		row := gt[i*T : (i+1)*T]
		for t := range row {
			row[t] = -1
		}
		for t, l := range tr.Labels {
			row[t] = int64(l)
		}
		length[i] = int64(tr.N)
	}
	w := npz.NewWriter()
	if err := w.Add("obs", []int{n, T, D}, obs); err != nil {
		return nil, 0, err
	}
	if err := w.Add("gt", []int{n, T}, gt); err != nil {
		return nil, 0, err
	}
	if err := w.Add("length", []int{n}, length); err != nil {
		return nil, 0, err
	}
	for _, c := range tasks.Columns(recs) {
		var data any = c.Values
		if c.Discrete && !slices.ContainsFunc(c.Values, math.IsNaN) {
			ints := make([]int64, n)
			for i, v := range c.Values {
				ints[i] = int64(v)
			}
			data = ints
		}
		name := c.Name
		if slices.Contains(reservedArrays, name) {
			name = "record_" + name
		}
		if err := w.Add(name, []int{n}, data); err != nil {
			return nil, 0, fmt.Errorf("%s: record field %q: %w", task.Name(), c.Name, err)
		}
	}
	return w, T, nil
}
