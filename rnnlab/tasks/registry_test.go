package tasks

import (
	"slices"
	"strings"
	"testing"
)

func TestRegistry(t *testing.T) {
	if !slices.Contains(Names(), "PerceptualDecisionMaking-v0") {
		t.Fatalf("Names() = %v", Names())
	}
	task, err := New("PerceptualDecisionMaking-v0")
	if err != nil || task.Name() != "PerceptualDecisionMaking-v0" || task.Dt() != 100 {
		t.Fatalf("New: %v, %v", task, err)
	}
	if tr := mustTrial(t, task, nil); tr.N != 22 {
		t.Errorf("default trial has %d steps", tr.N)
	}
	_, err = New("NoSuchTask-v0")
	if err == nil || !strings.Contains(err.Error(), "NoSuchTask-v0") || !strings.Contains(err.Error(), "PerceptualDecisionMaking-v0") {
		t.Errorf("unknown task error %v should name the task and the known ones", err)
	}
}

func TestRegistryOptions(t *testing.T) {
	cfg := PerceptualDecisionMakingConfig{Dt: 50, Cohs: []float64{51.2}, Seed: 1}
	for _, tc := range []struct {
		name    string
		opts    []Option
		dt      float64
		n       int
		sameAs  uint64 // seed the trials should match
		wantErr string
	}{
		{"dt", []Option{WithDt(20)}, 20, 110, 0, ""},
		{"config value", []Option{WithConfig(cfg)}, 50, 44, 1, ""},
		{"config pointer, dt and seed override", []Option{WithConfig(&cfg), WithDt(10), WithSeed(8)}, 10, 220, 8, ""},
		{"wrong config type", []Option{WithConfig(42)}, 0, 0, 0, "config of type int"},
		{"bad dt", []Option{WithDt(-1)}, 0, 0, 0, "dt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task, err := New(PerceptualDecisionMakingName, tc.opts...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tr := mustTrial(t, task, nil)
			if task.Dt() != tc.dt || tr.N != tc.n {
				t.Errorf("dt %v N %d, want %v %d", task.Dt(), tr.N, tc.dt, tc.n)
			}
			ref := task.Clone()
			ref.Seed(tc.sameAs)
			if !slices.Equal(mustTrial(t, ref, nil).Obs, tr.Obs) {
				t.Errorf("first trial does not match seed %d", tc.sameAs)
			}
		})
	}
}

func TestRegisterPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("registering a name twice did not panic")
		}
	}()
	Register(PerceptualDecisionMakingName, func(Options) (Task, error) { return nil, nil })
}

func TestRegisterConfig(t *testing.T) {
	cfg, ok := NewConfig(PerceptualDecisionMakingName)
	if _, isPDM := cfg.(*PerceptualDecisionMakingConfig); !ok || !isPDM {
		t.Fatalf("NewConfig(PDM) = %T, %v", cfg, ok)
	}
	if c, ok := NewConfig("NoSuchTask-v0"); ok || c != nil {
		t.Errorf("NewConfig of an unknown task = %v, %v", c, ok)
	}
	for _, bad := range []func(){
		func() { RegisterConfig(PerceptualDecisionMakingName, PerceptualDecisionMakingConfig{}) },
		func() { RegisterConfig("X-v0", &PerceptualDecisionMakingConfig{}) },
		func() { RegisterConfig("", PerceptualDecisionMakingConfig{}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("RegisterConfig did not panic")
				}
			}()
			bad()
		}()
	}
}
