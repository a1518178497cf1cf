package tasks

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"testing"
)

// TestDatasetStreamUnchanged pins the exact batches of the primer's
// dataset (PerceptualDecisionMaking, dt 100, seed 0, batch 16, sequence
// length 100) and of a random-policy rollout: the SHA-256 of 50 batches and
// of 300 rollout steps were taken before the task base existed. Any change
// in the order or the arithmetic of the random draws changes them.
func TestDatasetStreamUnchanged(t *testing.T) {
	task, err := New(PerceptualDecisionMakingName)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := NewDataset(task, DatasetConfig{BatchSize: 16, SeqLen: 100})
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for range 50 {
		b := ds.Next()
		for _, v := range b.Inputs {
			binary.Write(h, binary.LittleEndian, math.Float32bits(v))
		}
		binary.Write(h, binary.LittleEndian, b.Labels)
	}
	if got, want := fmt.Sprintf("%x", h.Sum(nil)), wantDatasetHash; got != want {
		t.Errorf("dataset hash %s, want %s", got, want)
	}
	r, err := Rollout(task, RolloutConfig{Steps: 300, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	h.Reset()
	for _, v := range r.Obs {
		binary.Write(h, binary.LittleEndian, math.Float32bits(v))
	}
	for j := range r.NumSteps {
		binary.Write(h, binary.LittleEndian, [4]float64{float64(r.Actions[j]), float64(r.Labels[j]), r.Rewards[j], r.Performance[j]})
	}
	if got, want := fmt.Sprintf("%x", h.Sum(nil)), wantRolloutHash; got != want {
		t.Errorf("rollout hash %s, want %s", got, want)
	}
}

const (
	wantDatasetHash = "6cdc6a93df4e657dfc8322c6249f84bd8c8111d47f58ee4b3f703a89a7dd9cc2"
	wantRolloutHash = "89fd0836bf02ecaf005149b408443a7e7cfa8ab0da39c067bdaf4c12263049da"
)
