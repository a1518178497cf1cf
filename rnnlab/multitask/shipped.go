package multitask

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// ShippedCheckpoint is the path, relative to the repository's root, of the
// network shipped with rnnlab: the 256-unit ReLU CTRNN trained by
// `rnnlab multitask train --seed 0` (Config's defaults) until every task
// reached its target. It is a checkpoint of Trainer.Save (weights, Adam's
// moments and Meta), so the run can also be resumed from it.
const ShippedCheckpoint = "notebooks/data/yang19-ctrnn256-seed0.npz"

// ShippedSeed is the seed of the shipped network's run.
const ShippedSeed = 0

// RetrainCommand is the command that trains the shipped network again
// (bit for bit on the same machine and engine: see Trainer).
const RetrainCommand = "rnnlab multitask train --out runs/yang19 --seed 0"

// FindShipped returns the path of ShippedCheckpoint, looked for in dir and
// then in each of its parents, so that it is found from the repository's
// root, from notebooks/ or from any folder inside the checkout ("" means the
// working directory).
func FindShipped(dir string) (string, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", fmt.Errorf("multitask: %w", err)
		}
		dir = wd
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("multitask: %w", err)
	}
	for d := dir; ; {
		p := filepath.Join(d, filepath.FromSlash(ShippedCheckpoint))
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		up := filepath.Dir(d)
		if up == d {
			return "", fmt.Errorf("multitask: the shipped network %s is not in %s or its parents (run inside the rnnlab checkout)", ShippedCheckpoint, dir)
		}
		d = up
	}
}

// LoadRun loads the network and the training record (Meta) of a checkpoint
// written by a Trainer.
func LoadRun(path string) (*models.Params, *Meta, error) {
	var meta Meta
	p, err := models.Load(path, &meta)
	if err != nil {
		return nil, nil, err
	}
	if want := meta.Config.Model(); p.Config != want {
		return nil, nil, fmt.Errorf("multitask: %s holds a %s network, its run config a %s one", path, p.Config.Describe(), want.Describe())
	}
	return p, &meta, nil
}

// LoadShipped loads the shipped network (FindShipped from the working
// directory) and its training record.
func LoadShipped() (*models.Params, *Meta, error) {
	path, err := FindShipped("")
	if err != nil {
		return nil, nil, err
	}
	return LoadRun(path)
}

// Trained summarises a training record in one paragraph: the network, the
// data, the optimiser, the number of steps and the wall time, the median
// time per step and whether (and at which step) every task reached its
// target.
func (m *Meta) Trained() string {
	c := m.Config.WithDefaults()
	steps, secs := 0, 0.0
	if n := len(m.History); n > 0 {
		steps, secs = m.History[n-1].Step, m.History[n-1].Seconds
	}
	status := "the targets were not reached (yet)"
	if m.Reached > 0 {
		status = fmt.Sprintf("every task reached its target at step %d, confirmed on %d fresh trials per task", m.Reached, c.ConfirmTrials)
	}
	return fmt.Sprintf("%s (53 inputs, 17 outputs, dt %g ms, seed %d) trained on the twenty yang19 tasks interleaved by a random schedule: "+
		"Adam (lr %g), batches of %d sequences of %d steps, mean cross-entropy, evaluated every %d steps on %d fresh trials per task. "+
		"%d steps in %.0f s (%.1f min; median %.1f ms per step, %.1f ms of it making the batch in parallel); %s.",
		c.Model().Describe(), c.Dt, c.Seed, c.LR, c.BatchSize, c.SeqLen, c.EvalEvery, c.EvalTrials,
		steps, secs, secs/60, m.StepMs, m.DataMs, status)
}

// Differences lists, as markdown bullets, where neurogym's port of the
// tasks (the one rnnlab trains on) differs from the paper's code, and how
// accuracy is measured here. Report shows it; so does the notebook.
const Differences = "- rings of 16 units (33 inputs plus 20 rule inputs, 17 categorical outputs trained with cross-entropy) instead of 32 units, " +
	"sigmoid outputs and a masked mean squared error;\n" +
	"- the fixation input is shown only in the fixation period of the dm, delayed dm and matching tasks, not until the response;\n" +
	"- the random schedule never gives the same task twice in a row;\n" +
	"- the two stimuli of the dm tasks may sit on adjacent ring positions, their bumps overlapping;\n" +
	"- decision accuracy is read at the last step of the decision period (argmax of the outputs against the label), " +
	"not the paper's population-vector read-out within 0.2π;\n" +
	"- in multidm and multidlydm the two modalities' evidence ties in 12.5 % and 16.7 % of trials and a random draw sets the label, " +
	"capping their accuracy near 0.92 and 0.90 (hence their lower target)."

// WriteAccuracies prints one line per task, "  dm1         0.945  (target
// 0.90)", in the order of ShortNames, then the number of tasks at their
// target; acc is Evaluate's result and targets a Config's Targets (nil:
// DefaultTargets).
func WriteAccuracies(w io.Writer, acc []float64, targets map[string]float64) error {
	if len(acc) != len(ShortNames()) {
		return fmt.Errorf("multitask: %d accuracies for %d tasks", len(acc), len(ShortNames()))
	}
	if targets == nil {
		targets = DefaultTargets()
	}
	n := 0
	for k, s := range ShortNames() {
		mark := ""
		if acc[k] >= targets[s] {
			n++
		} else {
			mark = "  below"
		}
		if _, err := fmt.Fprintf(w, "  %-10s %.3f  (target %.2f)%s\n", s, acc[k], targets[s], mark); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%d of %d tasks at their target; lowest %.3f\n", n, len(acc), slices.Min(acc))
	return err
}

// Summary is the analysis in a few lines: active units; the choice of k
// over the repetitions (the chosen k's distribution, the silhouette's mean
// ± sd at those k, the partitions' agreement, the verdict); and for each
// cluster of the consensus partition its size and what its lesion does
// (ClusterLesion.Line).
func (a *Analysis) Summary() string {
	var b strings.Builder
	c, s := a.Config, a.Sweep
	fmt.Fprintf(&b, "%d of %d units active (summed task variance > %g)\n", len(a.Active), len(a.Variance), ActiveThreshold)
	if s == nil {
		return b.String() + errNoSweep.Error()
	}
	what := "its own k-means seed and trials"
	if c.FixedTrials {
		what = "its own k-means seed, the same trials"
	}
	fmt.Fprintf(&b, "Choice of k in %d repetitions (%s; k-means n_init %d, best silhouette over k = %d..%d):\n",
		len(s.Chosen), what, c.NInit, s.Ks[0], s.Ks[len(s.Ks)-1])
	fmt.Fprintf(&b, "  k chosen: %s\n", s.Distribution())
	var sil []string
	for i, k := range s.Ks {
		if s.Counts[i] > 0 {
			sil = append(sil, fmt.Sprintf("k=%d %.3f ± %.3f", k, s.Mean[i], s.SD[i]))
		}
	}
	fmt.Fprintf(&b, "  silhouette (mean ± sd) at those k: %s; over all k %.3f to %.3f\n", strings.Join(sil, ", "), slices.Min(s.Mean), slices.Max(s.Mean))
	fmt.Fprintf(&b, "  %s\n", s.Verdict())
	fmt.Fprintf(&b, "Lesions of the %d clusters of the consensus partition (%d specialised: impairing 1 to %d of the %d tasks by >= %.1f):\n",
		a.K, CountSpecialised(a.Effects), len(a.Tasks)/2, len(a.Tasks), ImpairDrop)
	for i, e := range a.Effects {
		fmt.Fprintf(&b, "  cluster %2d: %3d units; %s\n", i+1, e.Units, e.Line(a.Tasks))
	}
	if a.Composition != nil {
		fmt.Fprintln(&b, "Compositionality:")
		for _, l := range a.Composition.Lines() {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	}
	fmt.Fprintf(&b, "Analysis time: %.1f s", a.Seconds)
	return b.String()
}

// LoadAnalysis reads an analysis.json written by WriteAnalysis.
func LoadAnalysis(path string) (*Analysis, error) {
	js, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("multitask: %w", err)
	}
	var a Analysis
	if err := json.Unmarshal(js, &a); err != nil {
		return nil, fmt.Errorf("multitask: %s: %w", path, err)
	}
	return &a, nil
}
