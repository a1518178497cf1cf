package multitask

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

// AnalysisConfig configures Analyze; zero fields mean their defaults.
type AnalysisConfig struct {
	// VarTrials is the number of noiseless trials per task for the task
	// variance (default 200).
	VarTrials int `json:"var_trials"`
	// EvalTrials is the number of trials per task of the lesion test
	// (default 200).
	EvalTrials int `json:"eval_trials"`
	// KMin and KMax bound the number of clusters tried (2 and 29).
	KMin int `json:"k_min"`
	KMax int `json:"k_max"`
	// NInit is the number of k-means starts per k (20).
	NInit int `json:"n_init"`
	// Repeats is the number of repetitions of the choice of k (SweepK;
	// default DefaultRepeats, 20).
	Repeats int `json:"repeats"`
	// FixedTrials makes every repetition cluster the task variance of the
	// analysis' own trials, varying the k-means seed alone; by default
	// repetition r measures it again on trials seeded
	// seeds.ClusterTrials(Seed, r).
	FixedTrials bool `json:"fixed_trials"`
	// Seed seeds the trials, the k-means seeds and the repetitions' trials
	// (the run's seeds.Analysis(S) in the CLI).
	Seed uint64 `json:"seed"`
	// Pairs are the FTV pairs (nil: DefaultPairs).
	Pairs []Pair `json:"pairs,omitempty"`
	// Engine names the engine of the forward passes (default "auto").
	Engine string `json:"engine,omitempty"`
}

// WithDefaults fills the zero fields.
func (c AnalysisConfig) WithDefaults() AnalysisConfig {
	if c.VarTrials == 0 {
		c.VarTrials = 200
	}
	if c.EvalTrials == 0 {
		c.EvalTrials = DefaultEvalTrials
	}
	if c.KMin == 0 {
		c.KMin = 2
	}
	if c.KMax == 0 {
		c.KMax = 29
	}
	if c.NInit == 0 {
		c.NInit = 20
	}
	if c.Repeats == 0 {
		c.Repeats = DefaultRepeats
	}
	if c.Pairs == nil {
		c.Pairs = slices.Clone(DefaultPairs)
	}
	if c.Engine == "" {
		c.Engine = models.EngineAuto
	}
	return c
}

// FTVResult is the fractional task variance of the active units for one
// pair of tasks.
type FTVResult struct {
	Pair Pair `json:"pair"`
	// Values is FTV(j) for each active unit with variance in either task.
	Values []float64 `json:"values"`
	// Counts is the histogram of Values in FTVBins bins over [−1, 1].
	Counts []int `json:"counts"`
}

// Analysis is the paper's analysis of one network.
type Analysis struct {
	Config AnalysisConfig `json:"config"`
	// Tasks are the short names, the columns of every matrix.
	Tasks []string `json:"tasks"`
	// Variance[j][k] is unit j's task variance on task k (TaskVariance).
	Variance [][]float64 `json:"variance"`
	// Active lists the active units (ActiveUnits, threshold 1e-3),
	// sorted by cluster (see Clusters), then by the task of their largest
	// variance, then by index.
	Active []int `json:"active"`
	// Normalized[i] is unit Active[i]'s variance divided by its maximum.
	Normalized [][]float64 `json:"normalized"`
	// Labels[i] is the cluster of unit Active[i] in the consensus
	// partition (Sweep.Partition). Clusters are numbered by the task where
	// their centre peaks (then by decreasing size).
	Labels []int `json:"labels"`
	// Clusters[c] lists the units of cluster c.
	Clusters [][]int `json:"clusters"`
	// K is the number of clusters, Sweep.K.
	K int `json:"k"`
	// Sweep is the choice of k repeated over Config.Repeats k-means seeds
	// and trial sets: the distribution of the chosen k, the silhouette
	// curve's mean and spread, the partitions' agreement, the verdict.
	Sweep *KSweep `json:"sweep"`
	// FTV holds one result per pair of Config.Pairs.
	FTV []FTVResult `json:"ftv"`
	// Intact is every task's accuracy of the intact network, and
	// Lesions[c] after silencing cluster c, on the same trials.
	Intact  []float64   `json:"intact"`
	Lesions [][]float64 `json:"lesions"`
	// Effects[c] is what silencing cluster c does (LesionEffects).
	Effects []ClusterLesion `json:"effects"`
	// Connectivity[a][b] is the mean recurrent weight from cluster a to
	// cluster b (ClusterConnectivity).
	Connectivity [][]float64 `json:"connectivity"`
	// Composition is the compositionality analysis (Compose) of a network
	// of the paper's setup; nil for others.
	Composition *Composition `json:"composition,omitempty"`
	// Seconds is the wall time of the analysis.
	Seconds float64 `json:"seconds"`
}

// Analyze runs the paper's analysis of p: task variance on noiseless
// trials, active units, the variance normalised per unit, k-means with the
// number of clusters chosen by the silhouette score, repeated over
// Config.Repeats k-means seeds and trial sets (SweepK: the modal k and the
// consensus partition), FTV histograms, a lesion of every cluster
// (LesionEffects) and the connectivity between clusters. For a network of
// the paper's setup the task variance comes from the paper's fixed test
// trials (so the repetitions vary the k-means seed only), and the
// compositionality analysis is added (Compose, ReplacementTrials trials
// per rule input).
func Analyze(p *models.Params, cfg AnalysisConfig) (*Analysis, error) {
	start := time.Now()
	cfg = cfg.WithDefaults()
	eng, err := models.NewEngine(cfg.Engine, p.Config)
	if err != nil {
		return nil, fmt.Errorf("multitask: %w", err)
	}
	if IsPaperNetwork(p) {
		cfg.FixedTrials = true // the paper's test trials are fixed: every repetition would measure the same variance
	}
	a := &Analysis{Config: cfg, Tasks: ShortNames()}
	if a.Variance, err = TaskVariance(eng, p, cfg.VarTrials, cfg.Seed); err != nil {
		return nil, err
	}
	active := ActiveUnits(a.Variance, ActiveThreshold)
	if len(active) < 3 {
		return nil, fmt.Errorf("multitask: only %d active units (summed task variance > %g): too few to cluster", len(active), ActiveThreshold)
	}
	norm := NormalizeRows(a.Variance, active)
	Xs := make([][][]float64, cfg.Repeats)
	var trials []uint64
	for r := range Xs {
		if cfg.FixedTrials {
			Xs[r] = norm
			continue
		}
		trials = append(trials, seeds.ClusterTrials(cfg.Seed, r))
		V, err := TaskVariance(eng, p, cfg.VarTrials, trials[r])
		if err != nil {
			return nil, err
		}
		Xs[r] = NormalizeRows(V, active)
	}
	if a.Sweep, err = SweepK(Xs, cfg.KMin, cfg.KMax, cfg.NInit, cfg.Seed); err != nil {
		return nil, err
	}
	a.Sweep.Trials = trials
	a.K = a.Sweep.K
	a.Active, a.Normalized, a.Labels = sortByCluster(active, norm, a.Sweep.Partition)
	a.Clusters = ClusterUnits(a.Active, a.Labels, a.K)
	for _, pr := range cfg.Pairs {
		i, err := TaskIndex(pr.A)
		if err != nil {
			return nil, err
		}
		j, err := TaskIndex(pr.B)
		if err != nil {
			return nil, err
		}
		v := FTV(a.Variance, a.Active, i, j)
		a.FTV = append(a.FTV, FTVResult{Pair: pr, Values: v, Counts: Histogram(v, FTVBins, -1, 1)})
	}
	groups := append([][]int{nil}, a.Clusters...)
	acc, err := LesionAccuracy(eng, p, groups, cfg.EvalTrials, cfg.Seed)
	if err != nil {
		return nil, err
	}
	a.Intact, a.Lesions = acc[0], acc[1:]
	sizes := make([]int, a.K)
	for c, u := range a.Clusters {
		sizes[c] = len(u)
	}
	if a.Effects, err = LesionEffects(a.Tasks, a.Intact, a.Lesions, sizes); err != nil {
		return nil, err
	}
	if a.Connectivity, err = ClusterConnectivity(p, a.Clusters); err != nil {
		return nil, err
	}
	if IsPaperNetwork(p) {
		if a.Composition, err = Compose(eng, p, ReplacementTrials, cfg.Seed); err != nil {
			return nil, err
		}
	}
	a.Seconds = time.Since(start).Seconds()
	return a, nil
}

// peak is the index of the largest value (the first on ties).
func peak(x []float64) int {
	b := 0
	for i, v := range x {
		if v > x[b] {
			b = i
		}
	}
	return b
}

// sortByCluster renumbers the clusters by the task where their centre
// peaks (ties: larger first) and sorts the units by cluster, then by the
// task of their own peak, then by index.
func sortByCluster(units []int, norm [][]float64, c *Clustering) ([]int, [][]float64, []int) {
	size := make([]int, c.K)
	for _, l := range c.Labels {
		size[l]++
	}
	order := make([]int, c.K)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		return cmp.Or(cmp.Compare(peak(c.Centers[x]), peak(c.Centers[y])), cmp.Compare(size[y], size[x]))
	})
	rank := make([]int, c.K)
	for r, old := range order {
		rank[old] = r
	}
	idx := make([]int, len(units))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		return cmp.Or(cmp.Compare(rank[c.Labels[x]], rank[c.Labels[y]]),
			cmp.Compare(peak(norm[x]), peak(norm[y])), cmp.Compare(units[x], units[y]))
	})
	u, n, l := make([]int, len(idx)), make([][]float64, len(idx)), make([]int, len(idx))
	for i, x := range idx {
		u[i], n[i], l[i] = units[x], norm[x], rank[c.Labels[x]]
	}
	return u, n, l
}
