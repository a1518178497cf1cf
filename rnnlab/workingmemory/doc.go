// Package workingmemory is the primer's parametric working-memory example
// (nn-brain's ParametricWorkingMemory notebook, Romo's task as neurogym's
// DelayComparison-v0): train a 64-unit CTRNN, collect its delay-period
// activity on trials with a 3000 ms delay, find its fixed points under the
// delay input [1, 0], and test whether they form a line attractor that
// stores the first stimulus f1. The fixed-point analysis is the library's
// (analysis.AnalyzeFixedPoints); this package chooses its candidates (delay
// states scaled unit by unit, Candidates), its input (DelayInput) and its
// PCA (of the delay states), and scores the result.
//
// Not every seed forms the line: some collapse onto one or two fixed
// points. TrainSeeds trains several seeds and scores each (Score), so a
// notebook can say how many form a line and analyse one that does.
//
// Timing. The task uses neurogym v2.2.0's DelayComparison timing (fixation
// 500 ms, stimulus 500, stimulus 500, decision 100) with the notebook's
// delays {200, 400, 800, 1600, 3200} ms. The notebook's published outputs
// were made in 2020 with the older default fixation, uniform on
// 1500-3000 ms; Config.Fixation selects it.
package workingmemory
