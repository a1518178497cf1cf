// Package fixedpoints finds fixed points (and slow points) of a map F(u, h)
// written as a GoMLX graph, filters them, and linearises the map there.
// It ports the search of BrainPy's SlowPointFinder and Golub & Sussillo's
// FixedPointFinder, used by the Yang & Wang (2020) primer to find the line
// attractor of a network trained on perceptual decision making.
//
// # Problem
//
// A Discrete map h ↦ F(u, h) (an RNN cell with input u held constant) has
// residual r(h) = h − F(u, h); a Continuous system dh/dt = F(u, h) has
// residual r(h) = F(u, h). A fixed point has r = 0. For every point the
// package reports both
//
//	speed = mean_d r_d²     (BrainPy's per-point "loss")
//	q     = ½ Σ_d r_d²      (Golub's q; q = (D/2)·speed)
//
// evaluated at the points it returns (not at the iterate before the last
// update).
//
// # Gradient method (Finder.Find)
//
// From n candidates (usually network states sampled along trials, the
// "data cloud") Adam minimises the mean over points of speed (default, as
// BrainPy) or of q (as Golub). All candidates move jointly but do not
// interact. Iteration k evaluates the speeds and the gradient at the current
// points, records the objective (Losses[k], measured before the update) and
// applies one update of package optim's Adam (the one training uses too)
// with learning rate LR.Rate(k), t = k+1, on the objective's gradient:
//
//	m ← β1 m + (1−β1) g,  v ← β2 v + (1−β2) g²
//	optim.EpsUncorrected (BrainPy, TF1): x ← x − lr·sqrt(1−β2^t)/(1−β1^t) · m/(sqrt(v)+ε)
//	optim.EpsCorrected (PyTorch):        x ← x − lr · m̂/(sqrt(v̂)+ε)
//
// Schedules: optim.Constant(lr) and optim.ExponentialDecay{LR0, DecaySteps,
// DecayRate} (lr0·rate^(k/steps), BrainPy's ExponentialDecay). Stopping: MaxIters
// (exact), BrainPy's mean-speed test every NumBatch iterations
// (StopMeanSpeed), Golub's per-point test (StopPerPoint: every point has
// q < TolQ or |Δq| < TolDQ·lr), both, or neither. Progress is printed to
// Options.Log every NumBatch iterations in BrainPy's words.
//
// Defaults (BrainPyOptions) are BrainPy's: lr 0.2·0.9999^k, β 0.9/0.999,
// ε 1e-8 on the uncorrected sqrt(v), MaxIters 10000, NumBatch 100,
// Tolerance 1e-5. PrimerOptions and PrimerSearch are the primer seed's
// settings (lr 0.01·0.9999^k, NumBatch 200, filter 1e-5, unique 0.03,
// outliers 0.1). SlowPointSearch, rnnlab's default for the tutorial, is
// the same with tolerance 1e-4, which keeps the slow points spread along a
// line attractor (see its doc for the measurements behind that choice).
//
// A candidate whose point or residual becomes NaN/Inf is frozen and excluded
// from the objective; at the end it and any point with speed above
// Options.DivergeSpeed are dropped and listed in FixedPoints.Diverged, never
// kept silently.
//
// # Newton refinement (Finder.Refine)
//
// With the exact Jacobian J = dF/dh from autodiff, Newton's method solves
// A δ = r with A = I − J (Discrete) or J (Continuous) by LU (gonum) and steps
// h ← h − s·δ, halving s until the residual norm decreases. Near a regular
// fixed point it converges quadratically, to float32 precision in a few
// steps; for a ReLU network the map is piecewise affine, so within one
// linear region a single step lands exactly on the region's fixed point.
//
// When to use which: Adam moves every candidate of a large cloud downhill
// cheaply and robustly, and so finds the basins (and slow points, which are
// not zeros at all); Newton only converges from nearby, but then gets there
// in a handful of steps where Adam would need thousands. Use Find from the
// data, filter (Search does both), then Exact: Refine from the kept points,
// keeping the distinct ones that converged (analysis.AnalyzeFixedPoints
// runs this sequence for a network). Refine's
// defaults (DefaultNewtonOptions): at most 20 steps, converged when
// max_d |r_d| ≤ 1e-6, at most 30 step halvings.
//
// # Filters
//
// Each returns a new FixedPoints and keeps IDs (indices into the original
// candidates) in step with the points: FilterLoss(tol) keeps speed < tol;
// KeepUnique(tol, FirstIndex | LowestQ) removes points within tol of another
// (BrainPy's greedy chain collapse onto the first index, or Golub's lowest-q
// representative, on (state, input) when inputs differ per point);
// ExcludeOutliers(tol, NearestNeighbour | InitCentroid) keeps a point whose
// nearest other point is closer than tol (BrainPy) or whose distance from the
// candidates' centroid, in units of their mean distance to it, is below tol
// (Golub).
//
// # Jacobians and eigenvalues
//
// Finder.Jacobians returns J[a][b] = ∂F_a/∂h_b (of the map, not of the
// residual) at many points in one graph call: each point is replicated D
// times, F of the replicas is contracted with the identity and
// differentiated. Decompose eigen-decomposes one Jacobian (gonum), sorted by
// |λ| or Re λ descending, with optional left eigenvectors; Eigen.Stable
// applies max|λ| < 1 (Discrete) or max Re λ < 0 (Continuous). To read a
// line attractor off a discrete map sort by real part: its slow mode is the
// eigenvalue nearest +1, while a trained network may also have a negative
// eigenvalue of larger magnitude (seen: −1.11 next to 0.87).
//
// Finder.InputJacobians returns Golub & Sussillo's input Jacobians
// J_u[a][k] = ∂F_a/∂u_k (D×I per point), the linear response of the map to
// its input, F(u*+δu, h*+δh) ≈ h* + J δh + J_u δu, by the same replication
// differentiated with respect to the inputs. Evaluators that give them
// implement InputJacobianEvaluator (GraphEvaluator does).
//
// # Evaluators
//
// The search only needs an Evaluator: residuals, speeds with their gradient,
// and Jacobians for a batch of points. GraphEvaluator implements it for any
// MapFunc on GoMLX (compiled once per batch shape; batches under 512 points
// are padded to a power of two to bound recompilation). A hand-written fast
// path for one specific cell can implement the same interface.
//
// All graph evaluations are float32.
package fixedpoints
