package tasks

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// Expectations in these tests come from neurogym v2.2.0's
// envs/collections/yang19.py (_Reach, _DMFamily, _DelayMatch1DResponse,
// _gaussianbump, the task functions go ... dnmc) and core.py (periods
// floored to dt), unless a comment says otherwise.

const y19N = 2000 // trials per task

// y19Env builds a task of the collection, failing the test on an error.
func y19Env(t testing.TB, name string, cfg Yang19Config) *Env {
	t.Helper()
	e, err := NewYang19(name, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// y19Trials draws n trials of a task.
func y19Trials(t testing.TB, name string, cfg Yang19Config, n int) []*Trial {
	t.Helper()
	e := y19Env(t, name, cfg)
	trs := make([]*Trial, n)
	for i := range trs {
		trs[i] = mustTrial(t, e, nil)
	}
	return trs
}

// y19Bump is _gaussianbump on the 16-unit ring written with ring-position
// distances: 0.8 s exp(-m^2/2), m the circular distance in positions
// (pi/8 each).
func y19Bump(j int, s float64) []float64 {
	out := make([]float64, 16)
	for k := range out {
		m := (k - j + 16) % 16
		m = min(m, 16-m)
		out[k] = 0.8 * s * math.Exp(-float64(m*m)/2)
	}
	return out
}

// y19Model is the noise-free observation and the noise mask of a trial.
type y19Model struct {
	mean  [][]float64 // [N][33]
	noise [][]bool    // [N][33]
}

func newY19Model(tr *Trial) *y19Model {
	m := &y19Model{}
	for range tr.N {
		m.mean = append(m.mean, make([]float64, 33))
		m.noise = append(m.noise, make([]bool, 33))
	}
	return m
}

// add adds v to the ring of modality mod (0, 1) in the period.
func (m *y19Model) add(tr *Trial, mod int, v []float64, period string) {
	p, _ := tr.Period(period)
	for s := p.Start; s < p.End; s++ {
		for k, x := range v {
			m.mean[s][1+16*mod+k] += x
		}
	}
}

// fix sets the fixation input to 1 in the periods.
func (m *y19Model) fix(tr *Trial, periods ...string) {
	for _, name := range periods {
		p, _ := tr.Period(name)
		for s := p.Start; s < p.End; s++ {
			m.mean[s][0] = 1
		}
	}
}

// noisy marks the ring of modality mod as noisy in the period.
func (m *y19Model) noisy(tr *Trial, mod int, period string) {
	p, _ := tr.Period(period)
	for s := p.Start; s < p.End; s++ {
		for k := range 16 {
			m.noise[s][1+16*mod+k] = true
		}
	}
}

// y19Expect returns the model of a trial from its record and periods.
func y19Expect(tr *Trial) *y19Model {
	m := newY19Model(tr)
	switch r := tr.Record.(type) {
	case Yang19ReachTrial:
		j := (r.GroundTruth + 8*r.Anti) % 16
		if _, timed := tr.Period("stimulus"); timed { // not rtgo, rtanti
			m.fix(tr, "fixation", "stimulus", "delay")
			m.add(tr, r.Modality, y19Bump(j, 1), "stimulus")
		} else {
			m.fix(tr, "fixation")
			m.add(tr, r.Modality, y19Bump(j, 1), "decision")
		}
	case Yang19DMTrial:
		m.fix(tr, "fixation")
		p1, p2 := "stim1", "stim2"
		if !r.delayed {
			p1, p2 = "stimulus", "stimulus"
		}
		for mod := range 2 {
			m.noisy(tr, mod, p1)
			m.noisy(tr, mod, p2)
			if r.Shown[mod] {
				m.add(tr, mod, y19Bump(r.Theta1, r.Coh1[mod]), p1)
				m.add(tr, mod, y19Bump(r.Theta2, r.Coh2[mod]), p2)
			}
		}
	case Yang19MatchTrial:
		m.fix(tr, "fixation")
		m.add(tr, r.Modality, y19Bump(r.Sample, 1), "sample")
		m.add(tr, r.Modality, y19Bump(r.Test, 1), "test")
		m.noisy(tr, r.Modality, "sample")
		m.noisy(tr, r.Modality, "test")
	}
	return m
}

// y19Label is the expected label at step s: the response direction + 1
// in the decision period (go trials only in the matching tasks), else 0.
func y19Label(tr *Trial, s int) int {
	if !tr.InPeriod("decision", s) {
		return 0
	}
	switch r := tr.Record.(type) {
	case Yang19MatchTrial:
		if r.Go == 0 {
			return 0
		}
		return r.Test + 1
	default:
		g, _ := GroundTruth(r)
		return g + 1
	}
}

// y19CheckObs checks every trial's labels and observations against the
// model: exact (to float32 rounding) where there is no noise (everywhere
// if sigmaEff is 0), and, pooled
// per period and channel where there is, residual mean 0 and standard
// deviation sigmaEff within 5 standard errors.
func y19CheckObs(t *testing.T, trs []*Trial, sigmaEff float64) {
	t.Helper()
	type key struct {
		period string
		ch     int
	}
	type acc struct{ n, s, ss float64 }
	stats := map[key]*acc{}
	bad := 0
	for _, tr := range trs {
		m := y19Expect(tr)
		for s := range tr.N {
			if got, want := tr.Labels[s], y19Label(tr, s); got != want && bad < 5 {
				bad++
				t.Errorf("%v step %d: label %d, want %d", tr.Record, s, got, want)
			}
			row := tr.ObsAt(s)
			for c := range 33 {
				res := float64(row[c]) - m.mean[s][c]
				if !m.noise[s][c] || sigmaEff == 0 {
					if math.Abs(res) > 1e-6 && bad < 5 {
						bad++
						t.Errorf("%v step %d channel %d: %v, want %v", tr.Record, s, c, row[c], m.mean[s][c])
					}
					continue
				}
				name := ""
				for _, p := range tr.Periods {
					if s >= p.Start && s < p.End {
						name = p.Name
					}
				}
				a := stats[key{name, c}]
				if a == nil {
					a = &acc{}
					stats[key{name, c}] = a
				}
				a.n++
				a.s += res
				a.ss += res * res
			}
		}
	}
	if sigmaEff == 0 {
		return
	}
	if len(stats) == 0 {
		t.Fatal("no noisy step")
	}
	for k, a := range stats {
		mean := a.s / a.n
		sd := math.Sqrt(a.ss/a.n - mean*mean)
		if math.Abs(mean) > 5*sd/math.Sqrt(a.n) {
			t.Errorf("%v: noise mean %.4f, want 0 within %.4f", k, mean, 5*sd/math.Sqrt(a.n))
		}
		if se := sigmaEff / math.Sqrt(2*a.n); math.Abs(sd-sigmaEff) > 5*se {
			t.Errorf("%v: noise std %.4f, want %.4f within %.4f", k, sd, sigmaEff, 5*se)
		}
	}
}

// y19CheckPeriods checks the period names and, for constant ones, lengths.
func y19CheckPeriods(t *testing.T, trs []*Trial, names []string, steps map[string]int) {
	t.Helper()
	for _, tr := range trs {
		var got []string
		end := 0
		for _, p := range tr.Periods {
			got = append(got, p.Name)
			if p.Start != end {
				t.Fatalf("%s starts at %d, want %d", p.Name, p.Start, end)
			}
			end = p.End
			if n, ok := steps[p.Name]; ok && p.End-p.Start != n {
				t.Fatalf("%s: %d steps, want %d", p.Name, p.End-p.Start, n)
			}
		}
		if !slices.Equal(got, names) || tr.N != end {
			t.Fatalf("periods %v (N %d), want %v", tr.Periods, tr.N, names)
		}
	}
}

// y19Freq checks that counts[v] is n/k for every v in 0..k-1 within 5
// standard errors (binomial), and that no other value occurs.
func y19Freq(t *testing.T, what string, counts map[int]int, k int) {
	t.Helper()
	n := 0
	for _, c := range counts {
		n += c
	}
	p := 1 / float64(k)
	se := math.Sqrt(float64(n) * p * (1 - p))
	for v := range counts {
		if v < 0 || v >= k {
			t.Errorf("%s: value %d outside 0..%d", what, v, k-1)
		}
	}
	for v := range k {
		if math.Abs(float64(counts[v])-float64(n)*p) > 5*se {
			t.Errorf("%s = %d: %d of %d, want %.0f within %.0f", what, v, counts[v], n, float64(n)*p, 5*se)
		}
	}
}

// TestYang19SharedLayout: the twenty tasks, in the paper's order, share
// ObsSize 33, 17 actions, the same groups and rewards, and are registered.
func TestYang19SharedLayout(t *testing.T) {
	want := "go rtgo dlygo anti rtanti dlyanti dm1 dm2 ctxdm1 ctxdm2 multidm dlydm1 dlydm2 ctxdlydm1 ctxdlydm2 multidlydm dms dnms dmc dnmc"
	var short []string
	for _, id := range Yang19Names() {
		short = append(short, strings.TrimSuffix(strings.TrimPrefix(id, "yang19."), "-v0"))
	}
	if got := strings.Join(short, " "); got != want {
		t.Fatalf("Yang19Names: %s, want %s", got, want)
	}
	var first *Env
	for _, id := range Yang19Names() {
		task, err := New(id, WithSeed(3))
		if err != nil {
			t.Fatal(err)
		}
		e := task.(*Env)
		if e.Name() != id || e.ObsSize() != 33 || e.NumActions() != 17 || e.Dt() != 100 {
			t.Errorf("%s: name %s, ObsSize %d, NumActions %d, dt %v", id, e.Name(), e.ObsSize(), e.NumActions(), e.Dt())
		}
		if first == nil {
			first = e
		}
		if fmt.Sprint(e.ObsGroups(), e.ActionGroups(), e.RewardValues()) != fmt.Sprint(first.ObsGroups(), first.ActionGroups(), first.RewardValues()) {
			t.Errorf("%s: groups or rewards %v %v %v differ from go's", id, e.ObsGroups(), e.ActionGroups(), e.RewardValues())
		}
		if tr := mustTrial(t, e, nil); tr.ObsSize != 33 {
			t.Errorf("%s: trial ObsSize %d", id, tr.ObsSize)
		}
	}
	g := first.ObsGroups()
	if g[0].Name != "fixation" || !slices.Equal(g[0].Indices, []int{0}) || g[1].Name != "stimulus_mod1" || g[1].Indices[0] != 1 ||
		g[1].Indices[15] != 16 || g[2].Name != "stimulus_mod2" || g[2].Indices[0] != 17 || g[2].Indices[15] != 32 {
		t.Errorf("observation groups %v", g)
	}
	if r := first.RewardValues(); fmt.Sprint(r) != "[{abort -0.1} {correct 1} {fail 0}]" {
		t.Errorf("rewards %v", r)
	}
	if _, err := NewYang19("dm3", Yang19Config{}); err == nil || !strings.Contains(err.Error(), "dnmc") {
		t.Errorf("unknown task: %v", err)
	}
	if _, err := New("yang19.go-v0", WithConfig(PerceptualDecisionMakingConfig{})); err == nil {
		t.Error("a config of another type is accepted")
	}
}

// TestYang19Bump: the ring input of a stimulus, 0.8 s exp(-d^2/2).
func TestYang19Bump(t *testing.T) {
	b := Yang19Bump(15, 0.5)
	for k, want := range map[int]float64{15: 0.4, 0: 0.4 * math.Exp(-0.5), 14: 0.4 * math.Exp(-0.5), 1: 0.4 * math.Exp(-2), 7: 0.4 * math.Exp(-32)} {
		if math.Abs(b[k]-want) > 1e-12 {
			t.Errorf("bump(15, 0.5)[%d] = %v, want %v", k, b[k], want)
		}
	}
}

// TestYang19OverrideOfRecord: for every task, the same seed draws the
// same trials, and OverrideOf a drawn record makes a task with another
// seed draw that record (ties of multidm and multidlydm included; dm1's
// stimulus duration is fixed here since stim_period is a computed field).
func TestYang19OverrideOfRecord(t *testing.T) {
	for _, id := range Yang19Names() {
		cfg := Yang19Config{Seed: 9}
		if id == "yang19.dm1-v0" {
			cfg.Timing = Timing{"stimulus": Constant(400)}
		}
		a, b := y19Env(t, id, cfg), y19Env(t, id, cfg)
		cfg.Seed = 10
		redo := y19Env(t, id, cfg)
		for range 300 {
			ta, tb := mustTrial(t, a, nil), mustTrial(t, b, nil)
			if ta.Record != tb.Record || !slices.Equal(ta.Obs, tb.Obs) || !slices.Equal(ta.Labels, tb.Labels) {
				t.Fatalf("%s: same seed, different trials", id)
			}
			tr, err := redo.NewTrial(OverrideOf(ta.Record))
			if err != nil {
				t.Fatalf("%s: OverrideOf(%+v): %v", id, ta.Record, err)
			}
			if tr.Record != ta.Record || tr.Labels[tr.N-1] != ta.Labels[ta.N-1] {
				t.Fatalf("%s: record %+v, want %+v", id, tr.Record, ta.Record)
			}
		}
	}
}
