package tasks

import (
	"math"
	"slices"
	"testing"
)

// Helpers shared by the tests of ReadySetGo, AntiReach,
// IntervalDiscrimination, PostDecisionWager and Reaching1D (prefix c to
// keep clear of other tasks' test helpers).

// cAcc accumulates a sample's mean and standard deviation.
type cAcc struct{ n, s, ss float64 }

func (a *cAcc) add(v float64) { a.n++; a.s += v; a.ss += v * v }

func (a *cAcc) mean() float64 { return a.s / a.n }

func (a *cAcc) std() float64 {
	m := a.mean()
	return math.Sqrt(math.Max(a.ss/a.n-m*m, 0))
}

// cCheckMean checks that the sample mean is within 5 standard errors (from
// the sample's own std) of want; a sample without spread must equal want
// to float32 precision.
func cCheckMean(t *testing.T, what string, a *cAcc, want float64) {
	t.Helper()
	if a.n == 0 {
		t.Errorf("%s: no samples", what)
		return
	}
	tol := 5 * a.std() / math.Sqrt(a.n)
	if tol == 0 {
		tol = 1e-6 * math.Max(1, math.Abs(want))
	}
	if m := a.mean(); math.Abs(m-want) > tol {
		t.Errorf("%s: mean %.6g over %v samples, want %.6g ± %.3g", what, m, a.n, want, tol)
	}
}

// cCheckStd checks the sample std against want within 5 standard errors
// (se of a normal sample's std, want/sqrt(2n)).
func cCheckStd(t *testing.T, what string, a *cAcc, want float64) {
	t.Helper()
	if tol := 5 * want / math.Sqrt(2*a.n); math.Abs(a.std()-want) > tol {
		t.Errorf("%s: std %.6g over %v samples, want %.6g ± %.3g", what, a.std(), a.n, want, tol)
	}
}

// cSpan returns a period of tr, failing the test if there is none.
func cSpan(t *testing.T, tr *Trial, name string) Period {
	t.Helper()
	p, ok := tr.Period(name)
	if !ok {
		t.Fatalf("no period %q in %v", name, tr.Periods)
	}
	return p
}

// cSameSeed checks that two tasks built alike give the same trials, and a
// third (another seed) different ones.
func cSameSeed(t *testing.T, a, b, c Task) {
	t.Helper()
	differ := false
	for range 20 {
		ta, tb, tc := mustTrial(t, a, nil), mustTrial(t, b, nil), mustTrial(t, c, nil)
		if ta.Record != tb.Record || !slices.Equal(ta.Obs, tb.Obs) || !slices.Equal(ta.Labels, tb.Labels) || !slices.Equal(ta.Periods, tb.Periods) {
			t.Fatal("the same seed gave different trials")
		}
		differ = differ || ta.Record != tc.Record || !slices.Equal(ta.Obs, tc.Obs)
	}
	if !differ {
		t.Error("different seeds gave the same trials")
	}
}

// cRunTrial resets nothing: it steps the current trial of e with
// act(step) until the trial ends and returns the rewards and the final
// result.
func cRunTrial(t *testing.T, e Task, act func(s int) int) ([]float64, StepResult) {
	t.Helper()
	var rs []float64
	for s := 0; s < 100000; s++ {
		res := e.Step(act(s))
		rs = append(rs, res.Reward)
		if res.NewTrial {
			return rs, res
		}
	}
	t.Fatal("the trial never ended")
	return nil, StepResult{}
}

// cStepCase is a trial played by cCheckSteps: action at step at (none if
// at < 0) and 0 (fixate) at every other step; the reward wanted at step at
// (0 at the others), the trial's length in steps and its performance.
type cStepCase struct {
	name       string
	at, action int
	reward     float64
	steps      int
	perf       float64
}

// cCheckSteps plays every case as a subtest on a new task from mk, whose
// trial is drawn with ov, and checks the rewards, length and performance.
func cCheckSteps(t *testing.T, mk func(t *testing.T) Task, ov Override, cases []cStepCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := mk(t)
			mustTrial(t, e, ov)
			rs, res := cRunTrial(t, e, func(s int) int { return cBool(s == tc.at) * tc.action })
			if len(rs) != tc.steps || res.Performance != tc.perf {
				t.Errorf("ended after %d steps, performance %v; want %d, %v", len(rs), res.Performance, tc.steps, tc.perf)
			}
			for s, r := range rs {
				if want := float64(cBool(s == tc.at)) * tc.reward; r != want {
					t.Errorf("step %d: reward %v, want %v", s, r, want)
				}
			}
		})
	}
}

// cCheckOverrideErrs checks that every override of cases makes a's
// NewTrial fail with a one-line error containing its key, and that these
// failed draws leave a's random stream in step with b's (a task built
// alike).
func cCheckOverrideErrs(t *testing.T, a, b Task, cases map[string]Override) {
	t.Helper()
	for want, ov := range cases {
		_, err := a.NewTrial(ov)
		checkErr(t, want, err, want)
	}
	if ta, tb := mustTrial(t, a, nil), mustTrial(t, b, nil); ta.Record != tb.Record || !slices.Equal(ta.Obs, tb.Obs) {
		t.Error("overrides shifted the random stream")
	}
}
