package multitask

import (
	"fmt"
	"math/rand/v2"

	"github.com/rnnlab/rnnlab/rnnlab/internal/stats"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// TaskTrials draws n fresh trials of task k (0..19, the order of
// ShortNames) from sched, with the rule input of task k (the override
// "task"; the scheduled sequence is not used).
func TaskTrials(sched *tasks.Schedule, k, n int) ([]*tasks.Trial, error) {
	out := make([]*tasks.Trial, n)
	for i := range out {
		tr, err := sched.NewTrial(tasks.Override{"task": float64(k)})
		if err != nil {
			return nil, fmt.Errorf("multitask: %w", err)
		}
		if tr.N <= 0 {
			return nil, fmt.Errorf("multitask: task %d drew an empty trial", k)
		}
		out[i] = tr.Clone()
	}
	return out, nil
}

// DecisionStep is the step at which a trial's choice is read, as
// analysis.CollectActivity reads it: the last step of its "decision"
// period, or its last step if it has none.
func DecisionStep(tr *tasks.Trial) int {
	if per, ok := tr.Period("decision"); ok && per.End > per.Start {
		return per.End - 1
	}
	return tr.N - 1
}

// RunTrials runs each trial alone from the zero state, without noise, and
// returns every trial's states [N_i][H] and logits [N_i][O], row-major.
// The trials are padded with zero inputs to the longest one and run as one
// batch through eng.Forward: a step never depends on later inputs, so the
// padding changes none of a trial's own steps.
func RunTrials(eng models.Engine, p *models.Params, trs []*tasks.Trial) (states, logits [][]float32, err error) {
	if len(trs) == 0 {
		return nil, nil, nil
	}
	I, H, O := p.NumInput, p.StateSize(), p.NumOutput
	T, B := 0, len(trs)
	for _, tr := range trs {
		if tr.ObsSize != I {
			return nil, nil, fmt.Errorf("multitask: trial has %d inputs, the network %d", tr.ObsSize, I)
		}
		T = max(T, tr.N)
	}
	b := &tasks.Batch{T: T, B: B, ObsSize: I, Inputs: make([]float32, T*B*I)}
	for i, tr := range trs {
		for t := range tr.N {
			copy(b.Inputs[(t*B+i)*I:(t*B+i+1)*I], tr.ObsAt(t))
		}
	}
	st, lg, err := eng.Forward(p, b)
	if err != nil {
		return nil, nil, fmt.Errorf("multitask: %w", err)
	}
	states, logits = make([][]float32, B), make([][]float32, B)
	for i, tr := range trs {
		s, l := make([]float32, tr.N*H), make([]float32, tr.N*O)
		for t := range tr.N {
			copy(s[t*H:(t+1)*H], st[(t*B+i)*H:(t*B+i+1)*H])
			copy(l[t*O:(t+1)*O], lg[(t*B+i)*O:(t*B+i+1)*O])
		}
		states[i], logits[i] = s, l
	}
	return states, logits, nil
}

// Correct reports whether the network's action at the trial's decision
// step, argmax_k logits[t*][k], is the trial's label there. logits is the
// trial's [N][O].
func Correct(tr *tasks.Trial, logits []float32, O int) bool {
	d := DecisionStep(tr)
	return stats.Argmax(logits[d*O:(d+1)*O]) == tr.Labels[d]
}

// Evaluate measures the decision accuracy of p on n fresh trials of every
// task, each run alone from the zero state (RunTrials, Correct). The trials
// come from the twenty tasks at the network's dt, seeded with seed. It
// returns one accuracy per task, in the order of ShortNames. A network of
// the paper's setup (IsPaperNetwork) is measured on the paper's trials with
// its performance measure instead (EvaluatePaper).
func Evaluate(eng models.Engine, p *models.Params, n int, seed uint64) ([]float64, error) {
	if IsPaperNetwork(p) {
		return EvaluatePaper(eng, p, n, seed)
	}
	sched, err := NewSchedule(p.Dt, false)
	if err != nil {
		return nil, err
	}
	sched.Seed(seed)
	acc := make([]float64, len(ShortNames()))
	for k := range acc {
		trs, err := TaskTrials(sched, k, n)
		if err != nil {
			return nil, err
		}
		_, lg, err := RunTrials(eng, p, trs)
		if err != nil {
			return nil, err
		}
		c := 0
		for i, tr := range trs {
			if Correct(tr, lg[i], p.NumOutput) {
				c++
			}
		}
		acc[k] = float64(c) / float64(n)
	}
	return acc, nil
}

// evalSeed is the seed of the evaluation after step k of a run whose
// analysis seed is a: a draw of PCG(a, k), so every evaluation sees fresh
// trials and none depends on the training data.
func evalSeed(a uint64, k int) uint64 {
	return rand.New(rand.NewPCG(a, uint64(k))).Uint64()
}

// confirmSeed is the seed of the confirming evaluation after step k: a
// draw of PCG(a, k + 2^63), a stream no evalSeed uses.
func confirmSeed(a uint64, k int) uint64 {
	return rand.New(rand.NewPCG(a, uint64(k)|1<<63)).Uint64()
}
