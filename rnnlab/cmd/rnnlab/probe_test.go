package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// probeMemoryKB is the address-space limit (ulimit -v) of every probe, and
// probeMaxRSS the resident memory a probe may reach: bad input is refused
// before anything large is made.
const (
	probeMemoryKB = 3_000_000
	probeMaxRSS   = 500 << 20
	probeTimeout  = 20 * time.Second
)

// probe is one bad command line: files are written into its own empty
// folder (the working directory) first; "{run}" in args is a trained run
// folder shared by the probes.
type probe struct {
	name  string
	args  []string
	files map[string]string
}

// A few files the probes use.
const (
	probeSweepBase = "out = \"o\"\nsteps = 5\n[base]\nhidden = 4\nbatch = 2\nseq_len = 10\n"
)

func sweepProbe(name, sub, text string, extra ...string) probe {
	return probe{name, append([]string{"sweep", sub, "s.toml"}, extra...), map[string]string{"s.toml": text}}
}

func cmdProbe(name string, args ...string) probe { return probe{name: name, args: args} }

// probes are the bad inputs, across the commands (issue 19 lists many).
var probes = []probe{
	// Top level.
	cmdProbe("unknown-command", "nosuch"),
	cmdProbe("unknown-command-flag", "--bogus"),

	// train: flags, sizes, memory, files.
	cmdProbe("train-unknown-flag", "train", "--bogus", "--out", "r"),
	cmdProbe("train-hidden-not-int", "train", "--hidden", "x", "--out", "r"),
	cmdProbe("train-hidden-overflow", "train", "--hidden", "99999999999999999999", "--out", "r"),
	cmdProbe("train-steps-0", "train", "--steps", "0", "--out", "r"),
	cmdProbe("train-steps-negative", "train", "--steps", "-1", "--out", "r"),
	cmdProbe("train-hidden-0", "train", "--hidden", "0", "--out", "r"),
	cmdProbe("train-hidden-negative", "train", "--hidden", "-64", "--out", "r"),
	cmdProbe("train-hidden-40000", "train", "--hidden", "40000", "--out", "r"),
	cmdProbe("train-hidden-100000", "train", "--hidden", "100000", "--out", "r"),
	cmdProbe("train-hidden-maxint", "train", "--hidden", "9223372036854775807", "--out", "r"),
	cmdProbe("train-hidden-40000-gru", "train", "--cell", "gru", "--hidden", "40000", "--out", "r"),
	cmdProbe("train-hidden-40000-lstm-gomlx", "train", "--cell", "lstm", "--hidden", "40000", "--engine", "gomlx", "--out", "r"),
	cmdProbe("train-batch-0", "train", "--batch", "0", "--out", "r"),
	cmdProbe("train-batch-1e9", "train", "--batch", "1000000000", "--out", "r"),
	cmdProbe("train-batch-maxint", "train", "--batch", "9223372036854775807", "--out", "r"),
	cmdProbe("train-seq-len-0", "train", "--seq-len", "0", "--out", "r"),
	cmdProbe("train-seq-len-1e9", "train", "--seq-len", "1000000000", "--out", "r"),
	cmdProbe("train-lr-0", "train", "--lr", "0", "--out", "r"),
	cmdProbe("train-lr-negative", "train", "--lr", "-1e-3", "--out", "r"),
	cmdProbe("train-lr-nan", "train", "--lr", "NaN", "--out", "r"),
	cmdProbe("train-lr-inf", "train", "--lr", "Inf", "--out", "r"),
	cmdProbe("train-lr-text", "train", "--lr", "fast", "--out", "r"),
	cmdProbe("train-tau-below-dt", "train", "--tau", "10", "--out", "r"),
	cmdProbe("train-tau-inf", "train", "--tau", "+Inf", "--out", "r"),
	cmdProbe("train-tau-nan", "train", "--tau", "nan", "--out", "r"),
	cmdProbe("train-dt-0", "train", "--dt", "0", "--out", "r"),
	cmdProbe("train-dt-nan", "train", "--dt", "nan", "--out", "r"),
	cmdProbe("train-dt-inf", "train", "--dt", "inf", "--out", "r"),
	cmdProbe("train-dt-1e-9", "train", "--dt", "1e-9", "--tau", "1", "--out", "r"),
	cmdProbe("train-dt-1e300", "train", "--dt", "1e300", "--out", "r"),
	cmdProbe("train-dt-text", "train", "--dt", "fast", "--out", "r"),
	cmdProbe("train-engine", "train", "--engine", "tpu", "--out", "r"),
	cmdProbe("train-cell", "train", "--cell", "rnn", "--out", "r"),
	cmdProbe("train-activation", "train", "--activation", "gelu", "--out", "r"),
	cmdProbe("train-loss", "train", "--loss", "l1", "--out", "r"),
	cmdProbe("train-sigma-rec-negative", "train", "--sigma-rec", "-0.1", "--out", "r"),
	cmdProbe("train-sigma-in-nan", "train", "--sigma-in", "NaN", "--out", "r"),
	cmdProbe("train-e-frac-not-ei", "train", "--e-frac", "0.5", "--out", "r"),
	cmdProbe("train-e-frac-1", "train", "--cell", "ei", "--e-frac", "1", "--out", "r"),
	cmdProbe("train-ei-2-units", "train", "--cell", "ei", "--hidden", "2", "--e-frac", "0.2", "--out", "r"),
	cmdProbe("train-sigmoid-ce", "train", "--sigmoid", "--out", "r"),
	cmdProbe("train-rate-l2-inf", "train", "--rate-l2", "+Inf", "--out", "r"),
	cmdProbe("train-weight-l2-text", "train", "--weight-l2", "x", "--out", "r"),
	cmdProbe("train-clip-norm-negative", "train", "--clip-norm", "-2", "--out", "r"),
	cmdProbe("train-lr-decay-1.5", "train", "--lr-decay", "1.5", "--out", "r"),
	cmdProbe("train-lr-decay-steps-alone", "train", "--lr-decay-steps", "10", "--out", "r"),
	cmdProbe("train-lr-decay-steps-inf", "train", "--lr-decay", "0.9", "--lr-decay-steps", "inf", "--out", "r"),
	cmdProbe("train-gru-sigma-rec", "train", "--cell", "gru", "--sigma-rec", "0.1", "--out", "r"),
	cmdProbe("train-task-unknown", "train", "--task", "Nope-v0", "--out", "r"),
	cmdProbe("train-fixation-other-task", "train", "--task", "GoNogo-v0", "--fixation-only-in-fixation", "--out", "r"),
	cmdProbe("train-set-not-a-flag", "train", "--set", "dim_ring=3", "--out", "r"),
	cmdProbe("train-no-out", "train", "--steps", "1"),
	cmdProbe("train-extra-argument", "train", "--out", "r", "extra"),
	cmdProbe("train-seed-negative", "train", "--seed", "-1", "--out", "r"),
	cmdProbe("train-mask-missing", "train", "--mask", "nosuch.npy", "--out", "r"),
	{"train-mask-not-npy", []string{"train", "--mask", "m.npy", "--out", "r"}, map[string]string{"m.npy": "hello"}},
	{"train-mask-gru", []string{"train", "--cell", "gru", "--mask", "m.npy", "--out", "r"}, map[string]string{"m.npy": "hello"}},
	{"train-out-is-a-file", []string{"train", "--steps", "1", "--out", "f.txt"}, map[string]string{"f.txt": "x"}},
	cmdProbe("train-resume-missing", "train", "--resume", "nosuch"),
	cmdProbe("train-resume-hidden", "train", "--resume", "{run}", "--hidden", "3"),
	cmdProbe("train-resume-steps-0", "train", "--resume", "{run}", "--steps", "0", "--out", "r2"),
	cmdProbe("train-resume-steps-not-more", "train", "--resume", "{run}", "--steps", "1", "--out", "r2"),
	cmdProbe("train-resume-engine", "train", "--resume", "{run}", "--engine", "tpu", "--out", "r2"),
	{"train-resume-corrupt", []string{"train", "--resume", "bad", "--steps", "5", "--out", "r2"}, map[string]string{"bad/model.npz": "not a zip", "bad/train.json": "{}"}},

	// trials and plot-env: task options, sizes, files.
	cmdProbe("trials-dim-ring-1e9", "trials", "--set", "dim_ring=1000000000", "--out", "x.npz"),
	cmdProbe("trials-dim-ring-negative", "trials", "--set", "dim_ring=-3", "--out", "x.npz"),
	cmdProbe("trials-dim-ring-1", "trials", "--set", "dim_ring=1", "--out", "x.npz"),
	cmdProbe("trials-dim-ring-overflow", "trials", "--set", "dim_ring=99999999999999999999", "--out", "x.npz"),
	cmdProbe("trials-delay-1e15", "trials", "--set", "timing.delay=1e15", "--out", "x.npz"),
	cmdProbe("trials-stimulus-1e9", "trials", "--set", "timing.stimulus=1e9", "--out", "x.npz"),
	cmdProbe("trials-delay-uniform-1e9", "trials", "--set", "timing.delay=uniform(0,1e9)", "--out", "x.npz"),
	cmdProbe("trials-delay-truncexp-1e12", "trials", "--set", "timing.delay=truncexp(1e12,0)", "--out", "x.npz"),
	cmdProbe("trials-delay-choice-1e15", "trials", "--set", "timing.delay=choice(0,1e15)", "--out", "x.npz"),
	cmdProbe("trials-delay-negative", "trials", "--set", "timing.delay=-5", "--out", "x.npz"),
	cmdProbe("trials-delay-nan", "trials", "--set", "timing.delay=nan", "--out", "x.npz"),
	cmdProbe("trials-delay-uniform-reversed", "trials", "--set", "timing.delay=uniform(5,1)", "--out", "x.npz"),
	cmdProbe("trials-delay-choice-empty", "trials", "--set", "timing.delay=choice()", "--out", "x.npz"),
	cmdProbe("trials-delay-text", "trials", "--set", "timing.delay=long", "--out", "x.npz"),
	cmdProbe("trials-ring-and-long-stimulus", "trials", "--set", "dim_ring=4096", "--set", "timing.stimulus=2000000", "--out", "x.npz"),
	cmdProbe("trials-dt-1e-9", "trials", "--dt", "1e-9", "--out", "x.npz"),
	cmdProbe("trials-dt-1e-3", "trials", "--dt", "1e-3", "--out", "x.npz"),
	cmdProbe("trials-dt-0", "trials", "--dt", "0", "--out", "x.npz"),
	cmdProbe("trials-dt-negative", "trials", "--dt", "-5", "--out", "x.npz"),
	cmdProbe("trials-dt-inf", "trials", "--dt", "inf", "--out", "x.npz"),
	cmdProbe("trials-n-1e8", "trials", "--n", "100000000", "--out", "x.npz"),
	cmdProbe("trials-n-maxint", "trials", "--n", "9223372036854775807", "--out", "x.npz"),
	cmdProbe("trials-n-0", "trials", "--n", "0", "--out", "x.npz"),
	cmdProbe("trials-n-negative", "trials", "--n", "-1", "--out", "x.npz"),
	cmdProbe("trials-n-float", "trials", "--n", "1e9", "--out", "x.npz"),
	cmdProbe("trials-set-no-equals", "trials", "--set", "dim_ring", "--out", "x.npz"),
	cmdProbe("trials-set-empty-key", "trials", "--set", "=3", "--out", "x.npz"),
	cmdProbe("trials-set-unknown-key", "trials", "--set", "bogus=1", "--out", "x.npz"),
	cmdProbe("trials-set-twice", "trials", "--set", "dim_ring=3", "--set", "dim_ring=4", "--out", "x.npz"),
	cmdProbe("trials-set-dt", "trials", "--set", "dt=5", "--out", "x.npz"),
	cmdProbe("trials-set-seed", "trials", "--set", "seed=5", "--out", "x.npz"),
	cmdProbe("trials-set-cohs-empty", "trials", "--set", "cohs=", "--out", "x.npz"),
	cmdProbe("trials-set-cohs-nan", "trials", "--set", "cohs=0,nan", "--out", "x.npz"),
	cmdProbe("trials-set-cohs-text", "trials", "--set", "cohs=a,b", "--out", "x.npz"),
	cmdProbe("trials-set-sigma-negative", "trials", "--set", "sigma=-1", "--out", "x.npz"),
	cmdProbe("trials-set-reward-inf", "trials", "--set", "rewards.correct=inf", "--out", "x.npz"),
	cmdProbe("trials-set-abort-text", "trials", "--set", "abort=maybe", "--out", "x.npz"),
	cmdProbe("trials-set-newline", "trials", "--set", "dim_ring=3\nx", "--out", "x.npz"),
	cmdProbe("trials-task-unknown", "trials", "--task", "Nope-v0", "--out", "x.npz"),
	cmdProbe("trials-collection-only", "trials", "--task", "yang19", "--out", "x.npz"),
	cmdProbe("trials-yang19-delay-1e15", "trials", "--task", "yang19.dlygo-v0", "--set", "timing.delay=1e15", "--out", "x.npz"),
	cmdProbe("trials-antireach-ring-1e9", "trials", "--task", "AntiReach-v0", "--set", "dim_ring=1000000000", "--out", "x.npz"),
	cmdProbe("trials-reaching-ring-1e9", "trials", "--task", "Reaching1D-v0", "--set", "dim_ring=1000000000", "--out", "x.npz"),
	cmdProbe("trials-multisensory-ring-1e9", "trials", "--task", "MultiSensoryIntegration-v0", "--set", "dim_ring=1000000000", "--out", "x.npz"),
	cmdProbe("trials-cdm-ring-1e9", "trials", "--task", "ContextDecisionMaking-v0", "--set", "dim_ring=1000000000", "--out", "x.npz"),
	cmdProbe("trials-dms-ring-1e9", "trials", "--task", "DelayMatchSample-v0", "--set", "dim_ring=1000000000", "--out", "x.npz"),
	cmdProbe("trials-fixation-other-task", "trials", "--task", "GoNogo-v0", "--fixation-only-in-fixation", "--out", "x.npz"),
	cmdProbe("trials-out-missing-folder", "trials", "--out", "nodir/x.npz"),
	cmdProbe("trials-no-out", "trials", "--n", "3"),
	cmdProbe("trials-extra-argument", "trials", "--out", "x.npz", "extra"),
	cmdProbe("trials-unknown-flag", "trials", "--bogus"),
	cmdProbe("plot-env-trials-0", "plot-env", "--trials", "0", "--out", "p.png"),
	cmdProbe("plot-env-trials-1e8", "plot-env", "--trials", "100000000", "--out", "p.png"),
	cmdProbe("plot-env-format", "plot-env", "--out", "p.gif"),
	cmdProbe("plot-env-no-out", "plot-env"),
	cmdProbe("plot-env-dim-ring-1e9", "plot-env", "--set", "dim_ring=1000000000", "--out", "p.png"),
	cmdProbe("plot-env-dt-1e-9", "plot-env", "--dt", "1e-9", "--out", "p.png"),
	cmdProbe("plot-env-delay-1e15", "plot-env", "--set", "timing.delay=1e15", "--out", "p.svg"),
	cmdProbe("plot-env-missing-folder", "plot-env", "--out", "nodir/p.png"),
	cmdProbe("plot-env-unknown-flag", "plot-env", "--bogus"),
	cmdProbe("tasks-unknown-task", "tasks", "--task", "Nope-v0"),
	cmdProbe("tasks-unknown-flag", "tasks", "--bogus"),
	cmdProbe("tasks-extra-argument", "tasks", "extra"),

	// analyze: sizes, inputs, memory, run folders.
	cmdProbe("analyze-no-run", "analyze", "--out", "a"),
	cmdProbe("analyze-no-out", "analyze", "--run", "{run}"),
	cmdProbe("analyze-run-missing", "analyze", "--run", "nosuch", "--out", "a"),
	cmdProbe("analyze-not-a-run", "analyze", "--run", ".", "--out", "a"),
	{"analyze-corrupt-run", []string{"analyze", "--run", "bad", "--out", "a"}, map[string]string{"bad/model.npz": "PK\x03\x04 junk", "bad/train.json": "{"}},
	cmdProbe("analyze-trials-1e9", "analyze", "--run", "{run}", "--out", "a", "--trials", "1000000000"),
	cmdProbe("analyze-trials-900000", "analyze", "--run", "{run}", "--out", "a", "--trials", "900000"),
	cmdProbe("analyze-trials-0", "analyze", "--run", "{run}", "--out", "a", "--trials", "0"),
	cmdProbe("analyze-trials-negative", "analyze", "--run", "{run}", "--out", "a", "--trials", "-5"),
	cmdProbe("analyze-input-short", "analyze", "--run", "{run}", "--out", "a", "--input", "1,2"),
	cmdProbe("analyze-input-long", "analyze", "--run", "{run}", "--out", "a", "--input", "1,2,3,4"),
	cmdProbe("analyze-input-nan", "analyze", "--run", "{run}", "--out", "a", "--input", "1,nan,0.5"),
	cmdProbe("analyze-input-text", "analyze", "--run", "{run}", "--out", "a", "--input", "1,x,0.5"),
	cmdProbe("analyze-tolerance-0", "analyze", "--run", "{run}", "--out", "a", "--tolerance", "0"),
	cmdProbe("analyze-tolerance-inf", "analyze", "--run", "{run}", "--out", "a", "--tolerance", "inf"),
	cmdProbe("analyze-tolerance-nan", "analyze", "--run", "{run}", "--out", "a", "--tolerance", "nan"),
	cmdProbe("analyze-fp-engine", "analyze", "--run", "{run}", "--out", "a", "--fp-engine", "tpu"),
	cmdProbe("analyze-seed-text", "analyze", "--run", "{run}", "--out", "a", "--analysis-seed", "x"),
	cmdProbe("analyze-unknown-flag", "analyze", "--bogus"),

	// tutorial.
	cmdProbe("tutorial-no-out", "tutorial"),
	cmdProbe("tutorial-steps-0", "tutorial", "--steps", "0", "--out", "t"),
	cmdProbe("tutorial-hidden-100000", "tutorial", "--hidden", "100000", "--out", "t"),
	cmdProbe("tutorial-trials-0", "tutorial", "--trials", "0", "--out", "t"),
	cmdProbe("tutorial-trials-1e9", "tutorial", "--trials", "1000000000", "--out", "t"),
	cmdProbe("tutorial-dt-1e-9", "tutorial", "--dt", "1e-9", "--out", "t"),
	cmdProbe("tutorial-name-unknown", "tutorial", "--name", "nope"),
	cmdProbe("tutorial-name-no-value", "tutorial", "--name"),
	cmdProbe("tutorial-unknown-flag", "tutorial", "--bogus"),
	cmdProbe("tutorial-wm-seeds-1e18", "tutorial", "--name", "working-memory", "--seeds", "1000000000000000000", "--out", "t"),
	cmdProbe("tutorial-wm-engine", "tutorial", "--name", "working-memory", "--engine", "tpu", "--out", "t"),
	cmdProbe("tutorial-ei-steps-0", "tutorial", "--name", "ei", "--steps", "0", "--out", "t"),
	cmdProbe("tutorial-lstm-window", "tutorial", "--name", "lstm", "--window", "0", "--out", "t"),
	cmdProbe("tutorial-lstm-lr-inf", "tutorial", "--name", "lstm", "--lr", "inf", "--out", "t"),

	// bench.
	cmdProbe("bench-repeats-0", "bench", "--repeats", "0"),
	cmdProbe("bench-train-steps-negative", "bench", "--train-steps", "-1"),
	cmdProbe("bench-plot-without-scaling", "bench", "--plot", "p.png"),
	cmdProbe("bench-cells-unknown", "bench", "--cells", "ctrnn,rnn"),
	cmdProbe("bench-cell-hidden-1e8", "bench", "--scaling", "--cell-hidden", "100000000"),
	cmdProbe("bench-cell-hidden-without-scaling", "bench", "--cell-hidden", "64"),
	cmdProbe("bench-torch-threads-1e8", "bench", "--torch-threads", "100000000"),
	cmdProbe("bench-json-missing-folder", "bench", "--json", "nodir/b.json"),
	cmdProbe("bench-unknown-flag", "bench", "--bogus"),

	// multitask.
	cmdProbe("multitask-no-subcommand", "multitask"),
	cmdProbe("multitask-unknown-subcommand", "multitask", "fly"),
	cmdProbe("multitask-train-no-out", "multitask", "train"),
	cmdProbe("multitask-train-hidden-0", "multitask", "train", "--hidden", "0", "--out", "m"),
	cmdProbe("multitask-train-hidden-40000", "multitask", "train", "--hidden", "40000", "--out", "m"),
	cmdProbe("multitask-train-steps-0", "multitask", "train", "--steps", "0", "--out", "m"),
	cmdProbe("multitask-train-eval-trials-1e9", "multitask", "train", "--eval-trials", "1000000000", "--out", "m"),
	cmdProbe("multitask-train-confirm-trials-1e9", "multitask", "train", "--confirm-trials", "1000000000", "--out", "m"),
	cmdProbe("multitask-train-target-2", "multitask", "train", "--target", "2", "--out", "m"),
	cmdProbe("multitask-train-target-nan", "multitask", "train", "--tie-target", "nan", "--out", "m"),
	cmdProbe("multitask-train-engine", "multitask", "train", "--engine", "tpu", "--out", "m"),
	cmdProbe("multitask-train-resume-missing", "multitask", "train", "--resume", "--out", "m"),
	cmdProbe("multitask-train-unknown-flag", "multitask", "train", "--bogus"),
	cmdProbe("multitask-analyze-var-trials-1", "multitask", "analyze", "--var-trials", "1", "--run", "m"),
	cmdProbe("multitask-analyze-var-trials-1e9", "multitask", "analyze", "--var-trials", "1000000000", "--run", "m"),
	cmdProbe("multitask-analyze-k-max-1e9", "multitask", "analyze", "--k-max", "1000000000", "--run", "m"),
	cmdProbe("multitask-analyze-n-init-0", "multitask", "analyze", "--n-init", "0", "--run", "m"),
	cmdProbe("multitask-analyze-run-missing", "multitask", "analyze", "--run", "nosuch"),

	// sweep: files, ranges, bounds, flags.
	cmdProbe("sweep-no-subcommand", "sweep"),
	cmdProbe("sweep-unknown-subcommand", "sweep", "fly"),
	cmdProbe("sweep-plan-no-file", "sweep", "plan"),
	cmdProbe("sweep-plan-missing-file", "sweep", "plan", "nosuch.toml"),
	sweepProbe("sweep-plan-empty", "plan", ""),
	sweepProbe("sweep-plan-not-toml", "plan", "out = [\n"),
	sweepProbe("sweep-plan-unknown-key", "plan", probeSweepBase+"bogus = 1\n"),
	sweepProbe("sweep-plan-no-out", "plan", "steps = 5\n"),
	sweepProbe("sweep-plan-no-steps", "plan", "out = \"o\"\n"),
	sweepProbe("sweep-plan-range-nan", "plan", probeSweepBase+"[axes]\nseed = {from = nan, to = 3}\n"),
	sweepProbe("sweep-plan-range-inf", "plan", probeSweepBase+"[axes]\nseed = {from = 0, to = inf}\n"),
	sweepProbe("sweep-plan-range-step-nan", "plan", probeSweepBase+"[axes]\nseed = {from = 0, to = 3, step = nan}\n"),
	sweepProbe("sweep-plan-range-step-0", "plan", probeSweepBase+"[axes]\nseed = {from = 0, to = 3, step = 0}\n"),
	sweepProbe("sweep-plan-range-1e19", "plan", probeSweepBase+"[axes]\nseed = {from = 1e19, to = 1e19}\n"),
	sweepProbe("sweep-plan-range-too-many", "plan", probeSweepBase+"[axes]\nseed = {from = 0, to = 2000000}\n"),
	sweepProbe("sweep-plan-range-num-1e7", "plan", probeSweepBase+"[axes]\nlr = {from = 1e-4, to = 1e-2, num = 10000000}\n"),
	sweepProbe("sweep-plan-range-num-nan", "plan", probeSweepBase+"[axes]\nlr = {from = 1e-4, to = 1e-2, num = nan}\n"),
	sweepProbe("sweep-plan-range-log-negative", "plan", probeSweepBase+"[axes]\nlr = {from = -1, to = 1, num = 3, scale = \"log\"}\n"),
	sweepProbe("sweep-plan-grid-too-many", "plan", probeSweepBase+"[axes]\nseed = {from = 0, to = 999}\nhidden = {from = 1, to = 2000}\n"),
	sweepProbe("sweep-plan-axes-string", "plan", "axes = \"seed\"\n"+probeSweepBase),
	sweepProbe("sweep-plan-axes-array", "plan", "axes = [1, 2]\n"+probeSweepBase),
	sweepProbe("sweep-plan-axes-int", "plan", "axes = 5\n"+probeSweepBase),
	sweepProbe("sweep-plan-axes-array-of-tables", "plan", probeSweepBase+"[[axes]]\nseed = 1\n"),
	sweepProbe("sweep-plan-axis-unknown", "plan", probeSweepBase+"[axes]\nsize = [1, 2]\n"),
	sweepProbe("sweep-plan-axis-empty", "plan", probeSweepBase+"[axes]\nseed = []\n"),
	sweepProbe("sweep-plan-axis-lr-inf", "plan", probeSweepBase+"[axes]\nlr = [1e-3, inf]\n"),
	sweepProbe("sweep-plan-axis-hidden-float", "plan", probeSweepBase+"[axes]\nhidden = [4.5]\n"),
	sweepProbe("sweep-plan-axis-seed-negative", "plan", probeSweepBase+"[axes]\nseed = [-1]\n"),
	sweepProbe("sweep-plan-base-lr-inf", "plan", probeSweepBase+"lr = inf\n"),
	sweepProbe("sweep-plan-base-tau-nan", "plan", probeSweepBase+"tau = nan\n"),
	sweepProbe("sweep-plan-base-tau-below-dt", "plan", probeSweepBase+"tau = 50.0\n"),
	sweepProbe("sweep-plan-base-lr-text", "plan", probeSweepBase+"lr = \"fast\"\n"),
	sweepProbe("sweep-plan-base-cell", "plan", probeSweepBase+"cell = \"rnn\"\n"),
	sweepProbe("sweep-plan-task-unknown", "plan", probeSweepBase+"[axes]\ntask = [\"Nope-v0\"]\n"),
	sweepProbe("sweep-plan-threads-1e8", "plan", "threads = 100000000\n"+probeSweepBase),
	sweepProbe("sweep-plan-threads-0", "plan", "threads = 0\n"+probeSweepBase),
	sweepProbe("sweep-plan-analysis-trials-1e12", "plan", probeSweepBase+"[analysis]\ntrials = 1000000000000\n"),
	sweepProbe("sweep-plan-analysis-tolerance-inf", "plan", probeSweepBase+"[analysis]\ntolerance = inf\n"),
	sweepProbe("sweep-plan-analysis-input-nan", "plan", probeSweepBase+"[analysis]\ninput = [1, nan]\n"),
	sweepProbe("sweep-plan-zip-unknown-axis", "plan", "zip = [[\"seed\", \"lr\"]]\n"+probeSweepBase+"[axes]\nseed = [0, 1]\n"),
	sweepProbe("sweep-plan-extra-argument", "plan", probeSweepBase, "other.toml"),
	sweepProbe("sweep-plan-unknown-flag", "plan", probeSweepBase, "--bogus"),
	sweepProbe("sweep-run-range-nan", "run", probeSweepBase+"[axes]\nseed = {from = nan, to = 3}\n"),
	sweepProbe("sweep-run-threads-1e8", "run", "threads = 100000000\n"+probeSweepBase),
	sweepProbe("sweep-run-analysis-trials-1e12", "run", probeSweepBase+"[analysis]\ntrials = 1000000000000\n"),
	sweepProbe("sweep-run-axes-string", "run", "axes = \"seed\"\n"+probeSweepBase),
	sweepProbe("sweep-run-base-lr-inf", "run", probeSweepBase+"lr = inf\n"),
	sweepProbe("sweep-run-jobs-0", "run", probeSweepBase, "--jobs", "0"),
	sweepProbe("sweep-run-executor", "run", probeSweepBase, "--executor", "cloud"),
	sweepProbe("sweep-run-partition-local", "run", probeSweepBase, "--partition", "cpu"),
	sweepProbe("sweep-run-poll-0", "run", probeSweepBase, "--executor", "slurm", "--poll", "0s"),
	sweepProbe("sweep-run-unknown-flag", "run", probeSweepBase, "--bogus"),
	sweepProbe("sweep-status-range-1e19", "status", probeSweepBase+"[axes]\nseed = {from = 1e19, to = 1e19}\n"),
	sweepProbe("sweep-collect-axes-array", "collect", "axes = [1, 2]\n"+probeSweepBase),
	sweepProbe("sweep-task-no-index", "task", probeSweepBase),
	sweepProbe("sweep-task-index-out-of-range", "task", probeSweepBase, "--index", "99"),
	sweepProbe("sweep-task-threads-1e8", "task", "threads = 100000000\n"+probeSweepBase, "--index", "0"),
}

// usageHint is the second line a flag error may print.
var usageHint = regexp.MustCompile(`^run 'rnnlab [a-z -]+ -h' for usage$`)

// stderrLines returns the lines of a command's stderr without the usage
// hint that may follow a flag error; stderr without a final newline counts
// one line more, so that only "line\n" (and the hint) is one line.
func stderrLines(s string) []string {
	if !strings.HasSuffix(s, "\n") {
		return append(strings.Split(s, "\n"), "")
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) == 2 && usageHint.MatchString(lines[1]) {
		lines = lines[:1]
	}
	return lines
}

// TestProbeBadInputs runs every probe with the rnnlab binary, built once,
// in its own folder, under an address-space limit and a timeout. Each must
// exit non-zero with exactly one line on stderr (and at most the usage
// hint), print no panic, Go runtime dump or usage text, stay within
// probeMaxRSS of memory and leave its folder as it found it.
func TestProbeBadInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the rnnlab binary and starts ~190 processes")
	}
	root := t.TempDir()
	bin := filepath.Join(root, "rnnlab")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run := filepath.Join(root, "run")
	if out, err := exec.Command(bin, "train", "--steps", "1", "--hidden", "4", "--batch", "2", "--seq-len", "10", "--quiet", "--no-progress", "--out", run).CombinedOutput(); err != nil {
		t.Fatalf("training the shared run: %v\n%s", err, out)
	}
	if len(probes) < 150 {
		t.Errorf("%d probes, want at least 150", len(probes))
	}
	seen := map[string]bool{}
	for _, p := range probes {
		if seen[p.name] {
			t.Fatalf("probe name %s used twice", p.name)
		}
		seen[p.name] = true
		t.Run(p.name, func(t *testing.T) {
			dir := filepath.Join(root, "probes", p.name)
			for name, text := range p.files {
				path := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			before := listFiles(t, dir)
			args := make([]string, len(p.args))
			for i, a := range p.args {
				args[i] = strings.ReplaceAll(a, "{run}", run)
			}
			status, stdout, stderr, rss := runProbe(t, dir, bin, args)
			lines := stderrLines(stderr)
			t.Logf("status %d: %s", status, lines[0])
			switch {
			case status == 0:
				t.Errorf("exit status 0, want non-zero; stderr %q", stderr)
			case status < 0:
				t.Errorf("killed (timeout %v or signal); stderr %q", probeTimeout, tail(stderr))
			case len(lines) != 1 || lines[0] == "":
				t.Errorf("stderr has %d lines, want 1 (and the usage hint): %q", len(lines), tail(stderr))
			}
			for _, bad := range []string{"panic", "goroutine ", "fatal error", "internal error", "runtime error"} {
				if strings.Contains(stderr, bad) || strings.Contains(stdout, bad) {
					t.Errorf("output contains %q: stderr %q", bad, tail(stderr))
				}
			}
			if strings.Contains(stdout, "Usage:") {
				t.Errorf("the usage is printed for a bad command line: %q", tail(stdout))
			}
			if rss > probeMaxRSS {
				t.Errorf("peak resident memory %d MB, want at most %d MB", rss>>20, probeMaxRSS>>20)
			}
			if after := listFiles(t, dir); !slices.Equal(before, after) {
				t.Errorf("files changed: before %v, after %v", before, after)
			}
		})
	}
}

// runProbe runs bin with args in dir under ulimit -v probeMemoryKB and
// probeTimeout; it returns the exit status (-1 if killed), the outputs and
// the peak resident memory in bytes.
func runProbe(t *testing.T, dir, bin string, args []string) (int, string, string, int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	script := "ulimit -v " + strconv.Itoa(probeMemoryKB) + ` && exec "$0" "$@"`
	cmd := exec.CommandContext(ctx, "/bin/sh", append([]string{"-c", script, bin}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "RNNLAB_TEST_AS_RNNLAB=", "GOMAXPROCS=2")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	status := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		status = ee.ExitCode()
	case err != nil:
		t.Fatalf("cannot run %v: %v", args, err)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss << 10 // kB on Linux
	}
	return status, out.String(), errb.String(), rss
}

// listFiles lists the paths under dir, relative to it, sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func tail(s string) string {
	if len(s) > 600 {
		return "..." + s[len(s)-600:]
	}
	return s
}
