// Package analysis runs a trained network on task trials and analyses its
// activity as the Yang & Wang (2020) primer does: principal components of
// the hidden states, condition-averaged trajectories, and the line attractor
// read off the fixed points found by package fixedpoints, for any cell of
// models.Config: everything lives in the cell's state space
// (Config.StateSize: the rates of a CTRNN, the state s of an E-I network,
// h of a GRU, h then c of an LSTM).
//
// # Activity
//
// CollectActivity(params, task, n) draws n trials, runs the CPU forward pass from the
// zero state and records states [N_i][S], outputs [N_i][O] and, per trial,
// the ground truth, coherence, the network's choice (argmax of the output
// at the decision step minus 1, so −1 is "fixate"; the decision step is the
// last step of the "decision" period, which for the primer's trials is the
// last step) and whether it was correct; RunTrial is that step for one
// trial, for collections that keep part of each trial
// (workingmemory.CollectDelay). Activity.Stack concatenates all
// states into the n×S matrix used both for PCA and as fixed-point
// candidates (2200×64 for 100 trials of 22 steps).
//
// # Evaluators
//
// EvaluatorFor(p, engine) gives the fixed-point search the network's
// one-step map: models.NewEvaluator, which lives beside the cells in
// package models: the cell's hand-written CPU evaluator on the CPU
// (models.CTRNNEvaluator for a relu CTRNN, models.GatedEvaluator for the
// gated cells, both tested against autodiff), GoMLX autodiff of
// p.CellFunc() for every other cell. All give the input Jacobians ∂F/∂u
// (fixedpoints.InputJacobianEvaluator) besides the recurrent ones.
//
// # PCA
//
// FitPCA(data, k) follows scikit-learn: data (n×d) are centred by their
// mean; Components holds k unit-norm rows in decreasing order of variance;
// ExplainedVariance[j] = s_j²/(n−1) (s_j the j-th singular value of the
// centred data); ExplainedVarianceRatio[j] divides it by the total variance
// Σ_features var(x, ddof=1). Transform(x) = (x − Mean)·Componentsᵀ.
// Sign: SVD leaves each component's sign arbitrary; by default
// (SignByComponent, scikit-learn ≥ 1.5, svd_flip with
// u_based_decision=False) the entry of largest absolute value of each
// component is made positive (the first such entry on an exact tie);
// SignByScores (scikit-learn < 1.5) makes the largest-magnitude projection
// of a centred sample positive instead. Computed with gonum's stat.PC.
//
// # Eigenvalues
//
// Eigen-decomposition lives in package fixedpoints (fixedpoints.Decompose,
// Eigen.Stable) and is used from here; it is not duplicated.
//
// # Line attractor
//
// FindLineAttractor(points, pca, jac, sortBy) projects the fixed points on
// the activity's PCs, picks the point whose PC1 coordinate is nearest the
// median PC1 coordinate, decomposes the Jacobian there (sort by real part
// for the line attractor: see FindLineAttractor) and returns the
// leading eigenvalue and eigenvector (real part, unit norm, sign chosen so
// that its projection on PC1 is non-negative), the cosine between it and
// PC1, a line measure (the fraction of the fixed points' variance on their
// own first principal component: 1 for collinear points) and the endpoints,
// in PC space, of the segment through the chosen point along the
// eigenvector that spans the fixed points.
//
// # Fixed-point analysis
//
// AnalyzeFixedPoints(p, candidates, u, pca, opts) is rnnlab's one
// orchestration of the fixed-point analysis of a network's one-step map
// s_{t+1} = F(u, s_t) under a constant input u; every study calls it and
// adds only its choice of candidates, input and PCA (pipeline.Analyze: the
// states of fresh trials under [1, 0.5, 0.5]; workingmemory.Analyze:
// scaled delay-period states under [1, 0]). In order:
//
//	slow points   fixedpoints.Search.Find from the candidates: Adam on the
//	              mean speed mean_d r_d², r = s − F(u, s), then its filters
//	linearise     at every kept point J = ∂F/∂s (eigenvalues sorted by
//	              real part: the slow mode of a discrete map first) and
//	              J_u = ∂F/∂u
//	line          FixedPointLine: FindLineAttractor through the kept points,
//	              reusing the Jacobian at the chosen point
//	exact points  FindExact: Newton's method from every kept point, the
//	              converged starts merged within Unique, their spectra
//
// FixedPointOptions is its one options struct; its defaults resolve in one
// place (the search: fixedpoints.SlowPointSearch; Newton's options:
// fixedpoints.DefaultNewtonOptions; the exact points' merge distance: the
// search's KeepUnique tolerance, else DefaultExactUnique; the engine:
// "auto"), and it flows down once: the search's options and the log go to
// package fixedpoints, nothing is read back from its results. The steps are
// exported for analyses run one notebook cell at a time (pipeline.Session):
// FixedPointFinder, FixedPointLine and FindExact are what
// AnalyzeFixedPoints runs.
//
// # Condition averages
//
// ConditionAverages groups trials by signed coherence, −coh when the ground
// truth is choice 0 and +coh when it is choice 1 (0% trials of both pooled),
// and averages their states step by step, for the primer's supplementary
// figure of trajectories in PC space.
package analysis
