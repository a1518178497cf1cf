package tasks

import (
	"errors"
	"fmt"
	"math"
)

// Reaching1DName is the registry id of Reaching1D.
const Reaching1DName = "Reaching1D-v0"

// Reaching1DConfig configures Reaching1D. The zero value is neurogym
// v2.2.0's defaults; every zero field means its default.
type Reaching1DConfig struct {
	// Dt is the time step in ms (default 100; must be finite and >= 0).
	Dt float64
	// DimRing is the number of ring channels for the target and for the
	// agent's position (default 16; must be >= 2 when set).
	DimRing int
	// Timing overrides the durations of fixation (default 500 ms) and reach
	// (500).
	Timing Timing
	// Rewards gives the correct (+1) and fail (-0.1) rewards, which must
	// differ; the task has no abort reward, so Abort must be nil.
	Rewards Rewards
	// ContinuousTarget measures the reward's distance from the continuous
	// target angle (the record's ground_truth). By default it is measured
	// from the step's label, neurogym's integer-truncated target (see
	// NewReaching1D).
	ContinuousTarget bool
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// Reaching1DTrial is the record of a Reaching1D trial.
type Reaching1DTrial struct {
	// GroundTruth is the target angle in radians, uniform on [0, 2 pi);
	// overrides must lie in that range.
	GroundTruth float64
	// State is the agent's position on the ring, pi at the start of a
	// trial and moved by each Step. It changes during the trial, so it is
	// not a condition and not among the Fields.
	State float64
}

// Fields returns ground_truth, the continuous target angle.
func (r Reaching1DTrial) Fields() []Field {
	return []Field{FloatField("ground_truth", r.GroundTruth)}
}

type reachDef struct {
	cfg     Reaching1DConfig
	timing  Timing
	rewards []NamedValue
	theta   []float64 // ring angles theta_k = 2 pi k / R
}

// NewReaching1D returns neurogym's Reaching1D-v0 (Georgopoulos et al.
// 1986): the agent moves its position on a ring with step actions (0
// stay, 1 +0.05 rad, 2 -0.05 rad, then mod 2 pi) and is rewarded in the
// reach period for being close to a target angle.
//
// Per trial the target g is drawn uniformly from [0, 2 pi) and the
// position s starts at pi. With theta_k = 2 pi k / R (R = DimRing), the 2R
// observation channels are
//
//	x[k]   target = cos(theta_k - g) in the reach period, else 0
//	x[R+k] self   = cos(theta_k - s), the current position
//
// The self channels depend on the agent's actions: they are 0 in
// Trial.Obs (the supervised data, as neurogym's ob array) and filled in
// by the Observer in the observations Reset and Step return (neurogym's
// post_step).
//
// Labels hold neurogym's integer ground truth: its labels are stored in
// the integer type of the action space, so the fixation label pi becomes
// 3 and the reach label g becomes floor(g), in 0..6. They are not actions
// (there are 3), so the task suits reinforcement learning, not
// supervised training with a 3-way output; the continuous target is the
// record's ground_truth.
//
// Step (neurogym's own) moves s, then gives 0 in the fixation period and,
// in the reach period, max(correct - d(s, y), fail) with d the circular
// distance min(|s-y|, 2 pi - |s-y|) and y the step's label (neurogym's
// truncated target) or, with ContinuousTarget, g. The performance adds
// (reward - fail)/(correct - fail)/(reach steps) at each reach step.
// Trials end only after their last step.
func NewReaching1D(cfg Reaching1DConfig) (*Env, error) {
	return newNamedEnv(Reaching1DName, newReachDef, cfg, cfg.Seed)
}

func newReachDef(cfg Reaching1DConfig) (*reachDef, error) {
	var err error
	if cfg.Dt, err = resolveDt(cfg.Dt, 100); err != nil {
		return nil, err
	}
	switch {
	case cfg.DimRing == 0:
		cfg.DimRing = 16
	case cfg.DimRing < 2:
		return nil, fmt.Errorf("dim_ring = %d: need at least 2 ring channels", cfg.DimRing)
	case cfg.DimRing > MaxDimRing:
		return nil, fmt.Errorf("dim_ring = %d: at most %d", cfg.DimRing, MaxDimRing)
	}
	if cfg.Rewards.Abort != nil {
		return nil, errors.New("reward abort: Reaching1D has none (only correct and fail)")
	}
	tm, err := resolveTiming(Timing{"fixation": Constant(500), "reach": Constant(500)}, cfg.Timing, cfg.Dt, "fixation", "reach")
	if err != nil {
		return nil, err
	}
	cfg.Timing = tm
	d := &reachDef{cfg: cfg, timing: tm, theta: ringAngles(cfg.DimRing)}
	if d.cfg.Rewards, d.rewards, err = cfg.Rewards.Resolve(0, 1, -0.1); err != nil {
		return nil, err
	}
	d.cfg.Rewards.Abort, d.rewards = nil, d.rewards[1:]
	if *d.cfg.Rewards.Correct == *d.cfg.Rewards.Fail {
		return nil, errors.New("rewards correct and fail are equal: the performance divides by their difference")
	}
	return d, nil
}

// Spec lays out self {R..2R-1} and target {0..R-1} channels, fixation
// (stay) {0}, left {1} and right {2} actions, and the correct and fail
// rewards.
func (d *reachDef) Spec() Spec {
	n := d.cfg.DimRing
	return Spec{
		Name: Reaching1DName, Dt: d.cfg.Dt, Timing: d.timing, Rewards: d.rewards,
		Obs:     []Group{{"self", seq(n, n)}, {"target", seq(0, n)}},
		Actions: []Group{{"fixation", []int{0}}, {"left", []int{1}}, {"right", []int{2}}},
	}
}

// NewTrial draws the target, then the period durations.
func (d *reachDef) NewTrial(b *Builder) Record {
	r := Reaching1DTrial{State: math.Pi}
	r.GroundTruth = b.Var("ground_truth", 2*math.Pi*b.Rng.Float64(), func(v float64) error {
		if !(v >= 0 && v < 2*math.Pi) {
			return errors.New("want an angle in [0, 2 pi)")
		}
		return nil
	})
	b.Periods("fixation", "reach")
	b.AddObs("target", d.ring(r.GroundTruth), "reach")
	b.SetLabel(3, "fixation") // int(pi)
	b.SetLabel(int(r.GroundTruth), "reach")
	return r
}

// ring returns cos(theta_k - a) for k = 0..R-1.
func (d *reachDef) ring(a float64) []float64 { return ringCos(d.theta, a) }

// Step moves the position and gives neurogym's distance reward (see
// NewReaching1D).
func (d *reachDef) Step(e *Env, action int) Outcome {
	tr := e.Current()
	r := tr.Record.(Reaching1DTrial)
	switch action {
	case 1:
		r.State += 0.05
	case 2:
		r.State -= 0.05
	}
	if r.State = math.Mod(r.State, 2*math.Pi); r.State < 0 {
		r.State += 2 * math.Pi
	}
	tr.Record = r
	if e.InPeriod("fixation") {
		return Outcome{}
	}
	y := float64(e.Label())
	if d.cfg.ContinuousTarget {
		y = r.GroundTruth
	}
	dist := math.Abs(r.State - y)
	dist = math.Min(dist, 2*math.Pi-dist)
	correct, fail := *d.cfg.Rewards.Correct, *d.cfg.Rewards.Fail
	reward := math.Max(correct-dist, fail)
	p, _ := tr.Period("reach")
	e.SetPerformance(e.Performance() + (reward-fail)/(correct-fail)/float64(p.End-p.Start))
	return Outcome{Reward: reward}
}

// Observe writes the position into the self channels, cos(theta_k - s).
func (d *reachDef) Observe(e *Env, obs []float32) {
	for k, v := range d.ring(e.Current().Record.(Reaching1DTrial).State) {
		obs[d.cfg.DimRing+k] = float32(v)
	}
}

func init() {
	RegisterEnv(Reaching1DName, NewReaching1D)
}
