package workingmemory

import (
	"fmt"
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// The example's settings, nn-brain's.
const (
	// Dt is the task's time step in ms.
	Dt = 100.0
	// Hidden is the number of recurrent units.
	Hidden = 64
	// Steps is the number of training steps (batches of 16 sequences of
	// 100 steps).
	Steps = 2000
	// AnalysisDelay is the delay of the analysis trials, in ms: 30 steps.
	AnalysisDelay = 3000.0
	// Trials is the number of analysis trials.
	Trials = 100
)

// TrainDelays are the delays of the training trials in ms, one drawn
// uniformly per trial (nn-brain's timing {"delay": ("choice", [...])}).
var TrainDelays = []float64{200, 400, 800, 1600, 3200}

// DelayInput is the constant input of the fixed-point search: the input of
// the delay period, fixation on (x[0] = 1) and no stimulus (x[1] = 0).
var DelayInput = []float32{1, 0}

// LegacyFixation is DelayComparison's fixation before neurogym's 2020
// change, uniform on [1500, 3000) ms: the timing of nn-brain's published
// outputs. Neurogym v2.2.0 (the default here) fixes it at 500 ms.
func LegacyFixation() tasks.Duration { return tasks.Uniform(1500, 3000) }

// TaskConfig returns DelayComparison's configuration for training: dt
// 100 ms, neurogym v2.2.0's timing with the delay drawn from TrainDelays;
// legacy replaces v2.2.0's fixation of 500 ms by LegacyFixation.
func TaskConfig(legacy bool) tasks.DelayComparisonConfig {
	timing := tasks.Timing{"delay": tasks.Choice(TrainDelays...)}
	if legacy {
		timing["fixation"] = LegacyFixation()
	}
	return tasks.DelayComparisonConfig{Dt: Dt, Timing: timing}
}

// TrainingConfig returns the run's configuration for seed: DelayComparison
// (TaskConfig(legacy)), the default 64-unit relu CTRNN with tau 100 ms
// (alpha = dt/tau = 1), Adam with lr 1e-3, batches of 16 sequences of 100
// steps, steps updates (0 means Steps) of the mean cross-entropy over all
// time steps.
func TrainingConfig(seed uint64, steps int, legacy bool) training.Config {
	if steps == 0 {
		steps = Steps
	}
	return training.Config{
		Seed: seed, Steps: steps, Task: tasks.DelayComparisonName, Dt: Dt,
		TaskConfig: TaskConfig(legacy),
	}
}

// AnalysisTask returns the task of the analysis trials: the run's own
// configuration (cfg, a tasks.DelayComparisonConfig) with the delay fixed
// at AnalysisDelay, seeded with seed.
func AnalysisTask(cfg training.Config, seed uint64) (tasks.Task, error) {
	tc, ok := cfg.TaskConfig.(tasks.DelayComparisonConfig)
	if cfg.Task != tasks.DelayComparisonName || (!ok && cfg.TaskConfig != nil) {
		return nil, fmt.Errorf("workingmemory: the run was trained on %s (%T), not %s", cfg.Task, cfg.TaskConfig, tasks.DelayComparisonName)
	}
	timing := tasks.Timing{}
	for k, v := range tc.Timing {
		timing[k] = v
	}
	timing["delay"] = tasks.Constant(AnalysisDelay)
	tc.Timing, tc.Dt, tc.Seed = timing, cfg.Dt, seed
	return tasks.NewDelayComparison(tc)
}

// DelayActivity is a network's activity in the delay period of a set of
// trials, with the first stimulus of each: an analysis.Activity (whose
// Accuracy, NumStates, Stack, StackDense and TrialDense it uses) whose
// States, Outputs and Inputs hold only each trial's delay period, while
// Trials[i] describes the whole trial i (its ground truth, decision step,
// choice and whether it was correct).
type DelayActivity struct {
	// Activity: States[i] holds trial i's states in its delay period,
	// row-major [steps][S] (the state after each delay step; S =
	// models.Config.StateSize, H for the CTRNN), Outputs[i] and Inputs[i]
	// the outputs and observations of the same steps.
	analysis.Activity
	// F1 and F2 are the values shown first and second (Hz; the record's
	// v1 and v2).
	F1, F2 []float64
}

// CollectDelay draws n trials from task (seed it first) and runs p on each
// from the zero state (analysis.RunTrial), keeping the states, outputs and
// inputs of the delay period, the trial's result (decided at the last step
// of its decision period), f1 and f2.
func CollectDelay(p *models.Params, task tasks.Task, n int) (*DelayActivity, error) {
	if p == nil || task == nil {
		return nil, fmt.Errorf("workingmemory: CollectDelay: nil network or task")
	}
	if n <= 0 {
		return nil, fmt.Errorf("workingmemory: CollectDelay: number of trials must be > 0, got %d", n)
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
	}
	if task.ObsSize() != p.NumInput {
		return nil, fmt.Errorf("workingmemory: CollectDelay: task has %d observation channels, network %d inputs", task.ObsSize(), p.NumInput)
	}
	S, O, I := p.StateSize(), p.NumOutput, p.NumInput
	d := &DelayActivity{Activity: analysis.Activity{H: p.NumHidden, O: O, S: S}}
	for i := range n {
		tr, err := task.NewTrial(nil)
		if err != nil {
			return nil, fmt.Errorf("workingmemory: trial %d: %w", i, err)
		}
		delay, ok := tr.Period("delay")
		if !ok || delay.End <= delay.Start {
			return nil, fmt.Errorf("workingmemory: trial %d has no delay period", i)
		}
		if dec, ok := tr.Period("decision"); !ok || dec.End <= dec.Start {
			return nil, fmt.Errorf("workingmemory: trial %d has no decision period", i)
		}
		states, outs, res := analysis.RunTrial(p, tr)
		f1, _ := tasks.Lookup(tr.Record, "v1")
		f2, _ := tasks.Lookup(tr.Record, "v2")
		d.States = append(d.States, states[delay.Start*S:delay.End*S:delay.End*S])
		d.Outputs = append(d.Outputs, outs[delay.Start*O:delay.End*O:delay.End*O])
		d.Inputs = append(d.Inputs, append([]float32(nil), tr.Obs[delay.Start*I:delay.End*I]...))
		d.Trials = append(d.Trials, res)
		d.F1, d.F2 = append(d.F1, f1), append(d.F2, f2)
	}
	return d, nil
}

// TrialOf returns, for every row of Stack, the trial it belongs to.
func (d *DelayActivity) TrialOf() []int {
	var out []int
	for i, s := range d.States {
		for range len(s) / d.S {
			out = append(out, i)
		}
	}
	return out
}

// correlation is Pearson's r of x and y (0 when either is constant).
func correlation(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}
