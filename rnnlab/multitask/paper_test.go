package multitask

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// logit is the inverse of the sigmoid: sigmoid(logit(p)) = p.
func logit(p float64) float32 { return float32(math.Log(p / (1 - p))) }

// paperStep returns the 17 logits of outputs y_0 = fix and ring outputs at
// 0.05 except y_{1+k} = 0.8 for k in bump.
func paperStep(fix float64, bump ...int) []float32 {
	out := make([]float32, 17)
	out[0] = logit(fix)
	for k := 1; k < 17; k++ {
		out[k] = logit(0.05)
	}
	for _, k := range bump {
		out[1+k] = logit(0.8)
	}
	return out
}

// TestPopVec: one active unit k gives θ_k = 2πk/16; a uniform baseline
// cancels (Σ_k sin θ_k = Σ_k cos θ_k = 0); two equal units give their
// mid-direction; the result is in [0, 2π).
func TestPopVec(t *testing.T) {
	for k := range 16 {
		y := make([]float64, 16)
		for j := range y {
			y[j] = 0.05
		}
		y[k] = 0.8
		if got, want := PopVec(y), 2*math.Pi*float64(k)/16; math.Abs(got-want) > 1e-12 {
			t.Errorf("bump at %d: popvec %v, want %v", k, got, want)
		}
	}
	y := make([]float64, 16)
	y[15], y[1] = 1, 1 // directions 15π/8 and π/8: mid-direction 0
	if got := PopVec(y); math.Min(got, 2*math.Pi-got) > 1e-12 {
		t.Errorf("bumps at 15 and 1: popvec %v, want 0 (mod 2π)", got)
	}
	y[15], y[1], y[2], y[3] = 0, 0, 1, 1 // π/4 and 3π/8: 5π/16
	if got := PopVec(y); math.Abs(got-5*math.Pi/16) > 1e-12 {
		t.Errorf("bumps at 2 and 3: popvec %v, want 5π/16", got)
	}
}

// TestPaperCorrect works cases of the paper's measure by hand. The target
// of label 3 is θ_2 = π/4; the ring's baseline 0.05 cancels in the
// population vector, so one bump at k points at θ_k and two equal bumps at
// j, k at their mid-direction.
func TestPaperCorrect(t *testing.T) {
	cases := []struct {
		name  string
		label int
		out   []float32
		want  bool
	}{
		{"bump on target, fixation off", 3, paperStep(0.2, 2), true},
		{"bump on target, still fixating", 3, paperStep(0.6, 2), false},
		{"fixation exactly 0.5 counts as released", 3, append([]float32{0}, paperStep(0.2, 2)[1:]...), true},
		{"bump one unit off: π/8 < 0.2π", 3, paperStep(0.2, 3), true},
		{"bump two units off: π/4 > 0.2π", 3, paperStep(0.2, 4), false},
		{"bumps at 2 and 5: 7π/16, 3π/16 off < 0.2π", 3, paperStep(0.2, 2, 5), true},
		{"bumps at 2 and 6: π/2, π/4 off > 0.2π", 3, paperStep(0.2, 2, 6), false},
		{"across 0: label 1 (θ 0), bump at 15 (15π/8)", 1, paperStep(0.2, 15), true},
		{"across 0: label 1, bump at 14 (7π/4)", 1, paperStep(0.2, 14), false},
		{"no-go, fixation kept", 0, paperStep(0.7, 5), true},
		{"no-go, fixation released", 0, paperStep(0.3), false},
		{"no-go, fixation exactly 0.5", 0, append([]float32{0}, paperStep(0.7)[1:]...), false},
	}
	for _, c := range cases {
		// Three steps; only the last one counts: the first two hold the
		// opposite answer.
		tr := &tasks.Trial{N: 3, Labels: []int{0, 7, c.label}}
		wrong := paperStep(0.9)
		if c.label == 0 {
			wrong = paperStep(0.1, 8)
		}
		lg := slices.Concat(wrong, wrong, c.out)
		if got := PaperCorrect(tr, lg, 17); got != c.want {
			t.Errorf("%s: PaperCorrect %v, want %v", c.name, got, c.want)
		}
	}
}

// TestPaperConfig: Paper sets dt 20, σ_rec 0.05, σ_x 0.01, sigmoid outputs
// and the MSE unless told otherwise; the default run has none of them.
func TestPaperConfig(t *testing.T) {
	m := Config{Paper: true}.Model()
	if m.Dt != PaperDt || m.Tau != DefaultTau || m.SigmaRec != PaperSigmaRec || m.SigmaIn != PaperSigmaIn || !m.Sigmoid || m.LossName() != models.LossMSE {
		t.Errorf("paper model: %+v", m)
	}
	if m := (Config{Paper: true, Dt: 10, SigmaRec: 0.1}).Model(); m.Dt != 10 || m.SigmaRec != 0.1 || m.SigmaIn != PaperSigmaIn {
		t.Errorf("paper model with dt 10, σ_rec 0.1: %+v", m)
	}
	if m := (Config{}).Model(); m.Dt != DefaultDt || m.SigmaRec != 0 || m.SigmaIn != 0 || m.Sigmoid || m.LossName() != models.LossCE {
		t.Errorf("default model: %+v", m)
	}
}

// TestStepNoiseInput: with σ_x the batch's inputs get a copy with noise of
// standard deviation σ_x; the batch itself is unchanged; the draws follow
// the recurrent noise of the same stream.
func TestStepNoiseInput(t *testing.T) {
	m := Config{Paper: true, Hidden: 8}.Model()
	b := &tasks.Batch{T: 50, B: 4, ObsSize: m.NumInput, Inputs: make([]float32, 50*4*m.NumInput)}
	noise, nb := training.StepNoise(m, 1, 7, b)
	if len(noise) != 50*4*8 || nb == b || slices.ContainsFunc(b.Inputs, func(v float32) bool { return v != 0 }) {
		t.Fatalf("noise %d values, new batch %v, batch changed", len(noise), nb != b)
	}
	var s2 float64
	for _, v := range nb.Inputs {
		s2 += float64(v) * float64(v)
	}
	if sd := math.Sqrt(s2 / float64(len(nb.Inputs))); math.Abs(sd-PaperSigmaIn) > 0.001 {
		t.Errorf("input noise sd %v, want %v", sd, PaperSigmaIn)
	}
	noise2, _ := training.StepNoise(m, 1, 7, b)
	if !slices.Equal(noise, noise2) {
		t.Error("same seed and step gave other noise")
	}
	m.SigmaRec = 0 // the input noise's draws then start the stream
	noise3, nb3 := training.StepNoise(m, 1, 7, b)
	first := rand.New(rand.NewPCG(seeds.Noise(1), 7)).NormFloat64()
	if noise3 != nil || nb3.Inputs[0] != float32(PaperSigmaIn*first) {
		t.Errorf("without σ_rec: noise %d values, first input %v, want %v", len(noise3), nb3.Inputs[0], float32(PaperSigmaIn*first))
	}
}

// TestPaperTrains runs the paper's setup for a few steps on a small
// network: the batches carry the MSE targets (the engine refuses them
// otherwise), the loss is finite, and every evaluation is the paper's
// measure, recomputed here with PaperCorrect on the same trials.
func TestPaperTrains(t *testing.T) {
	cfg := smallConfig()
	cfg.Paper, cfg.Steps = true, 4
	tr, err := NewTrainer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if tr.Step() != 4 {
		t.Fatalf("%d steps, want 4", tr.Step())
	}
	last := tr.Meta.History[len(tr.Meta.History)-1]
	if !(last.Loss > 0) || math.IsInf(last.Loss, 0) {
		t.Errorf("loss %v, want finite > 0", last.Loss)
	}
	acc, err := Evaluate(tr.Engine, tr.Params, 6, 11)
	if err != nil {
		t.Fatal(err)
	}
	sched, err := NewSchedule(PaperDt, false)
	if err != nil {
		t.Fatal(err)
	}
	sched.Seed(11)
	for k, s := range ShortNames() {
		trs, err := TaskTrials(sched, k, 6)
		if err != nil {
			t.Fatal(err)
		}
		_, lg, err := RunTrials(tr.Engine, tr.Params, trs)
		if err != nil {
			t.Fatal(err)
		}
		c := 0
		for i, trial := range trs {
			if PaperCorrect(trial, lg[i], tr.Params.NumOutput) {
				c++
			}
		}
		if want := float64(c) / 6; acc[k] != want {
			t.Errorf("%s: Evaluate %v, PaperCorrect on the same trials %v", s, acc[k], want)
		}
	}
}
