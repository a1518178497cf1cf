package multitask

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/tasks/yang2019"
)

// The paper's setup (Config.Paper): the main networks of Yang, Joglekar,
// Song, Newsome & Wang (2019) as gyyang/multitask's experiment.train_all
// trains them, on the paper's own trials (package yang2019, a port of
// task.py) instead of neurogym's:
//
//   - the twenty rules with 32-unit rings: 85 inputs (fixation, 2 × 32 ring
//     units, 20 one-hot rules) and 33 outputs (fixation, 32 ring units);
//   - Yang's leaky-rate cell (models.CellLeaky), r' = (1−α) r + α
//     softplus(x W_ir + r W_rr + b + sqrt(2/α) σ_rec ξ), with α = dt/τ =
//     20/100 and the 'diag' initialisation W_rr = 0.5·I;
//   - recurrent noise σ_rec = 0.05 and input noise σ_x = 0.01 in training
//     (the input noise's standard deviation is σ_x·sqrt(2/α), task.py's
//     add_x_noise);
//   - sigmoid outputs trained with the masked mean squared error against
//     task.py's targets (0.05 baseline, fixation 0.8 until the response, a
//     Gaussian bump at the response direction) and cost mask (0 for the
//     first 100 ms and the first 100 ms of the response, 1 before it, 5
//     after, the fixation output's column doubled);
//   - every step one batch of 64 whole trials of one rule, from rest, the
//     rule drawn with contextdm1 and contextdm2 five times as likely
//     (yang2019.Stream); gradients clipped to [−1, 1] (tf.clip_by_value)
//     before Adam (lr 1e-3);
//   - at most 10^7 trials (PaperSteps steps of 64), stopping earlier when
//     every rule's performance reaches PaperTarget, confirmed;
//   - the paper's performance measure (yang2019.Performance, at the last
//     step: fixation output ≤ 0.5 and the population vector of the ring
//     within 0.2π of the response direction; no-go trials: fixation kept).
//
// Where it differs: evaluation runs without noise (the paper keeps both
// noises on in train.do_eval), on batches of PaperEvalBatch trials that
// share their timing as task.py's do; Adam is PyTorch's (TensorFlow's
// differs in where ε enters, by about 1e-8 relative).
const (
	// PaperDt is the time step of the paper's setup, in ms.
	PaperDt = 20.0
	// PaperSigmaRec is the paper's recurrent noise σ_rec.
	PaperSigmaRec = 0.05
	// PaperSigmaIn is the paper's input noise σ_x (the noise's standard
	// deviation is σ_x·sqrt(2/α): yang2019.InputNoiseStd).
	PaperSigmaIn = 0.01
	// PaperBatchSize is the paper's training batch (hp['batch_size_train']).
	PaperBatchSize = 64
	// PaperSteps is the paper's max_steps, 10^7 trials, in batches of 64.
	PaperSteps = 10_000_000 / PaperBatchSize
	// PaperTarget is the performance every rule must reach, confirmed on
	// fresh trials, for a run of the paper's setup to stop before
	// PaperSteps. The paper's own target, 1.0, is never reached first.
	PaperTarget = 0.95
	// PaperClipValue bounds every gradient value (tf.clip_by_value).
	PaperClipValue = 1.0
	// PaperEvalBatch is the number of trials that share their timing in an
	// evaluation (task.py draws the timing once per batch; train.do_eval
	// runs 16 batches of 32 per rule).
	PaperEvalBatch = 32
)

// paperModel is the network of the paper's setup with c's sizes, time
// constants and noise (c with its defaults).
func paperModel(c Config) models.Config {
	return models.Config{
		Cell: models.CellLeaky, Activation: models.ActSoftplus,
		NumInput: yang2019.NumInput, NumHidden: c.Hidden, NumOutput: yang2019.NumOutput,
		Dt: c.Dt, Tau: c.Tau, SigmaRec: c.SigmaRec, SigmaIn: yang2019.InputNoiseStd(c.SigmaIn, c.Dt/c.Tau),
		Loss: models.LossMSE, Sigmoid: true,
	}
}

// IsPaperNetwork reports a network with the paper's inputs and outputs
// (85 and 33): it was trained on package yang2019's trials, and Evaluate
// measures it there.
func IsPaperNetwork(p *models.Params) bool {
	return p.NumInput == yang2019.NumInput && p.NumOutput == yang2019.NumOutput
}

// paperMaker serves the training batches of the paper's setup from step
// first on: step k's batch is batch k−1 of yang2019.NewStream(seeds.Data(
// seed), bs, dt), so it depends on the seed and k alone.
func paperMaker(seed uint64, bs int, dt float64, first int) (batchMaker, error) {
	s, err := yang2019.NewStream(seeds.Data(seed), bs, dt)
	if err != nil {
		return nil, err
	}
	s.Skip(first - 1)
	return func(k int) (*tasks.Batch, error) {
		if s.Step() != k-1 {
			return nil, fmt.Errorf("paper batches asked out of order: step %d after %d", k, s.Step())
		}
		return s.Next(), nil
	}, nil
}

// EvaluatePaper measures the paper's performance (yang2019.Performance) of
// p on n fresh trials of every rule, in the order of yang2019.Rules (the
// order of ShortNames), without noise. The trials of rule r come in
// batches of PaperEvalBatch (the last one smaller) drawn by
// yang2019.Generate from PCG(seed, r), each run from rest.
func EvaluatePaper(eng models.Engine, p *models.Params, n int, seed uint64) ([]float64, error) {
	if n < 1 {
		return nil, fmt.Errorf("multitask: evaluation needs at least 1 trial per rule, got %d", n)
	}
	if !IsPaperNetwork(p) {
		return nil, fmt.Errorf("multitask: a network with %d inputs and %d outputs is not of the paper's setup (%d and %d)", p.NumInput, p.NumOutput, yang2019.NumInput, yang2019.NumOutput)
	}
	rules := yang2019.Rules()
	acc := make([]float64, len(rules))
	for r, rule := range rules {
		rng := rand.New(rand.NewPCG(seed, uint64(r)))
		correct := 0
		for done := 0; done < n; {
			bs := min(PaperEvalBatch, n-done)
			b, info, err := yang2019.Generate(rule, bs, p.Dt, rng)
			if err != nil {
				return nil, fmt.Errorf("multitask: %w", err)
			}
			c, err := paperCorrect(eng, p, b, info)
			if err != nil {
				return nil, fmt.Errorf("multitask: %s: %w", rule, err)
			}
			correct += c
			done += bs
		}
		acc[r] = float64(correct) / float64(n)
	}
	return acc, nil
}

// paperCorrect runs batch b (made by yang2019.Generate, described by info)
// from rest without noise and counts the trials that the paper's measure
// (yang2019.Performance on the sigmoid outputs of the last step) calls
// correct.
func paperCorrect(eng models.Engine, p *models.Params, b *tasks.Batch, info *yang2019.Info) (int, error) {
	_, logits, err := eng.Forward(p, b)
	if err != nil {
		return 0, err
	}
	last := logits[(b.T-1)*b.B*p.NumOutput:]
	out := make([]float32, len(last))
	for i, v := range last {
		out[i] = float32(1 / (1 + math.Exp(-float64(v))))
	}
	ok, _, err := yang2019.Performance(out, info.YLoc())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range ok {
		if c {
			n++
		}
	}
	return n, nil
}
