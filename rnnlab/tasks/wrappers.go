package tasks

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// wrapped holds the task a wrapper wraps and passes on what the wrapper
// does not change.
type wrapped struct{ inner Task }

// Name returns the wrapped task's name.
func (w *wrapped) Name() string { return w.inner.Name() }

// Dt returns the wrapped task's time step in ms.
func (w *wrapped) Dt() float64 { return w.inner.Dt() }

// NumActions returns the wrapped task's number of actions.
func (w *wrapped) NumActions() int { return w.inner.NumActions() }

// RewardValues returns the wrapped task's named rewards.
func (w *wrapped) RewardValues() []NamedValue { return w.inner.RewardValues() }

// Inner returns the wrapped task (live, not a copy).
func (w *wrapped) Inner() Task { return w.inner }

// ActionGroups returns the wrapped task's action groups (nil if it names
// none).
func (w *wrapped) ActionGroups() []Group {
	if g, ok := w.inner.(GroupedTask); ok {
		return g.ActionGroups()
	}
	return nil
}

// innerObsGroups returns the wrapped task's observation groups, or nil.
func (w *wrapped) innerObsGroups() []Group {
	if g, ok := w.inner.(GroupedTask); ok {
		return g.ObsGroups()
	}
	return nil
}

// Noise adds Gaussian noise of standard deviation Std to every observation
// channel at every step: neurogym's Noise wrapper (wrappers/noise.py,
// v2.2.0), whose std_noise (default 0.1) is used as is, with no dt scaling,
// and which also adds noise to the fixation channel and outside the
// stimulus.
//
// The noise of a trial, one standard normal per step and channel (drawn
// step by step, channel by channel, from the wrapper's own generator) times
// Std, is drawn when the trial begins and added to the trial's
// observations, so NewTrial, Current, the Dataset, Reset and Step all see
// the same noisy values. This differs from neurogym only for supervised
// batches: neurogym's Dataset reads the inner env's observations, which
// its Noise (acting in step only) leaves noiseless.
type Noise struct {
	wrapped
	std   float64
	pcg   *rand.PCG
	rng   *rand.Rand
	tr    *Trial    // the current trial, noise added
	noise []float32 // the current trial's noise, [N][ObsSize]
	t     int       // step index in tr
}

var _ GroupedTask = (*Noise)(nil)

// NewNoise wraps a clone of task (task is not used afterwards) with noise
// of standard deviation std >= 0 (neurogym's default is 0.1). The noise
// generator is seeded with 0 until Seed.
func NewNoise(task Task, std float64) (*Noise, error) {
	if task == nil {
		return nil, errors.New("noise: nil task")
	}
	if !finite(std) || std < 0 {
		return nil, fmt.Errorf("noise: std = %v: must be finite and >= 0", std)
	}
	w := &Noise{wrapped: wrapped{task.Clone()}, std: std}
	w.seedNoise(0)
	return w, nil
}

// Std returns the noise's standard deviation.
func (w *Noise) Std() float64 { return w.std }

func (w *Noise) seedNoise(seed uint64) {
	w.pcg = rand.NewPCG(seed^0xbf58476d1ce4e5b9, seed)
	w.rng = rand.New(w.pcg)
}

// ObsSize returns the wrapped task's number of channels.
func (w *Noise) ObsSize() int { return w.inner.ObsSize() }

// ObsGroups returns the wrapped task's observation groups.
func (w *Noise) ObsGroups() []Group { return w.innerObsGroups() }

// Seed seeds the wrapped task with seed and the noise generator with a
// PCG stream of its own derived from seed, and forgets the current trial.
func (w *Noise) Seed(seed uint64) {
	w.inner.Seed(seed)
	w.seedNoise(seed)
	w.tr, w.noise, w.t = nil, nil, 0
}

// begin draws the noise of the wrapped task's current trial and makes the
// noisy trial current at step 0.
func (w *Noise) begin() {
	in := w.inner.Current()
	w.tr, w.t = in.Clone(), 0
	w.noise = make([]float32, len(in.Obs))
	for j := range w.noise {
		w.noise[j] = float32(w.rng.NormFloat64() * w.std)
		w.tr.Obs[j] += w.noise[j]
	}
}

// add adds the current step's noise to obs.
func (w *Noise) add(obs []float32) []float32 {
	no := w.inner.ObsSize()
	for c := range obs {
		obs[c] += w.noise[w.t*no+c]
	}
	return obs
}

// NewTrial draws a trial of the wrapped task and adds its noise.
func (w *Noise) NewTrial(ov Override) (*Trial, error) {
	if _, err := w.inner.NewTrial(ov); err != nil {
		return nil, err
	}
	w.begin()
	return w.tr, nil
}

// Current returns the current trial, noise added (nil before the first).
func (w *Noise) Current() *Trial {
	if w.tr != nil {
		w.tr.Record = w.inner.Current().Record
	}
	return w.tr
}

// Reset resets the wrapped task and returns its first observation, noise
// added.
func (w *Noise) Reset() []float32 {
	obs := w.inner.Reset()
	w.begin()
	return w.add(obs)
}

// Step steps the wrapped task and adds the noise of the step whose
// observation it returns.
func (w *Noise) Step(action int) StepResult {
	if w.tr == nil {
		w.Reset()
	}
	res := w.inner.Step(action)
	if res.NewTrial {
		w.begin()
	} else {
		w.t++
	}
	res.Obs = w.add(res.Obs)
	return res
}

// startTrial starts a new trial of the wrapped task (for a Schedule).
func (w *Noise) startTrial() []float32 {
	obs := startTrial(w.inner)
	w.begin()
	return w.add(obs)
}

// Clone returns an independent copy, random states and current trial
// included.
func (w *Noise) Clone() Task {
	c := *w
	c.inner = w.inner.Clone()
	p := *w.pcg
	c.pcg = &p
	c.rng = rand.New(c.pcg)
	if w.tr != nil {
		c.tr = w.tr.Clone()
	}
	return &c
}

// pass appends one channel to the wrapped task's observations: the
// previous action (PassAction) or the previous reward (PassReward).
type pass struct {
	wrapped
	reward bool   // pass the reward, else the action
	tr     *Trial // the current trial, extra channel 0
}

// PassAction appends the previous action, as a number (0, 1, 2, ...), to
// the observation: neurogym's PassAction wrapper (wrappers/pass_action.py,
// v2.2.0). Step(a) returns the next observation with a as its last
// channel, also across a trial boundary. The channel is the group "action".
//
// The channel depends on the agent, so it is 0 where no action is known:
// in the observation Reset returns (neurogym's reset takes a hidden random
// step and passes its action) and in every step of the trials NewTrial and
// Current return, hence in Dataset batches (neurogym's Dataset fails there,
// its cache having one channel more than the inner env's observations).
type PassAction struct{ pass }

// PassReward appends the previous reward to the observation: neurogym's
// PassReward wrapper (wrappers/pass_reward.py, v2.2.0). Step returns the
// next observation with the step's reward as its last channel, also across
// a trial boundary. The channel is the group "reward"; it is 0 where no
// reward is known, as for PassAction.
type PassReward struct{ pass }

var (
	_ GroupedTask = (*PassAction)(nil)
	_ GroupedTask = (*PassReward)(nil)
)

// NewPassAction wraps a clone of task (task is not used afterwards).
func NewPassAction(task Task) (*PassAction, error) {
	if task == nil {
		return nil, errors.New("pass action: nil task")
	}
	return &PassAction{pass{wrapped: wrapped{task.Clone()}}}, nil
}

// NewPassReward wraps a clone of task (task is not used afterwards).
func NewPassReward(task Task) (*PassReward, error) {
	if task == nil {
		return nil, errors.New("pass reward: nil task")
	}
	return &PassReward{pass{wrapped: wrapped{task.Clone()}, reward: true}}, nil
}

// ObsSize returns the wrapped task's number of channels plus 1.
func (p *pass) ObsSize() int { return p.inner.ObsSize() + 1 }

// ObsGroups returns the wrapped task's observation groups and the extra
// channel's group, "action" or "reward".
func (p *pass) ObsGroups() []Group {
	name := "action"
	if p.reward {
		name = "reward"
	}
	return append(p.innerObsGroups(), Group{name, []int{p.inner.ObsSize()}})
}

// Seed seeds the wrapped task and forgets the current trial.
func (p *pass) Seed(seed uint64) {
	p.inner.Seed(seed)
	p.tr = nil
}

// begin makes the wrapped task's current trial, with a channel of zeros
// appended, current.
func (p *pass) begin() {
	in := p.inner.Current()
	no := in.ObsSize
	p.tr = in.Clone()
	p.tr.ObsSize = no + 1
	p.tr.Obs = make([]float32, in.N*(no+1))
	for t := range in.N {
		copy(p.tr.ObsAt(t), in.ObsAt(t))
	}
}

// with returns obs with v appended.
func with(obs []float32, v float64) []float32 {
	o := make([]float32, len(obs)+1)
	copy(o, obs)
	o[len(obs)] = float32(v)
	return o
}

// NewTrial draws a trial of the wrapped task; the extra channel is 0.
func (p *pass) NewTrial(ov Override) (*Trial, error) {
	if _, err := p.inner.NewTrial(ov); err != nil {
		return nil, err
	}
	p.begin()
	return p.tr, nil
}

// Current returns the current trial, extra channel 0 (nil before the
// first).
func (p *pass) Current() *Trial {
	if p.tr != nil {
		p.tr.Record = p.inner.Current().Record
	}
	return p.tr
}

// Reset resets the wrapped task; the extra channel of the first
// observation is 0.
func (p *pass) Reset() []float32 {
	obs := p.inner.Reset()
	p.begin()
	return with(obs, 0)
}

// Step steps the wrapped task and appends the action or the reward to the
// observation it returns.
func (p *pass) Step(action int) StepResult {
	if p.tr == nil {
		p.Reset()
	}
	res := p.inner.Step(action)
	if res.NewTrial {
		p.begin()
	}
	v := float64(action)
	if p.reward {
		v = res.Reward
	}
	res.Obs = with(res.Obs, v)
	return res
}

// startTrial starts a new trial of the wrapped task (for a Schedule); no
// action or reward is known, so the channel is 0.
func (p *pass) startTrial() []float32 {
	obs := startTrial(p.inner)
	p.begin()
	return with(obs, 0)
}

func (p *pass) clone() pass {
	c := *p
	c.inner = p.inner.Clone()
	if p.tr != nil {
		c.tr = p.tr.Clone()
	}
	return c
}

// Clone returns an independent copy, current trial included.
func (p *PassAction) Clone() Task { return &PassAction{p.clone()} }

// Clone returns an independent copy, current trial included.
func (p *PassReward) Clone() Task { return &PassReward{p.clone()} }
