// Package sweep trains and analyses many networks from one sweep file: a
// base configuration, the axes to vary and what to analyse after training.
// It plans the runs (a grid over the axes, with optional zipped axes), runs
// them on this machine (a pool of worker processes) or on a Slurm cluster
// (one sbatch --array job), reports their status and collects their results
// into one table (CSV and JSON) and an HTML report with figures.
//
// # The sweep file
//
// A sweep file is TOML. Unknown keys, unknown axes, values of the wrong
// type, non-finite numbers, an axes key that is not a table and range
// bounds that are not integers within ±2^53 (for the integer keys) are
// one-line errors that name the key.
//
//	out     = "sweeps/demo"   # the sweep folder, relative to the sweep file's folder (required)
//	steps   = 300             # training steps of every run (required unless an axis)
//	analyse = true            # fixed points and line attractor after training (default true)
//	threads = 1               # GOMAXPROCS of every run, 1..1024 (default 1; see Reproducibility)
//
//	[base]                    # every run's configuration; an axis overrides its key
//	task    = "PerceptualDecisionMaking-v0"  # any registered task (tasks.Names)
//	cell    = "ctrnn"         # ctrnn, ei, gru, lstm, ugrnn or leaky (models.Cells)
//	hidden  = 64              # hidden units
//	batch   = 16              # trials per batch
//	seq_len = 100             # time steps per batch
//	lr      = 1e-3            # Adam's learning rate
//	tau     = 100             # time constant, ms (>= dt)
//	dt      = 100             # time step, ms
//	seed    = 0               # the run's seed (package seeds derives every stream from it)
//
//	[analysis]                # used when analyse = true
//	trials    = 100           # fresh trials whose states are the fixed-point candidates (1..10^6)
//	tolerance = 1e-4          # the search's speed tolerance
//	newton    = true          # refine the kept points with Newton's method (exact fixed points)
//	input     = [1, 0.5, 0.5] # constant input of the search (default: the tutorial's, for 3-input tasks)
//
//	[axes]                    # the keys of [base], and steps; the grid is their product
//	task   = ["PerceptualDecisionMaking-v0", "DelayComparison-v0"]
//	seed   = { from = 0, to = 2 }                        # integers from..to, step 1 (or step = k)
//	hidden = [16, 32]
//	lr     = { from = 1e-4, to = 1e-2, num = 3, scale = "log" }  # num values, linear or log
//
//	zip = [["hidden", "lr"]]  # axes that advance together (equal lengths) instead of a product
//
// The runs are the product of the axes in the order they appear in the file,
// the last varying fastest; a zipped group counts as one axis at the place of
// its first member. A run's seed is its seed value (base or axis), so a
// run's result depends only on the sweep file, never on the executor or on
// the order in which runs are done.
//
// The fixed-point search holds a constant input whose length must be the
// task's input size. Without input, the tutorial's [1, 0.5, 0.5] is used for
// tasks with 3 inputs; for a task with another input size (or an input of
// the wrong length) the analysis is skipped, the run still counts as done,
// and its note in the table says why.
//
// # The sweep folder
//
//	OUT/sweep.json                 the sweep's id (a hash of its runs) and run count
//	OUT/runs/0003-1a2b3c4d/        run 3: model.npz, train.json, training.png, run.json and
//	                               analysis/ (analysis.json, fixed_points.npz)
//	OUT/logs/                      each run's output (local) or slurm-%A_%a.out
//	OUT/locks/                     a lock per run, held (flock) by the process doing it
//	OUT/slurm/sweep.sbatch, jobs.json  the batch script and the submitted job
//	OUT/results.csv, results.json, report.html, figures/  written by Collect
//
// A run's folder name is its index and a short hash of its configuration. A
// run is written into a temporary folder (.tmp) that is renamed into place
// after run.json, so a run folder is complete or absent. run.json has status
// "done" (with the metrics) or "failed" (with the error); a killed run
// leaves only a .tmp folder, counts as missing and is redone. The sweep id
// is recorded in sweep.json: a different sweep file pointing at the same
// folder is refused, so two sweeps never write the same folder. Two
// executors of the same sweep at once (two `sweep run`) share its runs: the
// local executor takes a run's lock before it opens the run's log and hands
// it to the worker, so a run held by the other is skipped and reported as
// held, never failed, and its log is left alone.
//
// A run that would not fit in the memory of the machine doing it (package
// memlimit: the training's and the analysis' estimates) fails at once with
// the reason in its run.json, before anything large is allocated.
//
// # Reproducibility
//
// Each run uses the CPU engine and the file's threads as GOMAXPROCS (a
// batch's gradient is summed over that many shards), so its numbers are the
// same on a laptop and on any cluster node. Only the wall times differ.
//
// # Testing hook
//
// The environment variable RNNLAB_SWEEP_TEST_FAULTS injects faults for
// tests: "fail=2,5" makes runs 2 and 5 fail after training, "hang=1" makes
// run 1 wait after training until it is killed or interrupted; "hang=1;fail=2"
// does both. Slurm jobs inherit it from the submitting environment.
//
// # Command line
//
// rnnlab sweep plan|run|status|collect|task FILE drives this package (see
// rnnlab sweep --help); `sweep task FILE --index I` is what each worker
// process and each Slurm array task runs (RunTask).
package sweep
