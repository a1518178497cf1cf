package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// FuzzLoadRun fuzzes the config.json that LoadRun reads back from a run's
// model.npz (the run metadata: format, training configuration with its
// task configuration, summary), with the arrays of a real 3-step run.
// LoadRun must never panic; an error is one line naming model.npz; a run
// that loads has a summary, its task configuration decoded to the task's
// own type, and NewTask either builds the task or says why not.
func FuzzLoadRun(f *testing.F) {
	src := filepath.Join(f.TempDir(), "seed")
	if _, err := Train(context.Background(), src, TrainOptions{
		Training: training.Config{Seed: 7, Steps: 3, LogEvery: 1,
			TaskConfig: tasks.PerceptualDecisionMakingConfig{FixationOnlyInFixation: true, Cohs: []float64{6.4, 51.2}}},
		Hooks: training.Hooks{NoProgress: true},
	}); err != nil {
		f.Fatal(err)
	}
	model, err := os.ReadFile(filepath.Join(src, ModelFile))
	if err != nil {
		f.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(model), int64(len(model)))
	if err != nil {
		f.Fatal(err)
	}
	var arrays []*zip.File
	for _, zf := range zr.File {
		if zf.Name == models.ConfigMember {
			rc, err := zf.Open()
			if err != nil {
				f.Fatal(err)
			}
			js, _ := io.ReadAll(rc)
			rc.Close()
			f.Add(js)
			f.Add(bytes.Replace(js, []byte(`"task_config": {`), []byte(`"task_config": {"Timing": {"Fixation": {"Kind": 2, "Values": []}},`), 1))
			f.Add(bytes.Replace(js, []byte(`"task": "`), []byte(`"task": "X`), 1))
			continue
		}
		arrays = append(arrays, zf)
	}
	f.Add([]byte(`{"format":"rnnlab-ctrnn-v1","model":{"num_input":3,"num_hidden":64,"num_output":3,"dt":100,"tau":100},"meta":{"format":"rnnlab-run-v1","summary":{"config":{"task":"PerceptualDecisionMaking-v0","task_config":[1]}}}}`))
	f.Add([]byte(`{"format":"rnnlab-ctrnn-v1","model":{"num_input":3,"num_hidden":64,"num_output":3,"dt":100,"tau":100},"meta":{"format":"rnnlab-run-v1","summary":null}}`))

	dir := f.TempDir()
	path := filepath.Join(dir, ModelFile)
	f.Fuzz(func(t *testing.T, js []byte) {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, zf := range arrays {
			if err := zw.Copy(zf); err != nil {
				t.Fatal(err)
			}
		}
		w, err := zw.Create(models.ConfigMember)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(js)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := LoadRun(dir)
		if err != nil {
			if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || !strings.Contains(msg, path) {
				t.Fatalf("error is not one line naming %s: %q", path, msg)
			}
			return
		}
		if r.Summary == nil || r.Params == nil || r.Params.CheckShapes() != nil {
			t.Fatalf("loaded an incomplete run: %+v", r)
		}
		if c := r.Summary.Config.TaskConfig; c != nil {
			if _, ok := c.(tasks.PerceptualDecisionMakingConfig); !ok {
				t.Fatalf("task configuration decoded to %T", c)
			}
		}
		if _, err := r.NewTask(1); err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("NewTask error is not one line: %q", err)
			}
		}
	})
}
