package multitask

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// TestLesionLeaky checks that a lesioned unit of a leaky network no longer
// reaches the outputs: changing its input weights leaves every logit as it
// was, while the same change on an intact unit moves them.
func TestLesionLeaky(t *testing.T) {
	cfg := models.Config{Cell: models.CellLeaky, NumInput: 5, NumHidden: 12, NumOutput: 4, Dt: 20, Tau: 100, Activation: models.ActSoftplus}
	p, err := models.LeakyInit(cfg, 2, models.LeakyRandOrtho)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]float32, 30*cfg.NumInput)
	for i := range xs {
		xs[i] = float32(rng.NormFloat64())
	}
	q, err := Lesion(p, []int{3, 7})
	if err != nil {
		t.Fatal(err)
	}
	_, base := q.Forward(xs)
	kick := func(unit int) []float32 {
		r := q.Clone()
		wir := r.Get("w_ir")
		for i := range cfg.NumInput {
			wir[i*cfg.NumHidden+unit] += 1
		}
		_, out := r.Forward(xs)
		return out
	}
	if !slices.Equal(kick(7), base) {
		t.Error("a lesioned unit still reaches the outputs")
	}
	if slices.Equal(kick(4), base) {
		t.Error("an intact unit does not reach the outputs")
	}
}
