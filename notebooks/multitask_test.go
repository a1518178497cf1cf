package notebooks

import "strings"

// The checks of multitask.ipynb: the shipped network of Yang et al. (2019)'s
// twenty tasks, its accuracy on fresh trials (the criterion: >= 0.9
// on 18 tasks, >= 0.85 on multidm and multidlydm) and its analysis.
func init() {
	checks := []numberCheck{
		{what: "shipped network", re: `^Shipped network: notebooks/data/yang19-ctrnn256-seed0\.npz$`, count: 1},
		{what: "training record: steps", re: `^ctrnn, 256 units, relu \(53 inputs.* (\d+) steps in \d+ s `, count: 1, min: 500, max: 100000},
		{what: "targets reached in training", re: `every task reached its target at step (\d+), confirmed`, count: 1, min: 500, max: 100000},
		{what: "retrain command", re: `^Retrain it with: rnnlab multitask train --out runs/yang19 --seed 0$`, count: 1},
		{what: "evaluation trials", re: `^Decision accuracy on (\d+) fresh trials per task`, count: 1, min: 500, max: 500},
		{what: "tasks at target", re: `^(\d+) of 20 tasks at their target; lowest`, count: 1, min: 20, max: 20},
		{what: "active units", re: `^(\d+) of 256 units active`, count: 1, min: 50, max: 256},
		{what: "repetitions of the choice of k", re: `^Choice of k in (\d+) repetitions`, count: 1, min: 20, max: 20},
		{what: "modal k", re: `^  k = (\d+) chosen by \d+ of 20 repetitions`, count: 1, min: 2, max: 29},
		{what: "repetitions choosing the modal k", re: `^  k = \d+ chosen by (\d+) of 20 repetitions`, count: 1, min: 1, max: 20},
		{what: "agreement at the modal k (mean ARI)", re: `agree with ARI mean ([-0-9.]+), min`, count: 1, min: -1, max: 1},
		{what: "specialised clusters", re: `^Lesions of the \d+ clusters of the consensus partition \((\d+) specialised`, count: 1, min: 0, max: 29},
		{what: "analysis time (s)", re: `^Analysis time: ([0-9.]+) s$`, count: 1, min: 0, max: 600},
	}
	// One check per task: its accuracy on the fresh trials against its target.
	for _, t := range []struct {
		names string
		min   float64
	}{
		{`go|rtgo|dlygo|anti|rtanti|dlyanti|dm1|dm2|ctxdm1|ctxdm2|dlydm1|dlydm2|ctxdlydm1|ctxdlydm2|dms|dnms|dmc|dnmc`, 0.9},
		{`multidm|multidlydm`, 0.85},
	} {
		for _, name := range strings.Split(t.names, "|") {
			checks = append(checks, numberCheck{what: "accuracy of " + name,
				re: `^  ` + name + ` +([0-9.]+)  \(target`, count: 1, min: t.min, max: 1})
		}
	}
	expectations["multitask.ipynb"] = expectation{
		// Accuracy during training, the variance matrix with the silhouette scores, the choice of k over the
		// repetitions, FTV histograms, lesions, connectivity between clusters.
		figures: 6,
		checks:  checks,
	}
}
