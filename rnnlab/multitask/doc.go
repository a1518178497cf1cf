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
// Config.Paper trains the paper's own setup instead, as far as neurogym's
// tasks allow (see PaperDt for what it sets and where it still differs):
// dt 20 ms, recurrent noise σ_rec 0.05 and input noise σ_x 0.01 during
// training, sigmoid outputs y = σ(o) trained with the masked mean squared
// error against tasks.MSETargets,
//
//	L = 1/(T B O) Σ_{t,b,o} (m_tbo (y_tbo − target_tbo))²,
//
// and the paper's performance measure (PaperCorrect: at the last step,
// fixation output ≤ 0.5 and the ring's population vector within 0.2π of
// the target; for no-go trials, fixation output > 0.5) in every
// evaluation.
//
// A run is exactly resumable: the checkpoint holds the weights and Adam's
// moments (models.SaveState), and the data of step k are a function of the
// seed and k alone (see Segment), so a resumed run computes bit for bit
// what an uninterrupted one would.
//
// # Analysis
//
// TaskVariance, ActiveUnits, NormalizeRows, KMeans, Silhouette, ChooseK,
// FTV, Lesion and Analyze follow gyyang/multitask's analysis/variance.py
// and analysis/clustering.py; Figures and Report draw the paper's figures
// and an HTML page.
package multitask
