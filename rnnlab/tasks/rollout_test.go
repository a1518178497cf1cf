package tasks

import (
	"slices"
	"testing"
)

func TestRolloutFixatingTwoTrials(t *testing.T) {
	task := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{})
	r, err := Rollout(task, RolloutConfig{Trials: 2, Policy: func([]float32) int { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	if r.NumSteps != 44 || len(r.Actions) != 44 || len(r.Obs) != 44*3 || len(r.Labels) != 44 || len(r.Rewards) != 44 || len(r.Performance) != 44 {
		t.Fatalf("recorded %d steps (obs %d), want 44", r.NumSteps, len(r.Obs))
	}
	if !slices.Equal(r.TrialEnds(), []int{21, 43}) || !slices.Equal(r.TrialStarts, []int{0, 22}) || len(r.Trials) != 2 {
		t.Fatalf("ends %v starts %v trials %d", r.TrialEnds(), r.TrialStarts, len(r.Trials))
	}
	for j := 0; j < 44; j++ {
		s := j % 22 // step within the trial
		// HEAD convention: Obs[j] is the observation action j was taken on.
		if fix := r.ObsAt(j)[0]; (fix == 1) != (s < 21) {
			t.Errorf("step %d: fixation input %v", j, fix)
		}
		want := 0
		if s == 21 {
			want = r.Trials[j/22].(PDMTrial).GroundTruth + 1
		}
		if r.Labels[j] != want || r.Rewards[j] != 0 {
			t.Errorf("step %d: label %d reward %v", j, r.Labels[j], r.Rewards[j])
		}
	}
	if m, ok := r.MeanPerformance(); !ok || m != 0 {
		t.Errorf("mean performance %v %v, want 0", m, ok)
	}
	if r.TaskName != task.Name() || r.Dt != 100 || r.ObsSize != 3 || r.NumActions != 3 || len(r.RewardValues) != 3 {
		t.Errorf("metadata %+v", r)
	}
	if len(r.ObsGroups) != 2 || r.ObsGroups[1].Name != "stimulus" || !slices.Equal(r.ActionGroups[1].Indices, []int{1, 2}) {
		t.Errorf("groups %v %v", r.ObsGroups, r.ActionGroups)
	}
}

// TestRolloutMatchesTask replays the recorded trials with overrides and
// checks every recorded observation.
func TestRolloutMatchesTask(t *testing.T) {
	task := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Seed: 4, Sigma: Ptr(0.0)})
	// An evidence-integrating policy: sum channel 1 - channel 2 over the
	// stimulus, choose at the decision step (fixation input 0).
	ev := 0.0
	policy := func(o []float32) int {
		if o[0] == 1 {
			ev += float64(o[1] - o[2])
			return 0
		}
		a := 1
		if ev < 0 {
			a = 2
		}
		ev = 0
		return a
	}
	r, err := Rollout(task, RolloutConfig{Trials: 30, Policy: policy})
	if err != nil {
		t.Fatal(err)
	}
	if r.NumSteps != 30*22 {
		t.Fatalf("%d steps", r.NumSteps)
	}
	replay := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Sigma: Ptr(0.0)})
	for n, rec := range r.Trials {
		tr := mustTrial(t, replay, OverrideOf(rec))
		for s := 0; s < tr.N; s++ {
			if !slices.Equal(r.ObsAt(r.TrialStarts[n]+s), tr.ObsAt(s)) {
				t.Fatalf("trial %d step %d: recorded obs %v, want %v", n, s, r.ObsAt(r.TrialStarts[n]+s), tr.ObsAt(s))
			}
		}
	}
	correct := 0
	for _, j := range r.TrialEnds() {
		ok := r.Actions[j] == r.Labels[j]
		if ok {
			correct++
		}
		if ok != (r.Performance[j] == 1) || ok != (r.Rewards[j] == 1) {
			t.Errorf("step %d: action %d label %d reward %v performance %v", j, r.Actions[j], r.Labels[j], r.Rewards[j], r.Performance[j])
		}
	}
	// Noise-free, the policy errs only on coherence 0 (it always picks 1).
	m, _ := r.MeanPerformance()
	if m < 0.7 || float64(correct)/30 != m {
		t.Errorf("mean performance %v (%d/30 correct)", m, correct)
	}
}

func TestRolloutRandomPolicy(t *testing.T) {
	task := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Seed: 1})
	before := task.Clone()
	a, err := Rollout(task, RolloutConfig{Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Rollout(task, RolloutConfig{Seed: 5})
	c, _ := Rollout(task, RolloutConfig{Seed: 6})
	if a.NumSteps != 200 || !slices.Equal(a.Actions, b.Actions) || !slices.Equal(a.Obs, b.Obs) {
		t.Fatal("random rollouts with the same seed differ (or not 200 steps)")
	}
	if slices.Equal(a.Actions, c.Actions) {
		t.Fatal("random rollouts with different seeds have the same actions")
	}
	counts := make([]int, 3)
	starts := map[int]bool{}
	for _, s := range a.TrialStarts {
		starts[s] = true
	}
	for j := 0; j < a.NumSteps; j++ {
		counts[a.Actions[j]]++
		isFix := starts[j] // the fixation step is the first of a trial
		switch {
		case isFix && a.Actions[j] != 0:
			if a.Rewards[j] != -0.1 {
				t.Errorf("step %d: breaking fixation gave %v", j, a.Rewards[j])
			}
		case a.Labels[j] != 0 && a.Actions[j] != 0:
			if a.Performance[j] == -1 || !starts[j+1] && j+1 < a.NumSteps {
				t.Errorf("step %d: a choice in the decision period did not end the trial", j)
			}
			if ok := a.Actions[j] == a.Labels[j]; ok != (a.Performance[j] == 1) || ok != (a.Rewards[j] == 1) {
				t.Errorf("step %d: action %d label %d: perf %v reward %v", j, a.Actions[j], a.Labels[j], a.Performance[j], a.Rewards[j])
			}
		case a.Labels[j] != 0:
			// Fixating in the one-step decision period ends by time.
			if a.Performance[j] != 0 || a.Rewards[j] != 0 {
				t.Errorf("step %d: fixating in the decision period: perf %v reward %v", j, a.Performance[j], a.Rewards[j])
			}
		default:
			if a.Rewards[j] != 0 || a.Performance[j] != -1 {
				t.Errorf("step %d: reward %v perf %v during the stimulus", j, a.Rewards[j], a.Performance[j])
			}
		}
	}
	for k, n := range counts {
		if n < 40 {
			t.Errorf("action %d taken %d times of 200", k, n)
		}
	}
	if !slices.Equal(mustTrial(t, task, nil).Obs, mustTrial(t, before, nil).Obs) {
		t.Error("Rollout advanced the caller's task")
	}
	if _, err := Rollout(nil, RolloutConfig{}); err == nil {
		t.Error("nil task: no error")
	}
	if _, err := Rollout(task, RolloutConfig{Trials: -1}); err == nil {
		t.Error("negative trials: no error")
	}
	if _, err := Rollout(task, RolloutConfig{Trials: 10, MaxSteps: 50}); err == nil {
		t.Error("10 trials in 50 steps: no error")
	}
}
