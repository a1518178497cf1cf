package tasks_test

import (
	"fmt"
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// CueConfig configures the toy Cue task; zero fields are defaults.
type CueConfig struct {
	Dt     float64      // time step in ms (default 100)
	Sigma  float64      // cue noise before dt scaling (default 0)
	Timing tasks.Timing // period durations (missing periods: defaults)
}

// CueTrial is the record of a Cue trial.
type CueTrial struct {
	Side int // the lit side, 0 or 1: the correct choice
}

// Fields names Side "ground_truth", as plots and analyses expect.
func (r CueTrial) Fields() []tasks.Field {
	return []tasks.Field{tasks.IntField("ground_truth", r.Side)}
}

// cueDef is the resolved, immutable definition of the task.
type cueDef struct {
	dt, sigmaEff float64
	timing       tasks.Timing
}

// NewCue returns the task: one of two cue channels lights up during the
// stimulus; after a delay, the network must choose the lit side.
func NewCue(cfg CueConfig, seed uint64) (*tasks.Env, error) {
	if cfg.Dt == 0 {
		cfg.Dt = 100
	}
	timing, err := tasks.Timing{
		"fixation": tasks.Constant(100), "stimulus": tasks.Constant(200),
		"delay": tasks.Choice(100, 300), "decision": tasks.Constant(100),
	}.With(cfg.Timing)
	if err != nil {
		return nil, err
	}
	return tasks.NewEnv(cueDef{cfg.Dt, cfg.Sigma / math.Sqrt(cfg.Dt), timing}, seed)
}

func (d cueDef) Spec() tasks.Spec {
	return tasks.Spec{
		Name: "Cue-v0", Dt: d.dt, Timing: d.timing,
		Obs:     []tasks.Group{{Name: "fixation", Indices: []int{0}}, {Name: "cue", Indices: []int{1, 2}}},
		Actions: []tasks.Group{{Name: "fixation", Indices: []int{0}}, {Name: "choice", Indices: []int{1, 2}}},
		Rewards: []tasks.NamedValue{{Name: "abort", Value: -0.1}, {Name: "correct", Value: 1}, {Name: "fail", Value: 0}},
	}
}

func (d cueDef) NewTrial(b *tasks.Builder) tasks.Record {
	r := CueTrial{Side: b.Int("ground_truth", 2)} // drawn, or overridden
	b.Periods("fixation", "stimulus", "delay", "decision")
	b.AddOb("fixation", 1, "fixation", "stimulus", "delay")
	cue := []float64{0, 0}
	cue[r.Side] = 1
	b.AddObs("cue", cue, "stimulus")
	b.AddRandn("cue", 0, d.sigmaEff, "stimulus")
	b.SetChoice("choice", r.Side, "decision") // label 1+Side
	return r
}

// Example_addingATask defines a whole task, Cue, in about 60 lines (the
// code above) and uses it like any other task.
func Example_addingATask() {
	task, err := NewCue(CueConfig{Timing: tasks.Timing{"delay": tasks.Constant(200)}}, 1)
	if err != nil {
		panic(err)
	}
	tr, _ := task.NewTrial(tasks.Override{"ground_truth": 1})
	fmt.Println("record:", tr.Record, "periods:", tr.Periods)
	for t := range tr.N {
		fmt.Println(t, tr.ObsAt(t), tr.Labels[t])
	}
	_, err = task.NewTrial(tasks.Override{"side": 1})
	fmt.Println(err)

	// Reset and Step come with the Env: choose the lit side at the end.
	task.Reset()
	side, _ := tasks.GroundTruth(task.Current().Record)
	for _, a := range []int{0, 0, 0, 0, 0, 1 + side} {
		if res := task.Step(a); res.NewTrial {
			fmt.Println("reward", res.Reward, "performance", res.Performance)
		}
	}

	_, err = NewCue(CueConfig{Timing: tasks.Timing{"go": tasks.Constant(100)}}, 1)
	fmt.Println(err)
	// Output:
	// record: {1} periods: [{fixation 0 1} {stimulus 1 3} {delay 3 5} {decision 5 6}]
	// 0 [1 0 0] 0
	// 1 [1 0 1] 0
	// 2 [1 0 1] 0
	// 3 [1 0 0] 0
	// 4 [1 0 0] 0
	// 5 [0 0 0] 2
	// Cue-v0: unknown override "side"; valid: ground_truth
	// reward 1 performance 1
	// timing of unknown period "go"; periods: decision, delay, fixation, stimulus
}
