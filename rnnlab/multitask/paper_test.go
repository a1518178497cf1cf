package multitask

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// TestPaperConfig: Paper selects the paper's network (leaky softplus
// cell, 85 inputs, 33 sigmoid outputs with the masked MSE, dt 20, σ_rec
// 0.05, input noise σ_x·sqrt(2/α)) and training (batch 64, 10^7 trials,
// gradients clipped to 1), keeping the fields set explicitly; the default
// run has none of them.
func TestPaperConfig(t *testing.T) {
	c := Config{Paper: true}.WithDefaults()
	if c.BatchSize != 64 || c.Steps != 156250 || c.ClipValue != 1 || c.Dt != 20 || c.Targets["dm1"] != PaperTarget {
		t.Errorf("paper defaults: %+v", c)
	}
	m := Config{Paper: true}.Model()
	want := models.Config{Cell: models.CellLeaky, Activation: models.ActSoftplus, NumInput: 85, NumHidden: 256, NumOutput: 33,
		Dt: 20, Tau: 100, SigmaRec: 0.05, Loss: models.LossMSE, Sigmoid: true}
	if sd := 0.01 * math.Sqrt(2/0.2); math.Abs(m.SigmaIn-sd) > 1e-12 {
		t.Errorf("paper input noise sd %v, want %v", m.SigmaIn, sd)
	}
	if m.SigmaIn = 0; m != want {
		t.Errorf("paper model\n got %+v\nwant %+v", m, want)
	}
	if m := (Config{Paper: true, Dt: 10, SigmaRec: 0.1, BatchSize: 8}).WithDefaults(); m.Dt != 10 || m.SigmaRec != 0.1 || m.BatchSize != 8 || m.SigmaIn != PaperSigmaIn {
		t.Errorf("paper config with dt 10, σ_rec 0.1, batch 8: %+v", m)
	}
	if m := (Config{}).Model(); m.Dt != DefaultDt || m.SigmaRec != 0 || m.SigmaIn != 0 || m.Sigmoid || m.LossName() != models.LossCE || m.CellName() != models.CellCTRNN {
		t.Errorf("default model: %+v", m)
	}
	if err := (Config{Paper: true, ClipValue: math.Inf(1)}).Validate(); err == nil {
		t.Error("an infinite clip value was accepted")
	}
}

// TestStepNoiseInput: the paper's input noise has standard deviation
// σ_x·sqrt(2/α) = 0.01·sqrt(10) on every one of the 85 inputs; the batch
// itself is unchanged; the same seed and step give the same noise.
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
	want := PaperSigmaIn * math.Sqrt(2/0.2)
	if sd := math.Sqrt(s2 / float64(len(nb.Inputs))); math.Abs(sd-want) > 0.002 {
		t.Errorf("input noise sd %v, want %v", sd, want)
	}
	noise2, _ := training.StepNoise(m, 1, 7, b)
	if !slices.Equal(noise, noise2) {
		t.Error("same seed and step gave other noise")
	}
}

// TestPaperTrains runs the paper's setup for a few steps on a small
// network: the loss is finite and positive, the weights move, and every
// evaluation is the paper's measure: recomputed here trial by trial on the
// same trials with the plain-Go forward pass (models.Params.Forward) and
// yang2019.Correct.
func TestPaperTrains(t *testing.T) {
	cfg := smallConfig()
	cfg.Paper, cfg.Steps = true, 4
	tr, err := NewTrainer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w0 := slices.Clone(tr.Params.Values[1])
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if tr.Step() != 4 {
		t.Fatalf("%d steps, want 4", tr.Step())
	}
	if slices.Equal(w0, tr.Params.Values[1]) {
		t.Error("the recurrent weights did not move")
	}
	if js, err := json.Marshal(tr.Meta.History[0]); err != nil || !strings.Contains(string(js), `"loss":null`) {
		t.Errorf("the evaluation before the first step: %s (%v), want a null loss", js, err)
	}
	last := tr.Meta.History[len(tr.Meta.History)-1]
	if l := float64(last.Loss); !(l > 0) || math.IsInf(l, 0) {
		t.Errorf("loss %v, want finite > 0", last.Loss)
	}
	const n = 40 // two batches: 32 and 8
	acc, err := Evaluate(tr.Engine, tr.Params, n, 11)
	if err != nil {
		t.Fatal(err)
	}
	p := tr.Params
	for r, rule := range yang2019.Rules() {
		rng := rand.New(rand.NewPCG(11, uint64(r)))
		c := 0
		for _, bs := range []int{32, 8} {
			b, info, err := yang2019.Generate(rule, bs, p.Dt, rng)
			if err != nil {
				t.Fatal(err)
			}
			for i, tl := range info.Trials {
				xs := make([]float32, b.T*b.ObsSize)
				for s := range b.T {
					copy(xs[s*b.ObsSize:(s+1)*b.ObsSize], b.Inputs[(s*b.B+i)*b.ObsSize:(s*b.B+i+1)*b.ObsSize])
				}
				_, out := p.Forward(xs)
				y := make([]float32, p.NumOutput)
				for k, v := range out[(b.T-1)*p.NumOutput:] {
					y[k] = float32(1 / (1 + math.Exp(-float64(v))))
				}
				if yang2019.Correct(y, tl.YLoc) {
					c++
				}
			}
		}
		// The engine and the plain-Go forward pass agree to float32
		// rounding; a verdict may flip only at a threshold.
		if want := float64(c) / n; math.Abs(acc[r]-want) > 1.5/n {
			t.Errorf("%s: Evaluate %v, trial by trial %v", rule, acc[r], want)
		}
	}
}
