package yang2019_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// checkBatch compares a batch with task.py's formulas, computed here from
// the batch's epochs and trial conditions: shapes, the epochs end to end,
// the inputs (fixation, the two rings, the one-hot rule), the targets, the
// cost mask and the labels, step by step.
func checkBatch(t *testing.T, rule string, b *tasks.Batch, in *yang2019.Info) {
	t.Helper()
	lay := ruleLayout(rule)
	T, B := b.T, b.B
	if b.ObsSize != 85 || len(b.Inputs) != T*B*85 || len(b.Targets) != T*B*33 || len(b.Mask) != T*B*33 ||
		len(b.Labels) != T*B || len(in.Trials) != B {
		t.Fatalf("%s: shapes T %d B %d obs %d: inputs %d targets %d mask %d labels %d trials %d", rule, T, B,
			b.ObsSize, len(b.Inputs), len(b.Targets), len(b.Mask), len(b.Labels), len(in.Trials))
	}
	var names []string
	end := 0
	for _, e := range in.Epochs {
		names = append(names, e.Name)
		if e.Start != end || e.End < e.Start {
			t.Fatalf("%s: epochs not end to end: %v", rule, in.Epochs)
		}
		end = e.End
	}
	if !slices.Equal(names, lay.epochs) || end != T {
		t.Fatalf("%s: epochs %v (T %d), want %v ending at T", rule, in.Epochs, T, lay.epochs)
	}
	goOn, _, _ := span(in, "go1")
	skip := int(100 / in.Dt)
	if in.ResponseOn != goOn || in.CheckOn != goOn+skip {
		t.Fatalf("%s: response on %d check on %d, want %d and %d", rule, in.ResponseOn, in.CheckOn, goOn, goOn+skip)
	}
	ruleIn := 65 + slices.Index(paperRules, rule)
	const tol = 2e-6
	for bi, tr := range in.Trials {
		goTrial := tr.YLoc >= 0
		var stimBump [2][32]float64
		var outBump [32]float64
		for k := range 32 {
			for st := range 2 {
				if !math.IsNaN(tr.Loc[st]) {
					stimBump[st][k] = bump(tr.Loc[st], k)
				}
			}
			if goTrial {
				outBump[k] = bump(tr.YLoc, k)
			}
		}
		want := make([]float64, 85)
		for s := range T {
			x := b.Inputs[(s*B+bi)*85 : (s*B+bi+1)*85]
			clear(want)
			if inEpochs(in, lay.fixIn, s) {
				want[0] = 1
			}
			for st := range 2 {
				if !inEpochs(in, lay.stim[st], s) {
					continue
				}
				for m := range 2 {
					for k := range 32 {
						if tr.Strength[st][m] != 0 {
							want[1+32*m+k] += tr.Strength[st][m] * stimBump[st][k]
						}
					}
				}
			}
			want[ruleIn] = 1
			for i := range want {
				if math.Abs(float64(x[i])-want[i]) > tol {
					t.Fatalf("%s: trial %d step %d input %d = %v, want %v (trial %+v, epochs %v)", rule, bi, s, i, x[i], want[i], tr, in.Epochs)
				}
			}

			y := b.Targets[(s*B+bi)*33 : (s*B+bi+1)*33]
			c := b.Mask[(s*B+bi)*33 : (s*B+bi+1)*33]
			responding := goTrial && s >= goOn
			wantY := make([]float64, 33)
			for o := range wantY {
				wantY[o] = 0.05
			}
			label := int32(0)
			if responding {
				for k := range 32 {
					wantY[1+k] += outBump[k]
				}
				label = int32(1 + int(math.Round(tr.YLoc/(2*math.Pi/32)))%32)
			} else {
				wantY[0] = 0.8
			}
			var m float64
			switch {
			case s < skip:
				m = 0
			case s < goOn:
				m = 1
			case s < goOn+skip:
				m = 0
			default:
				m = 5
			}
			for o := range wantY {
				wm := m
				if o == 0 {
					wm = 2 * m
				}
				if math.Abs(float64(y[o])-wantY[o]) > tol || float64(c[o]) != wm {
					t.Fatalf("%s: trial %d step %d output %d: target %v mask %v, want %v and %v", rule, bi, s, o, y[o], c[o], wantY[o], wm)
				}
			}
			if b.Labels[s*B+bi] != label {
				t.Fatalf("%s: trial %d step %d label %d, want %d", rule, bi, s, b.Labels[s*B+bi], label)
			}
		}
	}
}

// TestBatchesFollowTheFormulas renders batches of every rule at the
// paper's dt = 20 and at dt = 30 (where int(ms/dt) truncates) and checks
// every entry against checkBatch.
func TestBatchesFollowTheFormulas(t *testing.T) {
	for _, dt := range []float64{20, 30} {
		for ri, rule := range paperRules {
			bs, infos := gen(t, rule, 12, 8, dt, uint64(100+ri))
			for i := range bs {
				checkBatch(t, rule, bs[i], infos[i])
			}
		}
	}
}

// TestRulesAndLayout checks the rule order, the rule inputs and the sizes.
func TestRulesAndLayout(t *testing.T) {
	if !slices.Equal(yang2019.Rules(), paperRules) {
		t.Fatalf("rules %v, want %v", yang2019.Rules(), paperRules)
	}
	if yang2019.NumInput != 85 || yang2019.NumOutput != 33 || yang2019.RuleStart != 65 || yang2019.NRing != 32 {
		t.Fatalf("layout %d inputs %d outputs rule start %d ring %d", yang2019.NumInput, yang2019.NumOutput, yang2019.RuleStart, yang2019.NRing)
	}
	for i, r := range paperRules {
		if j, err := yang2019.RuleIndex(r); err != nil || j != i {
			t.Errorf("RuleIndex(%s) = %d, %v; want %d", r, j, err, i)
		}
	}
	// The tuning curve: height 0.8 on the preferred unit, 0.8·e^{-1/2} one
	// π/8 (two units of 2π/32) away, 0.8·e^{-2} four units away across 0.
	u := yang2019.Tuning(2 * math.Pi * 3 / 32)
	if math.Abs(u[3]-0.8) > 1e-12 || math.Abs(u[5]-0.8*math.Exp(-0.5)) > 1e-12 || math.Abs(u[31]-0.8*math.Exp(-2)) > 1e-12 {
		t.Fatalf("tuning %v", u)
	}
}

// TestBadInput checks that bad arguments are one-line errors.
func TestBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		rule string
		B    int
		dt   float64
		rng  *rand.Rand
	}{
		{"go", 4, 20, rng}, {"fdgo", 0, 20, rng}, {"fdgo", 4, 0, rng}, {"fdgo", 4, 101, rng},
		{"fdgo", 4, math.NaN(), rng}, {"fdgo", 4, 20, nil},
	} {
		_, _, err := yang2019.Generate(c.rule, c.B, c.dt, c.rng)
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("Generate(%q, %d, %v): error %v, want one line", c.rule, c.B, c.dt, err)
		}
	}
	if _, _, err := yang2019.GenerateTest("dms", 20); err == nil {
		t.Errorf("GenerateTest(dms): no error")
	}
	if _, _, err := yang2019.GenerateTest("dmsgo", -1); err == nil {
		t.Errorf("GenerateTest(dmsgo, -1): no error")
	}
}

// TestSeedReproduces checks that the same seed gives the same batch.
func TestSeedReproduces(t *testing.T) {
	a, _ := gen(t, "contextdelaydm1", 3, 5, 20, 9)
	b, _ := gen(t, "contextdelaydm1", 3, 5, 20, 9)
	for i := range a {
		if !slices.Equal(a[i].Inputs, b[i].Inputs) || !slices.Equal(a[i].Targets, b[i].Targets) {
			t.Fatalf("batch %d differs between two runs of the same seed", i)
		}
	}
}
