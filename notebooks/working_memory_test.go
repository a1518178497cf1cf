package notebooks

func init() {
	// The working-memory notebook (nn-brain's ParametricWorkingMemory): training curve, two trials, delay
	// activity coloured by f1, fixed points with the slow mode, eigenvalue spectrum (the 3-D view is HTML).
	expectations["working_memory.ipynb"] = expectation{
		figures: 5,
		checks: []numberCheck{
			{what: "task sizes", re: `^input_size = 2, output_size = 3, batch_size = 16, seq_len = 100$`, count: 1},
			{what: "one score per seed", re: `^seed \d+: train acc ([0-9.]+), `, count: 4, min: 0, max: 1},
			{what: "seeds forming a line attractor", re: `^(\d+) of 4 seeds form a line attractor$`, count: 1, min: 1, max: 4},
			{what: "analysed seed's training accuracy", re: `^Seed \d+: final training accuracy ([0-9.]+), `, count: 1, min: 0.85, max: 1},
			{what: "delay-period activity and accuracy", re: `^Delay-period activity: \(3000, 64\); accuracy on these trials ([0-9.]+)$`,
				count: 1, min: 0.7, max: 1},
			{what: "fixed points along the line", re: `^Fixed points: (\d+) kept`, count: 1, min: 10, max: 500},
			{what: "line attractor along f1", re: `^Correlation of the points' PC 1 with f1: r = [-0-9.]+, \|r\| = ([0-9.]+)$`,
				count: 1, min: 0.7, max: 1},
			{what: "slow mode of F(h) - h", re: `^Slow mode: eigenvalue .* of F, ([-+0-9.]+) of F\(h\) - h$`, count: 1, min: -0.05, max: 0.05},
		},
	}
}
