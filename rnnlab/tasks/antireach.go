package tasks

import (
	"fmt"
	"math"
)

// AntiReachName is the registry id of AntiReach.
const AntiReachName = "AntiReach-v0"

// AntiReachConfig configures AntiReach. The zero value is neurogym
// v2.2.0's defaults; every zero field means its default.
type AntiReachConfig struct {
	// Dt is the time step in ms (default 100; must be finite and >= 0).
	Dt float64
	// Anti selects anti-reach trials (respond opposite the stimulus); nil
	// means true, Ptr(false) gives pro-reach trials.
	Anti *bool
	// DimRing is the number of ring directions, stimulus channels and
	// choices (default 32; must be >= 2 when set).
	DimRing int
	// Timing overrides the durations of fixation (default 500 ms),
	// stimulus (500), delay (0) and decision (500).
	Timing Timing
	// Rewards gives the abort (-0.1), correct (+1) and fail (0) rewards.
	Rewards Rewards
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// AntiReachTrial is the record of an AntiReach trial.
type AntiReachTrial struct {
	// GroundTruth is the index g of the direction to reach, 0..DimRing-1;
	// the decision label is g+1.
	GroundTruth int
	// Anti reports an anti-reach trial (the config's Anti unless
	// overridden; the field is 1 or 0).
	Anti bool
}

// Fields returns ground_truth and anti.
func (r AntiReachTrial) Fields() []Field {
	return []Field{IntField("ground_truth", r.GroundTruth), IntField("anti", cBool(r.Anti))}
}

// cBool is 1 for true and 0 for false.
func cBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

type antiReachDef struct {
	cfg     AntiReachConfig
	timing  Timing
	rewards []NamedValue
}

// NewAntiReach returns neurogym's AntiReach-v0 (Munoz & Everling 2004):
// a stimulus appears at one of DimRing directions on a ring and, after a
// delay, the agent must reach opposite it (or toward it on pro trials).
//
// Per trial the ground truth g is drawn uniformly from 0..R-1 (R =
// DimRing). With theta_k = 2 pi k / R, the stimulus angle is
// theta_s = (theta_g + pi) mod 2 pi on anti trials and theta_g otherwise.
// The 1+R observation channels, without noise, are
//
//	x[0]   fixation = 1 in the fixation, stimulus and delay periods, else 0
//	x[1+k] stimulus = cos(theta_k - theta_s) in the stimulus period, else 0
//
// The label is 0 except in the decision period, where it is g+1. The
// periods are laid end to end: fixation, stimulus, delay, decision (5, 5,
// 0 and 5 steps at the defaults, N = 15). Step is the default ChoiceStep
// (neurogym's abort is always false).
func NewAntiReach(cfg AntiReachConfig) (*Env, error) {
	return newNamedEnv(AntiReachName, newAntiReachDef, cfg, cfg.Seed)
}

func newAntiReachDef(cfg AntiReachConfig) (*antiReachDef, error) {
	var err error
	if cfg.Dt, err = resolveDt(cfg.Dt, 100); err != nil {
		return nil, err
	}
	switch {
	case cfg.DimRing == 0:
		cfg.DimRing = 32
	case cfg.DimRing < 2:
		return nil, fmt.Errorf("dim_ring = %d: need at least 2 directions", cfg.DimRing)
	case cfg.DimRing > MaxDimRing:
		return nil, fmt.Errorf("dim_ring = %d: at most %d", cfg.DimRing, MaxDimRing)
	}
	cfg.Anti = Ptr(cfg.Anti == nil || *cfg.Anti)
	tm, err := resolveTiming(Timing{"fixation": Constant(500), "stimulus": Constant(500), "delay": Constant(0),
		"decision": Constant(500)}, cfg.Timing, cfg.Dt, "fixation", "stimulus", "delay", "decision")
	if err != nil {
		return nil, err
	}
	cfg.Timing = tm
	d := &antiReachDef{cfg: cfg, timing: tm}
	if d.cfg.Rewards, d.rewards, err = cfg.Rewards.Resolve(-0.1, 1, 0); err != nil {
		return nil, err
	}
	return d, nil
}

// Spec lays out fixation {0} and stimulus {1..R} channels, fixation {0}
// and choice {1..R} actions.
func (d *antiReachDef) Spec() Spec {
	n := d.cfg.DimRing
	return Spec{
		Name: AntiReachName, Dt: d.cfg.Dt, Timing: d.timing, Rewards: d.rewards,
		Obs:     []Group{{"fixation", []int{0}}, {"stimulus", seq(1, n)}},
		Actions: []Group{{"fixation", []int{0}}, {"choice", seq(1, n)}},
	}
}

// NewTrial draws the ground truth, then the period durations.
func (d *antiReachDef) NewTrial(b *Builder) Record {
	n := d.cfg.DimRing
	r := AntiReachTrial{GroundTruth: b.Int("ground_truth", n)}
	r.Anti = b.Var("anti", float64(cBool(*d.cfg.Anti)), func(v float64) error {
		if v != 0 && v != 1 {
			return fmt.Errorf("want 0 (pro) or 1 (anti)")
		}
		return nil
	}) == 1
	theta := ringAngles(n)
	ts := theta[r.GroundTruth]
	if r.Anti {
		ts = math.Mod(ts+math.Pi, 2*math.Pi)
	}
	b.Periods("fixation", "stimulus", "delay", "decision")
	b.AddOb("fixation", 1, "fixation", "stimulus", "delay")
	b.AddObs("stimulus", ringCos(theta, ts), "stimulus")
	b.SetChoice("choice", r.GroundTruth, "decision")
	return r
}

func init() {
	RegisterEnv(AntiReachName, NewAntiReach)
}
