package tasks

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Yang19Collection is the name of the collection, the prefix of its ids.
const Yang19Collection = "yang19"

// Yang19DimRing is the number of units per modality ring and of response
// directions; Yang19ObsSize and Yang19NumActions are the shared layout.
const (
	Yang19DimRing    = 16
	Yang19ObsSize    = 1 + 2*Yang19DimRing
	Yang19NumActions = 1 + Yang19DimRing
)

// yang19Short lists the tasks' short names in the paper's order.
var yang19Short = []string{
	"go", "rtgo", "dlygo", "anti", "rtanti", "dlyanti",
	"dm1", "dm2", "ctxdm1", "ctxdm2", "multidm",
	"dlydm1", "dlydm2", "ctxdlydm1", "ctxdlydm2", "multidlydm",
	"dms", "dnms", "dmc", "dnmc",
}

// Yang19Names returns the registry ids of the twenty tasks, "yang19.go-v0"
// to "yang19.dnmc-v0", in the paper's (and neurogym's get_collection) order.
func Yang19Names() []string {
	ids := make([]string, len(yang19Short))
	for i, s := range yang19Short {
		ids[i] = Yang19ID(s)
	}
	return ids
}

// Yang19ID returns the registry id of the task with short name s, e.g.
// Yang19ID("dm1") = "yang19.dm1-v0".
func Yang19ID(s string) string { return Yang19Collection + "." + s + "-v0" }

// Yang19Config configures any task of the collection; every zero field
// means neurogym's default. Options a task does not have must be left
// zero (sigma and cohs are not options of the reach tasks, cohs not of the
// matching tasks, RandomModality not of the dm tasks).
type Yang19Config struct {
	// Dt is the time step in ms (default 100; must be >= 0).
	Dt float64
	// Timing overrides period durations in ms; the periods and defaults
	// depend on the family (see Yang19ReachTrial, Yang19DMTrial,
	// Yang19MatchTrial). Unknown periods are an error.
	Timing Timing
	// Rewards gives the reward values (nil fields: abort -0.1, correct +1,
	// fail 0).
	Rewards Rewards
	// Abort makes breaking fixation in the fixation period end the trial.
	Abort bool
	// Sigma is the stimulus noise before dt scaling (dm and matching
	// tasks; nil means 1): the noise per step has standard deviation
	// Sigma/sqrt(Dt). Must be >= 0.
	Sigma *float64
	// Cohs are the coherences of the dm tasks (nil means {0.08, 0.16,
	// 0.32, 0.64}) and delayed dm tasks (nil means {0.3, 0.6, 1.0}; at
	// least two values). Must be finite.
	Cohs []float64
	// RandomModality draws the stimulus modality of a reach or matching
	// trial uniformly at random, as the paper does. By default it
	// alternates as in neurogym v2.2.0, whose RandomSchedule of the two
	// modality variants never repeats the previous one: modality 2 for the
	// first trial after Seed or Reset, then 1, 2, 1, ...
	RandomModality bool
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// yang19Base is what every task of the collection shares: its id, resolved
// configuration, timing and rewards.
type yang19Base struct {
	name     string
	cfg      Yang19Config
	timing   Timing
	periods  []string // the periods laid end to end
	rewards  []NamedValue
	sigmaEff float64
}

// newYang19Base checks cfg against what the task allows and resolves it.
func newYang19Base(short string, cfg Yang19Config, timing Timing, periods []string, sigma, cohs, modality bool) (yang19Base, error) {
	c := cfg
	c.Cohs = slices.Clone(cfg.Cohs)
	c.Timing = nil
	var err error
	if c.Dt, err = resolveDt(c.Dt, 100); err != nil {
		return yang19Base{}, err
	}
	if c.Sigma != nil && !sigma {
		return yang19Base{}, fmt.Errorf("sigma: not an option of %s (it has no stimulus noise)", short)
	}
	if c.Cohs != nil && !cohs {
		return yang19Base{}, fmt.Errorf("cohs: not an option of %s (only of the dm tasks)", short)
	}
	if c.RandomModality && !modality {
		return yang19Base{}, fmt.Errorf("random_modality: not an option of %s (only of the reach and matching tasks)", short)
	}
	var sigmaEff float64
	if sigma {
		s, err := resolveSigma(c.Sigma)
		if err != nil {
			return yang19Base{}, err
		}
		c.Sigma = Ptr(s) // share nothing with the caller
		sigmaEff = s / math.Sqrt(c.Dt)
	}
	for _, v := range c.Cohs {
		if !finite(v) {
			return yang19Base{}, fmt.Errorf("coherence %v: must be finite", v)
		}
	}
	tm, err := resolveTiming(timing, cfg.Timing, c.Dt, periods...)
	if err != nil {
		return yang19Base{}, err
	}
	c.Timing = tm
	rw, named, err := c.Rewards.Resolve(-0.1, 1, 0)
	if err != nil {
		return yang19Base{}, err
	}
	c.Rewards = rw
	return yang19Base{name: Yang19ID(short), cfg: c, timing: tm, periods: periods, rewards: named, sigmaEff: sigmaEff}, nil
}

// Spec lays out the shared 33 channels and 17 actions.
func (d *yang19Base) Spec() Spec {
	return Spec{
		Name: d.name, Dt: d.cfg.Dt,
		Obs: []Group{{"fixation", []int{0}}, {"stimulus_mod1", seq(1, Yang19DimRing)},
			{"stimulus_mod2", seq(1+Yang19DimRing, Yang19DimRing)}},
		Actions: []Group{{"fixation", []int{0}}, {"choice", seq(1, Yang19DimRing)}},
		Rewards: d.rewards, Timing: d.timing, Abort: d.cfg.Abort,
	}
}

// Config returns the resolved configuration of a Def of the collection.
func (d *yang19Base) Config() Yang19Config {
	c := d.cfg
	c.Cohs = slices.Clone(c.Cohs)
	c.Timing = make(Timing, len(d.timing))
	for k, v := range d.timing {
		c.Timing[k] = v.clone()
	}
	if c.Sigma != nil {
		c.Sigma = Ptr(*c.Sigma)
	}
	return c
}

// modality returns the stimulus modality (0 or 1) of a reach or matching
// trial: alternating from 1 after Seed or Reset, or drawn at random; the
// override "modality" replaces it.
func (d *yang19Base) modality(b *Builder) int {
	m := (b.env.numTr + 1) % 2
	if d.cfg.RandomModality {
		m = b.Rng.IntN(2)
	}
	return int(b.Var("modality", float64(m), checkIntBelow(2)))
}

// checkIntBelow returns an override check for an integer in 0..n-1.
func checkIntBelow(n int) func(float64) error {
	return func(v float64) error {
		if v != math.Trunc(v) || v < 0 || v >= float64(n) {
			return fmt.Errorf("want an integer in 0..%d", n-1)
		}
		return nil
	}
}

// checkFinite is an override check for a finite number.
func checkFinite(v float64) error {
	if !finite(v) {
		return errors.New("want a finite number")
	}
	return nil
}

// yang19Mod returns the observation group of modality m (0 or 1).
func yang19Mod(m int) string { return fmt.Sprintf("stimulus_mod%d", m+1) }

// Yang19Bump returns the ring input of a stimulus at ring position j with
// strength s: 0.8 s exp(-d_k^2/2) for each unit k, d_k the circular
// distance between theta_k and theta_j in units of pi/8 (neurogym's
// _gaussianbump).
func Yang19Bump(j int, s float64) []float64 {
	out := make([]float64, Yang19DimRing)
	tj := 2 * math.Pi * float64(j) / Yang19DimRing
	for k := range out {
		dist := math.Abs(tj - 2*math.Pi*float64(k)/Yang19DimRing)
		dist = math.Min(dist, 2*math.Pi-dist) / (math.Pi / 8)
		out[k] = 0.8 * math.Exp(-dist*dist/2) * s
	}
	return out
}

// NewYang19 returns the task of the Yang et al. (2019) collection called
// name, a short name ("dm1") or a registry id ("yang19.dm1-v0"), configured
// by cfg. The collection has twenty tasks with one shared layout, so
// that one network can be trained on all of them (Yang, Joglekar, Song,
// Newsome & Wang, Nature Neuroscience 22:297). This is neurogym v2.2.0's
// port, envs/collections/yang19.py (identical at neurogym's HEAD), registered
// under neurogym's ids "yang19.NAME-v0" with NAME, in the paper's order:
//
//	go, rtgo, dlygo, anti, rtanti, dlyanti,          (reach family)
//	dm1, dm2, ctxdm1, ctxdm2, multidm,               (dm family)
//	dlydm1, dlydm2, ctxdlydm1, ctxdlydm2, multidlydm, (delayed dm family)
//	dms, dnms, dmc, dnmc                             (matching family)
//
// (the paper's fdgo, reactgo, delaygo, fdanti, reactanti, delayanti, dm1,
// dm2, contextdm1, contextdm2, multidm, delaydm1, delaydm2,
// contextdelaydm1, contextdelaydm2, multidelaydm, dmsgo, dmsnogo, dmcgo,
// dmcnogo).
//
// # Layout
//
// Every task has ObsSize 33 and 17 actions. Observation channel 0 is the
// fixation input (group "fixation"), channels 1..16 the ring of modality 1
// ("stimulus_mod1") and 17..32 the ring of modality 2 ("stimulus_mod2"). Ring
// unit k prefers the direction theta_k = 2 pi k/16. Action 0 is "fixate"
// (group "fixation") and action 1+k "respond in direction theta_k" (group
// "choice"): the label is 0 before the response and 1+k in the response
// period ("decision") for the response direction k (0 throughout on the
// no-go trials of the matching tasks). A stimulus at ring
// position j with strength s adds to unit k of its modality's ring
//
//	bump_j(k) = 0.8 s exp(-d^2/2),  d = |theta_k - theta_j| (circular) / (pi/8),
//
// which at 16 units is 0.8 s exp(-m^2/2) for units m positions away. The
// rewards (abort -0.1, correct +1, fail 0) and the step are neurogym's
// usual ones (Env.ChoiceStep with period "decision"); the default dt is
// 100 ms. The rule input of the paper is not part of a task: a multi-task
// schedule appends it.
//
// # Differences from the paper
//
// The port (and so this package) differs from the paper's code
// (gyyang/multitask, task.py):
//
//   - rings of 16 units instead of 32, so 33 inputs instead of 1 + 2x32 +
//     20 rule inputs = 85 (the rule inputs belong to a multi-task
//     schedule);
//   - 17 categorical actions (labels) instead of 33 sigmoid outputs with
//     bump-shaped targets (0.05 baseline, fixation output 0.8) weighted by
//     a cost mask;
//   - stimulus and response directions on the 16 ring positions instead of
//     continuous angles; in the dm tasks the two stimuli may sit at any two
//     different positions, adjacent ones included (their bumps then overlap
//     and add), instead of 90 to 270 degrees apart;
//   - the fixation input: in the dm, delayed dm and matching tasks it is 1
//     only in the fixation period, not until the response period; in rtgo
//     and rtanti it goes off when the stimulus comes on (the paper keeps it
//     on all trial, the stimulus being the go cue);
//   - in go and anti the stimulus is off in the response period (the paper
//     keeps it on to the end), and the reaction-time tasks have no stimulus
//     period (the stimulus comes on with the response period);
//   - fixed period durations in the reach and matching tasks, and the
//     port's own strengths in the dm tasks (0.5 +- c/2, or two different
//     values of Cohs in the delayed ones); the paper draws onsets and
//     durations at random and dm strengths as a mean in [0.8, 1.2] plus or
//     minus a coherence;
//   - the stimulus modality of reach and matching trials alternates from
//     trial to trial (see Yang19Config.RandomModality) instead of being
//     drawn at random;
//   - input noise, sigma/sqrt(dt) per step, only on the rings during the
//     stimuli of the dm and matching tasks; the reach tasks have none (the
//     paper adds input noise to every input of every task).
//
// Differences from neurogym v2.2.0 (whose yang19.py is the same at its
// HEAD): a user timing for dlygo and dlyanti is applied over their 500 ms
// delay (neurogym replaces the user's timing by {delay: 500}); timing the
// absent stimulus or delay periods of rtgo and rtanti is an error
// (neurogym ignores it); the modality copies draw from one generator
// (neurogym seeds both copies alike); overrides of the dm tasks' positions
// and strengths are accepted (neurogym's _DMFamily ignores its keyword
// arguments).
func NewYang19(name string, cfg Yang19Config) (*Env, error) {
	short := strings.TrimSuffix(strings.TrimPrefix(name, Yang19Collection+"."), "-v0")
	var (
		def Def
		err error
	)
	switch {
	case slices.Contains(yang19Short[:6], short):
		def, err = newYang19Reach(short, cfg)
	case slices.Contains(yang19Short[6:16], short):
		def, err = newYang19DM(short, cfg)
	case slices.Contains(yang19Short[16:], short):
		def, err = newYang19Match(short, cfg)
	default:
		return nil, fmt.Errorf("unknown yang19 task %q; known: %s", name, strings.Join(yang19Short, ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Yang19ID(short), err)
	}
	return NewEnv(def, cfg.Seed)
}

func init() {
	for _, id := range Yang19Names() {
		RegisterEnv(id, func(c Yang19Config) (*Env, error) { return NewYang19(id, c) })
	}
}

// checkIntIn returns an override check for an integer in from..from+n-1.
func checkIntIn(from, n int) func(float64) error {
	return func(v float64) error {
		if err := checkIntBelow(from + n)(v); err != nil || v < float64(from) {
			return fmt.Errorf("want an integer in %d..%d", from, from+n-1)
		}
		return nil
	}
}
