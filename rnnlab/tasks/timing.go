package tasks

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
)

// DurationKind says how a period's duration is drawn for each trial.
type DurationKind int

const (
	// DurationDefault (the zero value) means "use the task's default
	// duration for this period", so that a zero Duration is the default.
	DurationDefault DurationKind = iota
	// DurationConstant is the fixed duration Value.
	DurationConstant
	// DurationChoice draws one of Values uniformly at random.
	DurationChoice
	// DurationUniform draws uniformly from the continuous range [Min, Max).
	DurationUniform
	// DurationTruncExp draws an exponential with mean Mean conditioned on
	// Min <= x < Max (Max == 0 means no upper bound). If Min >= Max it
	// returns Max without drawing, as neurogym does.
	DurationTruncExp
	// DurationFunc calls Func with the task's random number generator
	// (neurogym's callable timing).
	DurationFunc
)

// String returns the kind's name as used by ParseDuration.
func (k DurationKind) String() string {
	switch k {
	case DurationDefault:
		return "default"
	case DurationConstant:
		return "constant"
	case DurationChoice:
		return "choice"
	case DurationUniform:
		return "uniform"
	case DurationTruncExp:
		return "truncexp"
	case DurationFunc:
		return "func"
	}
	return fmt.Sprintf("DurationKind(%d)", int(k))
}

// Duration describes how long a period lasts, in milliseconds. A drawn
// duration d is floored to a whole number of steps, floor(d/dt); for
// example 50 ms at dt = 20 gives 2 steps (40 ms).
//
// Build one with Constant, Choice, Uniform, TruncExp or Func, or parse one
// with ParseDuration. The zero Duration means the task's default.
type Duration struct {
	Kind DurationKind
	// Value is the duration of a DurationConstant.
	Value float64
	// Values are the alternatives of a DurationChoice.
	Values []float64
	// Min and Max bound a DurationUniform ([Min, Max)) or a DurationTruncExp
	// (Min <= x < Max; Max == 0 means +Inf).
	Min, Max float64
	// Mean is the mean of the exponential of a DurationTruncExp.
	Mean float64
	// Func draws a DurationFunc's duration in ms. It must draw only from
	// the generator it is given, so that seeding and Clone reproduce it.
	// It is not saved in JSON: a configuration holding one cannot be
	// reloaded from a run folder.
	Func func(rng *rand.Rand) float64 `json:"-"`
}

// Func returns a duration drawn by f (ms), neurogym's callable timing. f
// must use only the generator it is given.
func Func(f func(rng *rand.Rand) float64) Duration { return Duration{Kind: DurationFunc, Func: f} }

// Constant returns a fixed duration of ms milliseconds.
func Constant(ms float64) Duration { return Duration{Kind: DurationConstant, Value: ms} }

// Choice returns a duration drawn uniformly among the given values (ms).
func Choice(ms ...float64) Duration {
	return Duration{Kind: DurationChoice, Values: append([]float64(nil), ms...)}
}

// Uniform returns a duration drawn uniformly from [lo, hi) ms.
func Uniform(lo, hi float64) Duration { return Duration{Kind: DurationUniform, Min: lo, Max: hi} }

// TruncExp returns an exponential duration with the given mean, truncated to
// [min, max) ms; max == 0 or max == +Inf means no upper bound.
func TruncExp(mean, min, max float64) Duration {
	if math.IsInf(max, 1) {
		max = 0
	}
	return Duration{Kind: DurationTruncExp, Mean: mean, Min: min, Max: max}
}

// Validate reports whether the duration is usable: a known kind, finite
// non-negative values, Min <= Max for uniform ranges, a positive mean for
// truncated exponentials and at least one value for a choice.
func (d Duration) Validate() error {
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) || v < 0 }
	switch d.Kind {
	case DurationDefault:
		return nil
	case DurationConstant:
		if bad(d.Value) {
			return fmt.Errorf("constant duration %v ms: must be finite and >= 0", d.Value)
		}
	case DurationChoice:
		if len(d.Values) == 0 {
			return fmt.Errorf("choice duration: no values")
		}
		for _, v := range d.Values {
			if bad(v) {
				return fmt.Errorf("choice duration value %v ms: must be finite and >= 0", v)
			}
		}
	case DurationUniform:
		if bad(d.Min) || bad(d.Max) {
			return fmt.Errorf("uniform duration [%v, %v) ms: bounds must be finite and >= 0", d.Min, d.Max)
		}
		if d.Min > d.Max {
			return fmt.Errorf("uniform duration [%v, %v) ms: min > max", d.Min, d.Max)
		}
	case DurationTruncExp:
		if math.IsNaN(d.Mean) || math.IsInf(d.Mean, 0) || d.Mean <= 0 {
			return fmt.Errorf("truncated exponential duration: mean %v ms must be finite and > 0", d.Mean)
		}
		if bad(d.Min) || bad(d.Max) {
			return fmt.Errorf("truncated exponential duration: min %v and max %v ms must be finite and >= 0", d.Min, d.Max)
		}
	case DurationFunc:
		if d.Func == nil {
			return fmt.Errorf("func duration: nil function")
		}
	default:
		return fmt.Errorf("unknown duration kind %d (want constant, choice, uniform, truncexp or func)", int(d.Kind))
	}
	return nil
}

// truncMax is the effective upper bound of a truncated exponential.
func (d Duration) truncMax() float64 {
	if d.Max == 0 {
		return math.Inf(1)
	}
	return d.Max
}

// Sample draws a duration in ms (before flooring to dt). It panics on
// DurationDefault, which a task must resolve first.
func (d Duration) Sample(rng *rand.Rand) float64 {
	switch d.Kind {
	case DurationConstant:
		return d.Value
	case DurationChoice:
		return d.Values[rng.IntN(len(d.Values))]
	case DurationUniform:
		return d.Min + rng.Float64()*(d.Max-d.Min)
	case DurationTruncExp:
		hi := d.truncMax()
		if d.Min >= hi {
			return hi
		}
		// Inverse CDF of the exponential conditioned on [Min, hi): the same
		// distribution as neurogym's rejection sampling, in one draw.
		span := -math.Expm1(-(hi - d.Min) / d.Mean) // P(x - Min < hi - Min)
		x := d.Min - d.Mean*math.Log1p(-rng.Float64()*span)
		if x >= hi { // rounding
			x = math.Nextafter(hi, d.Min)
		}
		if x < d.Min {
			x = d.Min
		}
		return x
	case DurationFunc:
		return d.Func(rng)
	}
	panic(fmt.Sprintf("tasks: cannot sample a %v duration", d.Kind))
}

// MinMs returns the smallest duration the distribution can produce (ms);
// 0 for a DurationFunc, whose range is unknown.
func (d Duration) MinMs() float64 {
	switch d.Kind {
	case DurationConstant:
		return d.Value
	case DurationChoice:
		m := math.Inf(1)
		for _, v := range d.Values {
			m = math.Min(m, v)
		}
		return m
	case DurationUniform:
		return d.Min
	case DurationTruncExp:
		return math.Min(d.Min, d.truncMax())
	}
	return 0
}

// StepsOf floors a duration in ms to a whole number of steps of dt ms:
// floor(ms/dt), with a tolerance of 1e-9 steps for floating-point error (so
// that, e.g., 0.3 ms at dt 0.1 gives 3 steps).
func StepsOf(ms, dt float64) int {
	return int(math.Floor(ms/dt + 1e-9))
}

// String formats the duration in the syntax ParseDuration reads.
func (d Duration) String() string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	switch d.Kind {
	case DurationConstant:
		return f(d.Value)
	case DurationChoice:
		s := make([]string, len(d.Values))
		for i, v := range d.Values {
			s[i] = f(v)
		}
		return "choice(" + strings.Join(s, ",") + ")"
	case DurationUniform:
		return "uniform(" + f(d.Min) + "," + f(d.Max) + ")"
	case DurationTruncExp:
		if d.Max == 0 {
			return "truncexp(" + f(d.Mean) + "," + f(d.Min) + ")"
		}
		return "truncexp(" + f(d.Mean) + "," + f(d.Min) + "," + f(d.Max) + ")"
	}
	return d.Kind.String()
}

// ParseDuration reads a duration written as one of
//
//	100                      constant (also "constant(100)")
//	choice(100,200,400)      uniform choice among values
//	uniform(100,500)         continuous uniform on [100, 500)
//	truncexp(300,100,1000)   exponential, mean 300, truncated to [100, 1000)
//	truncexp(300,100)        ... with no upper bound; truncexp(300) has min 0
//	default                  the task's default
//
// "truncated_exponential" is accepted for "truncexp". All values are in ms.
// The result is validated.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "default" {
		return Duration{}, nil
	}
	name, args := s, ""
	if i := strings.IndexByte(s, '('); i >= 0 {
		if !strings.HasSuffix(s, ")") {
			return Duration{}, fmt.Errorf("duration %q: missing ')'", s)
		}
		name, args = strings.TrimSpace(s[:i]), s[i+1:len(s)-1]
	} else {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return Duration{}, fmt.Errorf("duration %q: not a number nor kind(args)", s)
		}
		d := Constant(v)
		return d, d.Validate()
	}
	var vals []float64
	for _, a := range strings.Split(args, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		v, err := strconv.ParseFloat(a, 64)
		if err != nil {
			return Duration{}, fmt.Errorf("duration %q: bad number %q", s, a)
		}
		vals = append(vals, v)
	}
	nargs := func(lo, hi int) error {
		if len(vals) < lo || len(vals) > hi {
			return fmt.Errorf("duration %q: %s takes %d to %d values, got %d", s, name, lo, hi, len(vals))
		}
		return nil
	}
	var d Duration
	switch strings.ToLower(name) {
	case "constant":
		if err := nargs(1, 1); err != nil {
			return Duration{}, err
		}
		d = Constant(vals[0])
	case "choice":
		if err := nargs(1, math.MaxInt); err != nil {
			return Duration{}, err
		}
		d = Choice(vals...)
	case "uniform":
		if err := nargs(2, 2); err != nil {
			return Duration{}, err
		}
		d = Uniform(vals[0], vals[1])
	case "truncexp", "truncated_exponential":
		if err := nargs(1, 3); err != nil {
			return Duration{}, err
		}
		vals = append(vals, 0, 0)
		d = TruncExp(vals[0], vals[1], vals[2])
	default:
		return Duration{}, fmt.Errorf("duration %q: unknown kind %q (want constant, choice, uniform or truncexp)", s, name)
	}
	return d, d.Validate()
}

// Timing maps period names to their durations, for example a task's
// defaults.
type Timing map[string]Duration

// With returns a copy of the defaults t with the durations of user in
// place of theirs; a zero (DurationDefault) Duration in user keeps the
// default. It is an error for user to name a period t lacks (the message
// lists t's periods), or for any resulting duration to be invalid or
// DurationDefault.
func (t Timing) With(user Timing) (Timing, error) {
	r := make(Timing, len(t))
	for name, d := range t {
		r[name] = d.clone()
	}
	for _, name := range sortedKeys(user) {
		if _, ok := t[name]; !ok {
			return nil, fmt.Errorf("timing of unknown period %q; periods: %s", name, strings.Join(sortedKeys(t), ", "))
		}
		if d := user[name]; d.Kind != DurationDefault {
			r[name] = d.clone()
		}
	}
	for _, name := range sortedKeys(r) {
		if err := r[name].Validate(); err != nil {
			return nil, fmt.Errorf("timing of %s: %w", name, err)
		}
		if r[name].Kind == DurationDefault {
			return nil, fmt.Errorf("timing of %s: no duration", name)
		}
	}
	return r, nil
}

// MinSteps returns the fewest steps that the named periods, laid end to
// end, can take at dt (see Duration.MinMs and StepsOf).
func (t Timing) MinSteps(dt float64, names ...string) int {
	n := 0
	for _, name := range names {
		n += StepsOf(t[name].MinMs(), dt)
	}
	return n
}

// clone copies d's Values, so that the copy shares no memory with d.
func (d Duration) clone() Duration {
	d.Values = append([]float64(nil), d.Values...)
	return d
}

// sortedKeys returns the keys of m in increasing order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
