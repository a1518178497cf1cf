// Package tasks holds cognitive tasks in the style of neurogym and the
// supervised Dataset that batches their trials for training.
//
// A task is defined by its periods (fixation, stimulus, delay, decision, ...),
// an observation per time step and a label per time step. Time is discretised
// with a step dt in milliseconds; a trial of total duration T ms has
// N = floor(T/dt) steps. Label 0 means "fixate"; label k+1 means "choose k".
//
// Everything random takes an explicit seed: the same seed gives the same
// trials. Tasks use math/rand/v2's PCG; they do not reproduce numpy's random
// stream, only its distributions.
//
// # Tasks, trials and records
//
// Task is the interface the Dataset, Rollout, the plots and the command
// line use; they know nothing of a particular task. Env implements it for
// a task written as a Def, the Go counterpart of a subclass of neurogym's
// TrialEnv (see "Adding a task" below).
//
// NewTrial returns a Trial: its periods, observations [N][ObsSize] and
// labels [N], and its Record, the condition of the trial in the task's own
// typed struct (PDMTrial{GroundTruth, Coh} for PerceptualDecisionMaking).
// Record.Fields is the generic name -> value view of a record, in a fixed
// order; the correct choice, where a task has one, is the field
// "ground_truth" (see GroundTruth and Lookup). The same names are the keys
// of an Override, which forces parts of the condition:
// NewTrial(Override{"ground_truth": 1, "coh": 25.6}). The random draws
// happen whether or not a value is overridden, so overrides never shift the
// random stream. An unknown name or an invalid value is an error naming it
// and what is valid, and leaves the task unchanged.
//
// # Timing
//
// A trial is made of named periods. Each period's duration d (ms) is drawn
// per trial (see Duration: constant, choice, uniform, truncated
// exponential or a function of the task's generator) and floored to whole
// steps, floor(d/dt); a period of length 0 occupies no step. Periods are
// usually laid end to end from step 0, but may start anywhere and overlap;
// the trial has N = the largest period end. PerceptualDecisionMaking at the
// default dt = 100 ms has fixation 1 step (index 0), stimulus 20 steps
// (1..20), delay 0 and decision 1 step (21): N = 22.
//
// # PerceptualDecisionMaking
//
// Per trial the ground truth g is drawn uniformly from 0..R-1 (R = DimRing)
// and the coherence c uniformly from Cohs (record fields ground_truth and
// coh); both draws always happen, then an Override may replace them. With ring angles theta_k = 2 pi k / R, the
// observation x_t (1+R channels, float32) is
//
//	x_t[0]   = 1 in the fixation, stimulus and delay periods, else 0
//	           (only in the fixation period if FixationOnlyInFixation)
//	x_t[1+k] = 0.5 + cos(theta_k - theta_g) c/200 + sigma_eff * xi_{t,k}
//	           in the stimulus period, else 0
//
// with xi i.i.d. standard normal and sigma_eff = sigma/sqrt(dt), dt in ms
// (0.1 at the default sigma 1, dt 100). For R = 2 the correct channel has
// mean 0.5 + c/200 and the other 0.5 - c/200. The dt scaling keeps the noise
// accumulated by an Euler-integrated network, of variance proportional to
// (dt/tau)^2 * sigma_eff^2 * T/dt = sigma^2 T / tau^2, independent of dt
// (our reading; neurogym does not state a reason).
// No noise is added to the fixation channel or outside the stimulus period.
//
// The label is 0 ("fixate") at every step except in the decision period,
// where it is g+1. There is no mask: supervised training uses every step.
//
// # Stepping (reinforcement-learning interface)
//
// Env.Step(a) acts at the current step of the current trial. By default
// (Env.ChoiceStep, neurogym's usual step; a Def may replace it with its
// own Stepper):
//
//	fixation period, a != 0        reward Abort (-0.1); ends the trial only if Abort is set
//	decision period, a == label    reward Correct (+1), trial ends, performance 1
//	decision period, a != 0, wrong reward Fail (0), trial ends, performance 0
//	decision period, a == 0        reward 0, trial goes on
//	stimulus or delay, any a       reward 0
//
// A trial that is not ended early lasts exactly N steps (its last step adds
// the trial's timeout reward, neurogym's r_tmax, 0 unless the task's
// NewTrial calls Builder.SetTimeoutReward). At a trial end the
// finished trial's performance is reported, a new trial is drawn with
// performance 0 and Step returns its first observation. Reset draws a
// trial and returns its first observation; unlike neurogym it does not take
// a hidden random first step, so the first Step acts on step 0.
//
// Neurogym resets the performance to 0 after its _new_trial, so a
// performance set there (GoNogo's 1 on no-go trials) counts only for the
// first trial after reset; here Builder.SetPerformance counts for every
// trial.
//
// # Adding a task
//
// A task is a Def: Spec returns its fixed layout (name, dt, named groups of
// observation channels and of actions, named rewards, the timing of each
// period) and NewTrial(b) draws one trial with the Builder b, in this
// order:
//
//  1. the condition, through b.Int, b.Pick or b.Var, which draw from b.Rng
//     and apply the Override of the same name;
//  2. the periods: b.Periods("fixation", "stimulus", ...) lays them end to
//     end with durations drawn from Spec.Timing; b.Steps and b.Period(name,
//     start, steps) place a period anywhere (start at b.End(other));
//  3. the observations, by channel group and period: b.AddOb(where, v,
//     periods...), b.AddObs (one value per channel, e.g. a ring),
//     b.SetOb, b.AddRandn(where, mu, sigma, periods...); no periods means
//     the whole trial, where "" all channels; b.ViewOb(period) and
//     b.Trial() give the raw buffers for anything else;
//  4. the labels: b.SetLabel(v, periods...) or b.SetChoice(group, k,
//     periods...), the k-th action of an action group;
//
// and returns its record, a struct of the trial's condition with a Fields
// method. NewEnv(def, seed) turns the Def into a Task: Reset, Step, the
// reward and performance bookkeeping, Seed and Clone come with it. A Def
// whose actions are not "fixate, then choose" implements Stepper (using
// e.InPeriod, e.Label, e.ObsNow, e.Reward, e.SetPerformance, or
// e.ChoiceStep with another decision period); one whose observations
// depend on the agent's actions also implements Observer. The Def must not change after NewEnv;
// state that changes during a trial goes in the trial's record.
//
// A config type with fields Dt and Seed and a Timing (Timing.With fills the
// defaults and rejects unknown periods), a constructor NewX(cfg), and one
// line in an init function, RegisterEnv("X-v0", NewX), complete a task: New
// then builds it by name and its options can be set by name (see
// Registry). See the Example for a whole task in about 60 lines and pdm.go
// for a full one.
//
// # Dataset
//
// Dataset reproduces neurogym's supervised batching: BatchSize copies of a
// task (copy i seeded with Seed+i) each fill one column of a time-major
// cache with whole trials back to back (the last trial is cut at the cache
// end), and Next serves SeqLen consecutive rows, refilling the cache when
// the next window would reach its end. Batches therefore usually begin in
// the middle of a trial.
//
// # Registry
//
// New("PerceptualDecisionMaking-v0", ...) builds a task by its neurogym id;
// Names lists the ids. Every task of this package registers with
// RegisterEnv, which also registers its configuration type: its options can
// be set by name, as text (SetOption, NewWithSettings, the command line's
// --set key=value), listed (TaskOptions, "rnnlab tasks"), and read back from
// a saved run (NewConfig). A task registered with the lower-level Register
// alone (any Task implementation) works everywhere else and exposes no
// options.
package tasks
