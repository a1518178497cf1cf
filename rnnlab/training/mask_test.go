package training

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

// TestMaskedWeightsStayZero trains a CTRNN with a random 0/1 connectivity
// mask (about 30 % zeros) for 50 steps, with a weight penalty, on the CPU
// and GoMLX engines: the masked-out recurrent weights must be exactly 0 at
// the end and the others must have moved.
func TestMaskedWeightsStayZero(t *testing.T) {
	for _, name := range []string{models.EngineCPU, models.EngineGoMLX} {
		t.Run(name, func(t *testing.T) {
			ds, cfg, err := NewTaskDataset(Config{Steps: 50, Seed: 5, WeightL1: 1e-3, WeightL2: 1e-3})
			if err != nil {
				t.Fatal(err)
			}
			p, err := models.NewParams(cfg.Model, seeds.Params(cfg.Seed))
			if err != nil {
				t.Fatal(err)
			}
			H := cfg.Model.NumHidden
			rng := rand.New(rand.NewPCG(11, 12))
			p.Mask = make([]float32, H*H)
			for i := range p.Mask {
				if rng.Float64() >= 0.3 {
					p.Mask[i] = 1
				}
			}
			w0 := p.EffectiveRecurrent()
			eng, err := models.NewEngine(name, cfg.Model)
			if err != nil {
				t.Fatal(err)
			}
			_, q, err := Train(context.Background(), cfg, eng, ds, p, Hooks{Log: &bytes.Buffer{}, NoProgress: true})
			if err != nil {
				t.Fatal(err)
			}
			moved := 0
			for i, m := range q.Mask {
				w := q.Values[1][i]
				switch {
				case m == 0 && w != 0:
					t.Fatalf("w_rr[%d] is masked out but is %g after 50 steps", i, w)
				case m != 0 && w != w0[i]:
					moved++
				}
			}
			if moved == 0 {
				t.Errorf("no unmasked recurrent weight moved in 50 steps")
			}
		})
	}
}
