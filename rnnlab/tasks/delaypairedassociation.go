package tasks

import "fmt"

// DelayPairedAssociationName is the registry id of DelayPairedAssociation.
const DelayPairedAssociationName = "DelayPairedAssociation-v0"

// dpaPeriods are the periods of DelayPairedAssociation, in order.
var dpaPeriods = []string{"fixation", "stim1", "delay_btw_stim", "stim2", "delay_aft_stim", "decision"}

// dpaDefaultTiming is neurogym's default timing of DelayPairedAssociation (ms).
var dpaDefaultTiming = Timing{"fixation": Constant(0), "stim1": Constant(1000), "delay_btw_stim": Constant(1000),
	"stim2": Constant(1000), "delay_aft_stim": Constant(1000), "decision": Constant(500)}

// dpaPairs are the stimulus pairs of DelayPairedAssociation: the channels
// (1..4) of the first and the second stimulus.
var dpaPairs = [4][2]int{{1, 3}, {1, 4}, {2, 3}, {2, 4}}

// DelayPairedAssociationConfig configures DelayPairedAssociation. The
// zero value is neurogym's defaults; every zero field means its default.
// Neurogym's sigma argument has no effect there (no noise is added) and is
// not offered.
type DelayPairedAssociationConfig struct {
	// Dt is the time step in ms (default 100; must not be negative).
	Dt float64
	// Timing overrides the durations of the periods fixation (default 0
	// ms), stim1 (1000), delay_btw_stim (1000), stim2 (1000),
	// delay_aft_stim (1000) and decision (500).
	Timing Timing
	// Rewards gives the rewards (defaults: abort -0.1, correct +1, fail -1,
	// miss 0).
	Rewards GoRewards
	// Abort makes a go in the fixation period end the trial (neurogym's
	// abort attribute, default false).
	Abort bool
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// DPATrial is the record of a DelayPairedAssociation trial.
type DPATrial struct {
	// Pair is the index of the trial's pair (stim1, stim2) among (1, 3),
	// (1, 4), (2, 3) and (2, 4).
	Pair int
	// Stim1 and Stim2 are the pair's channels (1..4). They are computed,
	// not drawn.
	Stim1, Stim2 int
	// GroundTruth is 1 for an associated pair (go) and 0 otherwise,
	// (Stim2 - Stim1 + 1) mod 2; it is the label in the decision period.
	// It is computed from the pair, not drawn.
	GroundTruth int
}

// Fields returns pair, stim1, stim2 and ground_truth.
func (r DPATrial) Fields() []Field {
	return []Field{IntField("pair", r.Pair), IntField("stim1", r.Stim1), IntField("stim2", r.Stim2),
		IntField("ground_truth", r.GroundTruth)}
}

// dpaDef is the Def of DelayPairedAssociation.
type dpaDef struct{ gngDef }

// NewDelayPairedAssociation returns neurogym's DelayPairedAssociation-v0
// (Zhang et al. 2019, eLife), seeded with cfg.Seed: two stimuli are shown one after
// the other, and after a delay the agent must go (action 1) if they form
// an associated pair and keep fixating (action 0) otherwise.
//
// Per trial a pair (i, j) is drawn uniformly from (1, 3), (1, 4), (2, 3)
// and (2, 4); the ground truth is g = 1 if j - i is even, else 0: (1, 3)
// and (2, 4) are the associated pairs, and half of the trials are go
// trials. The periods fixation, stim1, delay_btw_stim, stim2,
// delay_aft_stim and decision follow one another. The observation has 5
// channels, without noise:
//
//	x_t[0] = 1 in every period but the decision (fixation), else 0
//	x_t[i] = 1 in the stim1 period, x_t[j] = 1 in the stim2 period, else 0
//
// The label is g in the decision period and 0 elsewhere. The step, with
// actions fixation 0 and go 1, is GoNogo's with the rewards abort (-0.1),
// correct (+1) and fail (-1); a go trial reaching its last step without a
// go adds miss (0 by default), and a trial starts with performance 1 - g
// (see NewGoNogo). A trial at the defaults has 0+10+10+10+10+5 = 45 steps.
// Records are DPATrial; overrides take pair. Unlike neurogym, which lets
// ground_truth be overridden on its own (and keeps the drawn pair's when
// only pair is), the ground truth always follows the pair.
func NewDelayPairedAssociation(cfg DelayPairedAssociationConfig) (*Env, error) {
	d := &dpaDef{gngDef{abort: cfg.Abort}}
	var err error
	if d.dt, err = resolveDt(cfg.Dt, 100); err == nil {
		if d.timing, err = resolveTiming(dpaDefaultTiming, cfg.Timing, d.dt, dpaPeriods...); err == nil {
			d.rewards, d.miss, err = cfg.Rewards.resolve(-0.1, 1, -1, 0)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", DelayPairedAssociationName, err)
	}
	return NewEnv(d, cfg.Seed)
}

// Spec lays out the fixation {0} and stimulus {1..4} channels, the actions
// fixation 0 and go 1, and abort, correct, fail and miss rewards.
func (d *dpaDef) Spec() Spec {
	return Spec{
		Name: DelayPairedAssociationName, Dt: d.dt, Timing: d.timing, Rewards: d.rewards, Abort: d.abort,
		Obs:     []Group{{"fixation", []int{0}}, {"stimulus", seq(1, 4)}},
		Actions: []Group{{"fixation", []int{0}}, {"go", []int{1}}},
	}
}

// NewTrial draws the pair and then the period durations.
func (d *dpaDef) NewTrial(b *Builder) Record {
	r := DPATrial{Pair: b.Int("pair", len(dpaPairs))}
	r.Stim1, r.Stim2 = dpaPairs[r.Pair][0], dpaPairs[r.Pair][1]
	r.GroundTruth = 1 - (r.Stim2-r.Stim1)%2
	b.Periods(dpaPeriods...)
	b.AddOb("fixation", 1)
	b.AddObs("stimulus", dpaOneHot(r.Stim1), "stim1")
	b.AddObs("stimulus", dpaOneHot(r.Stim2), "stim2")
	b.SetOb("", 0, "decision")
	goNogoOutcome(b, r.GroundTruth, d.miss)
	return r
}

// dpaOneHot returns the stimulus values that light channel ch (1..4).
func dpaOneHot(ch int) []float64 {
	v := make([]float64, 4)
	v[ch-1] = 1
	return v
}

// Step is GoNogo's step where only action 1 == label is correct.
func (d *dpaDef) Step(e *Env, action int) Outcome {
	return goNogoStep(e, action, d.abort, action == e.Label())
}

func init() {
	RegisterEnv(DelayPairedAssociationName, NewDelayPairedAssociation)
}
