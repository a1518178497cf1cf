package yang2019

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// family generates the plans of one rule in task.py's two modes.
type family struct {
	// random draws a batch of B trials (mode 'random').
	random func(rng *rand.Rand, B int, dt float64) *plan
	// test lays out the rule's fixed test batch (mode 'test').
	test func(dt float64) *plan
}

// families holds the generator of each rule, in the order of rules.
var families = [NumRules]family{
	reach(fd, false), reach(react, false), reach(delay, false),
	reach(fd, true), reach(react, true), reach(delay, true),
	dm(dmRule{kind: single, mod: 0}), dm(dmRule{kind: single, mod: 1}),
	dm(dmRule{kind: context, mod: 0}), dm(dmRule{kind: context, mod: 1}),
	dm(dmRule{kind: multi}),
	dm(dmRule{kind: single, mod: 0, delayed: true}), dm(dmRule{kind: single, mod: 1, delayed: true}),
	dm(dmRule{kind: context, mod: 0, delayed: true}), dm(dmRule{kind: context, mod: 1, delayed: true}),
	dm(dmRule{kind: multi, delayed: true}),
	match(matchRule{}), match(matchRule{nogo: true}),
	match(matchRule{category: true}), match(matchRule{category: true, nogo: true}),
}

// MaxDt is the largest time step Generate accepts, in ms: with dt ≤ 100
// every period task.py defines is at least one step long where it is not
// zero by design, and the mask's first 100 ms are at least one step.
const MaxDt = 100.0

// checkDt returns an error unless 0 < dt ≤ MaxDt.
func checkDt(dt float64) error {
	if !(dt > 0 && dt <= MaxDt) {
		return fmt.Errorf("yang2019: dt must be in (0, %g] ms, got %v", MaxDt, dt)
	}
	return nil
}

// Generate makes a training batch of batchSize trials of rule, with time
// step dt ms (the paper's is 20), as task.py's generate_trials(rule, hp,
// 'random', noise_on=False) does: the period durations are drawn once for
// the whole batch, the stimuli per trial (see the package doc for each
// rule's distributions). Every draw comes from rng.
//
// The batch is time-major with T steps (task.py's tdim): Inputs
// [T][B][85], Targets and Mask [T][B][33], with b = trial, t = step,
// u = Tuning, t_r = Info.ResponseOn, t_c = Info.CheckOn:
//
//	Inputs[t][b][0]            = 1 while the fixation input is on (rule by rule, see the package doc)
//	Inputs[t][b][1+32m+k]      = Σ_s Strength[s][m]·u_k(Loc[s]) over the stimuli s shown at t
//	Inputs[t][b][65+RuleIndex] = 1
//	Targets[t][b][0]           = 0.8 for t < t_r or a no-go trial, else 0.05
//	Targets[t][b][1+k]         = 0.05 + u_k(y_loc) for t ≥ t_r on a go trial, else 0.05
//	Mask[t][b][o]              = 0 (t < ⌊100/dt⌋), 1 (t < t_r), 0 (t < t_c), 5 (t ≥ t_c); ×2 for o = 0
//
// and Labels [T][B]: 0 while the target is to fixate (before
// Info.ResponseOn, and on the whole of a no-go trial), 1 + NearestUnit(y_loc)
// while the target is a response. Targets and Mask are what
// models.LossMSE takes: the cost 1/(T·B·33) Σ (Mask·(y − Target))².
// No input noise is added (see the package doc).
//
// An unknown rule, batchSize < 1, dt outside (0, 100] or a nil rng is an
// error.
func Generate(rule string, batchSize int, dt float64, rng *rand.Rand) (*tasks.Batch, *Info, error) {
	r, err := RuleIndex(rule)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case batchSize < 1:
		return nil, nil, fmt.Errorf("yang2019: batch size must be >= 1, got %d", batchSize)
	case rng == nil:
		return nil, nil, errors.New("yang2019: nil random number generator")
	}
	if err := checkDt(dt); err != nil {
		return nil, nil, err
	}
	b, info := render(r, dt, families[r].random(rng, batchSize, dt))
	return b, info, nil
}

// GenerateTest makes the fixed test batch of rule at time step dt ms, as
// task.py's generate_trials(rule, hp, 'test', noise_on=False) does: a grid
// of directions (and modalities or strengths) with fixed timing, the same
// on every call. Sizes: 40 trials for the go and anti rules, 100 for dm1,
// dm2, delaydm1 and delaydm2, 500 for the context and multi-sensory
// rules, 80 for the matching rules, all of them go trials. The paper's
// task variance (analysis/variance.py) runs these batches with no noise
// (no input noise, σ_rec = 0) and keeps the steps from the end of the
// fix1 epoch (Info.Epochs[0].End): per unit, the variance across trials
// at each step, averaged over the steps. An unknown rule or dt outside
// (0, 100] is an error.
func GenerateTest(rule string, dt float64) (*tasks.Batch, *Info, error) {
	r, err := RuleIndex(rule)
	if err != nil {
		return nil, nil, err
	}
	if err := checkDt(dt); err != nil {
		return nil, nil, err
	}
	b, info := render(r, dt, families[r].test(dt))
	return b, info, nil
}
