package tasks

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Builder is what a Def's NewTrial fills, in neurogym's order: draw the
// condition (Int, Pick, Var), lay out the periods (Periods, Period, Steps),
// then write observations (AddOb, AddObs, SetOb, AddRandn) and labels
// (SetLabel, SetChoice) by period and channel-group name. The observation
// and label buffers are made, all zero, when first needed; no period may be
// added after that.
//
// Mistakes of the task's code (an unknown period or group, a value of the
// wrong length) panic; a bad override is an error returned by NewTrial.
type Builder struct {
	// Rng is the task's random number generator. Draw from it in a fixed
	// order: the same seed must give the same trials.
	Rng *rand.Rand

	env     *Env
	ov      Override
	asked   []string
	err     error
	periods []Period
	tr      *Trial
	perf    float64
	timeout float64
}

// Dt returns the time step in ms.
func (b *Builder) Dt() float64 { return b.env.spec.Dt }

// Var returns the override of the field called name if there is one, and
// drawn otherwise. check, if not nil, validates an override; on an error
// Var returns drawn and NewTrial fails with "override name = v: error".
func (b *Builder) Var(name string, drawn float64, check func(float64) error) float64 {
	b.asked = append(b.asked, name)
	v, ok := b.ov[name]
	if !ok {
		return drawn
	}
	if check != nil {
		if err := check(v); err != nil {
			if b.err == nil {
				b.err = fmt.Errorf("override %s = %v: %w", name, v, err)
			}
			return drawn // the trial is discarded; keep the task's code safe
		}
	}
	return v
}

// Int draws an integer in [0, n) and applies the override of name, which
// must be an integer in that range.
func (b *Builder) Int(name string, n int) int {
	v := b.Var(name, float64(b.Rng.IntN(n)), func(v float64) error {
		if v != math.Trunc(v) || v < 0 || v >= float64(n) {
			return fmt.Errorf("want an integer in 0..%d", n-1)
		}
		return nil
	})
	return int(v)
}

// Pick draws one of values uniformly and applies the override of name,
// which may be any finite number.
func (b *Builder) Pick(name string, values []float64) float64 {
	return b.Var(name, values[b.Rng.IntN(len(values))], func(v float64) error {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return errors.New("want a finite number")
		}
		return nil
	})
}

// Steps draws the duration of the named period from Spec.Timing and floors
// it to whole steps.
func (b *Builder) Steps(period string) int {
	d, ok := b.env.spec.Timing[period]
	if !ok {
		panic(fmt.Sprintf("tasks: %s has no timing for period %q", b.env.spec.Name, period))
	}
	ms := d.Sample(b.Rng)
	b.checkPeriod(period, ms/b.Dt())
	return StepsOf(ms, b.Dt())
}

// Periods lays out the named periods end to end after the last period
// added (from step 0 for the first), drawing their durations in order.
func (b *Builder) Periods(names ...string) {
	for _, name := range names {
		start := 0
		if k := len(b.periods); k > 0 {
			start = b.periods[k-1].End
		}
		b.Period(name, start, b.Steps(name))
	}
}

// Period adds a period of the given steps starting at step start; periods
// may overlap. Use End to start it after another period.
func (b *Builder) Period(name string, start, steps int) {
	if b.tr != nil {
		panic(fmt.Sprintf("tasks: %s: period %q added after the observations", b.env.spec.Name, name))
	}
	if start < 0 || steps < 0 {
		panic(fmt.Sprintf("tasks: %s: period %q at %d of %d steps", b.env.spec.Name, name, start, steps))
	}
	b.checkPeriod(name, float64(start)+float64(steps))
	for _, p := range b.periods {
		if p.Name == name {
			panic(fmt.Sprintf("tasks: %s: period %q added twice", b.env.spec.Name, name))
		}
	}
	b.periods = append(b.periods, Period{name, start, start + steps})
}

// Span returns the first step and the end (exclusive) of a period.
func (b *Builder) Span(period string) (start, end int) {
	for _, p := range b.periods {
		if p.Name == period {
			return p.Start, p.End
		}
	}
	panic(fmt.Sprintf("tasks: %s has no period %q in this trial", b.env.spec.Name, period))
}

// End returns the end (exclusive) of a period, the start of one after it.
func (b *Builder) End(period string) int {
	_, e := b.Span(period)
	return e
}

// Trial returns the trial being built, making its buffers if needed, for
// writes the other methods do not cover. Its Record is set by NewTrial.
func (b *Builder) Trial() *Trial {
	if b.tr == nil {
		n := 0
		for _, p := range b.periods {
			n = max(n, p.End)
		}
		no := b.env.obsSize
		b.tr = &Trial{N: n, ObsSize: no, Obs: make([]float32, n*no), Labels: make([]int, n), Periods: b.periods}
	}
	return b.tr
}

// ViewOb returns the observation rows of a period, a row-major view
// [steps][ObsSize] into the trial being built (neurogym's view_ob).
func (b *Builder) ViewOb(period string) []float32 {
	s, e := b.Span(period)
	no := b.env.obsSize
	return b.Trial().Obs[s*no : e*no]
}

// Channels returns the observation channels of a group; "" means all.
func (b *Builder) Channels(where string) []int {
	if where == "" {
		return seq(0, b.env.obsSize)
	}
	c, ok := b.env.obsIdx[where]
	if !ok {
		panic(fmt.Sprintf("tasks: %s has no observation group %q", b.env.spec.Name, where))
	}
	return c
}

// steps calls f for every step of the periods (every step if none).
func (b *Builder) steps(periods []string, f func(t int)) {
	tr := b.Trial()
	if len(periods) == 0 {
		for t := 0; t < tr.N; t++ {
			f(t)
		}
		return
	}
	for _, p := range periods {
		s, e := b.Span(p)
		for t := s; t < e; t++ {
			f(t)
		}
	}
}

// AddOb adds v to the channels of group where during the periods (the
// whole trial if none), in float64 and rounded to float32.
func (b *Builder) AddOb(where string, v float64, periods ...string) {
	ch := b.Channels(where)
	b.steps(periods, func(t int) {
		row := b.tr.ObsAt(t)
		for _, c := range ch {
			row[c] = float32(float64(row[c]) + v)
		}
	})
}

// AddObs adds v[i] to the i-th channel of group where during the periods
// (the whole trial if none). v has one value per channel of the group.
func (b *Builder) AddObs(where string, v []float64, periods ...string) {
	ch := b.Channels(where)
	if len(v) != len(ch) {
		panic(fmt.Sprintf("tasks: %s: %d values for the %d channels of %q", b.env.spec.Name, len(v), len(ch), where))
	}
	b.steps(periods, func(t int) {
		row := b.tr.ObsAt(t)
		for i, c := range ch {
			row[c] = float32(float64(row[c]) + v[i])
		}
	})
}

// SetOb sets the channels of group where to v during the periods (the
// whole trial if none).
func (b *Builder) SetOb(where string, v float64, periods ...string) {
	ch := b.Channels(where)
	b.steps(periods, func(t int) {
		row := b.tr.ObsAt(t)
		for _, c := range ch {
			row[c] = float32(v)
		}
	})
}

// AddRandn adds mu + sigma*xi, xi standard normal, to the channels of group
// where during the periods (the whole trial if none), drawing step by step
// and, within a step, channel by channel in the group's order.
func (b *Builder) AddRandn(where string, mu, sigma float64, periods ...string) {
	ch := b.Channels(where)
	b.steps(periods, func(t int) {
		row := b.tr.ObsAt(t)
		for _, c := range ch {
			row[c] = float32(float64(row[c]) + mu + b.Rng.NormFloat64()*sigma)
		}
	})
}

// SetLabel sets the label to v during the periods (the whole trial if none).
func (b *Builder) SetLabel(v int, periods ...string) {
	b.steps(periods, func(t int) { b.tr.Labels[t] = v })
}

// SetChoice sets the label to the k-th action of the action group (as
// neurogym's set_groundtruth with where), e.g. SetChoice("choice", g,
// "decision") gives label g+1 when choice is {1, 2, ...}.
func (b *Builder) SetChoice(group string, k int, periods ...string) {
	a, ok := b.env.actIdx[group]
	if !ok || k < 0 || k >= len(a) {
		panic(fmt.Sprintf("tasks: %s has no action %d in group %q", b.env.spec.Name, k, group))
	}
	b.SetLabel(a[k], periods...)
}

// SetPerformance sets the performance the trial starts with (default 0),
// for tasks where doing nothing is correct.
func (b *Builder) SetPerformance(v float64) { b.perf = v }

// SetTimeoutReward sets the reward added when the trial ends by reaching
// its last step rather than by an action (neurogym's r_tmax, default 0;
// GoNogo's "miss" on go trials).
func (b *Builder) SetTimeoutReward(v float64) {
	if !finite(v) {
		panic(fmt.Sprintf("tasks: %s: timeout reward %v", b.env.spec.Name, v))
	}
	b.timeout = v
}

// finish checks the overrides and returns the trial with its record. An
// override of a field the task computes rather than draws (not asked for
// through Var) must agree with the computed value, so that OverrideOf of a
// record reproduces it.
func (b *Builder) finish(rec Record) (*Trial, error) {
	if b.err != nil {
		return nil, b.err
	}
	for _, name := range sortedKeys(b.ov) {
		if slices.Contains(b.asked, name) {
			continue
		}
		v, isField := Lookup(rec, name)
		switch {
		case !isField:
			return nil, fmt.Errorf("unknown override %q; valid: %s", name, strings.Join(b.asked, ", "))
		case v != b.ov[name]:
			return nil, fmt.Errorf("override %s = %v: computed by the task (%v here), not drawn; valid: %s",
				name, b.ov[name], v, strings.Join(b.asked, ", "))
		}
	}
	tr := b.Trial()
	if tr.N == 0 {
		panic(fmt.Sprintf("tasks: %s drew a zero-length trial", b.env.spec.Name))
	}
	tr.Record = rec
	return tr, nil
}

// seq returns from, from+1, ..., from+n-1.
func seq(from, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = from + i
	}
	return s
}
