package training

import (
	"math/rand/v2"
	"slices"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// StepNoise draws the noise of training step k (1-based) of a run with seed
// seed, from PCG(seeds.Noise(seed), k): first the recurrent noise, T·B·H
// standard-normal values (nil when cfg.SigmaRec is 0), then the input
// noise. When cfg.SigmaIn > 0 it returns a copy of b whose inputs carry
// SigmaIn·ξ; otherwise b itself. The same (seed, k) gives the same draws,
// so a resumed run sees the noise an uninterrupted one would.
func StepNoise(cfg models.Config, seed uint64, k int, b *tasks.Batch) (noise []float32, out *tasks.Batch) {
	out = b
	if cfg.SigmaRec == 0 && cfg.SigmaIn == 0 {
		return nil, out
	}
	rng := rand.New(rand.NewPCG(seeds.Noise(seed), uint64(k)))
	if cfg.SigmaRec > 0 {
		noise = make([]float32, b.T*b.B*cfg.NumHidden)
		for i := range noise {
			noise[i] = float32(rng.NormFloat64())
		}
	}
	if cfg.SigmaIn > 0 {
		c := *b
		c.Inputs = slices.Clone(b.Inputs)
		for i := range c.Inputs {
			c.Inputs[i] += float32(cfg.SigmaIn * rng.NormFloat64())
		}
		out = &c
	}
	return noise, out
}
