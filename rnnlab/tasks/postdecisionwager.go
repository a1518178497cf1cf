package tasks

import (
	"errors"
	"math"
)

// PostDecisionWagerName is the registry id of PostDecisionWager.
const PostDecisionWagerName = "PostDecisionWager-v0"

// PostDecisionWagerCohs are the coherences of PostDecisionWager, in percent.
var PostDecisionWagerCohs = []float64{0, 3.2, 6.4, 12.8, 25.6, 51.2}

// PostDecisionWagerConfig configures PostDecisionWager. The zero value is
// neurogym v2.2.0's defaults; every zero field means its default.
// neurogym's dim_ring is not an option: its spaces are fixed at two
// choices, so no other value works there.
type PostDecisionWagerConfig struct {
	// Dt is the time step in ms (default 100; must be finite and >= 0).
	Dt float64
	// Sigma is the noise level before dt scaling: the noise per step has
	// standard deviation Sigma/sqrt(Dt). Nil means 1; must be >= 0.
	Sigma *float64
	// Timing overrides the durations of fixation (default 100 ms),
	// stimulus (truncated exponential, mean 180, on [100, 900)), delay
	// (truncated exponential, mean 1350, on [1200, 1800)), pre_sure
	// (uniform on [500, 750)) and decision (100).
	Timing Timing
	// Rewards gives the abort (-0.1), correct (+1) and fail (0) rewards;
	// the sure bet pays 0.7 x correct (not settable, as in neurogym).
	// Correct and fail must differ.
	Rewards Rewards
	// RewardByLabel makes the choice matching the decision label
	// (ground_truth+1) correct. The default is neurogym's step, which
	// compares the action with ground_truth itself (see
	// NewPostDecisionWager).
	RewardByLabel bool
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// PostDecisionWagerTrial is the record of a PostDecisionWager trial.
type PostDecisionWagerTrial struct {
	// Wager reports a trial with the sure-bet option (field 1 or 0).
	Wager bool
	// GroundTruth is the correct choice, 0 or 1; the label in the
	// decision period is GroundTruth+1.
	GroundTruth int
	// Coh is the coherence in percent.
	Coh float64
}

// Fields returns wager, ground_truth and coh.
func (r PostDecisionWagerTrial) Fields() []Field {
	return []Field{IntField("wager", cBool(r.Wager)), IntField("ground_truth", r.GroundTruth), FloatField("coh", r.Coh)}
}

type pdwDef struct {
	cfg      PostDecisionWagerConfig
	timing   Timing
	rewards  []NamedValue
	sigmaEff float64
}

// NewPostDecisionWager returns neurogym's PostDecisionWager-v0 (Kiani &
// Shadlen 2009): a noisy two-choice discrimination where, on a random half
// of the trials, a sure-bet target appears during the delay; choosing it
// pays a smaller but certain reward.
//
// Per trial, wager (probability 1/2), the ground truth g in {0, 1} and the
// coherence c in PostDecisionWagerCohs are drawn uniformly, then the
// durations of fixation, stimulus, delay, pre_sure (used on wager trials) and
// decision. fixation, stimulus, delay and decision are laid end to end;
// pre_sure starts with the delay. The 4 observation channels are
//
//	x[0]   fixation = 1 in fixation, stimulus and delay, else 0
//	x[1+k] stimulus = 0.5 + cos(pi k - pi g) c/200 in the stimulus, else 0
//	x[3]   sure     = 1 in delay and decision except pre_sure, on wager
//	                  trials; 0 on the others
//
// plus sigma/sqrt(dt) xi (xi standard normal) on all four channels during
// the stimulus period. The label is 0 except in the decision, where it is
// g+1.
//
// Step (neurogym's own): in fixation any action other than 0 gives abort.
// In decision, action 0 gives 0 and the trial goes on; any other action
// ends it: 3 (sure) gives the sure reward 0.7 x correct with performance
// (sure-fail)/(correct-fail) on wager trials and abort on the others; an
// action equal to g gives correct and performance 1; any other, fail.
// neurogym compares the action with g, not g+1, so action 1 is correct
// when g = 1 and action 2 never is; RewardByLabel compares with g+1.
func NewPostDecisionWager(cfg PostDecisionWagerConfig) (*Env, error) {
	return newNamedEnv(PostDecisionWagerName, newPdwDef, cfg, cfg.Seed)
}

func newPdwDef(cfg PostDecisionWagerConfig) (*pdwDef, error) {
	var err error
	if cfg.Dt, err = resolveDt(cfg.Dt, 100); err != nil {
		return nil, err
	}
	sigma, err := resolveSigma(cfg.Sigma)
	if err != nil {
		return nil, err
	}
	cfg.Sigma = Ptr(sigma)
	tm, err := resolveTiming(Timing{"fixation": Constant(100), "stimulus": TruncExp(180, 100, 900),
		"delay": TruncExp(1350, 1200, 1800), "pre_sure": Uniform(500, 750), "decision": Constant(100)},
		cfg.Timing, cfg.Dt, "fixation", "stimulus", "delay", "decision")
	if err != nil {
		return nil, err
	}
	cfg.Timing = tm
	d := &pdwDef{cfg: cfg, timing: tm, sigmaEff: sigma / math.Sqrt(cfg.Dt)}
	if d.cfg.Rewards, d.rewards, err = cfg.Rewards.Resolve(-0.1, 1, 0); err != nil {
		return nil, err
	}
	if *d.cfg.Rewards.Correct == *d.cfg.Rewards.Fail {
		return nil, errors.New("rewards correct and fail are equal: the sure bet's performance divides by their difference")
	}
	d.rewards = append(d.rewards, NamedValue{"sure", 0.7 * *d.cfg.Rewards.Correct})
	return d, nil
}

// Spec lays out fixation {0}, stimulus {1, 2} and sure {3} channels,
// fixation {0}, choice {1, 2} and sure {3} actions, and the abort, correct,
// fail and sure rewards.
func (d *pdwDef) Spec() Spec {
	return Spec{
		Name: PostDecisionWagerName, Dt: d.cfg.Dt, Timing: d.timing, Rewards: d.rewards,
		Obs:     []Group{{"fixation", []int{0}}, {"stimulus", []int{1, 2}}, {"sure", []int{3}}},
		Actions: []Group{{"fixation", []int{0}}, {"choice", []int{1, 2}}, {"sure", []int{3}}},
	}
}

// NewTrial draws, in neurogym's order, wager, ground truth, coherence, the
// durations and the stimulus noise. Unlike neurogym it draws the pre_sure
// duration on every trial (and uses it on wager trials only), so that an
// override of wager does not shift the random stream.
func (d *pdwDef) NewTrial(b *Builder) Record {
	r := PostDecisionWagerTrial{}
	r.Wager = b.Var("wager", float64(1-b.Rng.IntN(2)), func(v float64) error {
		if v != 0 && v != 1 {
			return errors.New("want 0 or 1")
		}
		return nil
	}) == 1
	r.GroundTruth = b.Int("ground_truth", 2)
	r.Coh = b.Pick("coh", PostDecisionWagerCohs)
	b.Periods("fixation", "stimulus", "delay")
	pre := b.Steps("pre_sure") // drawn on every trial, so that overrides of wager keep the stream
	if r.Wager {
		b.Period("pre_sure", b.End("stimulus"), pre)
	}
	b.Period("decision", b.End("delay"), b.Steps("decision"))
	b.AddOb("fixation", 1, "fixation", "stimulus", "delay")
	c := r.Coh / 200
	b.AddObs("stimulus", []float64{0.5 + c*float64(1-2*r.GroundTruth), 0.5 - c*float64(1-2*r.GroundTruth)}, "stimulus")
	b.AddRandn("", 0, d.sigmaEff, "stimulus")
	if r.Wager {
		b.AddOb("sure", 1, "delay", "decision")
		b.SetOb("sure", 0, "pre_sure")
	}
	b.SetChoice("choice", r.GroundTruth, "decision")
	return r
}

// Step is neurogym's PostDecisionWager step (see NewPostDecisionWager).
func (d *pdwDef) Step(e *Env, action int) Outcome {
	var o Outcome
	r := e.Current().Record.(PostDecisionWagerTrial)
	switch {
	case e.InPeriod("fixation"):
		if action != 0 {
			o.Reward = e.Reward("abort")
		}
	case e.InPeriod("decision") && action != 0:
		o.EndTrial = true
		target := r.GroundTruth
		if d.cfg.RewardByLabel {
			target++
		}
		switch {
		case action == 3 && r.Wager:
			o.Reward = e.Reward("sure")
			e.SetPerformance((o.Reward - e.Reward("fail")) / (e.Reward("correct") - e.Reward("fail")))
		case action == 3:
			o.Reward = e.Reward("abort")
		case action == target:
			o.Reward = e.Reward("correct")
			e.SetPerformance(1)
		default:
			o.Reward = e.Reward("fail")
		}
	}
	return o
}

func init() {
	RegisterEnv(PostDecisionWagerName, NewPostDecisionWager)
}
