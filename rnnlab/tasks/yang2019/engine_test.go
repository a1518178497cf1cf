package yang2019_test

import (
	"context"
	"io"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// TestBatchTrainsAsIs feeds a batch of every family to rnnlab's CPU engine
// with the paper's read-out and loss (sigmoid outputs, masked squared
// error) and checks the engine's loss against the paper's cost computed
// here from its logits: mean over T·B·33 of (c·(sigmoid(o) − target))².
func TestBatchTrainsAsIs(t *testing.T) {
	cfg := models.Config{NumInput: 85, NumHidden: 8, NumOutput: 33, Dt: 20, Tau: 100, Activation: "softplus",
		Sigmoid: true, Loss: models.LossMSE}
	eng, err := models.NewCPUEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := models.NewParams(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, rule := range []string{"delayanti", "multidm", "dmcnogo"} {
		b, _, err := yang2019.Generate(rule, 5, 20, rng)
		if err != nil {
			t.Fatal(err)
		}
		res, err := eng.LossAndGrad(p, b, nil)
		if err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		var sum float64
		for i, o := range res.Logits {
			d := float64(b.Mask[i]) * (1/(1+math.Exp(-float64(o))) - float64(b.Targets[i]))
			sum += d * d
		}
		want := sum / float64(len(res.Logits))
		if math.Abs(float64(res.Loss)-want) > 1e-5*want {
			t.Errorf("%s: engine loss %v, paper's cost %v", rule, res.Loss, want)
		}
	}
}

// TestStreamTrains runs rnnlab's training loop on a Stream for a few steps
// with the paper's read-out and loss: it takes the batches as they come
// (their lengths differ from step to step) and the stream ends where the
// loop stopped.
func TestStreamTrains(t *testing.T) {
	model := models.Config{NumInput: 85, NumHidden: 8, NumOutput: 33, Dt: 20, Tau: 100, Activation: "softplus",
		Sigmoid: true, Loss: models.LossMSE, SigmaIn: yang2019.InputNoiseStd(0.01, 0.2)}
	cfg := training.Config{Steps: 6, LogEvery: 3, Seed: 1, BatchSize: 4, Model: model, Dt: 20}
	data, err := yang2019.NewStream(seeds.Data(cfg.Seed), cfg.BatchSize, 20)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := models.NewCPUEngine(model)
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := training.Train(context.Background(), cfg, eng, data, nil, training.Hooks{Log: io.Discard, NoProgress: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.Steps != 6 || data.Step() != 6 || math.IsNaN(s.FinalLoss) || !(s.FinalLoss > 0) {
		t.Fatalf("summary %+v, stream at step %d", s, data.Step())
	}
}
