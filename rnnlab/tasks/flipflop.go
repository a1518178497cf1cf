package tasks

import (
	"fmt"
	"math"
)

// FlipFlopName is the registry id of FlipFlop.
const FlipFlopName = "FlipFlop-v0"

// Defaults of FlipFlopConfig: the 3-bit flip-flop of Sussillo & Barak
// (2013) as Golub & Sussillo's FixedPointFinder generates it
// (FlipFlopData: n_bits 3, n_time 64, p 0.5).
const (
	DefaultFlipFlopBits  = 3
	DefaultFlipFlopSteps = 64
	DefaultFlipFlopP     = 0.5
	// MaxFlipFlopBits bounds Bits: the label codes the state of every
	// channel, so the task has 2^Bits actions.
	MaxFlipFlopBits = 12
)

// FlipFlopConfig configures FlipFlop. The zero value is the 3-bit
// flip-flop of FixedPointFinder; every zero field means its default.
type FlipFlopConfig struct {
	// Bits is the number of channels K, each one input and one output
	// (default 3, at most MaxFlipFlopBits).
	Bits int
	// P is the probability of a pulse on a channel at a step after the
	// first, in (0, 1] (default 0.5).
	P float64
	// Steps is the number of time steps T of a trial (default 64).
	Steps int
	// Dt is the nominal time step in ms (default 1); the task counts steps,
	// so it changes nothing but the reported Dt.
	Dt float64
	// Seed seeds the task's random number generator (default 0).
	Seed uint64
}

// FlipFlopTrial is the record of a FlipFlop trial.
type FlipFlopTrial struct {
	// Pulses is the number of non-zero inputs over all channels and steps
	// (at least Bits: every channel pulses at step 0).
	Pulses int
	// Final is the state code of the last step, Σ_k [s_k = +1] 2^k.
	Final int
}

// Fields returns pulses and final.
func (r FlipFlopTrial) Fields() []Field {
	return []Field{IntField("pulses", r.Pulses), IntField("final", r.Final)}
}

// flipFlopDef is the Def of FlipFlop.
type flipFlopDef struct {
	bits, steps int
	p, dt       float64
}

// NewFlipFlop returns the K-bit flip-flop memory task (Sussillo & Barak
// 2013), seeded with cfg.Seed, as FixedPointFinder's FlipFlopData draws it.
//
// A trial has T = Steps steps and one period, "trial". Channel k of the
// input at step t is
//
//	u_t[k] = e_tk σ_tk,  e_0k = 1,  e_tk ~ Bernoulli(p) (t > 0),  σ_tk = ±1 with probability 1/2
//
// and the state of channel k is the sign of its last pulse,
//
//	s_t[k] = u_τ[k],  τ = max{τ' ≤ t : u_τ'[k] ≠ 0},
//
// which exists at every step since every channel pulses at step 0. The
// target output of channel k is s_t[k] ∈ {-1, +1} (FlipFlopTargets writes
// it for the mean squared error with an identity read-out of K outputs).
// The label, the task's discrete action, is the state code
//
//	y_t = Σ_k [s_t[k] = +1] 2^k ∈ [0, 2^K),
//
// so a cross-entropy network of 2^K outputs classifies the corner of the
// cube {-1, +1}^K the trial is at. The step rewards "correct" (1) when the
// action equals the label and 0 otherwise; the trial's performance is 1
// if the action at the last step is correct. Because every channel pulses
// at step 0 the state never depends on an earlier trial, so trials
// concatenated by Dataset stay independent. Records are FlipFlopTrial.
// Bad fields are a one-line error.
func NewFlipFlop(cfg FlipFlopConfig) (*Env, error) {
	d := &flipFlopDef{bits: cfg.Bits, steps: cfg.Steps, p: cfg.P}
	if d.bits == 0 {
		d.bits = DefaultFlipFlopBits
	}
	if d.steps == 0 {
		d.steps = DefaultFlipFlopSteps
	}
	if d.p == 0 {
		d.p = DefaultFlipFlopP
	}
	var err error
	switch {
	case d.bits < 1 || d.bits > MaxFlipFlopBits:
		err = fmt.Errorf("bits must be in [1, %d], got %d", MaxFlipFlopBits, d.bits)
	case d.steps < 1:
		err = fmt.Errorf("steps must be >= 1, got %d", d.steps)
	case !(d.p > 0 && d.p <= 1):
		err = fmt.Errorf("pulse probability p must be in (0, 1], got %v", d.p)
	default:
		d.dt, err = resolveDt(cfg.Dt, 1)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FlipFlopName, err)
	}
	return NewEnv(d, cfg.Seed)
}

// Spec lays out the input channels "pulses" {0..K-1}, the 2^K actions
// "state", the reward "correct" and the period "trial" of T·dt ms.
func (d *flipFlopDef) Spec() Spec {
	return Spec{
		Name: FlipFlopName, Dt: d.dt, Timing: Timing{"trial": Constant(float64(d.steps) * d.dt)},
		Obs:     []Group{{"pulses", seq(0, d.bits)}},
		Actions: []Group{{"state", seq(0, 1<<d.bits)}},
		Rewards: []NamedValue{{"correct", 1}},
	}
}

// NewTrial draws the pulses step by step (for each step, each channel: the
// pulse with probability p, then its sign) and sets the state codes.
func (d *flipFlopDef) NewTrial(b *Builder) Record {
	b.Period("trial", 0, d.steps)
	tr := b.Trial()
	state := make([]bool, d.bits) // s_k = +1
	var r FlipFlopTrial
	for t := 0; t < d.steps; t++ {
		row := tr.ObsAt(t)
		code := 0
		for k := 0; k < d.bits; k++ {
			if t == 0 || b.Rng.Float64() < d.p {
				up := b.Rng.IntN(2) == 1
				state[k] = up
				row[k] = -1
				if up {
					row[k] = 1
				}
				r.Pulses++
			}
			if state[k] {
				code |= 1 << k
			}
		}
		tr.Labels[t] = code
	}
	r.Final = tr.Labels[d.steps-1]
	return r
}

// Step rewards an action equal to the state code; at the last step it sets
// the trial's performance to whether the action was correct.
func (d *flipFlopDef) Step(e *Env, action int) Outcome {
	ok := action == e.Label()
	if e.StepIndex() == e.Current().N-1 {
		e.SetPerformance(map[bool]float64{false: 0, true: 1}[ok])
	}
	if ok {
		return Outcome{Reward: e.Reward("correct")}
	}
	return Outcome{}
}

// FlipFlopState returns the state s ∈ {-1, +1}^bits of a state code y:
// s[k] = +1 if bit k of y is set, else -1.
func FlipFlopState(code, bits int) []float32 {
	s := make([]float32, bits)
	for k := range s {
		s[k] = -1
		if code>>k&1 == 1 {
			s[k] = 1
		}
	}
	return s
}

// FlipFlopTargets fills b.Targets and b.Mask, each row-major [T][B][bits],
// from the state codes in b.Labels: Targets[t][b] = FlipFlopState(y_tb)
// and Mask = 1, so that models.LossMSE with bits outputs and an identity
// read-out computes 1/(T B K) Σ (y − s)². It returns a one-line error, and
// leaves b unchanged, for bits outside [1, MaxFlipFlopBits], labels that
// are not T·B long or a label outside [0, 2^bits).
func FlipFlopTargets(b *Batch, bits int) error {
	switch {
	case b == nil:
		return fmt.Errorf("tasks: flip-flop targets: nil batch")
	case bits < 1 || bits > MaxFlipFlopBits:
		return fmt.Errorf("tasks: flip-flop targets: bits must be in [1, %d], got %d", MaxFlipFlopBits, bits)
	case b.T < 0 || b.B < 0 || len(b.Labels) != b.T*b.B:
		return fmt.Errorf("tasks: flip-flop targets: batch has %d labels, want T*B = %d*%d", len(b.Labels), b.T, b.B)
	}
	for i, y := range b.Labels {
		if y < 0 || int(y) >= 1<<bits {
			return fmt.Errorf("tasks: flip-flop targets: label %d at step %d, trial %d is outside [0, %d)", y, i/max(b.B, 1), i%max(b.B, 1), 1<<bits)
		}
	}
	n := len(b.Labels) * bits
	targets, mask := make([]float32, n), make([]float32, n)
	for i, y := range b.Labels {
		copy(targets[i*bits:], FlipFlopState(int(y), bits))
		for k := 0; k < bits; k++ {
			mask[i*bits+k] = 1
		}
	}
	b.Targets, b.Mask = targets, mask
	return nil
}

// FlipFlopDataset is a Dataset of FlipFlop trials whose batches carry the
// flip-flop's MSE targets (FlipFlopTargets): a network with Bits outputs,
// models.LossMSE and no sigmoid learns to hold each channel's sign. It
// implements training.Dataset; the trainer uses the batch's own targets.
type FlipFlopDataset struct {
	*Dataset
	bits int
}

// NewFlipFlopDataset builds FlipFlop(cfg) and a Dataset of it with dc (see
// NewDataset; a SeqLen that is a multiple of cfg.Steps keeps every batch
// aligned to trials). Bad fields are a one-line error.
func NewFlipFlopDataset(cfg FlipFlopConfig, dc DatasetConfig) (*FlipFlopDataset, error) {
	env, err := NewFlipFlop(cfg)
	if err != nil {
		return nil, err
	}
	ds, err := NewDataset(env, dc)
	if err != nil {
		return nil, err
	}
	return &FlipFlopDataset{Dataset: ds, bits: env.ObsSize()}, nil
}

// Bits returns the number of channels K (inputs and MSE outputs).
func (d *FlipFlopDataset) Bits() int { return d.bits }

// Next returns the next batch with its targets and mask, or nil when the
// Dataset's MaxBatch ends an iteration.
func (d *FlipFlopDataset) Next() *Batch {
	b := d.Dataset.Next()
	if b == nil {
		return nil
	}
	if err := FlipFlopTargets(b, d.bits); err != nil { // labels come from the task: cannot fail
		panic(err)
	}
	return b
}

// FlipFlopError returns the root mean squared error sqrt(1/(T B K) Σ (y −
// s)²) of outputs y, row-major [T][B][K] like b.Targets, against the
// batch's flip-flop targets s, and the fraction of (step, trial, channel)
// entries where sign(y) = s. b must carry targets (FlipFlopTargets).
func FlipFlopError(b *Batch, outputs []float32) (rmse, signAcc float64, err error) {
	if b == nil || len(b.Targets) == 0 || len(outputs) != len(b.Targets) {
		n := 0
		if b != nil {
			n = len(b.Targets)
		}
		return 0, 0, fmt.Errorf("tasks: flip-flop error: %d outputs for %d targets", len(outputs), n)
	}
	var se float64
	var hit int
	for i, s := range b.Targets {
		e := float64(outputs[i] - s)
		se += e * e
		if (outputs[i] > 0) == (s > 0) {
			hit++
		}
	}
	n := float64(len(b.Targets))
	return math.Sqrt(se / n), float64(hit) / n, nil
}

func init() {
	RegisterEnv(FlipFlopName, NewFlipFlop)
}
