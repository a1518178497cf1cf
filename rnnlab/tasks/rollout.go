package tasks

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// Policy picks an action from the observation of the current step. A policy
// backed by a recurrent network keeps its hidden state in its closure.
type Policy func(obs []float32) int

// RolloutConfig says how long a rollout runs and who acts.
type RolloutConfig struct {
	// Trials, when > 0, runs until that many trials have ended (Steps is
	// then ignored), at most MaxSteps steps.
	Trials int
	// Steps is the number of steps when Trials is 0 (default 200, as
	// neurogym's plot_env).
	Steps int
	// MaxSteps caps a Trials rollout (default 100000); reaching it is an
	// error.
	MaxSteps int
	// Policy chooses the actions; nil means uniformly random actions from
	// a PCG seeded with Seed.
	Policy Policy
	// Seed seeds the random policy.
	Seed uint64
}

// RolloutRecord is what Rollout records, one entry per step, ready for a
// plot like neurogym's plot_env. Steps are 0-based.
//
// It uses neurogym's newer (HEAD) convention: Obs[j] is the observation on
// which action j was taken (Obs[0] is the one Reset returned), so column j
// of every field belongs to the same step. Label[j] is the target at step
// j.
type RolloutRecord struct {
	// TaskName and Dt identify the task.
	TaskName string
	Dt       float64
	// ObsSize and NumActions are the task's sizes.
	ObsSize, NumActions int
	// NumSteps is the number of recorded steps.
	NumSteps int
	// Obs holds the observations, row-major [NumSteps][ObsSize].
	Obs []float32
	// Actions, Labels and Rewards hold the action, target and reward of
	// every step.
	Actions, Labels []int
	Rewards         []float64
	// Performance is the finished trial's performance on steps that end a
	// trial and -1 elsewhere.
	Performance []float64
	// TrialStarts holds the step index at which each trial starts (0 first);
	// only starts before NumSteps are listed.
	TrialStarts []int
	// Trials holds the record of each trial in TrialStarts.
	Trials []Record
	// RewardValues are the task's named rewards (for the reward axis).
	RewardValues []NamedValue
	// ObsGroups and ActionGroups name channels and actions when the task is
	// a GroupedTask (nil otherwise).
	ObsGroups, ActionGroups []Group
}

// ObsAt returns the observation of step j (a view into Obs).
func (r *RolloutRecord) ObsAt(j int) []float32 { return r.Obs[j*r.ObsSize : (j+1)*r.ObsSize] }

// TrialEnds returns the indices of the steps that ended a trial.
func (r *RolloutRecord) TrialEnds() []int {
	var e []int
	for j, p := range r.Performance {
		if p != -1 {
			e = append(e, j)
		}
	}
	return e
}

// MeanPerformance returns the mean performance over the finished trials
// and false if none finished.
func (r *RolloutRecord) MeanPerformance() (float64, bool) {
	s, n := 0.0, 0
	for _, p := range r.Performance {
		if p != -1 {
			s += p
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return s / float64(n), true
}

// Rollout runs a clone of task (task itself is left untouched): Reset, then
// Step with the policy's actions, recording every step. Unlike neurogym's
// plot_env, no random step is hidden in Reset, so the first trial is
// complete: PerceptualDecisionMaking at dt = 100 with Trials = 2 records
// 44 steps, with trial ends on steps 21 and 43.
func Rollout(task Task, cfg RolloutConfig) (*RolloutRecord, error) {
	if task == nil {
		return nil, errors.New("rollout: nil task")
	}
	if cfg.Trials < 0 || cfg.Steps < 0 || cfg.MaxSteps < 0 {
		return nil, fmt.Errorf("rollout: negative trials %d, steps %d or max steps %d", cfg.Trials, cfg.Steps, cfg.MaxSteps)
	}
	if cfg.Steps == 0 {
		cfg.Steps = 200
	}
	if cfg.MaxSteps == 0 {
		cfg.MaxSteps = 100000
	}
	env := task.Clone()
	policy := cfg.Policy
	if policy == nil {
		rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0xda3e39cb94b95bdb))
		na := env.NumActions()
		policy = func([]float32) int { return rng.IntN(na) }
	}
	r := &RolloutRecord{
		TaskName: env.Name(), Dt: env.Dt(),
		ObsSize: env.ObsSize(), NumActions: env.NumActions(),
		RewardValues: env.RewardValues(),
	}
	if g, ok := env.(GroupedTask); ok {
		r.ObsGroups, r.ActionGroups = g.ObsGroups(), g.ActionGroups()
	}
	obs := env.Reset()
	r.TrialStarts = []int{0}
	r.Trials = []Record{env.Current().Record}
	ended := 0
	for j := 0; ; j++ {
		if cfg.Trials > 0 {
			if ended >= cfg.Trials {
				break
			}
			if j >= cfg.MaxSteps {
				return nil, fmt.Errorf("rollout: %d trials not finished after %d steps", cfg.Trials, cfg.MaxSteps)
			}
		} else if j >= cfg.Steps {
			break
		}
		r.Obs = append(r.Obs, obs...)
		a := policy(obs)
		res := env.Step(a)
		r.Actions = append(r.Actions, a)
		r.Labels = append(r.Labels, res.Label)
		r.Rewards = append(r.Rewards, res.Reward)
		perf := -1.0
		if res.NewTrial {
			perf = res.Performance
			ended++
			r.TrialStarts = append(r.TrialStarts, j+1)
			r.Trials = append(r.Trials, res.Trial)
		}
		r.Performance = append(r.Performance, perf)
		obs = res.Obs
	}
	r.NumSteps = len(r.Actions)
	if k := len(r.TrialStarts) - 1; r.TrialStarts[k] >= r.NumSteps {
		r.TrialStarts, r.Trials = r.TrialStarts[:k], r.Trials[:k]
	}
	return r, nil
}
