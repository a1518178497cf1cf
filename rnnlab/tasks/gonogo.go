package tasks

import "fmt"

// GoNogoName is the registry id of GoNogo.
const GoNogoName = "GoNogo-v0"

// gngDefaultTiming is neurogym's default timing of GoNogo (ms).
var gngDefaultTiming = Timing{"fixation": Constant(0), "stimulus": Constant(500), "delay": Constant(500), "decision": Constant(500)}

// GoRewards holds the rewards of the go/no-go tasks GoNogo and
// DelayPairedAssociation. A nil field means the task's default.
type GoRewards struct {
	// Abort is given for a go in the fixation period.
	Abort *float64
	// Correct is given for a go in the decision period of a go trial.
	Correct *float64
	// Fail is given for a go in the decision period of a no-go trial.
	Fail *float64
	// Miss is added at the last step of a go trial that ended without a
	// go (neurogym's r_tmax = miss * ground_truth).
	Miss *float64
}

// resolve returns the named rewards abort, correct, fail and miss, with
// the defaults in place of nil fields, and the miss reward.
func (r GoRewards) resolve(abort, correct, fail, miss float64) ([]NamedValue, float64, error) {
	_, named, err := Rewards{Abort: r.Abort, Correct: r.Correct, Fail: r.Fail}.Resolve(abort, correct, fail)
	if err != nil {
		return nil, 0, err
	}
	if r.Miss != nil {
		miss = *r.Miss
	}
	if !finite(miss) {
		return nil, 0, fmt.Errorf("reward miss = %v: must be finite", miss)
	}
	return append(named, NamedValue{"miss", miss}), miss, nil
}

// GoNogoConfig configures GoNogo. The zero value is neurogym's defaults;
// every zero field means its default.
type GoNogoConfig struct {
	// Dt is the time step in ms (default 100; must not be negative).
	Dt float64
	// Timing overrides the durations of the periods fixation (default 0
	// ms), stimulus (500), delay (500) and decision (500).
	Timing Timing
	// Rewards gives the rewards (defaults: abort -0.1, correct +1, fail
	// -0.5, miss -0.5).
	Rewards GoRewards
	// Abort makes a go in the fixation period end the trial (neurogym's
	// abort attribute, default false).
	Abort bool
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// GoNogoTrial is the record of a GoNogo trial.
type GoNogoTrial struct {
	// GroundTruth is 1 on go trials and 0 on no-go trials, as in
	// neurogym; it is also the label in the decision period.
	GroundTruth int
}

// Fields returns ground_truth.
func (r GoNogoTrial) Fields() []Field { return []Field{IntField("ground_truth", r.GroundTruth)} }

// gngDef is the Def of GoNogo.
type gngDef struct {
	dt, miss float64
	timing   Timing
	rewards  []NamedValue
	abort    bool
}

// NewGoNogo returns neurogym's GoNogo-v0, seeded with cfg.Seed: a no-go
// or a go stimulus is shown, and after a delay the agent must go (action
// 1) on go trials and keep fixating (action 0) on no-go trials.
//
// Per trial the ground truth g (1 go, 0 no-go) is drawn uniformly; the
// periods fixation, stimulus, delay and decision follow one another. The
// observation has 3 channels, without noise:
//
//	x_t[0]   = 1 in every period but the decision (fixation), else 0
//	x_t[1+g] = 1 in the stimulus period (channel 1 no-go, 2 go), else 0
//
// The label is g in the decision period and 0 elsewhere. The step, with
// actions fixation 0 and go 1:
//
//	fixation period, go                reward Abort; ends the trial if Abort
//	decision period, go, g = 1         reward Correct, performance 1, trial ends
//	decision period, go, g = 0         reward Fail, performance 0, trial ends
//	anything else                      reward 0
//
// A trial starts with performance 1 - g, so keeping fixation through a
// no-go trial counts as correct; a go trial that reaches its last step
// without a go adds Miss to that step's reward. (Neurogym sets this
// performance in _new_trial and then resets it to 0 when the trial starts
// from step, so there it counts only for the first trial after reset; here
// it counts for every trial, see the package documentation.) A trial at
// the defaults has 0+5+5+5 = 15 steps. Records are GoNogoTrial; overrides
// take ground_truth.
func NewGoNogo(cfg GoNogoConfig) (*Env, error) {
	d := &gngDef{abort: cfg.Abort}
	var err error
	if d.dt, err = resolveDt(cfg.Dt, 100); err == nil {
		if d.timing, err = resolveTiming(gngDefaultTiming, cfg.Timing, d.dt, "fixation", "stimulus", "delay", "decision"); err == nil {
			d.rewards, d.miss, err = cfg.Rewards.resolve(-0.1, 1, -0.5, -0.5)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", GoNogoName, err)
	}
	return NewEnv(d, cfg.Seed)
}

// Spec lays out the fixation {0}, nogo {1} and go {2} channels, the
// actions fixation 0 and go 1, and abort, correct, fail and miss rewards.
func (d *gngDef) Spec() Spec {
	return Spec{
		Name: GoNogoName, Dt: d.dt, Timing: d.timing, Rewards: d.rewards, Abort: d.abort,
		Obs:     []Group{{"fixation", []int{0}}, {"nogo", []int{1}}, {"go", []int{2}}},
		Actions: []Group{{"fixation", []int{0}}, {"go", []int{1}}},
	}
}

// NewTrial draws the ground truth and then the period durations.
func (d *gngDef) NewTrial(b *Builder) Record {
	r := GoNogoTrial{GroundTruth: b.Int("ground_truth", 2)}
	b.Periods("fixation", "stimulus", "delay", "decision")
	b.AddOb("fixation", 1)
	b.AddOb([]string{"nogo", "go"}[r.GroundTruth], 1, "stimulus")
	b.SetOb("", 0, "decision")
	goNogoOutcome(b, r.GroundTruth, d.miss)
	return r
}

// goNogoOutcome sets a go/no-go trial's timeout reward (miss on go trials,
// g = 1), its initial performance (1 on no-go trials, g = 0) and its label
// g in the decision period.
func goNogoOutcome(b *Builder, g int, miss float64) {
	b.SetTimeoutReward(miss * float64(g))
	b.SetPerformance(float64(1 - g))
	b.SetLabel(g, "decision")
}

// Step is neurogym's GoNogo step (see NewGoNogo): any non-zero action is a
// go, correct on go trials.
func (d *gngDef) Step(e *Env, action int) Outcome {
	return goNogoStep(e, action, d.abort, e.Label() != 0)
}

// goNogoStep is the step of the go/no-go tasks: a go (action != 0) in the
// fixation period is an abort; a go in the decision period ends the trial
// with "correct" and performance 1 if correct, else "fail" and
// performance 0.
func goNogoStep(e *Env, action int, abort, correct bool) Outcome {
	var o Outcome
	switch {
	case action == 0:
	case e.InPeriod("fixation"):
		o.Reward, o.EndTrial = e.Reward("abort"), abort
	case e.InPeriod("decision"):
		o.EndTrial = true
		if correct {
			o.Reward = e.Reward("correct")
			e.SetPerformance(1)
		} else {
			o.Reward = e.Reward("fail")
			e.SetPerformance(0)
		}
	}
	return o
}

func init() {
	RegisterEnv(GoNogoName, NewGoNogo)
}
