// Package plots draws the figures of the Yang & Wang (2020) primer: the
// task's plot_env panels, trial trajectories in principal-component space,
// fixed points and the line attractor over them, the Jacobian's eigenvalue
// spectrum, condition-averaged trajectories per signed coherence, and the
// training curve.
//
// Plots draw what they are given and compute no science: inputs are plain Go
// data (slices and the small structs defined here), already projected,
// averaged or evaluated by the caller. Every figure function returns a
// *Figure that renders to PNG, SVG or PDF bytes, or to a file:
//
//	fig, err := plots.Spectrum(eigs)
//	if err != nil { ... }
//	png, err := fig.PNG() // e.g. for gonbui.DisplayPng(png) in a notebook
//	err = fig.WriteFile("spectrum.svg")
//
// Colours follow the original figures: red for choice (or ground truth) 0,
// blue for choice 1. Bad inputs (empty data, mismatched lengths, non-finite
// values) give an error, never a panic.
package plots
