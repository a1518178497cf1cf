// Package optim holds rnnlab's one optimiser, Adam (Kingma & Ba 2015), used
// both to train networks (package training) and to search for fixed points
// (package fixedpoints), with its learning-rate schedules.
//
// For a parameter x with gradient g (scaled by a constant s, the
// objective's normalisation: 1 for training, 1/n for a mean over n
// fixed-point candidates) at update t = 1, 2, ...:
//
//	m ← β1 m + (1−β1) s g
//	v ← β2 v + (1−β2) (s g)²
//
// and, by where ε is added (EpsMode),
//
//	EpsCorrected (PyTorch):       x ← x − lr · (m/(1−β1^t)) / (sqrt(v/(1−β2^t)) + ε)
//	EpsUncorrected (BrainPy, TF1): x ← x − lr·sqrt(1−β2^t)/(1−β1^t) · m / (sqrt(v) + ε)
//
// The two are the same update with ε scaled by sqrt(1−β2^t); with ε = 1e-8
// they differ only when |g| is itself of order 1e-8. The learning rate of
// update t is LR.Rate(t−1) (Constant, or BrainPy's ExponentialDecay).
//
// Moments are stored as float32 and updated in float64 arithmetic. Each
// mode keeps the exact floating-point order of the code it came from
// (PyTorch-style training, BrainPy-style fixed-point search), so published
// numbers do not move.
package optim
