package analysis

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/internal/stats"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"gonum.org/v1/gonum/mat"
)

// TrialResult describes one trial and what the network did in it.
type TrialResult struct {
	// GroundTruth and Coh are the trial's condition: its record's
	// ground_truth and coh fields (0 when it has none).
	GroundTruth int
	Coh         float64
	// N is the trial's number of steps.
	N int
	// DecisionStep is the step read for the choice: the last step of the
	// "decision" period, or the trial's last step if it has none.
	DecisionStep int
	// Choice is argmax of the output at DecisionStep minus 1: −1 means
	// fixation, k ≥ 0 means "choose k" (label k+1).
	Choice int
	// Correct reports that the network's action at DecisionStep (Choice+1)
	// is the trial's label there: for PerceptualDecisionMaking and every
	// task whose label is ground_truth+1, Choice == GroundTruth.
	Correct bool
}

// SignedCoh is the coherence signed by the correct choice: −Coh when
// GroundTruth is 0, +Coh otherwise (so 0% trials of both choices share 0).
// Negative values are evidence for choice 0, positive for choice 1, the
// convention of plots.CoherenceTrajectories.
func (r TrialResult) SignedCoh() float64 {
	if r.GroundTruth == 0 {
		return -r.Coh
	}
	return r.Coh
}

// Activity holds a network's states and outputs on a set of trials.
// Trials may differ in length.
//
// The states are the cell's whole state, the space its fixed points live in
// (models.Config.StateSize): the rates of a CTRNN, the state s (not the rate
// f(s)) of an E-I network, h of a GRU and h then c of an LSTM (S = 2H).
type Activity struct {
	// H and O are the hidden and output sizes; S is the state size
	// (Config.StateSize: H, or 2H for an LSTM), the width of every row of
	// States.
	H, O, S int
	// States[i] is trial i's states, row-major [N_i][S].
	States [][]float32
	// Outputs[i] is trial i's outputs (logits), row-major [N_i][O].
	Outputs [][]float32
	// Trials[i] describes trial i.
	Trials []TrialResult
	// Inputs[i] is trial i's observations, row-major [N_i][I].
	Inputs [][]float32
}

// CollectActivity draws n fresh trials from task (task.NewTrial with no override; seed
// the task first for reproducibility) and runs p on each from the zero state
// with the CPU forward pass (models.Params.Forward, any cell), recording its
// states (S = p.StateSize() values per step) and outputs.
func CollectActivity(p *models.Params, task tasks.Task, n int) (*Activity, error) {
	if p == nil || task == nil {
		return nil, fmt.Errorf("analysis: CollectActivity: nil network or task")
	}
	if n <= 0 {
		return nil, fmt.Errorf("analysis: CollectActivity: number of trials must be > 0, got %d", n)
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
	}
	if task.ObsSize() != p.NumInput {
		return nil, fmt.Errorf("analysis: CollectActivity: task has %d observation channels, network %d inputs", task.ObsSize(), p.NumInput)
	}
	a := &Activity{H: p.NumHidden, O: p.NumOutput, S: p.StateSize()}
	for i := 0; i < n; i++ {
		tr, err := task.NewTrial(nil)
		if err != nil {
			return nil, fmt.Errorf("analysis: CollectActivity: trial %d: %w", i, err)
		}
		if tr == nil || tr.N <= 0 {
			return nil, fmt.Errorf("analysis: CollectActivity: trial %d is empty", i)
		}
		states, outs, res := RunTrial(p, tr)
		a.States = append(a.States, states)
		a.Outputs = append(a.Outputs, outs)
		a.Inputs = append(a.Inputs, append([]float32(nil), tr.Obs...))
		a.Trials = append(a.Trials, res)
	}
	return a, nil
}

// RunTrial runs p on the (non-empty) trial tr from the zero state with the
// CPU forward pass (models.Params.Forward) and returns its states (row-major
// N×S), its outputs (N×O) and what the network did: the trial's ground
// truth and coherence, the decision step (the last step of the "decision"
// period, or the trial's last step), the choice argmax(output) − 1 there
// and whether the action argmax(output) was the label there. It is
// CollectActivity's step for one trial, for collections that keep part of
// a trial (workingmemory.CollectDelay).
func RunTrial(p *models.Params, tr *tasks.Trial) (states, outputs []float32, r TrialResult) {
	states, outputs = p.Forward(tr.Obs)
	dec := tr.N - 1
	if per, ok := tr.Period("decision"); ok && per.End > per.Start {
		dec = per.End - 1
	}
	action := stats.Argmax(outputs[dec*p.NumOutput : (dec+1)*p.NumOutput])
	gt, _ := tasks.GroundTruth(tr.Record)
	coh, _ := tasks.Lookup(tr.Record, "coh")
	return states, outputs, TrialResult{
		GroundTruth: gt, Coh: coh, N: tr.N,
		DecisionStep: dec, Choice: action - 1, Correct: action == tr.Labels[dec],
	}
}

// Accuracy is the fraction of trials answered correctly.
func (a *Activity) Accuracy() float64 {
	if len(a.Trials) == 0 {
		return 0
	}
	c := 0
	for _, t := range a.Trials {
		if t.Correct {
			c++
		}
	}
	return float64(c) / float64(len(a.Trials))
}

// NumStates is the total number of time steps over all trials.
func (a *Activity) NumStates() int {
	n := 0
	for _, s := range a.States {
		n += len(s) / a.S
	}
	return n
}

// Stack concatenates all trials' states, trial after trial, into one
// row-major n×S slice (n = NumStates; 2200×64 for the primer's 100 trials of
// 22 steps): the fixed-point candidates, and PCA's input.
func (a *Activity) Stack() []float32 {
	out := make([]float32, 0, a.NumStates()*a.S)
	for _, s := range a.States {
		out = append(out, s...)
	}
	return out
}

// StackDense is Stack as a float64 n×S matrix.
func (a *Activity) StackDense() *mat.Dense {
	return Dense32(a.Stack(), a.NumStates(), a.S)
}

// TrialDense returns trial i's states as an N_i×S matrix.
func (a *Activity) TrialDense(i int) *mat.Dense {
	return Dense32(a.States[i], len(a.States[i])/a.S, a.S)
}

// Dense32 converts a row-major float32 slice to a rows×cols matrix.
func Dense32(x []float32, rows, cols int) *mat.Dense {
	if len(x) != rows*cols {
		panic(fmt.Sprintf("analysis: Dense32: %d values for %d×%d", len(x), rows, cols))
	}
	d := make([]float64, len(x))
	for k, v := range x {
		d[k] = float64(v)
	}
	return mat.NewDense(rows, cols, d)
}
