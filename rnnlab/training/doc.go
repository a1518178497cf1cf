// Package training trains the primer's CTRNN on a cognitive task with
// supervised learning, as the BrainPy seed does.
//
// Every step takes one batch x [T][B][I], y [T][B] from a Dataset, runs the
// network from the zero state,
//
//	h_t = relu( (1-α) h_{t-1} + α (x_t W_ir + h_{t-1} W_rr + b_rr) ),  h_0 = 0
//	o_t = h_t W_ro + b_ro,
//
// computes the mean cross-entropy over all T·B time steps (fixation steps
// included; BrainPy's cross_entropy_loss with reduction 'mean')
//
//	L = 1/(T B) Σ_{t,b} ( log Σ_c exp o_tb,c  −  o_tb,y_tb ),
//
// its gradient through the unrolled network (a models.Engine), and applies
// one Adam step (PyTorch's update, lr 1e-3, β 0.9/0.999, ε 1e-8:
// optim.PyTorchAdam, the same Adam the fixed-point finder uses).
//
// Every LogEvery steps (default 100) it prints the seed's line
//
//	Step 100, Loss 0.1234, Acc 0.567
//
// with the window's mean loss and mean decision accuracy: per batch, over the
// time steps whose label is > 0 (a choice, not fixation), the fraction where
// argmax_c o_tb,c equals the label; averaged over the window's batches.
//
// Options beyond the seed's recipe (zero means off): the model's own
// (models.Config: cell, activation, noise, rate penalties, and Loss "mse",
// for which every batch without targets of its own gets Yang et al.
// (2019)'s targets and cost mask from tasks.MSETargets), and the trainer's: WeightL1/WeightL2 (WeightPenalty),
// ClipNorm (ClipGradNorm, before Adam) and LRSchedule (exponential decay).
// Recurrent and input noise are drawn per step k from PCG(seeds.Noise(Seed),
// k).
//
// Resumable runs: save Params and Trainer.Adam with models.SaveState; load
// them with models.LoadState, build a Trainer with the loaded Params and
// call Trainer.Resume before Run. The resumed run ends with the same
// weights, bit for bit, as an uninterrupted one.
//
// Divergence: every step's loss and gradients, and after its Adam update
// every weight and moment, must be finite (Guard, which multitask and
// lstmviz use too). A step that breaks this is not applied and ends the run
// with a *DivergedError, "training diverged at step 37: loss is NaN"; the
// Trainer keeps the last finite state and the Summary is StatusFailed with
// NaN final means, null in train.json. Config.Validate refuses a
// learning rate that is not a finite number > 0 before anything is built.
//
// Seeds: a run is fixed by Config.Seed. The initial weights use
// seeds.Params(Seed) = Seed, the data seeds.Data(Seed) = Seed + 1000; the same
// Seed on the same engine gives the same losses step for step.
//
// Entry points: Train (one call), or NewTrainer and Trainer.Run (continue a
// run, inspect the Adam state). NewTaskDataset builds the task's Dataset and
// fills in the model's sizes. Hooks observe a run: the log writer, a callback
// per step and per log window (for live loss curves in a notebook) and a
// progress display (a terminal line on stderr, a carriage-return line in a
// GoNB notebook, or your own Progress). The Summary marshals to train.json.
package training
