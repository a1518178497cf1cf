package tasks

import (
	"math"
	"strings"
	"testing"
)

// flipFlopCheck draws n trials of cfg and checks every trial against the
// task's definition: inputs in {-1, 0, +1}, every channel pulsing at step
// 0, labels the code of the sign of each channel's last pulse. It returns
// the pulse rate over steps t > 0 and the fraction of positive pulses.
func flipFlopCheck(t *testing.T, cfg FlipFlopConfig, n int) (rate, up float64) {
	t.Helper()
	env, err := NewFlipFlop(cfg)
	if err != nil {
		t.Fatal(err)
	}
	K := env.ObsSize()
	var pulses, later, pos, all int
	for i := 0; i < n; i++ {
		tr, err := env.NewTrial(nil)
		if err != nil {
			t.Fatal(err)
		}
		last := make([]float32, K)
		count := 0
		for s := 0; s < tr.N; s++ {
			row := tr.ObsAt(s)
			for k, u := range row {
				switch u {
				case 0:
					if s == 0 {
						t.Fatalf("trial %d: channel %d has no pulse at step 0", i, k)
					}
				case 1, -1:
					last[k] = u
					count++
					all++
					if u > 0 {
						pos++
					}
					if s > 0 {
						pulses++
					}
				default:
					t.Fatalf("trial %d step %d channel %d: input %v not in {-1, 0, 1}", i, s, k, u)
				}
			}
			code := 0
			for k, v := range last {
				if v > 0 {
					code |= 1 << k
				}
			}
			if tr.Labels[s] != code {
				t.Fatalf("trial %d step %d: label %d, want %d (last pulses %v)", i, s, tr.Labels[s], code, last)
			}
			if s > 0 {
				later += K
			}
		}
		rec := tr.Record.(FlipFlopTrial)
		if rec.Pulses != count || rec.Final != tr.Labels[tr.N-1] {
			t.Fatalf("trial %d: record %+v, want pulses %d final %d", i, rec, count, tr.Labels[tr.N-1])
		}
	}
	return float64(pulses) / float64(later), float64(pos) / float64(all)
}

// within fails unless |got - want| <= 5 standard errors of a proportion of
// n Bernoulli(want) draws.
func within(t *testing.T, what string, got, want float64, n int) {
	t.Helper()
	se := math.Sqrt(want * (1 - want) / float64(n))
	if math.Abs(got-want) > 5*se {
		t.Errorf("%s = %.5f, want %.5f ± %.5f (5 s.e.)", what, got, want, 5*se)
	}
}

func TestFlipFlopStatistics(t *testing.T) {
	for _, c := range []struct {
		cfg        FlipFlopConfig
		bits, step int
		p          float64
	}{
		{FlipFlopConfig{Seed: 1}, 3, 64, 0.5},
		{FlipFlopConfig{Bits: 2, P: 0.05, Steps: 20, Seed: 2}, 2, 20, 0.05},
		{FlipFlopConfig{Bits: 5, P: 1, Steps: 7, Seed: 3}, 5, 7, 1},
	} {
		const n = 4000
		env, _ := NewFlipFlop(c.cfg)
		if env.ObsSize() != c.bits || env.NumActions() != 1<<c.bits {
			t.Fatalf("%+v: obs %d actions %d, want %d and %d", c.cfg, env.ObsSize(), env.NumActions(), c.bits, 1<<c.bits)
		}
		tr, _ := env.NewTrial(nil)
		if tr.N != c.step {
			t.Fatalf("%+v: %d steps, want %d", c.cfg, tr.N, c.step)
		}
		rate, up := flipFlopCheck(t, c.cfg, n)
		within(t, "pulse rate", rate, c.p, n*(c.step-1)*c.bits)
		// all pulses, step 0 included: about n·K·(1 + (T-1)p)
		within(t, "fraction of +1 pulses", up, 0.5, int(float64(n*c.bits)*(1+float64(c.step-1)*c.p)))
	}
}

// TestFlipFlopStateOccupancy checks that the 2^K corners are equally
// likely at every step (the state of each channel is a fair sign,
// independent across channels), here at the first and last steps.
func TestFlipFlopStateOccupancy(t *testing.T) {
	env, _ := NewFlipFlop(FlipFlopConfig{Seed: 4})
	const n = 8000
	var first, last [8]int
	for i := 0; i < n; i++ {
		tr, _ := env.NewTrial(nil)
		first[tr.Labels[0]]++
		last[tr.Labels[tr.N-1]]++
	}
	for c := 0; c < 8; c++ {
		within(t, "P(first state)", float64(first[c])/n, 1.0/8, n)
		within(t, "P(last state)", float64(last[c])/n, 1.0/8, n)
	}
}

func TestFlipFlopSeeds(t *testing.T) {
	draw := func(seed uint64) []float32 {
		env, _ := NewFlipFlop(FlipFlopConfig{Seed: seed})
		var obs []float32
		for i := 0; i < 5; i++ {
			tr, _ := env.NewTrial(nil)
			obs = append(obs, tr.Obs...)
		}
		return obs
	}
	a, b, c := draw(7), draw(7), draw(8)
	same := func(x, y []float32) bool {
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	if !same(a, b) {
		t.Error("the same seed gave different trials")
	}
	if same(a, c) {
		t.Error("seeds 7 and 8 gave the same trials")
	}
}

func TestFlipFlopRegistry(t *testing.T) {
	task, err := New(FlipFlopName, WithSeed(3))
	if err != nil {
		t.Fatal(err)
	}
	if task.ObsSize() != 3 || task.NumActions() != 8 || task.Dt() != 1 {
		t.Errorf("FlipFlop-v0: obs %d actions %d dt %v, want 3, 8, 1", task.ObsSize(), task.NumActions(), task.Dt())
	}
	tr, _ := task.NewTrial(nil)
	if tr.N != 64 {
		t.Errorf("%d steps, want 64", tr.N)
	}
}

func TestFlipFlopBadConfig(t *testing.T) {
	for _, c := range []struct {
		cfg  FlipFlopConfig
		want string
	}{
		{FlipFlopConfig{Bits: -1}, "bits must be in [1, 12], got -1"},
		{FlipFlopConfig{Bits: 13}, "bits must be in [1, 12], got 13"},
		{FlipFlopConfig{Steps: -2}, "steps must be >= 1, got -2"},
		{FlipFlopConfig{P: 1.5}, "pulse probability p must be in (0, 1], got 1.5"},
		{FlipFlopConfig{P: -0.1}, "pulse probability p must be in (0, 1], got -0.1"},
		{FlipFlopConfig{P: math.NaN()}, "pulse probability p must be in (0, 1], got NaN"},
		{FlipFlopConfig{Dt: -1}, "dt"},
	} {
		_, err := NewFlipFlop(c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: error %v, want one line with %q", c.cfg, err, c.want)
		}
	}
}

func TestFlipFlopStep(t *testing.T) {
	env, _ := NewFlipFlop(FlipFlopConfig{Steps: 5, Seed: 1})
	env.Reset()
	var reward float64
	var res StepResult
	for s := 0; s < 5; s++ {
		res = env.Step(env.Label())
		reward += res.Reward
	}
	if reward != 5 || !res.NewTrial || res.Performance != 1 {
		t.Errorf("correct actions: reward %v, new trial %v, performance %v; want 5, true, 1", reward, res.NewTrial, res.Performance)
	}
	for s := 0; s < 5; s++ {
		res = env.Step((env.Label() + 1) % 8)
		if res.Reward != 0 {
			t.Fatalf("wrong action rewarded %v", res.Reward)
		}
	}
	if !res.NewTrial || res.Performance != 0 {
		t.Errorf("wrong actions: new trial %v, performance %v; want true, 0", res.NewTrial, res.Performance)
	}
}

func TestFlipFlopTargets(t *testing.T) {
	b := &Batch{T: 2, B: 2, Labels: []int32{0, 5, 7, 2}}
	if err := FlipFlopTargets(b, 3); err != nil {
		t.Fatal(err)
	}
	want := []float32{-1, -1, -1, 1, -1, 1, 1, 1, 1, -1, 1, -1}
	for i := range want {
		if b.Targets[i] != want[i] || b.Mask[i] != 1 {
			t.Fatalf("targets %v mask %v, want %v and ones", b.Targets, b.Mask, want)
		}
	}
	for _, c := range []struct {
		b    *Batch
		bits int
		want string
	}{
		{nil, 3, "nil batch"},
		{&Batch{T: 1, B: 1, Labels: []int32{8}}, 3, "label 8 at step 0, trial 0 is outside [0, 8)"},
		{&Batch{T: 2, B: 1, Labels: []int32{0}}, 3, "batch has 1 labels, want T*B = 2*1"},
		{&Batch{T: 1, B: 1, Labels: []int32{0}}, 0, "bits must be in [1, 12], got 0"},
	} {
		err := FlipFlopTargets(c.b, c.bits)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
		if c.b != nil && c.b.Targets != nil {
			t.Error("a failed call changed the batch")
		}
	}
}

// TestFlipFlopDataset checks the batches against the definition: with
// SeqLen = Steps every batch is whole trials, the first row pulses on
// every channel, and the targets are the sign of each stream's last pulse.
func TestFlipFlopDataset(t *testing.T) {
	ds, err := NewFlipFlopDataset(FlipFlopConfig{Seed: 5}, DatasetConfig{BatchSize: 16, SeqLen: 64, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Bits() != 3 {
		t.Fatalf("bits %d", ds.Bits())
	}
	for i := 0; i < 50; i++ {
		b := ds.Next()
		last := make([]float32, b.B*3)
		for s := 0; s < b.T; s++ {
			for j := 0; j < b.B; j++ {
				for k := 0; k < 3; k++ {
					u := b.Inputs[(s*b.B+j)*3+k]
					if s == 0 && u == 0 {
						t.Fatalf("batch %d stream %d: no pulse at the trial's first step", i, j)
					}
					if u != 0 {
						last[j*3+k] = u
					}
					idx := (s*b.B+j)*3 + k
					if b.Targets[idx] != last[j*3+k] || b.Mask[idx] != 1 {
						t.Fatalf("batch %d step %d stream %d channel %d: target %v, want %v", i, s, j, k, b.Targets[idx], last[j*3+k])
					}
				}
			}
		}
	}
	out := make([]float32, 64*16*3)
	b := ds.Next()
	rmse, _, err := FlipFlopError(b, out)
	if err != nil || rmse != 1 { // zeros: |0 - s| = 1 everywhere
		t.Errorf("error of zero outputs: %v %v, want rmse 1", rmse, err)
	}
	rmse, acc, _ := FlipFlopError(b, b.Targets)
	if rmse != 0 || acc != 1 {
		t.Errorf("error of the targets themselves: rmse %v, sign accuracy %v; want 0, 1", rmse, acc)
	}
	if _, _, err := FlipFlopError(b, out[:3]); err == nil || !strings.Contains(err.Error(), "3 outputs for 3072 targets") {
		t.Errorf("short outputs: %v", err)
	}
	if _, err := NewFlipFlopDataset(FlipFlopConfig{Bits: 20}, DatasetConfig{}); err == nil {
		t.Error("bits 20 accepted")
	}
}
