package tasks_test

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

func ExampleNewPerceptualDecisionMaking() {
	// The zero config is the primer's task: dt 100 ms, 2 choices, 22 steps.
	task, err := tasks.NewPerceptualDecisionMaking(tasks.PerceptualDecisionMakingConfig{Seed: 1})
	if err != nil {
		panic(err)
	}
	tr, err := task.NewTrial(tasks.Override{"ground_truth": 1, "coh": 25.6})
	if err != nil {
		panic(err)
	}
	fmt.Println("steps:", tr.N, "obs:", tr.ObsSize, "actions:", task.NumActions())
	for _, p := range tr.Periods {
		fmt.Printf("%s [%d, %d)\n", p.Name, p.Start, p.End)
	}
	fmt.Println("labels:", tr.Labels)
	fmt.Println("record:", tr.Record.Fields())
	fmt.Println("fixation input at steps 0, 20, 21:", tr.ObsAt(0)[0], tr.ObsAt(20)[0], tr.ObsAt(21)[0])

	// Timing can be random, e.g. the stimulus of EI_RNN at dt = 20 ms.
	ei, _ := tasks.NewPerceptualDecisionMaking(tasks.PerceptualDecisionMakingConfig{
		Dt:     20,
		Timing: tasks.PDMTiming{Stimulus: tasks.Choice(100, 200, 400, 800)},
	})
	tr, _ = ei.NewTrial(nil)
	st, _ := tr.Period("stimulus")
	fmt.Println("stimulus steps in {5, 10, 20, 40}:", st.End-st.Start == 5 || st.End-st.Start == 10 || st.End-st.Start == 20 || st.End-st.Start == 40)

	// Output:
	// steps: 22 obs: 3 actions: 3
	// fixation [0, 1)
	// stimulus [1, 21)
	// delay [21, 21)
	// decision [21, 22)
	// labels: [0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2]
	// record: [{ground_truth 1 true} {coh 25.6 false}]
	// fixation input at steps 0, 20, 21: 1 1 0
	// stimulus steps in {5, 10, 20, 40}: true
}

func ExampleNewDataset() {
	task, err := tasks.New("PerceptualDecisionMaking-v0")
	if err != nil {
		panic(err)
	}
	ds, err := tasks.NewDataset(task, tasks.DatasetConfig{BatchSize: 16, SeqLen: 100, Seed: 0})
	if err != nil {
		panic(err)
	}
	fmt.Println("cache length:", ds.CacheLen())
	for k := 1; k <= 16; k++ {
		b := ds.Next() // time-major: Inputs [T][B][ObsSize], Labels [T][B]
		if k == 1 || k == 16 {
			fmt.Printf("batch %d: T %d B %d obs %d, fills so far %d\n", k, b.T, b.B, b.ObsSize, ds.Refills())
		}
	}
	// Output:
	// cache length: 1600
	// batch 1: T 100 B 16 obs 3, fills so far 1
	// batch 16: T 100 B 16 obs 3, fills so far 2
}

func ExampleRollout() {
	task, _ := tasks.New("PerceptualDecisionMaking-v0")
	fixate := func([]float32) int { return 0 }
	r, err := tasks.Rollout(task, tasks.RolloutConfig{Trials: 2, Policy: fixate})
	if err != nil {
		panic(err)
	}
	fmt.Println("steps:", r.NumSteps, "trial starts:", r.TrialStarts, "trial ends:", r.TrialEnds())
	// Output:
	// steps: 44 trial starts: [0 22] trial ends: [21 43]
}
