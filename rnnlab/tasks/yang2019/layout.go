package yang2019

import (
	"fmt"
	"math"
)

// The layout of task.py's rule set 'all' with train.get_default_hp's
// defaults (gyyang/multitask).
const (
	// NRing is the number of units of each stimulus ring and of the output
	// ring (hp['n_eachring']). Unit k prefers the direction θ_k = 2πk/32.
	NRing = 32
	// NumRules is the number of rules of the rule set 'all'.
	NumRules = 20
	// RuleStart is the input index of the first rule input
	// (hp['rule_start'] = 1 + 2·32): rule r (its index in Rules) is input
	// RuleStart + r.
	RuleStart = 1 + 2*NRing
	// NumInput is the number of inputs, 1 + 2·32 + 20 = 85: input 0 is the
	// fixation input, 1..32 the ring of modality 1, 33..64 the ring of
	// modality 2, 65..84 the one-hot rule inputs.
	NumInput = RuleStart + NumRules
	// NumOutput is the number of outputs, 1 + 32 = 33: output 0 is the
	// fixation output, output 1+k the ring unit preferring θ_k.
	NumOutput = 1 + NRing
	// NoResponse is the response direction (task.py's y_loc = −1) of a
	// trial whose answer is to keep fixating (the no-go trials).
	NoResponse = -1.0
)

// The paper's defaults (train.get_default_hp), for Generate and NewStream.
const (
	// Dt is the paper's time step in ms (α = dt/τ = 20/100 = 0.2).
	Dt = 20.0
	// BatchSize is the paper's training batch size.
	BatchSize = 64
)

// rules lists the rule set 'all' in task.py's order, which is also the
// order of the rule inputs.
var rules = [NumRules]string{
	"fdgo", "reactgo", "delaygo", "fdanti", "reactanti", "delayanti",
	"dm1", "dm2", "contextdm1", "contextdm2", "multidm",
	"delaydm1", "delaydm2", "contextdelaydm1", "contextdelaydm2", "multidelaydm",
	"dmsgo", "dmsnogo", "dmcgo", "dmcnogo",
}

// Rules returns the twenty rule names in task.py's order (rules_dict['all']):
// fdgo, reactgo, delaygo, fdanti, reactanti, delayanti, dm1, dm2,
// contextdm1, contextdm2, multidm, delaydm1, delaydm2, contextdelaydm1,
// contextdelaydm2, multidelaydm, dmsgo, dmsnogo, dmcgo, dmcnogo.
func Rules() []string { return append([]string(nil), rules[:]...) }

// RuleIndex returns the index r of rule in Rules; its rule input is
// RuleStart + r. An unknown rule is an error.
func RuleIndex(rule string) (int, error) {
	for i, r := range rules {
		if r == rule {
			return i, nil
		}
	}
	return 0, fmt.Errorf("yang2019: unknown rule %q (want one of fdgo ... dmcnogo, see Rules)", rule)
}

// Pref returns θ_k = 2πk/32, the preferred direction of ring unit k
// (task.py's pref = np.arange(0, 2π, 2π/32)).
func Pref(k int) float64 { return float64(k) * (2 * math.Pi / NRing) }

// Dist returns the periodic distance min(|a|, 2π − |a|) of an angle
// difference a in (−2π, 2π) (task.py's get_dist).
func Dist(a float64) float64 {
	a = math.Abs(a)
	return math.Min(a, 2*math.Pi-a)
}

// Tuning returns the ring's response to direction loc: for each unit k,
//
//	u_k = 0.8 exp(−d_k²/2),  d_k = Dist(loc − θ_k)/(π/8)
//
// task.py's add_x_loc for the inputs and add_y_loc for the targets (lsq
// loss): the same bump, of height 0.8 and width π/8.
func Tuning(loc float64) [NRing]float64 {
	var u [NRing]float64
	for k := range u {
		d := Dist(loc-Pref(k)) / (math.Pi / 8)
		u[k] = 0.8 * math.Exp(-d*d/2)
	}
	return u
}

// NearestUnit returns the ring unit whose preferred direction is nearest
// to loc in [0, 2π): round(loc/(2π/32)) mod 32.
func NearestUnit(loc float64) int {
	return int(math.Round(loc/(2*math.Pi/NRing))) % NRing
}

// wrap returns a mod 2π in [0, 2π), as numpy's % with a positive divisor.
func wrap(a float64) float64 {
	a = math.Mod(a, 2*math.Pi)
	if a < 0 {
		a += 2 * math.Pi
	}
	if a >= 2*math.Pi { // a tiny negative a rounds up to 2π
		a = 0
	}
	return a
}

// steps converts a duration of ms milliseconds to time steps of dt ms as
// task.py does, int(ms/dt): truncated, not rounded.
func steps(ms, dt float64) int { return int(ms / dt) }
