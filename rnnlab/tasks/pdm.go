package tasks

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// PerceptualDecisionMakingName is the registry id of PerceptualDecisionMaking.
const PerceptualDecisionMakingName = "PerceptualDecisionMaking-v0"

// DefaultCohs are the default coherences of PerceptualDecisionMaking, in percent.
var DefaultCohs = []float64{0, 6.4, 12.8, 25.6, 51.2}

// PDMTiming holds the duration of each period of PerceptualDecisionMaking.
// A zero Duration means the period's default: fixation 100 ms, stimulus
// 2000 ms, delay 0 ms, decision 100 ms.
type PDMTiming struct {
	Fixation, Stimulus, Delay, Decision Duration
}

// Rewards holds the rewards of a decision task. A nil field means the
// default: Abort -0.1, Correct +1, Fail 0.
type Rewards struct {
	// Abort is given for breaking fixation during the fixation period.
	Abort *float64
	// Correct is given for the correct choice in the decision period.
	Correct *float64
	// Fail is given for a wrong choice in the decision period.
	Fail *float64
}

// PerceptualDecisionMakingConfig configures PerceptualDecisionMaking. The
// zero value is the primer's task (neurogym's defaults with the 2021
// fixation input); every zero field means its default.
type PerceptualDecisionMakingConfig struct {
	// Dt is the time step in ms (default 100; must not be negative).
	Dt float64
	// DimRing is the number of choices and stimulus channels (default 2;
	// must be >= 2 when set).
	DimRing int
	// Cohs is the set of coherences in percent, drawn uniformly per trial.
	// Nil means DefaultCohs; a non-nil empty slice is an error, as are
	// negative or non-finite values.
	Cohs []float64
	// Sigma is the noise level before dt scaling: the stimulus noise has
	// standard deviation Sigma/sqrt(Dt). Nil means 1; use Ptr(0.0) for
	// noise-free stimuli. Must be >= 0.
	Sigma *float64
	// Timing gives the period durations (zero fields are the defaults).
	Timing PDMTiming
	// Rewards gives the reward values (nil fields are the defaults).
	Rewards Rewards
	// Abort makes breaking fixation during the fixation period end the
	// trial (default false).
	Abort bool
	// FixationOnlyInFixation selects neurogym's newer (2025) fixation input:
	// the fixation channel is 1 only in the fixation period. The default
	// (false) is the primer's behaviour: 1 during fixation, stimulus and
	// delay, 0 only in the decision period.
	FixationOnlyInFixation bool
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// Ptr returns a pointer to v; handy for optional Config and Override fields.
func Ptr[T any](v T) *T { return &v }

// resolve fills the defaults into a copy of cfg and validates it.
func (cfg PerceptualDecisionMakingConfig) resolve() (PerceptualDecisionMakingConfig, error) {
	r := cfg
	switch {
	case math.IsNaN(r.Dt) || math.IsInf(r.Dt, 0) || r.Dt < 0:
		return r, fmt.Errorf("dt = %v ms: must be finite and > 0 (0 means the default 100)", r.Dt)
	case r.Dt == 0:
		r.Dt = 100
	}
	switch {
	case r.DimRing == 0:
		r.DimRing = 2
	case r.DimRing < 2:
		return r, fmt.Errorf("dim_ring = %d: need at least 2 choices", r.DimRing)
	}
	switch {
	case r.Cohs == nil:
		r.Cohs = append([]float64(nil), DefaultCohs...)
	case len(r.Cohs) == 0:
		return r, errors.New("cohs is empty: give at least one coherence (nil means the default set)")
	default:
		r.Cohs = append([]float64(nil), r.Cohs...)
		for _, c := range r.Cohs {
			if math.IsNaN(c) || math.IsInf(c, 0) || c < 0 {
				return r, fmt.Errorf("coherence %v: must be finite and >= 0", c)
			}
		}
	}
	if r.Sigma == nil {
		r.Sigma = Ptr(1.0)
	} else {
		s := *r.Sigma
		if math.IsNaN(s) || math.IsInf(s, 0) || s < 0 {
			return r, fmt.Errorf("sigma = %v: must be finite and >= 0", s)
		}
		r.Sigma = Ptr(s)
	}
	def := func(d *Duration, ms float64, name string) error {
		if d.Kind == DurationDefault {
			*d = Constant(ms)
		} else if d.Kind == DurationChoice {
			d.Values = append([]float64(nil), d.Values...)
		}
		if err := d.Validate(); err != nil {
			return fmt.Errorf("timing of %s: %w", name, err)
		}
		return nil
	}
	t := &r.Timing
	for _, p := range []struct {
		d    *Duration
		ms   float64
		name string
	}{{&t.Fixation, 100, "fixation"}, {&t.Stimulus, 2000, "stimulus"}, {&t.Delay, 0, "delay"}, {&t.Decision, 100, "decision"}} {
		if err := def(p.d, p.ms, p.name); err != nil {
			return r, err
		}
	}
	minSteps := 0
	for _, d := range []Duration{t.Fixation, t.Stimulus, t.Delay, t.Decision} {
		minSteps += StepsOf(d.MinMs(), r.Dt)
	}
	if minSteps == 0 {
		return r, fmt.Errorf("timing %v/%v/%v/%v ms at dt = %v ms can give a zero-length trial",
			t.Fixation, t.Stimulus, t.Delay, t.Decision, r.Dt)
	}
	rw := func(p *float64, v float64, name string) (*float64, error) {
		if p == nil {
			return Ptr(v), nil
		}
		if math.IsNaN(*p) || math.IsInf(*p, 0) {
			return nil, fmt.Errorf("reward %s = %v: must be finite", name, *p)
		}
		return Ptr(*p), nil
	}
	var err error
	if r.Rewards.Abort, err = rw(r.Rewards.Abort, -0.1, "abort"); err != nil {
		return r, err
	}
	if r.Rewards.Correct, err = rw(r.Rewards.Correct, 1, "correct"); err != nil {
		return r, err
	}
	if r.Rewards.Fail, err = rw(r.Rewards.Fail, 0, "fail"); err != nil {
		return r, err
	}
	return r, nil
}

// PerceptualDecisionMaking is neurogym's PerceptualDecisionMaking-v0, the
// primer's two-alternative forced choice task: after a fixation period, two
// noisy stimulus channels are shown, one with a higher mean; after an
// optional delay the network must report which one, in the decision period.
//
// Observations have 1+DimRing channels: channel 0 is the fixation cue,
// channels 1..DimRing the stimulus. Actions are 0 (fixate) and k+1 (choose
// k). See the package documentation for the observation model.
type PerceptualDecisionMaking struct {
	cfg      PerceptualDecisionMakingConfig // resolved
	sigmaEff float64
	theta    []float64
	pcg      *rand.PCG
	rng      *rand.Rand
	cur      *Trial
	t        int // step index in cur
	perf     float64
	numTr    int
}

// NewPerceptualDecisionMaking validates cfg, fills its defaults and returns
// the task, seeded with cfg.Seed.
func NewPerceptualDecisionMaking(cfg PerceptualDecisionMakingConfig) (*PerceptualDecisionMaking, error) {
	r, err := cfg.resolve()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", PerceptualDecisionMakingName, err)
	}
	p := &PerceptualDecisionMaking{
		cfg:      r,
		sigmaEff: *r.Sigma / math.Sqrt(r.Dt),
		theta:    make([]float64, r.DimRing),
	}
	for k := range p.theta {
		p.theta[k] = 2 * math.Pi * float64(k) / float64(r.DimRing)
	}
	p.Seed(r.Seed)
	return p, nil
}

// Config returns the resolved configuration, defaults filled in.
func (p *PerceptualDecisionMaking) Config() PerceptualDecisionMakingConfig {
	return p.cfg.clone()
}

// clone deep-copies the slices and pointers of cfg.
func (cfg PerceptualDecisionMakingConfig) clone() PerceptualDecisionMakingConfig {
	c := cfg
	c.Cohs = append([]float64(nil), c.Cohs...)
	cp := func(f *float64) *float64 {
		if f == nil {
			return nil
		}
		return Ptr(*f)
	}
	c.Sigma = cp(c.Sigma)
	c.Rewards = Rewards{Abort: cp(c.Rewards.Abort), Correct: cp(c.Rewards.Correct), Fail: cp(c.Rewards.Fail)}
	for _, d := range []*Duration{&c.Timing.Fixation, &c.Timing.Stimulus, &c.Timing.Delay, &c.Timing.Decision} {
		d.Values = append([]float64(nil), d.Values...)
	}
	return c
}

// SigmaEff is the standard deviation of the stimulus noise per step,
// Sigma/sqrt(Dt).
func (p *PerceptualDecisionMaking) SigmaEff() float64 { return p.sigmaEff }

// Name returns "PerceptualDecisionMaking-v0".
func (p *PerceptualDecisionMaking) Name() string { return PerceptualDecisionMakingName }

// Dt returns the time step in ms.
func (p *PerceptualDecisionMaking) Dt() float64 { return p.cfg.Dt }

// ObsSize returns 1+DimRing.
func (p *PerceptualDecisionMaking) ObsSize() int { return 1 + p.cfg.DimRing }

// NumActions returns 1+DimRing.
func (p *PerceptualDecisionMaking) NumActions() int { return 1 + p.cfg.DimRing }

// NumTrials returns the number of trials generated since the last Seed or
// Reset (Reset counts its own trial).
func (p *PerceptualDecisionMaking) NumTrials() int { return p.numTr }

// Seed resets the random number generator (a PCG seeded with seed) and
// forgets the current trial.
func (p *PerceptualDecisionMaking) Seed(seed uint64) {
	p.pcg = rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	p.rng = rand.New(p.pcg)
	p.cur, p.t, p.perf, p.numTr = nil, 0, 0, 0
}

// ObsGroups names the observation channels: fixation (0) and stimulus (1..DimRing).
func (p *PerceptualDecisionMaking) ObsGroups() []Group {
	return []Group{{"fixation", []int{0}}, {"stimulus", seq(1, p.cfg.DimRing)}}
}

// ActionGroups names the actions: fixation (0) and choice (1..DimRing).
func (p *PerceptualDecisionMaking) ActionGroups() []Group {
	return []Group{{"fixation", []int{0}}, {"choice", seq(1, p.cfg.DimRing)}}
}

func seq(from, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = from + i
	}
	return s
}

// RewardValues lists abort, correct and fail, in that order.
func (p *PerceptualDecisionMaking) RewardValues() []NamedValue {
	return []NamedValue{
		{"abort", *p.cfg.Rewards.Abort},
		{"correct", *p.cfg.Rewards.Correct},
		{"fail", *p.cfg.Rewards.Fail},
	}
}

// NewTrial draws a trial and makes it current, at step 0. The draws happen
// in neurogym's order: ground truth, then coherence (both always drawn, then
// replaced by ov's non-nil fields), then the durations of fixation,
// stimulus, delay and decision, then the stimulus noise row by row.
//
// It panics if ov.GroundTruth is outside 0..DimRing-1.
func (p *PerceptualDecisionMaking) NewTrial(ov Override) *Trial {
	c := &p.cfg
	info := TrialInfo{
		GroundTruth: p.rng.IntN(c.DimRing),
		Coh:         c.Cohs[p.rng.IntN(len(c.Cohs))],
	}
	if ov.GroundTruth != nil {
		if g := *ov.GroundTruth; g < 0 || g >= c.DimRing {
			panic(fmt.Sprintf("tasks: override ground truth %d outside 0..%d", g, c.DimRing-1))
		}
		info.GroundTruth = *ov.GroundTruth
	}
	if ov.Coh != nil {
		info.Coh = *ov.Coh
	}

	names := [4]string{"fixation", "stimulus", "delay", "decision"}
	durs := [4]Duration{c.Timing.Fixation, c.Timing.Stimulus, c.Timing.Delay, c.Timing.Decision}
	periods := make([]Period, 4)
	n := 0
	for i, d := range durs {
		k := StepsOf(d.Sample(p.rng), c.Dt)
		periods[i] = Period{Name: names[i], Start: n, End: n + k}
		n += k
	}
	if n == 0 { // excluded by validation; keep callers from looping forever
		panic("tasks: zero-length trial")
	}

	no := 1 + c.DimRing
	tr := &Trial{Info: info, N: n, ObsSize: no, Obs: make([]float32, n*no), Labels: make([]int, n), Periods: periods}
	fix, stim, delay, dec := periods[0], periods[1], periods[2], periods[3]
	fixEnd := delay.End
	if c.FixationOnlyInFixation {
		fixEnd = fix.End
	}
	for t := fix.Start; t < fixEnd; t++ {
		tr.Obs[t*no] = 1
	}
	thetaGT := p.theta[info.GroundTruth]
	for t := stim.Start; t < stim.End; t++ {
		row := tr.Obs[t*no : (t+1)*no]
		for k := 0; k < c.DimRing; k++ {
			// Mean computed in float64 and rounded to float32, then the
			// noise added in float64 and rounded again (as neurogym).
			m := float32(math.Cos(p.theta[k]-thetaGT)*info.Coh/200 + 0.5)
			row[1+k] = float32(float64(m) + p.rng.NormFloat64()*p.sigmaEff)
		}
	}
	for t := dec.Start; t < dec.End; t++ {
		tr.Labels[t] = info.GroundTruth + 1
	}
	p.cur, p.t, p.perf = tr, 0, 0
	p.numTr++
	return tr
}

// Current returns the current trial (nil before the first NewTrial or Reset).
func (p *PerceptualDecisionMaking) Current() *Trial { return p.cur }

// Reset draws a new trial and returns a copy of its first observation. It
// does not take neurogym's random first step: the first Step acts on step 0.
// It restarts the trial count.
func (p *PerceptualDecisionMaking) Reset() []float32 {
	p.numTr = 0
	tr := p.NewTrial(Override{})
	return append([]float32(nil), tr.ObsAt(0)...)
}

// Step applies action at the current step with the reward table of
// neurogym (see the package documentation), then advances one step. A trial
// ends after a choice in the decision period, after breaking fixation in the
// fixation period when Abort is set, or after its last step; a new trial is
// then drawn and its first observation returned. Any action other than 0
// and the correct one counts as a wrong choice. Step calls Reset first if
// there is no current trial.
func (p *PerceptualDecisionMaking) Step(action int) StepResult {
	if p.cur == nil {
		p.Reset()
	}
	tr := p.cur
	in := func(name string) bool {
		per, _ := tr.Period(name)
		return p.t >= per.Start && p.t < per.End
	}
	res := StepResult{Label: tr.Labels[p.t]}
	rw := p.cfg.Rewards
	switch {
	case in("fixation"):
		if action != 0 {
			res.Reward = *rw.Abort
			res.NewTrial = p.cfg.Abort
		}
	case in("decision"):
		if action != 0 {
			res.NewTrial = true
			if action == res.Label {
				res.Reward = *rw.Correct
				p.perf = 1
			} else {
				res.Reward = *rw.Fail
			}
		}
	}
	p.t++
	if p.t >= tr.N {
		res.NewTrial = true
	}
	if res.NewTrial {
		res.Performance = p.perf
		res.Trial = p.NewTrial(Override{}).Info
	}
	res.Obs = append([]float32(nil), p.cur.ObsAt(p.t)...)
	return res
}

// StepIndex returns the index, within the current trial, of the step the
// next Step acts on.
func (p *PerceptualDecisionMaking) StepIndex() int { return p.t }

// Clone returns an independent copy: same configuration, same random state
// (both copies then draw the same trials), a deep copy of the current trial.
func (p *PerceptualDecisionMaking) Clone() Task {
	q := *p
	pcg := *p.pcg
	q.pcg = &pcg
	q.rng = rand.New(q.pcg)
	q.cfg = p.Config()
	q.theta = append([]float64(nil), p.theta...)
	if p.cur != nil {
		q.cur = p.cur.Clone()
	}
	return &q
}

func init() {
	Register(PerceptualDecisionMakingName, func(o Options) (Task, error) {
		var cfg PerceptualDecisionMakingConfig
		switch c := o.Config.(type) {
		case nil:
		case PerceptualDecisionMakingConfig:
			cfg = c
		case *PerceptualDecisionMakingConfig:
			cfg = *c
		default:
			return nil, fmt.Errorf("%s: config of type %T, want PerceptualDecisionMakingConfig", PerceptualDecisionMakingName, o.Config)
		}
		if o.Dt != 0 {
			cfg.Dt = o.Dt
		}
		if o.Seed != nil {
			cfg.Seed = *o.Seed
		}
		return NewPerceptualDecisionMaking(cfg)
	})
}
