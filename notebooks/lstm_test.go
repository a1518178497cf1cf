package notebooks

// The checks of lstm.ipynb: the one-unit LSTM trained until its running
// loss is below 1e-4 (seed 2), then read out on a test batch.
func init() {
	expectations["lstm.ipynb"] = expectation{
		// The training curve and the gates figure.
		figures: 2,
		checks: []numberCheck{
			{what: "batch sizes", re: `^A batch: 16 sequences of (\d+) steps \(3 repeats of L = \d+\), 3 inputs, 1 output$`, count: 1, min: 15, max: 57},
			{what: "memorise/report pairs of a sequence", re: `^  memorise at step +\d+ \(stimulus [-+0-9.]+\), report at step +\d+ \(target ([-+0-9.]+)\)$`, count: 3, min: -1, max: 1},
			{what: "network", re: `^Network: lstm, 1 units, mse loss, 3 inputs, 1 output$`, count: 1},
			{what: "running loss every 500 steps", re: `^Step (\d+), Loss \S+$`, min: 500, max: 20000},
			{what: "loss criterion met", re: `^Training converged after (\d+) steps: running loss \S+ < 0.0001 \(.*cpu engine\)$`, count: 1, min: 500, max: 20000},
			{what: "final running loss", re: `^Training converged after \d+ steps: running loss (\S+) <`, count: 1, min: 0, max: 1e-4},
			{what: "error at the report steps of the test batch", re: `^Test batch \(16 sequences of 40 steps\): MSE \S+; at the 32 report steps (\S+) \(answering 0`, count: 1, min: 0, max: 0.01},
			{what: "input gate at the memorise steps", re: `^Mean gates at the memorise steps: input ([0-9.]+),`, count: 1, min: 0.8, max: 1},
			{what: "forget gate at the memorise steps", re: `^Mean gates at the memorise steps: input [0-9.]+, forget ([0-9.]+),`, count: 1, min: 0, max: 0.2},
			{what: "output gate at the report steps", re: `^Mean gates at the report steps: input [0-9.]+, forget [0-9.]+, output ([0-9.]+)$`, count: 1, min: 0.7, max: 1},
			{what: "forget gate elsewhere", re: `^Mean gates at the other steps: input [0-9.]+, forget ([0-9.]+),`, count: 1, min: 0.9, max: 1},
			{what: "output gate elsewhere", re: `^Mean gates at the other steps: input [0-9.]+, forget [0-9.]+, output ([0-9.]+)$`, count: 1, min: 0, max: 0.1},
		},
	}
}
