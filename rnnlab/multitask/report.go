package multitask

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/report"
)

// File names of a run folder (train) and of an analysis folder.
const (
	CheckpointFile = "checkpoint.npz"
	TrainFile      = "train.json"
	AnalysisFile   = "analysis.json"
	ReportFile     = "report.html"
)

// Figures draws the analysis' figures and, when history is not empty, the
// accuracy over training.
func Figures(a *Analysis, meta *Meta) ([]report.Figure, error) {
	var figs report.FigureList
	if meta != nil && len(meta.History) > 0 {
		f, err := AccuracyFigure(meta.History, meta.Config.WithDefaults().Targets)
		figs.Add("accuracy", "Decision accuracy of every task on fresh trials during training (dashed: the target).", f, err)
	}
	f, err := VarianceFigure(a)
	figs.Add("variance", "Left: the task variance of every active unit, normalised by its maximum (dark 0, yellow 1), units sorted by cluster "+
		"of the consensus partition (white lines) and within a cluster by their preferred task. Right: the silhouette score of k-means for each k, "+
		"mean ± sd over the repetitions (each with its own k-means seed and trials); dashed, the modal k.", f, err)
	f, err = StabilityFigure(a.Sweep)
	figs.Add("kseeds", fmt.Sprintf("Left: how often each k had the best silhouette score, over %d repetitions. Right: the agreement of the repetitions' "+
		"partitions at each k (adjusted Rand index over pairs: mean and smallest); dashed, the %.1f a stable structure needs.", len(a.Sweep.Chosen), StableARI), f, err)
	f, err = FTVFigure(a)
	figs.Add("ftv", "Fractional task variance FTV = (V_a − V_b)/(V_a + V_b) of the active units for pairs of tasks a, b (20 bins over [−1, 1]): near −1 or 1 a unit varies in one task of the pair only, near 0 in both.", f, err)
	f, err = LesionFigure(a)
	figs.Add("lesions", "Accuracy of every task with the outgoing weights of one cluster set to zero (rows), against the intact network (top).", f, err)
	if a.Composition != nil {
		f, err := CompositionFigure(a.Composition)
		figs.Add("composition", "Compositionality (the paper's setup). Top: the task space of each rule set, the stimulus-averaged rates at the end of stim1 "+
			"on two PCs; the first pair of rules in red, the second in blue: parallel sides of equal length are the paper's compositional representation "+
			"(cos: the cosine of the two difference vectors in the full rate space). Bottom: the performance of a task with its rule input replaced; the last bar "+
			"is the composition, which should beat every single replacement.", f, err)
	}
	f, err = ConnectivityFigure(a)
	figs.Add("connectivity", "Mean recurrent weight from the units of each cluster (rows) to those of each cluster (columns); blue excitatory, red inhibitory. "+
		"In parentheses, the clusters' sizes.", f, err)
	out, err := figs.Figures()
	if err != nil {
		return nil, fmt.Errorf("multitask: %w", err)
	}
	return out, nil
}

// Report builds the HTML report of a run and its analysis (meta may be nil
// for a network without a training history).
func Report(a *Analysis, meta *Meta, figs []report.Figure) (*report.Report, error) {
	rep := report.New("rnnlab: one network, twenty tasks (Yang et al. 2019)")
	if meta != nil {
		c := meta.Config.WithDefaults()
		rep.Subtitle = fmt.Sprintf("%s, 53 inputs, 17 outputs, dt %g ms, seed %d", c.Model().Describe(), c.Dt, c.Seed)
		status := "not reached"
		if meta.Reached > 0 {
			status = fmt.Sprintf("reached at step %d", meta.Reached)
		}
		steps, secs := 0, 0.0
		if n := len(meta.History); n > 0 {
			steps, secs = meta.History[n-1].Step, meta.History[n-1].Seconds
		}
		rep.AddSection("Training", fmt.Sprintf("neurogym's yang19 collection (16-unit rings), the twenty tasks interleaved by a random schedule "+
			"with the one-hot rule input; Adam (lr %g), batch %d, sequence %d, mean cross-entropy. %d steps in %.0f s "+
			"(median %.1f ms per step, of which %.1f ms making the batch in parallel). Targets: %s.",
			c.LR, c.BatchSize, c.SeqLen, steps, secs, meta.StepMs, meta.DataMs, status))
		if err := rep.AddFigures(figs, "accuracy"); err != nil {
			return nil, err
		}
	}
	rep.AddSection("Setup and differences from the paper", "The tasks are neurogym's port of Yang et al. (2019) (tasks.NewYang19), "+
		"which differs from the paper's code:\n\n"+Differences)
	rows := make([][]string, len(a.Tasks))
	for k, s := range a.Tasks {
		rows[k] = []string{s, fmt.Sprintf("%.3f", a.Intact[k])}
	}
	if err := rep.AddTable(fmt.Sprintf("Decision accuracy of the analysed network on %d fresh trials per task", a.Config.EvalTrials),
		[]string{"task", "accuracy"}, rows); err != nil {
		return nil, err
	}
	sw := a.Sweep
	if sw == nil {
		return nil, errNoSweep
	}
	trials := "its own trials for the task variance (seeds.ClusterTrials)"
	if a.Config.FixedTrials {
		trials = "the analysis' own trials"
	}
	rep.AddSection("Task variance and clusters", fmt.Sprintf("Task variance on %d noiseless trials per task (first fixation epoch dropped): "+
		"%d of %d units are active (summed variance > %g). k-means (n_init %d) on the normalised variances for k = %d..%d, the k of the best "+
		"silhouette score kept, as in the paper; this choice is repeated %d times, each with its own k-means seed (seeds.Clustering) and %s. "+
		"The number of clusters is the modal k; the partition shown is the repetitions' consensus at that k (the one agreeing best with the "+
		"others, by the adjusted Rand index). The structure counts as stable when the modal k wins at least %.0f %% of the repetitions and the "+
		"partitions at that k agree with a mean ARI of at least %.1f.\n\n%s.",
		a.Config.VarTrials, len(a.Active), len(a.Variance), ActiveThreshold, a.Config.NInit, sw.Ks[0], sw.Ks[len(sw.Ks)-1],
		len(sw.Chosen), trials, 100*StableShare, StableARI, sw.Verdict()))
	if err := rep.AddFigures(figs, "variance"); err != nil {
		return nil, err
	}
	var krows [][]string
	for i, k := range sw.Ks {
		krows = append(krows, []string{fmt.Sprint(k), fmt.Sprint(sw.Counts[i]), fmt.Sprintf("%.3f ± %.3f", sw.Mean[i], sw.SD[i]),
			fmt.Sprintf("%.3f", sw.ARIMean[i]), fmt.Sprintf("%.3f", sw.ARIMin[i])})
	}
	if err := rep.AddTable(fmt.Sprintf("The choice of k over %d repetitions", len(sw.Chosen)),
		[]string{"k", "chosen by", "silhouette (mean ± sd)", "ARI mean", "ARI min"}, krows); err != nil {
		return nil, err
	}
	if err := rep.AddFigures(figs, "kseeds"); err != nil {
		return nil, err
	}
	rep.AddSection("Fractional task variance", "")
	if err := rep.AddFigures(figs, "ftv"); err != nil {
		return nil, err
	}
	rep.AddSection("Lesions", fmt.Sprintf("Each cluster of the consensus partition silenced in turn, every task measured on %d trials. A task is impaired "+
		"when its accuracy drops by %.1f or more; a cluster is specialised when its lesion impairs at least one task and at most half of them. "+
		"%d of the %d clusters are specialised.", a.Config.EvalTrials, ImpairDrop, CountSpecialised(a.Effects), a.K))
	if err := rep.AddFigures(figs, "lesions"); err != nil {
		return nil, err
	}
	var cl []report.Pair
	for c, e := range a.Effects {
		cl = append(cl, report.Pair{Name: fmt.Sprintf("cluster %d (%d units)", c+1, e.Units), Value: e.Line(a.Tasks)})
	}
	rep.AddValues("What each cluster's lesion does", cl...)
	rep.AddSection("Connectivity between clusters", "")
	if err := rep.AddFigures(figs, "connectivity"); err != nil {
		return nil, err
	}
	return rep, nil
}

// WriteAnalysis writes an analysis folder: analysis.json, every figure as
// PNG and report.html.
func WriteAnalysis(dir string, a *Analysis, meta *Meta) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("multitask: %w", err)
	}
	js, err := json.MarshalIndent(a, "", " ")
	if err != nil {
		return fmt.Errorf("multitask: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, AnalysisFile), js); err != nil {
		return err
	}
	figs, err := Figures(a, meta)
	if err != nil {
		return err
	}
	if err := report.WriteFiles(dir, figs, ".png"); err != nil {
		return err
	}
	rep, err := Report(a, meta, figs)
	if err != nil {
		return err
	}
	return rep.WriteFile(filepath.Join(dir, ReportFile))
}
