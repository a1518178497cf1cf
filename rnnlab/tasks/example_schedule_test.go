package tasks_test

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// ExampleNewSchedule trains on three variants of PerceptualDecisionMaking
// (stimulus of 500, 1000 and 2000 ms) in turn, with the one-hot rule input
// appended to the observation, and batches them with a Dataset.
func ExampleNewSchedule() {
	var ts []tasks.Task
	for _, stim := range []float64{500, 1000, 2000} {
		t, err := tasks.NewPerceptualDecisionMaking(tasks.PerceptualDecisionMakingConfig{
			Timing: tasks.PDMTiming{Stimulus: tasks.Constant(stim)},
		})
		if err != nil {
			panic(err)
		}
		ts = append(ts, t)
	}
	s, err := tasks.NewSchedule(ts, tasks.Sequential(), true)
	if err != nil {
		panic(err)
	}
	s.Seed(1)
	fmt.Println(s.ObsSize(), "inputs:", s.ObsGroups())
	for range 4 {
		tr, _ := s.NewTrial(nil)
		task, _ := tasks.Lookup(tr.Record, "task")
		fmt.Printf("task %v: %d steps, rule %v\n", task, tr.N, tr.ObsAt(0)[3:])
	}
	ds, _ := tasks.NewDataset(s, tasks.DatasetConfig{BatchSize: 16, SeqLen: 100})
	b := ds.Next()
	fmt.Println(b.T, b.B, b.ObsSize)

	_, err = tasks.NewSchedule(ts, tasks.SequentialBlock(10, 10), true)
	fmt.Println(err)
	// Output:
	// 6 inputs: [{fixation [0]} {stimulus [1 2]} {rule [3 4 5]}]
	// task 1: 12 steps, rule [0 1 0]
	// task 2: 22 steps, rule [0 0 1]
	// task 0: 7 steps, rule [1 0 0]
	// task 1: 12 steps, rule [0 1 0]
	// 100 16 6
	// schedule: block schedule: 2 block sizes for 3 tasks: need one per task
}
