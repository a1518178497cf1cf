package yang2019_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
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
