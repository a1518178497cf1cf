package yang2019_test

import (
	"math"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// The trial conditions do not depend on dt, so these tests draw them at
// dt = 100 (short trials, cheap batches): 400 batches of 8 trials, 3200
// trials per rule.
const (
	condBatches = 400
	condB       = 8
	condDt      = 100
)

// modOf returns the modality in which stimulus s is shown, 0 or 1, and
// fails unless it is shown in exactly one with strength 1.
func modOf(t *testing.T, tr yang2019.Trial, s int) int {
	t.Helper()
	st := tr.Strength[s]
	switch {
	case st[0] == 1 && st[1] == 0:
		return 0
	case st[0] == 0 && st[1] == 1:
		return 1
	}
	t.Fatalf("stimulus %d strengths %v, want 1 in one modality", s, st)
	return -1
}

// TestReachConditions: directions U[0, 2π), one stimulus of strength 1, the
// modality shared by the batch and 1 or 2 with probability 1/2, the
// response at the stimulus (go) or opposite it (anti).
func TestReachConditions(t *testing.T) {
	for ri, rule := range paperRules[:6] {
		anti := ri >= 3
		_, infos := gen(t, rule, condBatches, condB, condDt, uint64(300+ri))
		var locs []float64
		mod1 := 0
		for _, in := range infos {
			m := modOf(t, in.Trials[0], 0)
			if m == 0 {
				mod1++
			}
			for _, tr := range in.Trials {
				if modOf(t, tr, 0) != m || !math.IsNaN(tr.Loc[1]) || tr.Strength[1] != [2]float64{} {
					t.Fatalf("%s: trial %+v: modality differs within the batch or a second stimulus", rule, tr)
				}
				locs = append(locs, tr.Loc[0])
				want := tr.Loc[0]
				if anti {
					want = math.Mod(tr.Loc[0]+math.Pi, 2*math.Pi)
				}
				if math.Abs(tr.YLoc-want) > 1e-12 {
					t.Fatalf("%s: response %v for stimulus %v", rule, tr.YLoc, tr.Loc[0])
				}
			}
		}
		checkUniform(t, rule+" direction", locs, 0, 2*math.Pi)
		checkFrac(t, rule+" modality 1", mod1, condBatches, 0.5)
	}
}

// checkPairs checks pairs (s1, s2) = (μ + σc, μ − σc) against μ ~ U[0.8, 1.2),
// c uniform over cohs, σ = ±1 with probability 1/2.
func checkPairs(t *testing.T, what string, s1, s2 []float64, cohs []float64) {
	t.Helper()
	var means []float64
	counts, p := map[int]int{}, map[int]float64{}
	for i := range cohs {
		p[i] = 1 / float64(len(cohs))
	}
	pos := 0
	for i := range s1 {
		means = append(means, (s1[i]+s2[i])/2)
		c := math.Abs(s1[i]-s2[i]) / 2
		k := -1
		for j, v := range cohs {
			if math.Abs(c-v) < 1e-9 {
				k = j
			}
		}
		if k < 0 {
			t.Fatalf("%s: coherence %v not in %v", what, c, cohs)
		}
		counts[k]++
		if s1[i] > s2[i] {
			pos++
		}
	}
	checkUniform(t, what+" mean strength", means, 0.8, 1.2)
	checkCounts(t, what+" coherence", counts, p)
	checkFrac(t, what+" stimulus 1 stronger", pos, len(s1), 0.5)
}

// TestDecisionConditions: for the ten decision rules, stimulus 1 at
// U[0, 2π) and stimulus 2 at (loc1 ± U[π/2, 3π/2)) mod 2π; the strengths of
// the shown modalities as checkPairs (coherences 0.01..0.08 for the
// simultaneous rules, 0.08..0.32 for the delayed ones); the context rules'
// two modalities independent; multi's split s ± Δ/2 with Δ/s = ±U[0.2, 0.8);
// the response at the stimulus with the larger judged strength.
func TestDecisionConditions(t *testing.T) {
	for ri, rule := range paperRules[6:16] {
		delayed := ri >= 5
		cohs := []float64{0.01, 0.02, 0.04, 0.08}
		if delayed {
			cohs = []float64{0.08, 0.16, 0.32}
		}
		kind := map[int]string{0: "single", 1: "single", 2: "context", 3: "context", 4: "multi"}[ri%5]
		mod := ri % 5 % 2 // dm1, contextdm1: 0; dm2, contextdm2: 1
		_, infos := gen(t, rule, condBatches, condB, condDt, uint64(400+ri))
		trs := trials(infos)
		var loc1, sep []float64
		var s [2][2][]float64 // [modality][stimulus]
		var sum [2][]float64
		var ratio []float64
		ratioPos, sameSign := 0, 0
		for _, tr := range trs {
			loc1 = append(loc1, tr.Loc[0])
			sep = append(sep, angle(tr.Loc[1], tr.Loc[0]))
			for m := range 2 {
				for st := range 2 {
					s[m][st] = append(s[m][st], tr.Strength[st][m])
				}
			}
			judged := func(st int) float64 {
				switch kind {
				case "multi":
					return tr.Strength[st][0] + tr.Strength[st][1]
				}
				return tr.Strength[st][mod]
			}
			want := tr.Loc[1]
			if judged(0) > judged(1) {
				want = tr.Loc[0]
			}
			if tr.YLoc != want {
				t.Fatalf("%s: response %v, want %v (%+v)", rule, tr.YLoc, want, tr)
			}
			switch kind {
			case "single":
				if tr.Strength[0][1-mod] != 0 || tr.Strength[1][1-mod] != 0 {
					t.Fatalf("%s: strength in the other modality: %+v", rule, tr)
				}
			case "context":
				if (tr.Strength[0][0] > tr.Strength[1][0]) == (tr.Strength[0][1] > tr.Strength[1][1]) {
					sameSign++
				}
			case "multi":
				for st := range 2 {
					m1, m2 := tr.Strength[st][0], tr.Strength[st][1]
					sum[st] = append(sum[st], (m1+m2)/2)
					r := (m1 - m2) / ((m1 + m2) / 2)
					ratio = append(ratio, math.Abs(r))
					if r > 0 {
						ratioPos++
					}
				}
			}
		}
		n := len(trs)
		checkUniform(t, rule+" direction 1", loc1, 0, 2*math.Pi)
		checkUniform(t, rule+" separation", sep, math.Pi/2, 3*math.Pi/2)
		switch kind {
		case "single":
			checkPairs(t, rule, s[mod][0], s[mod][1], cohs)
		case "context":
			checkPairs(t, rule+" modality 1", s[0][0], s[0][1], cohs)
			checkPairs(t, rule+" modality 2", s[1][0], s[1][1], cohs)
			checkFrac(t, rule+" modalities agree", sameSign, n, 0.5)
		case "multi":
			checkPairs(t, rule+" total/2", sum[0], sum[1], cohs)
			checkUniform(t, rule+" |split|", ratio, 0.2, 0.8)
			checkFrac(t, rule+" split towards modality 1", ratioPos, 2*n, 0.5)
		}
	}
}

// TestMatchConditions: dms matches with probability 1/2 (loc2 = loc1),
// else loc2 = loc1 ± U[π/9, 17π/9); dmc draws both directions uniformly
// from {0.1, 0.3, ..., 1.9}·π and matches when both are on the same side
// of π (probability 1/2); each stimulus of strength 1 in a modality drawn
// per batch, the two independently; go rules respond at loc2 on a match,
// no-go rules on a non-match, and keep fixating otherwise.
func TestMatchConditions(t *testing.T) {
	for ri, rule := range paperRules[16:] {
		category := ri >= 2
		nogo := ri%2 == 1
		_, infos := gen(t, rule, condBatches, condB, condDt, uint64(500+ri))
		var loc1, sep []float64
		matches, goes, mod1, sameMod := 0, 0, 0, 0
		locCounts, locP := map[int]int{}, map[int]float64{}
		for k := range 10 {
			locP[k] = 0.1
		}
		for _, in := range infos {
			m1, m2 := modOf(t, in.Trials[0], 0), modOf(t, in.Trials[0], 1)
			if m1 == 0 {
				mod1++
			}
			if m1 == m2 {
				sameMod++
			}
			for _, tr := range in.Trials {
				if modOf(t, tr, 0) != m1 || modOf(t, tr, 1) != m2 {
					t.Fatalf("%s: modalities differ within a batch", rule)
				}
				match := tr.Loc[0] == tr.Loc[1]
				if category {
					match = (tr.Loc[0] < math.Pi) == (tr.Loc[1] < math.Pi)
					for _, l := range tr.Loc {
						k := int(math.Round((l/math.Pi - 0.1) / 0.2))
						if k < 0 || k > 9 || math.Abs(l-(0.1+0.2*float64(k))*math.Pi) > 1e-12 {
							t.Fatalf("%s: direction %v not in {0.1, ..., 1.9}π", rule, l)
						}
						locCounts[k]++
					}
				} else {
					loc1 = append(loc1, tr.Loc[0])
					if !match {
						sep = append(sep, angle(tr.Loc[1], tr.Loc[0]))
					}
				}
				if tr.Match != match {
					t.Fatalf("%s: Match %v for %+v", rule, tr.Match, tr)
				}
				if match {
					matches++
				}
				want := yang2019.NoResponse
				if match != nogo {
					want = tr.Loc[1]
					goes++
				}
				if tr.YLoc != want {
					t.Fatalf("%s: response %v, want %v (%+v)", rule, tr.YLoc, want, tr)
				}
			}
		}
		n := condBatches * condB
		checkFrac(t, rule+" match", matches, n, 0.5)
		checkFrac(t, rule+" go", goes, n, 0.5)
		checkFrac(t, rule+" stimulus 1 in modality 1", mod1, condBatches, 0.5)
		checkFrac(t, rule+" same modalities", sameMod, condBatches, 0.5)
		if category {
			checkCounts(t, rule+" directions", locCounts, locP)
		} else {
			checkUniform(t, rule+" direction 1", loc1, 0, 2*math.Pi)
			checkUniform(t, rule+" non-match separation", sep, math.Pi/9, 17*math.Pi/9)
		}
	}
}
