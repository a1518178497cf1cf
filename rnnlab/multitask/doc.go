// Package multitask trains one recurrent network on the twenty tasks of
// Yang, Joglekar, Song, Newsome & Wang (2019, Nature Neuroscience 22:297)
// and analyses it as the paper does: task variance, clusters of units,
// fractional task variance and lesions.
//
// # Training
//
// The default is neurogym's yang19 setup (tasks.NewYang19, dt 100 ms,
// 16-unit rings): the twenty tasks interleaved by a tasks.RandomSchedule
// with the one-hot rule input (33 + 20 = 53 inputs, 17 actions), batches of
// 32 streams of 100 steps (tasks.Dataset), a 256-unit ReLU CTRNN
// (models.Config's default cell, α = dt/τ = 1), Adam (lr 1e-3) on the mean
// cross-entropy
//
//	L = −1/(T B) Σ_{t,b} log softmax(o_tb)[y_tb].
//
// Every EvalEvery steps the network's decision accuracy is measured on
// fresh trials of every task (Evaluate): each trial runs alone from the
// zero state and is correct when argmax_k o_t*[k] equals the label at its
// decision step t* (the last step of its "decision" period). Training stops
// when every task reaches its target (Targets) or after Steps steps.
//
// Config.Paper trains the paper's own setup instead (see PaperDt): the
// trials of gyyang/multitask's task.py (package yang2019: 32-unit rings, 85
// inputs, 33 outputs), Yang's leaky-rate softplus cell (models.CellLeaky)
// at dt 20 ms with recurrent and input noise, sigmoid outputs y = σ(o)
// trained with the masked mean squared error against task.py's targets,
//
//	L = 1/(T B O) Σ_{t,b,o} (m_tbo (y_tbo − target_tbo))²,
//
// batches of 64 whole trials of one rule each, gradients clipped to
// [−1, 1], and the paper's performance measure (EvaluatePaper: at the last
// step, fixation output ≤ 0.5 and the ring's population vector within 0.2π
// of the target; for no-go trials, fixation output > 0.5) in every
// evaluation.
//
// A run is exactly resumable: the checkpoint holds the weights and Adam's
// moments (models.SaveState), and the data of step k are a function of the
// seed and k alone (SegmentSeed; yang2019.TrainStep for the paper's
// setup), so a resumed run computes bit for bit
// what an uninterrupted one would.
//
// # Analysis
//
// TaskVariance, ActiveUnits, NormalizeRows, KMeans, Silhouette, ChooseK,
// FTV, Lesion and Analyze follow gyyang/multitask's analysis/variance.py
// and analysis/clustering.py; Figures and Report draw the paper's figures
// and an HTML page.
//
// The paper chooses the number of clusters once, with one k-means
// random_state. That choice hinges on the seed when the silhouette curve
// is flat, so Analyze repeats it (SweepK, 20 repetitions by default), each
// repetition with its own k-means seed (seeds.Clustering) and its own
// trials for the task variance (seeds.ClusterTrials), and reports the
// distribution of the chosen k, the silhouette's mean ± sd per k and the
// agreement of the repetitions' partitions (AdjustedRand). The number of
// clusters is the modal k, the partition the repetitions' consensus at
// that k; the structure is called stable when the modal k wins at least
// StableShare (80 %) of the repetitions and the partitions agree with a
// mean adjusted Rand index of at least StableARI (0.9). LesionEffects says
// per cluster which tasks a lesion impairs (a drop of ImpairDrop, 0.2, or
// more) and whether the cluster is specialised (1 to half of the tasks
// impaired); ClusterConnectivity is the mean recurrent weight between
// clusters.
//
// On the shipped network (LoadShipped) the structure is not stable: with
// the run's analysis seed the silhouette chooses k = 7 in 8 of 20
// repetitions, k = 2 in 5, 9 in 4 and 8 in 3, the mean silhouette is
// between 0.16 and 0.25 for every k with k = 2 and k = 7 within 0.003, and
// the partitions at k = 7 agree with a mean ARI of 0.82 (analysis seed 1:
// k = 7 in 9, 2 in 8, 9 in 3; ARI 0.82). Repeating over k-means seeds
// alone is not enough: on one set of trials the choice can look stable
// (k = 2 in 16 of 20 seeds with the run's analysis seed) and on another
// not (k = 8 in 10 of 20 with seed 1). Of the 7 clusters of the consensus
// partition 2 (3 with seed 1) are specialised; the lesions of three
// clusters impair every task.
package multitask
