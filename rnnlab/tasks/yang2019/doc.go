// Package yang2019 generates the trials of Yang, Joglekar, Song, Newsome &
// Wang (2019, Nature Neuroscience 22:297) as the paper's own code,
// gyyang/multitask's task.py, generates them; neurogym's port of the
// twenty tasks (16-unit rings, 53 inputs, 17 actions, trial by trial) is
// tasks.NewYang19.
//
// # Layout
//
// The rule set 'all' with train.get_default_hp's defaults: rings of
// NRing = 32 units, unit k preferring θ_k = 2πk/32; NumInput = 85 inputs
// (0: fixation; 1..32: the ring of modality 1; 33..64: modality 2;
// 65..84: one-hot rule, in the order of Rules) and NumOutput = 33 outputs
// (0: fixation; 1..32: the ring). A stimulus at direction φ of strength s
// adds s·Tuning(φ) to its modality's ring, Tuning_k(φ) = 0.8 exp(−d_k²/2)
// with d_k = Dist(φ − θ_k)/(π/8) (π/8 is two units of 2π/32). The rule
// input is 1 on the whole trial. The fixation input is 1 until the
// response onset, except in reactgo, reactanti and the four matching
// rules, where it stays on for the whole trial and the stimulus is the go
// cue.
//
// # Targets, mask, labels
//
// Every target is 0.05; the fixation output's is 0.8 until the response
// onset (Info.ResponseOn), on the whole trial for no-go trials; from the
// response onset the ring's target is 0.05 + Tuning(y_loc), a bump peaking
// at 0.85 for y_loc on a unit. The cost mask (add_c_mask) is 0 for the
// first ⌊100/dt⌋ steps, 1 up to the response onset, 0 for ⌊100/dt⌋ steps
// more, 5 from the check onset (Info.CheckOn) to the end, and doubled on
// the fixation output's column; the paper's cost is the mean over
// T·B·33 entries of (c·(y − target))², which models.LossMSE computes with
// Batch.Mask as c. Labels, for cross-entropy users and plots, are 0 where
// the target is to fixate and 1 + NearestUnit(y_loc) during a response.
//
// # Rules and their draws (mode 'random')
//
// Every rule draws the timing once per batch and the stimuli per trial
// (⌊·⌋ is int(ms/dt); U[a, b) uniform; {…} a uniform choice):
//
//   - fdgo, fdanti: direction U[0, 2π), modality {1, 2} per batch; stimulus
//     on at ⌊U[300, 700)/dt⌋ to the end, go (fixation input off) ⌊U[500, 1500)/dt⌋
//     later, response for ⌊500/dt⌋ steps.
//   - reactgo, reactanti: the stimulus is the go cue, at ⌊U[500, 2500)/dt⌋;
//     the fixation input stays on.
//   - delaygo, delayanti: stimulus ⌊{300, 500, 700}/dt⌋ on for ⌊{200, 400, 600}/dt⌋,
//     delay ⌊{200, 400, 800, 1600}/dt⌋, response ⌊500/dt⌋.
//   - The anti rules respond at the opposite direction, (φ + π) mod 2π.
//   - dm1, dm2 (modality 1 or 2), contextdm1, contextdm2 (both modalities,
//     each with its own strengths; the named one decides), multidm (one pair
//     of strengths split between the modalities; the sum decides):
//     directions φ1 ~ U[0, 2π), φ2 = φ1 ± U[π/2, 3π/2); strengths μ ± σc,
//     μ ~ U[0.8, 1.2), c ∈ CohsDM, σ = ±1; multidm splits s into
//     s ± Δ/2, Δ = ±s·U[0.2, 0.8). Stimuli from ⌊U[100, 400)/dt⌋ for
//     ⌊{400, 800, 1600}/dt⌋, then the response for ⌊500/dt⌋.
//   - delaydm1, delaydm2, contextdelaydm1, contextdelaydm2, multidelaydm:
//     the same with c ∈ CohsDelayDM, stimulus 1 at ⌊{200, 400, 600}/dt⌋ for
//     ⌊{200, 400, 600}/dt⌋, delay ⌊{200, 400, 800, 1600}/dt⌋, stimulus 2 for
//     ⌊{200, 400, 600}/dt⌋, delay ⌊U[100, 300)/dt⌋, response ⌊500/dt⌋.
//   - The decision rules respond at the direction of the stimulus with the
//     larger decisive strength (stimulus 2 on a tie).
//   - dmsgo, dmsnogo: modalities of the two stimuli drawn independently per
//     batch; match with probability 1/2; φ1 ~ U[0, 2π), φ2 = φ1 on a match,
//     else φ1 ± U[π/9, 17π/9). dmcgo, dmcnogo: φ1, φ2 uniform over
//     DMCLocs·π, a match when both are on the same side of π. Stimulus 1 at
//     ⌊{200, 400, 600}/dt⌋ for ⌊{200, 400, 600}/dt⌋, delay ⌊{200, 400, 800, 1600}/dt⌋,
//     stimulus 2 (the go cue; the fixation input stays on) to the end,
//     ⌊500/dt⌋ (dms) or ⌊{200, 400, 600}/dt⌋ (dmc). The go rules respond at φ2
//     on a match and keep fixating otherwise; the no-go rules the reverse.
//
// GenerateTest gives each rule's fixed 'test' batch.
//
// # What belongs elsewhere
//
// Input noise is not added: training adds N(0, (σ_x·sqrt(2/α))²) to every
// one of the 85 inputs at every step (task.py's add_x_noise; σ_x = 0.01,
// α = dt/τ = 0.2 in the paper, a standard deviation of 0.01·sqrt(10) ≈
// 0.0316), and the paper keeps it on at evaluation. In rnnlab that is the
// training loop's input noise: models.Config.SigmaIn, which is the
// standard deviation itself, must be σ_x·sqrt(2/α) (InputNoiseStd), not σ_x.
// The performance measure is Performance (network.get_perf); the rule of
// each training step, with contextdm1 and contextdm2 five times as likely
// (experiment.train_all), is TrainStep, and Stream serves the training
// batches step by step (a training.Dataset). For the compositionality
// analyses, SetRuleInput gives a batch a composed rule input
// (generate_trials' replace_rule and rule_strength), Replacements lists
// the paper's three rule-replacement setups and TaskSpaceRules its three
// task-space rule sets.
//
// # Where rnnlab's port chooses
//
//   - Random numbers come from Go's PCG (math/rand/v2), not numpy's
//     Mersenne Twister: the distributions are task.py's, individual trials
//     are not, and the order of draws within a batch is rnnlab's.
//   - Durations become steps as task.py does, int(ms/dt) (truncation), each
//     duration on its own and then summed: at dt = 20 all the choice
//     durations are whole steps; the uniform ones (U[300, 700) and the like)
//     are floored. dt is limited to (0, 100] ms.
//   - multidm and multidelaydm split the strengths between the modalities
//     with numpy's global generator (np.random, unseeded) in task.py; here
//     every draw, that one included, comes from the one seeded generator.
//   - The inputs are accumulated in float32 as task.py's arrays are
//     (float32(float64(x) + s·u) per stimulus); the targets likewise.
//   - Labels and NearestUnit are rnnlab's addition (task.py has y_loc only).
//   - The rule of training step k is drawn from a PCG seeded with
//     (seed, SplitMix64(k)), so a resumed run is exact; task.py draws the
//     rules from one generator shared with the trials.
package yang2019
