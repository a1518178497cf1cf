package yang2019_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// The tests' own reading of task.py, written out independently of the
// package: the rule order, which epochs show the fixation input and each
// stimulus, and the duration of every epoch.

var paperRules = []string{
	"fdgo", "reactgo", "delaygo", "fdanti", "reactanti", "delayanti",
	"dm1", "dm2", "contextdm1", "contextdm2", "multidm",
	"delaydm1", "delaydm2", "contextdelaydm1", "contextdelaydm2", "multidelaydm",
	"dmsgo", "dmsnogo", "dmcgo", "dmcnogo",
}

// dur is a duration distribution in ms: a uniform choice over choices, or
// U[lo, hi) when choices is nil.
type dur struct {
	choices []float64
	lo, hi  float64
}

func ch(ms ...float64) dur  { return dur{choices: ms} }
func un(lo, hi float64) dur { return dur{lo: lo, hi: hi} }
func fixed(ms float64) dur  { return dur{choices: []float64{ms}} }

// layout is a rule's epochs in order with their durations, and where the
// fixation input and the two stimuli are on (by epoch name).
type layout struct {
	epochs []string
	durs   []dur
	fixIn  []string
	stim   [2][]string
}

func ruleLayout(rule string) layout {
	switch rule {
	case "fdgo", "fdanti":
		return layout{[]string{"fix1", "stim1", "go1"}, []dur{un(300, 700), un(500, 1500), fixed(500)},
			[]string{"fix1", "stim1"}, [2][]string{{"stim1", "go1"}, nil}}
	case "reactgo", "reactanti":
		return layout{[]string{"fix1", "go1"}, []dur{un(500, 2500), fixed(500)},
			[]string{"fix1", "go1"}, [2][]string{{"go1"}, nil}}
	case "delaygo", "delayanti":
		return layout{[]string{"fix1", "stim1", "delay1", "go1"},
			[]dur{ch(300, 500, 700), ch(200, 400, 600), ch(200, 400, 800, 1600), fixed(500)},
			[]string{"fix1", "stim1", "delay1"}, [2][]string{{"stim1"}, nil}}
	case "dm1", "dm2", "contextdm1", "contextdm2", "multidm":
		return layout{[]string{"fix1", "stim1", "go1"}, []dur{un(100, 400), ch(400, 800, 1600), fixed(500)},
			[]string{"fix1", "stim1"}, [2][]string{{"stim1"}, {"stim1"}}}
	case "delaydm1", "delaydm2", "contextdelaydm1", "contextdelaydm2", "multidelaydm":
		return layout{[]string{"fix1", "stim1", "delay1", "stim2", "delay2", "go1"},
			[]dur{ch(200, 400, 600), ch(200, 400, 600), ch(200, 400, 800, 1600), ch(200, 400, 600), un(100, 300), fixed(500)},
			[]string{"fix1", "stim1", "delay1", "stim2", "delay2"}, [2][]string{{"stim1"}, {"stim2"}}}
	case "dmsgo", "dmsnogo", "dmcgo", "dmcnogo":
		last := fixed(500)
		if rule == "dmcgo" || rule == "dmcnogo" {
			last = ch(200, 400, 600)
		}
		return layout{[]string{"fix1", "stim1", "delay1", "go1"},
			[]dur{ch(200, 400, 600), ch(200, 400, 600), ch(200, 400, 800, 1600), last},
			[]string{"fix1", "stim1", "delay1", "go1"}, [2][]string{{"stim1"}, {"go1"}}}
	}
	panic("no layout for " + rule)
}

// pmf is the distribution of int(d/dt) in steps: 1/n for each choice, and
// for U[lo, hi) the length of [lo, hi) ∩ [k·dt, (k+1)·dt) over hi − lo.
func (d dur) pmf(dt float64) map[int]float64 {
	p := map[int]float64{}
	if d.choices != nil {
		for _, c := range d.choices {
			p[int(c/dt)] += 1 / float64(len(d.choices))
		}
		return p
	}
	for k := int(d.lo / dt); float64(k)*dt < d.hi; k++ {
		a, b := math.Max(d.lo, float64(k)*dt), math.Min(d.hi, float64(k+1)*dt)
		if b > a {
			p[k] = (b - a) / (d.hi - d.lo)
		}
	}
	return p
}

// checkCounts checks observed counts of integer outcomes against a pmf:
// no outcome outside its support, and Pearson's χ² below df + 5·sqrt(2 df).
func checkCounts(t *testing.T, what string, counts map[int]int, p map[int]float64) {
	t.Helper()
	n := 0
	for k, c := range counts {
		if p[k] == 0 {
			t.Errorf("%s: outcome %d (%d times) has probability 0", what, k, c)
		}
		n += c
	}
	if len(p) < 2 {
		return
	}
	chi2 := 0.0
	for k, pk := range p {
		e := float64(n) * pk
		d := float64(counts[k]) - e
		chi2 += d * d / e
	}
	df := float64(len(p) - 1)
	if lim := df + 5*math.Sqrt(2*df); chi2 > lim {
		t.Errorf("%s: chi2 %.1f over %d outcomes (limit %.1f); counts %v, pmf %v", what, chi2, len(p), lim, counts, p)
	}
}

// checkFrac checks that k of n events happened, with probability p, within
// 4.5 standard errors.
func checkFrac(t *testing.T, what string, k, n int, p float64) {
	t.Helper()
	se := math.Sqrt(p * (1 - p) / float64(n))
	if got := float64(k) / float64(n); math.Abs(got-p) > 4.5*se+1e-12 {
		t.Errorf("%s: fraction %.4f of %d, want %.4f ± %.4f", what, got, n, p, 4.5*se)
	}
}

// checkUniform checks samples against U[lo, hi]: all inside, the smallest
// and largest within 10(hi − lo)/n of the ends (each gap exceeds that with
// probability e^{−10}), and the counts in 10 equal bins by χ².
func checkUniform(t *testing.T, what string, xs []float64, lo, hi float64) {
	t.Helper()
	counts := map[int]int{}
	p := map[int]float64{}
	for k := range 10 {
		p[k] = 0.1
	}
	for _, x := range xs {
		if x < lo-1e-9 || x > hi+1e-9 {
			t.Fatalf("%s: %v outside [%v, %v]", what, x, lo, hi)
		}
		k := min(int((x-lo)/(hi-lo)*10), 9)
		counts[k]++
	}
	gap := 10 * (hi - lo) / float64(len(xs))
	if lo0, hi0 := slices.Min(xs), slices.Max(xs); lo0 > lo+gap || hi0 < hi-gap {
		t.Errorf("%s: samples span [%v, %v], want the ends of [%v, %v] within %v", what, lo0, hi0, lo, hi, gap)
	}
	checkCounts(t, what, counts, p)
}

// angle is a − b wrapped to [0, 2π), the tests' own way.
func angle(a, b float64) float64 {
	d := math.Mod(a-b, 2*math.Pi)
	if d < 0 {
		d += 2 * math.Pi
	}
	return d
}

// bump is task.py's add_x_loc: 0.8·exp(−d²/2) with d the periodic distance
// between loc and unit k's 2πk/32, in units of π/8.
func bump(loc float64, k int) float64 {
	d := angle(loc, 2*math.Pi*float64(k)/32)
	d = math.Min(d, 2*math.Pi-d) / (math.Pi / 8)
	return 0.8 * math.Exp(-d*d/2)
}

// gen makes n batches of size B of rule at dt from seed.
func gen(t testing.TB, rule string, n, B int, dt float64, seed uint64) ([]*tasks.Batch, []*yang2019.Info) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	bs, infos := make([]*tasks.Batch, n), make([]*yang2019.Info, n)
	for i := range n {
		b, in, err := yang2019.Generate(rule, B, dt, rng)
		if err != nil {
			t.Fatal(err)
		}
		bs[i], infos[i] = b, in
	}
	return bs, infos
}

// trials collects the trials of infos.
func trials(infos []*yang2019.Info) []yang2019.Trial {
	var out []yang2019.Trial
	for _, in := range infos {
		out = append(out, in.Trials...)
	}
	return out
}

// span returns the epoch's [start, end) and whether the info has it.
func span(in *yang2019.Info, name string) (int, int, bool) {
	for _, e := range in.Epochs {
		if e.Name == name {
			return e.Start, e.End, true
		}
	}
	return 0, 0, false
}

// in reports whether step s lies in one of the named epochs.
func inEpochs(in *yang2019.Info, names []string, s int) bool {
	for _, n := range names {
		if a, b, ok := span(in, n); ok && s >= a && s < b {
			return true
		}
	}
	return false
}
