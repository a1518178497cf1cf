package tasks

// Period is a named interval of a trial, in step indices [Start, End).
// Periods may overlap.
type Period struct {
	Name       string
	Start, End int
}

// Trial is one generated trial: N time steps of observations and labels.
type Trial struct {
	// Record is the trial's condition, of the task's own record type.
	Record Record
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

// InPeriod reports whether step t is in the named period (false if the
// trial has no such period).
func (tr *Trial) InPeriod(name string, t int) bool {
	p, ok := tr.Period(name)
	return ok && t >= p.Start && t < p.End
}

// Period returns the period with the given name and whether it exists.
func (tr *Trial) Period(name string) (Period, bool) {
	for _, p := range tr.Periods {
		if p.Name == name {
			return p, true
		}
	}
	return Period{}, false
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
	// Trial is the new trial's record when NewTrial is true.
	Trial Record
}

// Task is a trial-based cognitive task. Implementations hold their own
// random number generator, seeded with Seed. Env implements it for tasks
// written with a Def; wrappers and schedules may implement it directly.
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
	// NewTrial draws a new trial, makes it current and returns it. A nil or
	// empty ov draws everything; an invalid ov is an error that leaves the
	// task unchanged.
	NewTrial(ov Override) (*Trial, error)
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
	// Targets and Mask are the dense targets and the cost mask of a mean
	// squared error loss, each row-major [T][B][NumOutput]; nil for a
	// cross-entropy batch (see models.LossMSE and tasks.MSETargets).
	Targets, Mask []float32
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
