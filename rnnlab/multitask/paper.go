package multitask

import (
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// The paper's setup (Config.Paper): Yang, Joglekar, Song, Newsome & Wang
// (2019), gyyang/multitask's train.get_default_hp, as far as rnnlab's
// models and neurogym's yang19 tasks allow.
//
// What Config.Paper changes from neurogym's yang19 example:
//
//   - dt 20 ms (α = 0.2) instead of 100: the twenty tasks are built at dt 20;
//   - recurrent noise σ_rec = 0.05 and input noise σ_x = 0.01 during
//     training (none during evaluation and analysis);
//   - sigmoid outputs trained with the masked mean squared error
//     (models.LossMSE, Sigmoid) against tasks.MSETargets: targets 0.8 / 0.05,
//     cost mask 1 before the response, 0 for its first 100 ms, 5 after,
//     the fixation output's mask doubled;
//   - the paper's performance measure (PaperCorrect) instead of the
//     argmax decision accuracy.
//
// Where it still differs from the paper:
//
//   - neurogym's port: rings of 16 units (not 32), 53 inputs (1 fixation,
//     2×16 ring units, 20 rule inputs; not 85) and 17 outputs (the
//     fixation and 16 ring units; not 33); the fixation input shown only briefly in
//     the dm and matching tasks; stimuli that may sit on adjacent ring
//     positions; the scheduler never repeating a task; contextdm1/2 not
//     sampled 5× as often;
//   - the targets are a one-hot bump on the label's ring output
//     (tasks.MSETargets), not the paper's Gaussian bump over the ring;
//   - training batches are neurogym-style streams of trials concatenated
//     into sequences of SeqLen steps (100 steps = 2 s at dt 20), batch 32,
//     not whole trials from rest in batches of 64;
//   - a ReLU CTRNN with rnnlab's default initialisation, not the
//     softplus with 0.5·I diagonal of experiment.train_all, nor the
//     paper's random orthogonal initialisation;
//   - the run stops at the targets (0.9; 0.85 for multidm and
//     multidlydm), not at the paper's performance 1.0.
const (
	// PaperDt is the time step of the paper's setup, in ms.
	PaperDt = 20.0
	// PaperSigmaRec is the paper's recurrent noise σ_rec.
	PaperSigmaRec = 0.05
	// PaperSigmaIn is the paper's input noise σ_x.
	PaperSigmaIn = 0.01
	// PaperFixThreshold is the fixation output above which the network is
	// fixating (network.get_perf: y_fix > 0.5).
	PaperFixThreshold = 0.5
	// PaperMaxAngle is the largest angular error of a correct response,
	// 0.2π (network.get_perf: dist < 0.2π).
	PaperMaxAngle = 0.2 * math.Pi
)

// PopVec returns the population-vector direction of ring outputs y (the
// outputs after the fixation output, y_k at direction θ_k = 2πk/len(y)),
// in [0, 2π):
//
//	popvec(y) = atan2(Σ_k y_k sin θ_k, Σ_k y_k cos θ_k) mod 2π
//
// as gyyang/multitask's network.popvec.
func PopVec(y []float64) float64 {
	var s, c float64
	for k, v := range y {
		th := 2 * math.Pi * float64(k) / float64(len(y))
		s += v * math.Sin(th)
		c += v * math.Cos(th)
	}
	a := math.Mod(math.Atan2(s, c), 2*math.Pi)
	if a < 0 {
		a += 2 * math.Pi
	}
	return a
}

// sigmoid is the logistic function 1/(1 + e^{−x}).
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// PaperCorrect is the paper's performance measure (gyyang/multitask's
// network.get_perf) of one trial, read at its last step t = N−1 from the
// read-out logits [N][O] (O = 17: the fixation output, then the 16 ring
// outputs). The outputs are y = sigmoid(logits). With the label l at t:
//
//	l == 0 (fixate, the no-go trials): correct ⇔ y_0 > 0.5
//	l  > 0: correct ⇔ y_0 ≤ 0.5 and d(popvec(y_1..y_16), θ_{l−1}) < 0.2π
//
// with d the circular distance min(|a−b|, 2π−|a−b|) and θ_k = 2πk/16
// (neurogym's yang19: ring output 1+k prefers direction θ_k, and action
// l > 0 responds in direction θ_{l−1}; with O outputs, θ_k = 2πk/(O−1)).
// Unlike Correct it reads the last step, not the end of the "decision"
// period (in neurogym's yang19 tasks the decision period is the last).
func PaperCorrect(tr *tasks.Trial, logits []float32, O int) bool {
	t := tr.N - 1
	out := logits[t*O : (t+1)*O]
	fixating := sigmoid(float64(out[0])) > PaperFixThreshold
	l := int(tr.Labels[t])
	if l == 0 {
		return fixating
	}
	ring := make([]float64, O-1)
	for k := range ring {
		ring[k] = sigmoid(float64(out[1+k]))
	}
	d := math.Abs(PopVec(ring) - 2*math.Pi*float64(l-1)/float64(O-1))
	d = math.Min(d, 2*math.Pi-d)
	return !fixating && d < PaperMaxAngle
}
