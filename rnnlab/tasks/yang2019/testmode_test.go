package yang2019_test

import (
	"math"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// TestTestMode checks GenerateTest against task.py's mode 'test' at dt = 20:
// every entry (checkBatch), the epoch boundaries in ms, and each trial's
// condition from the grid's np.unravel_index layout.
func TestTestMode(t *testing.T) {
	bounds := map[string][]float64{ // epoch ends in ms
		"fdgo": {500, 1500, 2000}, "reactgo": {2000, 2500}, "delaygo": {500, 1000, 2000, 2500},
		"dm1": {500, 2000, 2500}, "contextdm1": {500, 1500, 2000},
		"delaydm1": {500, 1000, 2000, 2500, 2700, 3000}, "contextdelaydm1": {500, 1000, 2000, 2500, 3000, 3500},
		"dmsgo": {500, 1000, 2200, 2700},
	}
	family := func(rule string) string {
		switch rule {
		case "fdanti":
			return "fdgo"
		case "reactanti":
			return "reactgo"
		case "delayanti":
			return "delaygo"
		case "dm2", "delaydm2":
			return rule[:len(rule)-1] + "1"
		case "contextdm2", "multidm":
			return "contextdm1"
		case "contextdelaydm2", "multidelaydm":
			return "contextdelaydm1"
		case "dmsnogo", "dmcgo", "dmcnogo":
			return "dmsgo"
		}
		return rule
	}
	for _, rule := range paperRules {
		b, in, err := yang2019.GenerateTest(rule, 20)
		if err != nil {
			t.Fatal(err)
		}
		checkBatch(t, rule, b, in)
		for i, e := range in.Epochs {
			if want := int(bounds[family(rule)][i] / 20); e.End != want {
				t.Fatalf("%s: epoch %s ends at %d, want %d", rule, e.Name, e.End, want)
			}
		}
		ri := 0
		for i, r := range paperRules {
			if r == rule {
				ri = i
			}
		}
		for i, tr := range in.Trials {
			var want yang2019.Trial
			want.Loc[1] = math.NaN()
			switch {
			case ri < 6: // (20 directions, 2 modalities)
				want.Loc[0] = 2 * math.Pi * float64(i/2) / 20
				want.Strength[0][i%2] = 1
			case ri < 16: // (20 directions, 5 strengths) or (20, 5, 5)
				n := 5
				if strings.HasPrefix(rule, "context") || strings.HasPrefix(rule, "multi") {
					n = 25
				}
				want.Loc[0] = 2 * math.Pi * float64(i/n) / 20
				want.Loc[1] = math.Mod(want.Loc[0]+math.Pi, 2*math.Pi)
				switch {
				case n == 25:
					for m, j := range []int{(i / 5) % 5, i % 5} {
						want.Strength[0][m] = 0.4*float64(j)/5 + 0.8
						want.Strength[1][m] = 2 - want.Strength[0][m]
					}
				default:
					m := int(rule[len(rule)-1] - '1')
					want.Strength[0][m] = 0.4*float64(i%5)/5 + 0.8
					if strings.HasPrefix(rule, "delay") {
						want.Strength[0][m] = 1.0*float64(i%5)/5 + 0.5
					}
					want.Strength[1][m] = 2 - want.Strength[0][m]
				}
			default: // (20 directions, 2 modalities, 2 modalities), all go
				want.Loc[0] = 2 * math.Pi * float64(i/4) / 20
				if strings.HasPrefix(rule, "dmc") {
					j := i / 4
					want.Loc[0] = (0.1 + 0.8*float64(j%10)/10 + float64(j/10)) * math.Pi
				}
				want.Loc[1] = want.Loc[0]
				if strings.HasSuffix(rule, "nogo") {
					want.Loc[1] = math.Mod(want.Loc[0]+math.Pi, 2*math.Pi)
				}
				want.Strength[0][(i/2)%2], want.Strength[1][i%2] = 1, 1
			}
			if !sameLoc(tr.Loc[0], want.Loc[0]) || !sameLoc(tr.Loc[1], want.Loc[1]) || tr.Strength != want.Strength {
				t.Fatalf("%s: trial %d %+v, want directions %v strengths %v", rule, i, tr, want.Loc, want.Strength)
			}
			if tr.YLoc < 0 {
				t.Fatalf("%s: test trial %d is a no-go trial", rule, i)
			}
		}
		wantB := map[int]int{0: 40, 1: 100, 2: 500, 3: 80}
		cls := 0
		switch {
		case ri >= 16:
			cls = 3
		case ri >= 6 && (strings.HasPrefix(rule, "context") || strings.HasPrefix(rule, "multi")):
			cls = 2
		case ri >= 6:
			cls = 1
		}
		if len(in.Trials) != wantB[cls] {
			t.Fatalf("%s: %d test trials, want %d", rule, len(in.Trials), wantB[cls])
		}
	}
}

// sameLoc reports whether two directions agree within 1e-12, or are both
// NaN (no stimulus).
func sameLoc(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-12
}
