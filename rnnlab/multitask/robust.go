package multitask

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/rnnlab/rnnlab/rnnlab/internal/stats"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

// errNoSweep is the error of a figure or summary of an analysis without a
// k sweep (an analysis.json written before Analyze repeated the choice).
var errNoSweep = fmt.Errorf("multitask: the analysis has no k sweep (written by an older rnnlab): run it again")

// DefaultRepeats is the number of k-means seeds SweepK repeats the choice
// of k over (AnalysisConfig.Repeats).
const DefaultRepeats = 20

// The criteria of a stable clustering (KSweep.Stable): the modal k is
// chosen by at least StableShare of the k-means seeds, and the partitions
// of the seeds at that k agree with a mean adjusted Rand index of at least
// StableARI.
const (
	StableShare = 0.8
	StableARI   = 0.9
)

// KSweep is the paper's choice of the number of clusters (ChooseK: k-means
// with n_init starts for each k, the k of the best silhouette score)
// repeated R times, each repetition r with its own k-means seed and, in
// Analyze, its own trials for the task variance (so that the choice hinges
// neither on one k-means seed nor on one set of trials).
//
// The number of clusters is the modal k, the one chosen by the most
// repetitions (the smallest on ties). The partition kept is the consensus
// of the R partitions at the modal k (every repetition clusters at every
// k, whether or not it chose it): the medoid, the partition m of largest summed agreement
// with the others,
//
//	m = argmax_r Σ_q ARI(P_r, P_q)   (the first on ties),
//
// a k-means partition itself (with its centres), and the one the others
// agree with most.
//
// The clustering is stable when Share ≥ StableShare (0.8) and
// ARIMean at the modal k ≥ StableARI (0.9); otherwise the network shows no
// stable cluster structure at this resolution, and the partition kept is
// one of several that disagree.
type KSweep struct {
	// Seeds[r] is the k-means seed of repetition r,
	// seeds.Clustering(analysis seed, r).
	Seeds []uint64 `json:"seeds"`
	// Trials[r] is the seed of repetition r's trials
	// (seeds.ClusterTrials(analysis seed, r)); nil when every repetition
	// clustered the same matrix.
	Trials []uint64 `json:"trials,omitempty"`
	// Chosen[r] is the k of repetition r's best silhouette score.
	Chosen []int `json:"chosen"`
	// Ks lists the k tried; Scores[r][i] is repetition r's silhouette
	// score at Ks[i].
	Ks     []int       `json:"ks"`
	Scores [][]float64 `json:"scores"`
	// Mean[i] and SD[i] are the mean and standard deviation (ddof 0) over
	// the repetitions of the silhouette score at Ks[i].
	Mean []float64 `json:"mean"`
	SD   []float64 `json:"sd"`
	// Counts[i] is the number of repetitions that chose Ks[i].
	Counts []int `json:"counts"`
	// ARIMean[i] and ARIMin[i] are the mean and the smallest adjusted Rand
	// index (AdjustedRand) over the R(R−1)/2 pairs of repetitions'
	// partitions at Ks[i] (1 when R = 1).
	ARIMean []float64 `json:"ari_mean"`
	ARIMin  []float64 `json:"ari_min"`
	// K is the modal k and Share the fraction of repetitions that chose it.
	K     int     `json:"k"`
	Share float64 `json:"share"`
	// Medoid is the repetition whose partition at K is kept, and
	// Partition that partition.
	Medoid    int         `json:"medoid"`
	Partition *Clustering `json:"partition"`
	// Stable reports Share ≥ StableShare and ARIMean at K ≥ StableARI.
	Stable bool `json:"stable"`
}

// SweepK runs ChooseK(Xs[r], kMin, kMax, nInit, s_r) for the R = len(Xs)
// repetitions, with k-means seeds s_r = seeds.Clustering(seed, r), and
// summarises them as a KSweep (see there for the rules). The matrices Xs[r]
// hold the same points (rows) measured again, or one matrix repeated to
// vary the k-means seed alone. The repetitions run in parallel (up to
// GOMAXPROCS); the result does not depend on it.
func SweepK(Xs [][][]float64, kMin, kMax, nInit int, seed uint64) (*KSweep, error) {
	repeats := len(Xs)
	if repeats < 1 {
		return nil, fmt.Errorf("multitask: a k sweep needs at least 1 repetition")
	}
	for _, X := range Xs {
		if len(X) != len(Xs[0]) {
			return nil, fmt.Errorf("multitask: a k sweep over matrices of %d and %d points", len(Xs[0]), len(X))
		}
	}
	runs := make([]*KChoice, repeats)
	errs := make([]error, repeats)
	sw := &KSweep{Seeds: make([]uint64, repeats)}
	for r := range repeats {
		sw.Seeds[r] = seeds.Clustering(seed, r)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for r := range repeats {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			runs[r], errs[r] = ChooseK(Xs[r], kMin, kMax, nInit, sw.Seeds[r])
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	sw.Ks = runs[0].Ks
	nk := len(sw.Ks)
	sw.Mean, sw.SD, sw.Counts = make([]float64, nk), make([]float64, nk), make([]int, nk)
	sw.ARIMean, sw.ARIMin = make([]float64, nk), make([]float64, nk)
	for _, kc := range runs {
		sw.Chosen = append(sw.Chosen, kc.Best.K)
		sw.Scores = append(sw.Scores, kc.Scores)
		sw.Counts[kc.Best.K-sw.Ks[0]]++
	}
	modal := 0
	for i, c := range sw.Counts {
		if c > sw.Counts[modal] {
			modal = i
		}
	}
	sw.K, sw.Share = sw.Ks[modal], float64(sw.Counts[modal])/float64(repeats)
	col := make([]float64, repeats)
	for i := range nk {
		for r, kc := range runs {
			col[r] = kc.Scores[i]
		}
		sw.Mean[i], sw.SD[i] = meanSD(col)
		labels := make([][]int, repeats)
		for r, kc := range runs {
			labels[r] = kc.All[i].Labels
		}
		sums, mean, lo, err := agreement(labels)
		if err != nil {
			return nil, err
		}
		sw.ARIMean[i], sw.ARIMin[i] = mean, lo
		if i == modal {
			sw.Medoid = peak(sums)
			sw.Partition = runs[sw.Medoid].All[i]
		}
	}
	sw.Stable = sw.Share >= StableShare && sw.ARIMean[modal] >= StableARI
	return sw, nil
}

// agreement returns, for R labellings, each one's summed adjusted Rand
// index with the others, and the mean and smallest index over the
// R(R−1)/2 pairs (1 and 1 for R = 1).
func agreement(labels [][]int) (sums []float64, mean, lo float64, err error) {
	R := len(labels)
	sums = make([]float64, R)
	mean, lo, pairs := 0, 1, 0
	for r := range R {
		for q := r + 1; q < R; q++ {
			a, err := AdjustedRand(labels[r], labels[q])
			if err != nil {
				return nil, 0, 0, err
			}
			sums[r] += a
			sums[q] += a
			mean += a
			lo = min(lo, a)
			pairs++
		}
	}
	if pairs == 0 {
		return sums, 1, 1, nil
	}
	return sums, mean / float64(pairs), lo, nil
}

// meanSD is the mean and the standard deviation (ddof 0, numpy's std) of
// xs; 0, 0 for none.
func meanSD(xs []float64) (m, sd float64) {
	m = stats.Mean(xs)
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		sd += (x - m) * (x - m)
	}
	return m, math.Sqrt(sd / float64(len(xs)))
}

// Index returns the position of k in Ks, or −1.
func (s *KSweep) Index(k int) int {
	for i, x := range s.Ks {
		if x == k {
			return i
		}
	}
	return -1
}

// Verdict is the sweep in one sentence: the modal k, its share, the
// partitions' agreement, and whether the structure is stable by the
// criteria StableShare and StableARI.
func (s *KSweep) Verdict() string {
	i := s.Index(s.K)
	v := fmt.Sprintf("k = %d chosen by %d of %d repetitions (%.0f %%); their partitions at k = %d agree with ARI mean %.3f, min %.3f",
		s.K, s.Counts[i], len(s.Chosen), 100*s.Share, s.K, s.ARIMean[i], s.ARIMin[i])
	if s.Stable {
		return v + ": a stable cluster structure"
	}
	return v + fmt.Sprintf(": no stable cluster structure (stable needs >= %.0f %% of repetitions and mean ARI >= %.2f)", 100*StableShare, StableARI)
}

// Distribution lists the k chosen, most often first (then by k), with the
// number of repetitions that chose each: "2 ×16, 7 ×4".
func (s *KSweep) Distribution() string {
	idx := make([]int, 0, len(s.Ks))
	for i, c := range s.Counts {
		if c > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(s.Counts[b], s.Counts[a]) })
	parts := make([]string, len(idx))
	for j, i := range idx {
		parts[j] = fmt.Sprintf("%d ×%d", s.Ks[i], s.Counts[i])
	}
	return strings.Join(parts, ", ")
}
