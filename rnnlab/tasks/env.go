package tasks

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Def defines a task for Env, as a subclass of neurogym's TrialEnv does:
// Spec gives its fixed layout and NewTrial draws one trial. A Def is
// immutable once passed to NewEnv (Env.Clone shares it); everything that
// changes lives in the Env and its current Trial.
//
// A Def may also implement Stepper, to replace the default step, and
// Observer, to change each observation handed to an agent.
type Def interface {
	// Spec returns the task's layout. NewEnv calls it once.
	Spec() Spec
	// NewTrial draws a trial with b (periods, observations, labels) and
	// returns its record.
	NewTrial(b *Builder) Record
}

// Stepper is implemented by a Def whose step is not the default one
// (Env.ChoiceStep with the "decision" period). Step decides the outcome of
// action at the current step; it may call e.SetPerformance and update the
// current trial's record. Env.Step does the bookkeeping around it.
type Stepper interface {
	Step(e *Env, action int) Outcome
}

// Observer is implemented by a Def whose observations depend on the
// agent's actions (neurogym's post_step, as in Reaching1D). Observe may
// change obs, a copy of the current step's observation row, before Reset
// or Step returns it.
type Observer interface {
	Observe(e *Env, obs []float32)
}

// Outcome is what a step decides: the reward and whether the trial ends.
type Outcome struct {
	// Reward is the reward for the action.
	Reward float64
	// EndTrial ends the trial after this step.
	EndTrial bool
}

// Spec is the fixed layout of a task.
type Spec struct {
	// Name is the task id, such as "PerceptualDecisionMaking-v0".
	Name string
	// Dt is the time step in ms (> 0).
	Dt float64
	// Obs names the observation channels in groups, such as fixation {0}
	// and stimulus {1, 2}; there are 1 + the largest index channels.
	// Group names are the "where" of the Builder's observation methods.
	Obs []Group
	// Actions names the actions in groups, such as fixation {0} and choice
	// {1, 2}; there are 1 + the largest index actions.
	Actions []Group
	// Rewards are the task's named reward values. The default step needs
	// "abort", "correct" and "fail".
	Rewards []NamedValue
	// Timing gives the duration of each period named in Builder.Periods
	// and Builder.Steps.
	Timing Timing
	// Abort makes the default step end the trial when fixation is broken
	// in the fixation period.
	Abort bool
}

// Env is a trial-based task built from a Def: it holds the random number
// generator, the current trial and the reward and performance bookkeeping
// of neurogym's TrialEnv, and implements Task and GroupedTask.
type Env struct {
	def              Def
	spec             Spec
	obsSize, actions int
	obsIdx, actIdx   map[string][]int
	pcg              *rand.PCG
	rng              *rand.Rand
	cur              *Trial
	t                int     // step index in cur
	perf, timeout    float64 // performance and timeout reward of cur
	numTr            int
}

var _ GroupedTask = (*Env)(nil)

// newNamedEnv builds a task's Def with mk from cfg and returns NewEnv of it
// seeded with seed; an error of mk is prefixed with the task's name.
func newNamedEnv[C any, D Def](name string, mk func(C) (D, error), cfg C, seed uint64) (*Env, error) {
	d, err := mk(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return NewEnv(d, seed)
}

// NewEnv checks def's Spec and returns the task, seeded with seed. A Def
// without its own Stepper must name "abort", "correct" and "fail" rewards.
func NewEnv(def Def, seed uint64) (*Env, error) {
	if def == nil {
		return nil, errors.New("tasks: NewEnv with a nil Def")
	}
	s := def.Spec()
	e := &Env{def: def, spec: s}
	fail := func(format string, a ...any) (*Env, error) {
		return nil, fmt.Errorf("%s: "+format, append([]any{s.Name}, a...)...)
	}
	if s.Name == "" {
		return nil, errors.New("tasks: Spec without a name")
	}
	if !(s.Dt > 0) || math.IsInf(s.Dt, 0) {
		return fail("dt = %v ms: must be finite and > 0", s.Dt)
	}
	var err error
	if e.obsSize, e.obsIdx, err = groupIndex("observation", s.Obs); err != nil {
		return fail("%v", err)
	}
	if e.actions, e.actIdx, err = groupIndex("action", s.Actions); err != nil {
		return fail("%v", err)
	}
	seen := map[string]bool{}
	for _, r := range s.Rewards {
		if seen[r.Name] || math.IsNaN(r.Value) || math.IsInf(r.Value, 0) {
			return fail("reward %s = %v: must be finite and named once", r.Name, r.Value)
		}
		seen[r.Name] = true
	}
	if _, own := def.(Stepper); !own && !(seen["abort"] && seen["correct"] && seen["fail"]) {
		return fail("the default step needs abort, correct and fail rewards")
	}
	for _, name := range sortedKeys(s.Timing) {
		d := s.Timing[name]
		if err := d.Validate(); err != nil || d.Kind == DurationDefault {
			return fail("timing of %s: %v (the default must be resolved)", name, err)
		}
	}
	if err := checkTrialSize(s, e.obsSize); err != nil {
		return fail("%v", err)
	}
	e.Seed(seed)
	return e, nil
}

// groupIndex checks groups and returns the size they span and a lookup.
func groupIndex(kind string, groups []Group) (int, map[string][]int, error) {
	n := 0
	idx := map[string][]int{}
	for _, g := range groups {
		if _, dup := idx[g.Name]; dup || g.Name == "" || len(g.Indices) == 0 {
			return 0, nil, fmt.Errorf("%s group %q: needs a unique name and at least one index", kind, g.Name)
		}
		for _, i := range g.Indices {
			if i < 0 {
				return 0, nil, fmt.Errorf("%s group %q: negative index %d", kind, g.Name, i)
			}
			n = max(n, i+1)
		}
		idx[g.Name] = slices.Clone(g.Indices)
	}
	if n == 0 {
		return 0, nil, fmt.Errorf("no %s groups", kind)
	}
	return n, idx, nil
}

// Def returns the task's definition, for example to read its settings.
func (e *Env) Def() Def { return e.def }

// Name returns the task id.
func (e *Env) Name() string { return e.spec.Name }

// Dt returns the time step in ms.
func (e *Env) Dt() float64 { return e.spec.Dt }

// ObsSize returns the number of observation channels.
func (e *Env) ObsSize() int { return e.obsSize }

// NumActions returns the number of actions.
func (e *Env) NumActions() int { return e.actions }

// ObsGroups returns a copy of the named observation channel groups.
func (e *Env) ObsGroups() []Group { return cloneGroups(e.spec.Obs) }

// ActionGroups returns a copy of the named action groups.
func (e *Env) ActionGroups() []Group { return cloneGroups(e.spec.Actions) }

func cloneGroups(gs []Group) []Group {
	c := make([]Group, len(gs))
	for i, g := range gs {
		c[i] = Group{g.Name, slices.Clone(g.Indices)}
	}
	return c
}

// RewardValues returns a copy of the named rewards, in the Spec's order.
func (e *Env) RewardValues() []NamedValue { return slices.Clone(e.spec.Rewards) }

// Reward returns the reward called name. It panics if there is none.
func (e *Env) Reward(name string) float64 {
	for _, r := range e.spec.Rewards {
		if r.Name == name {
			return r.Value
		}
	}
	panic(fmt.Sprintf("tasks: %s has no reward %q", e.spec.Name, name))
}

// Seed resets the random number generator (a PCG seeded with seed and
// seed^0x9e3779b97f4a7c15) and forgets the current trial.
func (e *Env) Seed(seed uint64) {
	e.pcg = rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	e.rng = rand.New(e.pcg)
	e.cur, e.t, e.perf, e.numTr = nil, 0, 0, 0
}

// Rand returns the task's random number generator, for a Stepper that
// draws during the trial.
func (e *Env) Rand() *rand.Rand { return e.rng }

// NewTrial draws a trial with the Def, makes it current at step 0 with
// performance 0 (or the Builder's SetPerformance) and returns it. With an
// invalid override it returns an error and changes nothing, not even the
// random state.
func (e *Env) NewTrial(ov Override) (tr *Trial, err error) {
	saved := *e.pcg
	defer func() { // a trial beyond the size bounds (limits.go)
		if r := recover(); r != nil {
			big, ok := r.(trialTooLarge)
			if !ok {
				panic(r)
			}
			*e.pcg = saved
			tr, err = nil, fmt.Errorf("%s: %w", e.spec.Name, big.err)
		}
	}()
	b := &Builder{Rng: e.rng, env: e, ov: ov}
	rec := e.def.NewTrial(b)
	tr, err = b.finish(rec)
	if err != nil {
		*e.pcg = saved
		return nil, fmt.Errorf("%s: %w", e.spec.Name, err)
	}
	e.cur, e.t, e.perf, e.timeout = tr, 0, b.perf, b.timeout
	e.numTr++
	return tr, nil
}

// mustNewTrial draws a trial without override, which cannot fail.
func (e *Env) mustNewTrial() *Trial {
	tr, err := e.NewTrial(nil)
	if err != nil {
		panic(err)
	}
	return tr
}

// Current returns the current trial (nil before the first NewTrial or Reset).
func (e *Env) Current() *Trial { return e.cur }

// StepIndex returns the index, within the current trial, of the step the
// next Step acts on.
func (e *Env) StepIndex() int { return e.t }

// NumTrials returns the number of trials drawn since the last Seed or
// Reset (Reset counts its own trial).
func (e *Env) NumTrials() int { return e.numTr }

// InPeriod reports whether the current step is in the named period of the
// current trial (false if the trial has no such period).
func (e *Env) InPeriod(name string) bool { return e.cur != nil && e.cur.InPeriod(name, e.t) }

// ObsNow returns the current step's observation row, a view into the
// current trial (neurogym's ob_now).
func (e *Env) ObsNow() []float32 { return e.cur.ObsAt(e.t) }

// Label returns the label of the current step (neurogym's gt_now).
func (e *Env) Label() int { return e.cur.Labels[e.t] }

// Performance returns the current trial's performance so far.
func (e *Env) Performance() float64 { return e.perf }

// SetPerformance sets the current trial's performance, reported by Step
// when the trial ends (neurogym's self.performance).
func (e *Env) SetPerformance(v float64) { e.perf = v }

// Reset draws a new trial and returns a copy of its first observation. It
// does not take neurogym's random first step: the first Step acts on step
// 0. It restarts the trial count.
func (e *Env) Reset() []float32 {
	e.numTr = 0
	e.mustNewTrial()
	return e.observe()
}

// observe returns a copy of the current observation, through the Observer.
func (e *Env) observe() []float32 {
	obs := slices.Clone(e.ObsNow())
	if o, ok := e.def.(Observer); ok {
		o.Observe(e, obs)
	}
	return obs
}

// Step applies action at the current step, with the Def's Stepper or else
// ChoiceStep(action, "decision"), then advances one step. A trial ends when
// the step says so or after its last step (adding the trial's timeout
// reward, see Builder.SetTimeoutReward); a
// new trial is then drawn, the finished trial's performance reported and
// the new trial's first observation returned. Step calls Reset first if
// there is no current trial.
func (e *Env) Step(action int) StepResult {
	if e.cur == nil {
		e.Reset()
	}
	res := StepResult{Label: e.Label()}
	var o Outcome
	if s, ok := e.def.(Stepper); ok {
		o = s.Step(e, action)
	} else {
		o = e.ChoiceStep(action, "decision")
	}
	res.Reward, res.NewTrial = o.Reward, o.EndTrial
	e.t++
	if e.t >= e.cur.N && !res.NewTrial {
		res.NewTrial = true
		res.Reward += e.timeout
	}
	if res.NewTrial {
		res.Performance = e.perf
		res.Trial = e.mustNewTrial().Record
	}
	res.Obs = e.observe()
	return res
}

// ChoiceStep is neurogym's usual "fixate, then choose" step, the default:
//
//	fixation period, action != 0   reward "abort"; ends the trial if Spec.Abort
//	decision period, action == label   reward "correct", performance 1, trial ends
//	decision period, other action != 0 reward "fail", trial ends
//	anything else                  reward 0
//
// decision names the decision period. A Stepper may call it for the
// common part of its step.
func (e *Env) ChoiceStep(action int, decision string) Outcome {
	var o Outcome
	switch {
	case e.InPeriod("fixation"):
		if action != 0 {
			o.Reward, o.EndTrial = e.Reward("abort"), e.spec.Abort
		}
	case e.InPeriod(decision):
		if action != 0 {
			o.EndTrial = true
			if action == e.Label() {
				o.Reward = e.Reward("correct")
				e.perf = 1
			} else {
				o.Reward = e.Reward("fail")
			}
		}
	}
	return o
}

// Clone returns an independent copy: the same Def, the same random state
// (both copies then draw the same trials) and a deep copy of the current
// trial.
func (e *Env) Clone() Task { return e.CloneEnv() }

// CloneEnv is Clone with the concrete type, for tasks that embed an Env.
func (e *Env) CloneEnv() *Env {
	c := *e
	pcg := *e.pcg
	c.pcg = &pcg
	c.rng = rand.New(c.pcg)
	if e.cur != nil {
		c.cur = e.cur.Clone()
	}
	return &c
}
