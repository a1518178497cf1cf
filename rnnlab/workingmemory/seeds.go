package workingmemory

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// ScoresFile is the seeds' scores in a TrainSeeds folder.
const ScoresFile = "scores.json"

// SeedDir is the run folder of seed inside dir: dir/seed-N.
func SeedDir(dir string, seed uint64) string { return filepath.Join(dir, fmt.Sprintf("seed-%d", seed)) }

// TrainOptions configure TrainSeeds; the zero value is the notebook's.
type TrainOptions struct {
	// Steps is the number of training steps (0 means Steps).
	Steps int
	// LegacyFixation trains with the fixation of neurogym before 2020
	// (LegacyFixation) instead of v2.2.0's 500 ms.
	LegacyFixation bool
	// Engine is the training engine (models.NewEngine): "auto" (default),
	// "cpu" or "gomlx".
	Engine string
	// Analyze configures each seed's analysis.
	Analyze AnalyzeOptions
	// Log receives one line per seed (its Score); nil is silent.
	Log io.Writer
	// Hooks observe each run (live curves); Hooks.Log is replaced by
	// io.Discard.
	Hooks training.Hooks
}

// TrainSeeds trains one network per seed (TrainingConfig; saved to
// SeedDir(dir, seed)), analyses each (Analyze) and writes their scores to
// dir/ScoresFile, in the order of seeds.
func TrainSeeds(ctx context.Context, dir string, seeds []uint64, opts TrainOptions) ([]Score, error) {
	if len(seeds) == 0 {
		return nil, fmt.Errorf("workingmemory: TrainSeeds: no seeds")
	}
	var out []Score
	for _, seed := range seeds {
		s, err := TrainSeed(ctx, SeedDir(dir, seed), seed, opts)
		if err != nil {
			return nil, fmt.Errorf("seed %d: %w", seed, err)
		}
		if opts.Log != nil {
			fmt.Fprintln(opts.Log, s)
		}
		out = append(out, s)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	return out, atomicfile.Write(filepath.Join(dir, ScoresFile), append(b, '\n'))
}

// TrainSeed trains and scores one seed: the network of TrainingConfig,
// saved to dir (unless ""), then Analyze.
func TrainSeed(ctx context.Context, dir string, seed uint64, opts TrainOptions) (Score, error) {
	run, err := pipeline.Train(ctx, dir, pipeline.TrainOptions{
		Training: TrainingConfig(seed, opts.Steps, opts.LegacyFixation),
		Engine:   opts.Engine,
		Hooks:    opts.Hooks,
	})
	if err != nil {
		return Score{}, err
	}
	if run.Summary.Canceled {
		return Score{}, fmt.Errorf("training canceled after %d steps", run.Summary.Steps)
	}
	a, err := Analyze(run, opts.Analyze)
	if err != nil {
		return Score{}, err
	}
	return a.Score, nil
}

// LoadScores reads dir/ScoresFile.
func LoadScores(dir string) ([]Score, error) {
	b, err := os.ReadFile(filepath.Join(dir, ScoresFile))
	if err != nil {
		return nil, fmt.Errorf("no seed scores yet (train the seeds first): %w", err)
	}
	var s []Score
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", ScoresFile, err)
	}
	return s, nil
}

// CountLines is the number of scores that form a line attractor.
func CountLines(scores []Score) int {
	n := 0
	for _, s := range scores {
		if s.Line {
			n++
		}
	}
	return n
}

// Chosen returns the first score that forms a line attractor, or false.
func Chosen(scores []Score) (Score, bool) {
	for _, s := range scores {
		if s.Line {
			return s, true
		}
	}
	return Score{}, false
}

// LoadChosen reads the scores of a TrainSeeds folder, picks the first
// seed that forms a line attractor (the first seed if none does; ok
// reports which) and loads its run.
func LoadChosen(dir string) (run *pipeline.Run, chosen Score, ok bool, err error) {
	scores, err := LoadScores(dir)
	if err != nil {
		return nil, Score{}, false, err
	}
	if len(scores) == 0 {
		return nil, Score{}, false, fmt.Errorf("%s lists no seeds", filepath.Join(dir, ScoresFile))
	}
	chosen, ok = Chosen(scores)
	if !ok {
		chosen = scores[0]
	}
	run, err = pipeline.LoadRun(SeedDir(dir, chosen.Seed))
	return run, chosen, ok, err
}
