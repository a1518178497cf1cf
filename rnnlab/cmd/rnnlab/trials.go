package main

import (
	"fmt"
	"io"
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

func init() {
	commands["trials"] = command{"write independent trials of a task to an .npz file", runTrials}
}

// taskFlags are the task options shared by train, trials and tutorial.
type taskFlags struct {
	name          string
	dt            float64
	fixationFirst bool
}

func (tf *taskFlags) register(fs interface {
	StringVar(*string, string, string, string)
	Float64Var(*float64, string, float64, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&tf.name, "task", tasks.PerceptualDecisionMakingName, "task id (known: "+fmt.Sprint(tasks.Names())+")")
	fs.Float64Var(&tf.dt, "dt", 100, "time step in ms (> 0)")
	fs.BoolVar(&tf.fixationFirst, "fixation-only-in-fixation", false,
		"fixation input 1 only in the fixation period (neurogym 2025); default: the primer's, 1 through fixation, stimulus and delay")
}

// build validates the flags and returns the task seeded with seed.
func (tf *taskFlags) build(seed uint64) (tasks.Task, error) {
	if !(tf.dt > 0) || math.IsInf(tf.dt, 0) {
		return nil, usagef("--dt must be > 0, got %v", tf.dt)
	}
	opts := []tasks.Option{tasks.WithDt(tf.dt), tasks.WithSeed(seed)}
	if tf.name == tasks.PerceptualDecisionMakingName {
		opts = append(opts, tasks.WithConfig(tasks.PerceptualDecisionMakingConfig{FixationOnlyInFixation: tf.fixationFirst}))
	} else if tf.fixationFirst {
		return nil, usagef("--fixation-only-in-fixation applies to %s only", tasks.PerceptualDecisionMakingName)
	}
	t, err := tasks.New(tf.name, opts...)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return t, nil
}

func runTrials(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("trials", "trials --seed S --n N --out FILE.npz [flags]", []string{
		"rnnlab trials --seed 1 --n 100 --out trials.npz",
		"python3 -c 'import numpy as np; print(np.load(\"trials.npz\")[\"obs\"].shape)'",
	}, stdout)
	var tf taskFlags
	tf.register(fs)
	seed := fs.Uint64("seed", 0, "random seed")
	n := fs.Int("n", 100, "number of trials (> 0)")
	out := fs.String("out", "", "output .npz file (written atomically)")
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
	w, err := trialsArchive(task, *n)
	if err != nil {
		return err
	}
	if err := w.WriteFile(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d trials of %s (dt %g ms) to %s\n", *n, task.Name(), task.Dt(), *out)
	return nil
}

// trialsArchive draws n independent trials and lays them out as arrays:
// obs [n,T,obs] float32, gt [n,T] int64 and length [n] int64, plus one [n]
// array per field of the task's trial records (for PerceptualDecisionMaking
// ground_truth int64 and coh float64; discrete fields are int64, with -1
// where a record lacks the field, others float64 with NaN). Trials shorter
// than the longest are padded with zeros after their length.
func trialsArchive(task tasks.Task, n int) (*npz.Writer, error) {
	trials := make([]*tasks.Trial, n)
	recs := make([]tasks.Record, n)
	T := 0
	for i := range trials {
		tr, err := task.NewTrial(nil)
		if err != nil {
			return nil, err
		}
		trials[i], recs[i] = tr, tr.Record
		T = max(T, tr.N)
	}
	D := task.ObsSize()
	obs := make([]float32, n*T*D)
	gt := make([]int64, n*T)
	length := make([]int64, n)
	for i, tr := range trials {
		copy(obs[i*T*D:], tr.Obs)
		for t, l := range tr.Labels {
			gt[i*T+t] = int64(l)
		}
		length[i] = int64(tr.N)
	}
	w := npz.NewWriter()
	if err := w.Add("obs", []int{n, T, D}, obs); err != nil {
		return nil, err
	}
	if err := w.Add("gt", []int{n, T}, gt); err != nil {
		return nil, err
	}
	for _, c := range tasks.Columns(recs) {
		var data any = c.Values
		if c.Discrete {
			ints := make([]int64, n)
			for i, v := range c.Values {
				ints[i] = -1
				if !math.IsNaN(v) {
					ints[i] = int64(v)
				}
			}
			data = ints
		}
		if err := w.Add(c.Name, []int{n}, data); err != nil {
			return nil, fmt.Errorf("trials: record field of %s: %w", task.Name(), err)
		}
	}
	if err := w.Add("length", []int{n}, length); err != nil {
		return nil, err
	}
	return w, nil
}
