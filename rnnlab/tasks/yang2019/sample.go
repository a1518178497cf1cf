package yang2019

import (
	"math"
	"math/rand/v2"
)

// RuleWeight returns the relative probability with which the paper's
// main networks (experiment.train_all: rule_prob_map {contextdm1: 5,
// contextdm2: 5}) train on rule: 5 for contextdm1 and contextdm2, 1 for
// the eighteen others, so rule r is drawn with probability w_r/28. An
// unknown rule has weight 0.
func RuleWeight(rule string) float64 {
	switch rule {
	case "contextdm1", "contextdm2":
		return 5
	}
	if _, err := RuleIndex(rule); err != nil {
		return 0
	}
	return 1
}

// TrainStep returns the rule of training step k of a run with seed seed,
// drawn with probability RuleWeight(rule)/28, and the generator from which
// that step's batch is drawn (Generate). Both depend on (seed, k) only: a
// PCG seeded with (seed, k mixed by SplitMix64) draws the rule first, then
// serves the batch, so a resumed run repeats every step exactly.
func TrainStep(seed uint64, k int) (string, *rand.Rand) {
	rng := rand.New(rand.NewPCG(seed, mix(uint64(k))))
	var total float64
	for _, r := range rules {
		total += RuleWeight(r)
	}
	u := rng.Float64() * total
	for _, r := range rules {
		if u < RuleWeight(r) {
			return r, rng
		}
		u -= RuleWeight(r)
	}
	return rules[NumRules-1], rng // u rounded onto total
}

// RuleAt returns the rule of training step k of a run with seed seed (the
// rule of TrainStep).
func RuleAt(seed uint64, k int) string {
	r, _ := TrainStep(seed, k)
	return r
}

// mix is SplitMix64's finaliser: it spreads consecutive step numbers over
// the whole 64-bit range before they seed a PCG.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// InputNoiseStd returns the standard deviation of the input noise of
// task.py's add_x_noise, σ_x·sqrt(2/α), for input noise σ_x and α = dt/τ:
// 0.01·sqrt(2/0.2) ≈ 0.0316 in the paper. It is the value of
// models.Config.SigmaIn that reproduces the paper's input noise.
func InputNoiseStd(sigmaX, alpha float64) float64 { return sigmaX * math.Sqrt(2/alpha) }
