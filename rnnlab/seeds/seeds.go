// Package seeds derives the seed of each random stream of a run from the
// run's one seed S, so that every stream is reproducible and no two share a
// sequence of draws:
//
//	Params(S)   = S         the initial weights
//	Data(S)     = S + 1000  the training data (the Dataset seeds its env i with Data(S) + i)
//	Analysis(S) = S + 2000  the fresh trials of the analysis (activity, fixed-point candidates)
//	Rollout(S)  = S + 3000  the trials drawn with the network's actions for plot_env figures
//	Noise(S)    = S + 4000  the training noise (recurrent and input); step k draws from PCG(Noise(S), k)
//	Clustering(A, i) = A + 3000 + i·2³²  the i-th k-means repetition of an analysis seeded A
//	                   (A = Analysis(S): S + 5000 + i·2³²)
//	ClusterTrials(A, i) = A + 4000 + i·2³²  the trials of that repetition's task variance
//	                   (A = Analysis(S): S + 6000 + i·2³²)
//
// These offsets are rnnlab's convention (the CLI, the pipeline, the
// notebooks and the benchmark all use them); changing one changes every
// published number.
package seeds

// Params is the seed of a run's initial weights: S itself.
func Params(s uint64) uint64 { return s }

// Data is the seed of a run's training data: S + 1000.
func Data(s uint64) uint64 { return s + 1000 }

// Analysis is the seed of the fresh trials a run is analysed on: S + 2000.
func Analysis(s uint64) uint64 { return s + 2000 }

// Rollout is the seed of the trials of a run's plot_env figure: S + 3000.
func Rollout(s uint64) uint64 { return s + 3000 }

// Noise is the seed of a run's training noise: S + 4000. Training step k
// (1-based) draws its recurrent and input noise from a generator seeded
// with (Noise(S), k), so a resumed run draws what an uninterrupted one
// would have.
func Noise(s uint64) uint64 { return s + 4000 }

// Clustering is the seed of the i-th repetition (i = 0, 1, ...) of the
// k-means selection of an analysis seeded A (Analysis(S) for a run's own
// analysis, or the seed given to the analysis instead):
//
//	Clustering(A, i) = A + 3000 + i·2³².
//
// For A = Analysis(S) that is S + 5000 + i·2³², so for S < 2³² no
// repetition meets another stream of any run, nor another repetition; a
// different analysis seed gives a different set of repetitions.
func Clustering(a uint64, i int) uint64 { return a + 3000 + uint64(i)<<32 }

// ClusterTrials is the seed of the trials on which the i-th repetition of
// the k-means selection of an analysis seeded A measures the task
// variance (so that the choice of k is repeated over trial sets as well as
// k-means seeds):
//
//	ClusterTrials(A, i) = A + 4000 + i·2³²,
//
// S + 6000 + i·2³² for A = Analysis(S).
func ClusterTrials(a uint64, i int) uint64 { return a + 4000 + uint64(i)<<32 }
