package notebooks

func init() {
	// ei_rnn.ipynb: nn-brain's EI_RNN (rnnlab/eirnn). Two sample trials, the live training curves, the E/I
	// activity, the selectivity histograms, the sorted connectivity and the paper's panel.
	expectations["ei_rnn.ipynb"] = expectation{
		figures: 6,
		checks: []numberCheck{
			{what: "task", re: `^Task PerceptualDecisionMaking-v0, dt = (\S+) ms, sequences of 100 steps$`, count: 1, min: 20, max: 20},
			{what: "task sizes", re: `^input_size = 3, output_size = 3, batch_size = 16$`, count: 1},
			{what: "network", re: `^E-I RNN: 3 inputs, 50 units \(40 excitatory, 10 inhibitory\), 3 outputs read from the (\d+) E units$`,
				count: 1, min: 40, max: 40},
			{what: "time constants and noise", re: `^tau = 100 ms, dt = 20 ms, alpha = 0.2, sigma_rec = (\S+)$`, count: 1, min: 0.15, max: 0.15},
			{what: "training log every 200 steps", re: `^Step (\d+), Loss [0-9.]+, Acc [0-9.]+$`, count: 25, min: 5000, max: 5000},
			{what: "final training loss", re: `^Step 5000, Loss ([0-9.]+), Acc`, count: 1, min: 0, max: 0.12},
			{what: "test accuracy", re: `^Test accuracy on 500 trials: ([0-9.]+)$`, count: 1, min: 0.82, max: 1},
			{what: "comparison with nn-brain", re: `^nn-brain's notebook reports 0\.848; this run gives ([0-9.]+) \([-+][0-9.]+\)$`,
				count: 1, min: 0.82, max: 1},
			{what: "Dale's law before and after training", re: `^(?:Before training: )?Dale's law: (\d+) violations \(40 E units' weights >= 0`,
				count: 2, min: 0, max: 0},
			{what: "stimulus period", re: `^Stimulus period: steps 25 to 49 \((\d+) samples for choice 0`, count: 1, min: 1, max: 12500},
			{what: "selectivity range", re: `^d' of the E units: from ([-0-9.]+) to [-0-9.]+; of the I units`, count: 1, min: -100, max: 0},
			{what: "paper's panel", re: `^Units in the panel: \[(\d+)( \d+){19}\]$`, count: 1, min: 0, max: 39},
			{what: "E pools of the same preference excite each other more", re: `^Mean E->E weight in the panel: [-0-9.]+ within a preference, [-0-9.]+ across \(ratio ([0-9.]+)\)$`,
				count: 1, min: 1.5, max: 1e6},
		},
	}
}
