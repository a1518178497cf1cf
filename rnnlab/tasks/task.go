// Package tasks holds cognitive tasks in the style of neurogym and the
// supervised Dataset that batches their trials for training.
//
// A task is defined by its periods (fixation, stimulus, delay, decision, ...),
// an observation per time step and a label per time step. Time is discretised
// with a step dt in milliseconds; a trial of total duration T ms has
// N = floor(T/dt) steps. Label 0 means "fixate"; label k+1 means "choose k".
//
// Everything random takes an explicit seed: the same seed gives the same
// trials. Tasks use math/rand/v2's PCG; they do not reproduce numpy's random
// stream, only its distributions.
//
// # Timing
//
// A trial is a sequence of periods laid end to end from t = 0. Each period's
// duration d (ms) is drawn per trial (see Duration: constant, choice,
// uniform or truncated exponential) and floored to whole steps,
// floor(d/dt); a period of length 0 occupies no step. The trial has N = sum
// of the period steps. PerceptualDecisionMaking at the default dt = 100 ms
// has fixation 1 step (index 0), stimulus 20 steps (1..20), delay 0 and
// decision 1 step (21): N = 22.
//
// # PerceptualDecisionMaking
//
// Per trial the ground truth g is drawn uniformly from 0..R-1 (R = DimRing)
// and the coherence c uniformly from Cohs; both draws always happen, then an
// Override may replace them. With ring angles theta_k = 2 pi k / R, the
// observation x_t (1+R channels, float32) is
//
//	x_t[0]   = 1 in the fixation, stimulus and delay periods, else 0
//	           (only in the fixation period if FixationOnlyInFixation)
//	x_t[1+k] = 0.5 + cos(theta_k - theta_g) c/200 + sigma_eff * xi_{t,k}
//	           in the stimulus period, else 0
//
// with xi i.i.d. standard normal and sigma_eff = sigma/sqrt(dt), dt in ms
// (0.1 at the default sigma 1, dt 100). For R = 2 the correct channel has
// mean 0.5 + c/200 and the other 0.5 - c/200. The dt scaling keeps the noise
// accumulated by an Euler-integrated network, of variance proportional to
// (dt/tau)^2 * sigma_eff^2 * T/dt = sigma^2 T / tau^2, independent of dt
// (our reading; neurogym does not state a reason).
// No noise is added to the fixation channel or outside the stimulus period.
//
// The label is 0 ("fixate") at every step except in the decision period,
// where it is g+1. There is no mask: supervised training uses every step.
//
// # Stepping (reinforcement-learning interface)
//
// Step(a) acts at the current step of the current trial:
//
//	fixation period, a != 0        reward Abort (-0.1); ends the trial only if Abort is set
//	decision period, a == g+1      reward Correct (+1), trial ends, performance 1
//	decision period, a != 0, wrong reward Fail (0), trial ends, performance 0
//	decision period, a == 0        reward 0, trial goes on
//	stimulus or delay, any a       reward 0
//
// A trial that is not ended early lasts exactly N steps. At a trial end a
// new trial is drawn and Step returns its first observation. Reset draws a
// trial and returns its first observation; unlike neurogym it does not take
// a hidden random first step, so the first Step acts on step 0.
//
// # Dataset
//
// Dataset reproduces neurogym's supervised batching: BatchSize copies of a
// task (copy i seeded with Seed+i) each fill one column of a time-major
// cache with whole trials back to back (the last trial is cut at the cache
// end), and Next serves SeqLen consecutive rows, refilling the cache when
// the next window would reach its end. Batches therefore usually begin in
// the middle of a trial.
//
// # Registry
//
// New("PerceptualDecisionMaking-v0", ...) builds a task by its neurogym id;
// Names lists the ids. Other tasks implement Task and call Register.
package tasks

// Period is a named interval of a trial, in step indices [Start, End).
type Period struct {
	Name       string
	Start, End int
}

// TrialInfo describes the condition of one trial.
type TrialInfo struct {
	// GroundTruth is the correct choice, 0..NumChoices-1.
	GroundTruth int
	// Coh is the stimulus coherence in percent (0 for tasks without one).
	Coh float64
}

// Trial is one generated trial: N time steps of observations and labels.
type Trial struct {
	Info TrialInfo
	// N is the number of time steps.
	N int
	// ObsSize is the number of observation channels.
	ObsSize int
	// Obs holds the observations, row-major [N][ObsSize].
	Obs []float32
	// Labels holds the target action at every step, [N].
	Labels []int
	// Periods lists the trial's periods in order (zero-length ones included).
	Periods []Period
}

// ObsAt returns the observation row of step t (a view into Obs).
func (tr *Trial) ObsAt(t int) []float32 { return tr.Obs[t*tr.ObsSize : (t+1)*tr.ObsSize] }

// Period returns the period with the given name and whether it exists.
func (tr *Trial) Period(name string) (Period, bool) {
	for _, p := range tr.Periods {
		if p.Name == name {
			return p, true
		}
	}
	return Period{}, false
}

// Override forces parts of a trial's condition in NewTrial.
// Nil fields are drawn at random as usual (the random draws still happen, so
// the random stream does not depend on overrides).
type Override struct {
	GroundTruth *int
	Coh         *float64
}

// StepResult is what Task.Step returns: the next observation, the reward and
// trial bookkeeping, as neurogym's step does.
type StepResult struct {
	// Obs is the observation for the next step (the first step of a new
	// trial after a trial boundary).
	Obs []float32
	// Reward received for the action.
	Reward float64
	// Label is the target at the step on which the action was taken.
	Label int
	// NewTrial reports that a trial ended with this step.
	NewTrial bool
	// Performance is the finished trial's performance (1 correct, 0 not);
	// meaningful only when NewTrial is true.
	Performance float64
	// Trial is the new trial's info when NewTrial is true.
	Trial TrialInfo
}

// Task is a trial-based cognitive task. Implementations hold their own
// random number generator, seeded with Seed.
type Task interface {
	// Name is the task id, such as "PerceptualDecisionMaking-v0".
	Name() string
	// Dt is the time step in ms.
	Dt() float64
	// ObsSize is the number of observation channels.
	ObsSize() int
	// NumActions is the number of discrete actions (and output classes).
	NumActions() int
	// Seed resets the task's random number generator.
	Seed(seed uint64)
	// NewTrial draws a new trial, makes it current and returns it.
	NewTrial(ov Override) *Trial
	// Current returns the current trial (nil before the first NewTrial or Reset).
	Current() *Trial
	// Reset starts a new trial and returns its first observation (without
	// neurogym's random first step; see the package doc).
	Reset() []float32
	// Step applies an action at the current step of the current trial.
	Step(action int) StepResult
	// RewardValues lists the task's named reward values (for plots).
	RewardValues() []NamedValue
	// Clone returns an independent copy, random state included.
	Clone() Task
}

// NamedValue is a named number, such as a reward value.
type NamedValue struct {
	Name  string
	Value float64
}

// Batch is one supervised batch, time-major, owned by the caller.
type Batch struct {
	// T is the sequence length, B the batch size, ObsSize the input width.
	T, B, ObsSize int
	// Inputs is row-major [T][B][ObsSize].
	Inputs []float32
	// Labels is row-major [T][B].
	Labels []int32
}

// Clone returns a deep copy of the trial.
func (tr *Trial) Clone() *Trial {
	c := *tr
	c.Obs = append([]float32(nil), tr.Obs...)
	c.Labels = append([]int(nil), tr.Labels...)
	c.Periods = append([]Period(nil), tr.Periods...)
	return &c
}

// Group names a set of observation channels or actions, for plots (neurogym's
// observation and action "groups", e.g. fixation -> [0], stimulus -> [1 2]).
type Group struct {
	Name    string
	Indices []int
}

// GroupedTask is implemented by tasks that name their observation channels
// and actions. It is optional: plots fall back to channel numbers.
type GroupedTask interface {
	Task
	// ObsGroups names the observation channels.
	ObsGroups() []Group
	// ActionGroups names the actions.
	ActionGroups() []Group
}
