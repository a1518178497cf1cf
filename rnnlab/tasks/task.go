// Package tasks holds cognitive tasks in the style of neurogym and the
// supervised Dataset that batches their trials for training.
//
// A task is defined by its periods (fixation, stimulus, delay, decision, ...),
// an observation per time step and a label per time step. Time is discretised
// with a step dt in milliseconds; a trial of total duration T ms has
// N = floor(T/dt) steps. Label 0 means "fixate"; label k+1 means "choose k".
//
// Everything random takes an explicit seed: the same seed gives the same trials.
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
