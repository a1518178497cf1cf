// Package pipeline runs the primer tutorial end to end on top of the other
// rnnlab packages: train a network into a run folder, analyse a run (activity,
// PCA, fixed points, Jacobian, line attractor, figures) and write an HTML
// report. Analyze and the notebooks' stepwise Session choose the candidates
// (the states of fresh trials), the input and the PCA of the fixed-point
// analysis, which is analysis.AnalyzeFixedPoints (and its steps).
// The rnnlab command and the notebooks' shortcut cells call it; each
// step is also available piece by piece in tasks, models, training,
// analysis, fixedpoints and plots.
//
// A run folder holds
//
//	model.npz     the trained weights and their configuration (models.Save)
//	train.json    the training summary (loss and accuracy every 100 steps, timings)
//	training.png  the training curve
//
// and an analysis folder holds the figures (PNG and SVG), fixed_points.npz
// and analysis.json.
package pipeline
