package tasks

import (
	"slices"
	"strings"
	"testing"
)

// FuzzTaskOptions: any two key=value settings (rnnlab's --set) of any task
// build the task or give a one-line error, never a panic or an allocation
// beyond the size bounds (limits.go); a task that builds draws trials within
// MaxTrialSteps and MaxTrialValues, or fails them with an error. The seed
// corpus is below and in testdata/fuzz/FuzzTaskOptions.
func FuzzTaskOptions(f *testing.F) {
	pdm := uint8(slices.Index(optionTasks(), PerceptualDecisionMakingName))
	f.Add(pdm, "dim_ring", "3", "timing.delay", "choice(0,500)")
	f.Add(pdm, "dim_ring", "1000000000", "", "")
	f.Add(pdm, "timing.delay", "1e15", "cohs", "0,6.4,12.8")
	f.Add(pdm, "timing.stimulus", "truncexp(1e12,0)", "sigma", "0")
	f.Add(pdm, "cohs", "", "rewards.correct", "inf")
	f.Add(pdm, "dt", "1e-9", "timing.fixation", "uniform(5,1)")
	f.Add(uint8(1), "timing.delay", "uniform(0,1e9)", "dim_ring", "4096")
	f.Add(uint8(7), "dim_ring", "-5", "abort", "true")
	f.Fuzz(func(t *testing.T, which uint8, k1, v1, k2, v2 string) {
		names := optionTasks()
		name := names[int(which)%len(names)]
		settings := []string{k1 + "=" + v1}
		if k2 != "" {
			settings = append(settings, k2+"="+v2)
		}
		task, err := NewWithSettings(name, settings, WithSeed(1))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("%s %q: error of more than one line: %q", name, settings, err)
			}
			return
		}
		for range 3 {
			tr, err := task.NewTrial(nil)
			if err != nil {
				if strings.Contains(err.Error(), "\n") {
					t.Fatalf("%s %q: trial error of more than one line: %q", name, settings, err)
				}
				return
			}
			if tr.N < 1 || tr.N > MaxTrialSteps || len(tr.Obs) > MaxTrialValues {
				t.Fatalf("%s %q: trial of %d steps and %d observation values", name, settings, tr.N, len(tr.Obs))
			}
		}
	})
}

// optionTasks lists the registered tasks that take options.
func optionTasks() []string {
	var out []string
	for _, n := range Names() {
		if _, ok := NewConfig(n); ok {
			out = append(out, n)
		}
	}
	return out
}
