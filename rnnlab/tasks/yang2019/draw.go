package yang2019

import (
	"math"
	"math/rand/v2"
)

// uniform draws from U[lo, hi) (numpy's rng.uniform(lo, hi)).
func uniform(rng *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }

// choice draws one of vs with equal probability (numpy's rng.choice(vs)).
func choice(rng *rand.Rand, vs ...float64) float64 { return vs[rng.IntN(len(vs))] }

// sign draws +1 or −1 with probability 1/2 each.
func sign(rng *rand.Rand) float64 { return choice(rng, 1, -1) }

// modality draws a modality, 0 or 1, with probability 1/2 each (task.py's
// rng.choice([1, 2]), which counts modalities from 1).
func modality(rng *rand.Rand) int { return rng.IntN(2) }

// twoLocs draws the directions of the two stimuli of the dm tasks:
//
//	loc1 ~ U[0, 2π),  loc2 = (loc1 + σ·δ) mod 2π,  δ ~ U[π/2, 3π/2), σ = ±1
//
// so the two are at least π/2 apart.
func twoLocs(rng *rand.Rand) (loc1, loc2 float64) {
	dist := uniform(rng, 0.5*math.Pi, 1.5*math.Pi) * sign(rng)
	loc1 = uniform(rng, 0, 2*math.Pi)
	return loc1, wrap(loc1 + dist)
}

// strengths draws the two strengths of a decision (task.py's
// contextdm_genstim, and _dm and _delaydm inline):
//
//	s1 = μ + σc,  s2 = μ − σc,  μ ~ U[0.8, 1.2), c uniform over cohs, σ = ±1
func strengths(rng *rand.Rand, cohs []float64) (s1, s2 float64) {
	mean := uniform(rng, 0.8, 1.2)
	coh := choice(rng, cohs...)
	sg := sign(rng)
	return mean + coh*sg, mean - coh*sg
}

// split divides a strength s between the two modalities as multidm and
// multidelaydm do:
//
//	s_mod1 = s + Δ/2,  s_mod2 = s − Δ/2,  Δ = s·v·σ, v ~ U[0.2, 0.8), σ = ±1
//
// so that s_mod1 + s_mod2 = 2s.
func split(rng *rand.Rand, s float64) (m1, m2 float64) {
	diff := s * uniform(rng, 0.2, 0.8) * sign(rng)
	return s + diff/2, s - diff/2
}
