package tasks

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// Helpers shared by the tests of PerceptualDecisionMakingDelayResponse,
// DelayComparison, ContextDecisionMaking and MultiSensoryIntegration.

// taObsModel gives the expected observation of channel ch at step s of tr:
// its mean, whether Gaussian noise is added, and a key under which noisy
// values are pooled (typically condition, channel and period).
type taObsModel func(tr *Trial, s, ch int) (mean float64, noisy bool, key string)

// taObsCheck pools the residuals x - mean of noisy observations by key and
// checks noise-free observations exactly.
type taObsCheck struct {
	sigma float64
	n     map[string]int
	sum   map[string]float64
	ss    map[string]float64
}

func newTaObsCheck(sigma float64) *taObsCheck {
	return &taObsCheck{sigma: sigma, n: map[string]int{}, sum: map[string]float64{}, ss: map[string]float64{}}
}

// add checks every entry of tr against m.
func (c *taObsCheck) add(t *testing.T, tr *Trial, m taObsModel) {
	t.Helper()
	for s := range tr.N {
		for ch, v := range tr.ObsAt(s) {
			mean, noisy, key := m(tr, s, ch)
			if !noisy {
				if math.Abs(float64(v)-mean) > 1e-6 {
					t.Fatalf("%+v step %d channel %d: %v, want exactly %v", tr.Record, s, ch, v, mean)
				}
				continue
			}
			r := float64(v) - mean
			c.n[key]++
			c.sum[key] += r
			c.ss[key] += r * r
		}
	}
}

// check asserts, for every key in want (and no other), that the mean
// residual is 0 within 5 standard errors (from the sample) and that the
// residual std is sigma within 5 standard errors (sigma/sqrt(2n), the
// standard error of a Gaussian sample std).
func (c *taObsCheck) check(t *testing.T, want ...string) {
	t.Helper()
	got := sortedKeys(c.n)
	if want != nil && !slices.Equal(got, taSorted(want)) {
		t.Errorf("noisy keys %v, want %v", got, taSorted(want))
	}
	for _, k := range got {
		n := float64(c.n[k])
		m := c.sum[k] / n
		sd := math.Sqrt(c.ss[k]/n - m*m)
		if se := sd / math.Sqrt(n); math.Abs(m) > 5*se+1e-7 {
			t.Errorf("%s: mean residual %.5f over %v values, want 0 ± %.5f", k, m, n, 5*se)
		}
		if se := c.sigma / math.Sqrt(2*n); math.Abs(sd-c.sigma) > 5*se+1e-7 {
			t.Errorf("%s: noise std %.5f, want %.5f ± %.5f", k, sd, c.sigma, 5*se)
		}
	}
}

func taSorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// taChi2Crit are chi-square critical values at p = 0.001 by degrees of
// freedom.
var taChi2Crit = map[int]float64{1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47, 5: 20.52, 7: 24.32, 14: 36.12}

// taCheckUniform asserts that counts (over len(counts) classes) are uniform
// by a chi-square test at p = 0.001, and that no class is empty.
func taCheckUniform(t *testing.T, what string, counts []int) {
	t.Helper()
	total := 0
	for _, c := range counts {
		total += c
	}
	e := float64(total) / float64(len(counts))
	x := 0.0
	for _, c := range counts {
		x += (float64(c) - e) * (float64(c) - e) / e
	}
	crit, ok := taChi2Crit[len(counts)-1]
	if !ok {
		t.Fatalf("no chi-square critical value for %d classes", len(counts))
	}
	if x > crit || slices.Contains(counts, 0) {
		t.Errorf("%s counts %v: chi2 %.2f > %.2f (not uniform)", what, counts, x, crit)
	}
}

// taSpans formats the periods of tr as name[start,end).
func taSpans(tr *Trial) string {
	var s []string
	for _, p := range tr.Periods {
		s = append(s, fmt.Sprintf("%s[%d,%d)", p.Name, p.Start, p.End))
	}
	return strings.Join(s, " ")
}

// taCheckLabels asserts that the label is want in period and 0 elsewhere.
func taCheckLabels(t *testing.T, tr *Trial, period string, want int) {
	t.Helper()
	for s, l := range tr.Labels {
		w := 0
		if tr.InPeriod(period, s) {
			w = want
		}
		if l != w {
			t.Fatalf("%+v step %d: label %d, want %d", tr.Record, s, l, w)
		}
	}
}

// taPlay draws a trial with ov and steps through it with act(step) until
// the trial ends; it returns the rewards, the number of steps taken and
// the last StepResult.
func taPlay(t *testing.T, task Task, ov Override, act func(tr *Trial, s int) int) ([]float64, int, StepResult) {
	t.Helper()
	tr := mustTrial(t, task, ov)
	var rew []float64
	for s := 0; s < tr.N; s++ {
		r := task.Step(act(tr, s))
		rew = append(rew, r.Reward)
		if r.NewTrial {
			return rew, s + 1, r
		}
	}
	t.Fatalf("trial of %d steps did not end", tr.N)
	return nil, 0, StepResult{}
}

// taDecisionStart returns the first step of tr's decision period.
func taDecisionStart(tr *Trial) int {
	p, _ := tr.Period("decision")
	return p.Start
}

// taCheckSameSeed asserts that two tasks built alike with the same seed draw
// the same trials, and that another seed draws different ones.
func taCheckSameSeed(t *testing.T, mk func(seed uint64) Task) {
	t.Helper()
	a, b, c := mk(3), mk(3), mk(4)
	differ := false
	for range 50 {
		ta, tb, tc := mustTrial(t, a, nil), mustTrial(t, b, nil), mustTrial(t, c, nil)
		if ta.Record != tb.Record || !slices.Equal(ta.Obs, tb.Obs) || !slices.Equal(ta.Labels, tb.Labels) ||
			!slices.Equal(ta.Periods, tb.Periods) {
			t.Fatal("same seed, different trials")
		}
		differ = differ || !slices.Equal(ta.Obs, tc.Obs)
	}
	if !differ {
		t.Error("seeds 3 and 4 drew the same 50 trials")
	}
}

// taCheckNamedErr asserts that err is a one-line error starting with the
// task's name and containing want.
func taCheckNamedErr(t *testing.T, err error, name, want string) {
	t.Helper()
	checkErr(t, "", err, want)
	if err != nil && !strings.HasPrefix(err.Error(), name+": ") {
		t.Errorf("error %q does not start with the task name %s", err, name)
	}
}

// taErrOf returns the error of a constructor call.
func taErrOf[T any](_ T, err error) error { return err }

// taNear reports whether a and b agree within 1e-6 everywhere.
func taNear(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Abs(float64(x-y)) < 1e-6 })
}
