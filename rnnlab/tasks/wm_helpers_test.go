package tasks

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"
)

// Test helpers of the working-memory tasks (DelayMatchSample,
// DelayMatchCategory, DualDelayMatchSample, DelayPairedAssociation, GoNogo).

// wmMoments accumulates the sample mean and variance of values by key.
type wmMoments map[string]*wmAcc

type wmAcc struct {
	n     int
	s, ss float64
}

func (m wmMoments) add(key string, v float64) {
	a := m[key]
	if a == nil {
		a = &wmAcc{}
		m[key] = a
	}
	a.n++
	a.s += v
	a.ss += v * v
}

// stats returns the count, mean and standard deviation of key.
func (m wmMoments) stats(key string) (n int, mean, sd float64) {
	a := m[key]
	if a == nil || a.n == 0 {
		return 0, math.NaN(), math.NaN()
	}
	mean = a.s / float64(a.n)
	v := a.ss/float64(a.n) - mean*mean
	if a.n > 1 {
		v *= float64(a.n) / float64(a.n-1)
	}
	return a.n, mean, math.Sqrt(math.Max(v, 0))
}

// check compares the sample mean and standard deviation of key with mean
// and sd, within 5 standard errors estimated from the sample: sd/sqrt(n)
// for the mean and sd/sqrt(2(n-1)) for the standard deviation (normal
// samples), plus 1e-6 for the float32 rounding of observations.
func (m wmMoments) check(t testing.TB, key string, mean, sd float64) {
	t.Helper()
	n, gm, gsd := m.stats(key)
	if n < 2 {
		t.Errorf("%s: %d samples", key, n)
		return
	}
	if tol := 5*gsd/math.Sqrt(float64(n)) + 1e-6; math.Abs(gm-mean) > tol {
		t.Errorf("%s: mean %.6f, want %.6f ± %.6f (n %d)", key, gm, mean, tol, n)
	}
	if tol := 5*gsd/math.Sqrt(2*float64(n-1)) + 1e-6; math.Abs(gsd-sd) > tol {
		t.Errorf("%s: std %.6f, want %.6f ± %.6f (n %d)", key, gsd, sd, tol, n)
	}
}

// wmExpect gives, for a record, a period and a channel, the mean of the
// observation (from neurogym's formulas) and the std of its noise; and the
// label of a period.
type wmExpect struct {
	mean  func(rec Record, period string, ch int) float64
	sd    func(period string, ch int) float64
	label func(rec Record, period string) int
}

// wmCheckTrials draws trials from task and checks at every step the label
// exactly and, per period and channel, that the residual observation minus
// its expected mean has mean 0 and the expected noise std. It returns the
// trials for further checks.
func wmCheckTrials(t *testing.T, task Task, trials int, ex wmExpect) []*Trial {
	t.Helper()
	type key struct {
		p  string
		ch int
	}
	acc := map[key]*wmAcc{}
	var out []*Trial
	for n := range trials {
		tr := mustTrial(t, task, nil)
		out = append(out, tr)
		for s := range tr.N {
			p := wmPeriodAt(tr, s)
			if want := ex.label(tr.Record, p); tr.Labels[s] != want {
				t.Fatalf("trial %d (%+v) step %d (%s): label %d, want %d", n, tr.Record, s, p, tr.Labels[s], want)
			}
			for ch, v := range tr.ObsAt(s) {
				a := acc[key{p, ch}]
				if a == nil {
					a = &wmAcc{}
					acc[key{p, ch}] = a
				}
				r := float64(v) - ex.mean(tr.Record, p, ch)
				a.n, a.s, a.ss = a.n+1, a.s+r, a.ss+r*r
			}
		}
	}
	keys := make([]key, 0, len(acc))
	for k := range acc {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].p < keys[j].p || keys[i].p == keys[j].p && keys[i].ch < keys[j].ch })
	for _, k := range keys {
		name := fmt.Sprintf("residual %s ch%d", k.p, k.ch)
		wmMoments{name: acc[k]}.check(t, name, 0, ex.sd(k.p, k.ch))
	}
	return out
}

// wmPeriodAt returns the name of the period holding step s.
func wmPeriodAt(tr *Trial, s int) string {
	for _, p := range tr.Periods {
		if s >= p.Start && s < p.End {
			return p.Name
		}
	}
	return ""
}

// wmCheckFreq checks that value v of a discrete variable occurs with
// probability probs[v], within 5 binomial standard errors, and that no
// other value occurs.
func wmCheckFreq(t *testing.T, name string, values []int, probs []float64) {
	t.Helper()
	counts := make([]int, len(probs))
	for _, v := range values {
		if v < 0 || v >= len(probs) {
			t.Fatalf("%s: value %d outside 0..%d", name, v, len(probs)-1)
		}
		counts[v]++
	}
	n := float64(len(values))
	for v, p := range probs {
		if tol := 5 * math.Sqrt(n*p*(1-p)); math.Abs(float64(counts[v])-n*p) > tol+1e-9 {
			t.Errorf("%s = %d: %d of %v, want %.1f ± %.1f", name, v, counts[v], n, n*p, tol)
		}
	}
}

// wmField returns the field of a trial's record as an int.
func wmField(tr *Trial, name string) int {
	v, ok := Lookup(tr.Record, name)
	if !ok {
		panic("no field " + name)
	}
	return int(v)
}

// wmFieldVals returns wmField of every trial.
func wmFieldVals(trs []*Trial, name string) []int {
	v := make([]int, len(trs))
	for i, tr := range trs {
		v[i] = wmField(tr, name)
	}
	return v
}

// wmPeriodSteps returns the length in steps of a period of every trial.
func wmPeriodSteps(trs []*Trial, name string) []int {
	v := make([]int, len(trs))
	for i, tr := range trs {
		p, _ := tr.Period(name)
		v[i] = p.End - p.Start
	}
	return v
}

// wmCheckLayout checks that the trial's periods are laid end to end in
// order with the given lengths in steps.
func wmCheckLayout(t testing.TB, tr *Trial, names []string, steps []int) {
	t.Helper()
	var want []Period
	s := 0
	for i, n := range names {
		want = append(want, Period{n, s, s + steps[i]})
		s += steps[i]
	}
	if !slices.Equal(tr.Periods, want) || tr.N != s {
		t.Fatalf("periods %v N %d, want %v N %d", tr.Periods, tr.N, want, s)
	}
}

// wmRun draws a trial of task with ov and steps through it, taking
// acts[s] at step s (0 elsewhere) until it ends. It returns the trial, the
// reward of each step, the number of steps and the reported performance.
func wmRun(t *testing.T, task Task, ov Override, acts map[int]int) (tr *Trial, rewards []float64, steps int, perf float64) {
	t.Helper()
	tr = mustTrial(t, task, ov)
	for s := 0; ; s++ {
		if s >= tr.N {
			t.Fatalf("no trial end after %d steps", s)
		}
		res := task.Step(acts[s])
		if res.Label != tr.Labels[s] {
			t.Fatalf("step %d: label %d, want %d", s, res.Label, tr.Labels[s])
		}
		rewards = append(rewards, res.Reward)
		if res.NewTrial {
			if task.Current() == tr || !slices.Equal(res.Obs, task.Current().ObsAt(0)) {
				t.Fatal("no new trial after the trial end")
			}
			return tr, rewards, s + 1, res.Performance
		}
		if !slices.Equal(res.Obs, tr.ObsAt(s+1)) {
			t.Fatalf("step %d: Obs is not the next observation", s)
		}
	}
}

// wmCheckSeed checks that the same seed gives the same trials and another
// seed other trials, and that an override does not shift the stream.
func wmCheckSeed(t *testing.T, mk func(seed uint64) Task, ov Override) {
	t.Helper()
	a, b, c := mk(5), mk(5), mk(6)
	differ := false
	for n := range 20 {
		o := Override(nil)
		if n%2 == 0 {
			o = ov
		}
		ta, tb, tc := mustTrial(t, a, o), mustTrial(t, b, nil), mustTrial(t, c, nil)
		if n%2 == 1 && (ta.Record != tb.Record || !slices.Equal(ta.Obs, tb.Obs) || !slices.Equal(ta.Labels, tb.Labels)) {
			t.Fatalf("trial %d: same seed gave different trials (%+v, %+v)", n, ta.Record, tb.Record)
		}
		differ = differ || !slices.Equal(tb.Obs, tc.Obs) || tb.Record != tc.Record
	}
	if !differ {
		t.Error("seeds 5 and 6 gave the same trials")
	}
	// OverrideOf replays a record.
	tr := mustTrial(t, a, nil)
	if r := mustTrial(t, b, OverrideOf(tr.Record)); r.Record != tr.Record {
		t.Errorf("OverrideOf(%+v) gave %+v", tr.Record, r.Record)
	}
}

// wmCheckRun plays a trial of task with wmRun (override ov, actions acts)
// and checks its length, its performance and the reward of every step
// (reward[s], 0 when absent).
func wmCheckRun(t *testing.T, task Task, ov Override, acts map[int]int, steps int, reward map[int]float64, perf float64) {
	t.Helper()
	_, rw, n, p := wmRun(t, task, ov, acts)
	if n != steps || p != perf {
		t.Errorf("trial ended after %d steps with performance %v, want %d and %v", n, p, steps, perf)
	}
	for s, r := range rw {
		if r != reward[s] {
			t.Errorf("step %d: reward %v, want %v", s, r, reward[s])
		}
	}
}

// wmCheckOverrideErrs checks that every override of cases (ParseOverride
// syntax) makes task's NewTrial fail with a one-line error containing
// name + ": " and the wanted string.
func wmCheckOverrideErrs(t *testing.T, task Task, name string, cases map[string]string) {
	t.Helper()
	for ov, want := range cases {
		o, err := ParseOverride(ov)
		if err != nil {
			t.Fatal(err)
		}
		_, err = task.NewTrial(o)
		checkErr(t, ov, err, name+": ", want)
	}
}

// wmMatchExpect is the expectation of the match tasks (neurogym's
// delaymatchsample.py and delaymatchcategory.py): fixation 1 except in the
// response period resp; stimulus cos(theta_k - angle)/2 + 1/2 of the
// sample (test) angle in the sample (test) period, plus noise sigma_eff
// there; label ground truth + 1 (1 match, 2 non-match) in resp. rec gives
// a record's ground truth and its sample and test angles.
func wmMatchExpect(theta []float64, sigmaEff float64, resp string, rec func(Record) (gt int, sample, test float64)) wmExpect {
	return wmExpect{
		mean: func(r Record, p string, ch int) float64 {
			_, sample, test := rec(r)
			switch {
			case ch == 0 && p != resp:
				return 1
			case ch > 0 && p == "sample":
				return math.Cos(theta[ch-1]-sample)/2 + 0.5
			case ch > 0 && p == "test":
				return math.Cos(theta[ch-1]-test)/2 + 0.5
			}
			return 0
		},
		sd: func(p string, ch int) float64 {
			if ch > 0 && (p == "sample" || p == "test") {
				return sigmaEff
			}
			return 0
		},
		label: func(r Record, p string) int {
			if p == resp {
				gt, _, _ := rec(r)
				return gt + 1
			}
			return 0
		},
	}
}
