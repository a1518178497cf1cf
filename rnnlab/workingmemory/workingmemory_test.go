package workingmemory

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// untrained returns a random network for the task and the analysis task.
func untrained(t *testing.T) (*models.Params, tasks.Task) {
	t.Helper()
	_, cfg, err := training.NewTaskDataset(TrainingConfig(0, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	p, err := models.NewParams(cfg.Model, 7)
	if err != nil {
		t.Fatal(err)
	}
	task, err := AnalysisTask(cfg, 11)
	if err != nil {
		t.Fatal(err)
	}
	return p, task
}

func TestTrainingTaskDrawsTheNotebookDelays(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		cfg := TaskConfig(legacy)
		cfg.Seed = 3
		task, err := tasks.NewDelayComparison(cfg)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for range 200 {
			tr, err := task.NewTrial(nil)
			if err != nil {
				t.Fatal(err)
			}
			d, _ := tr.Period("delay")
			seen[d.End-d.Start] = true
			f, _ := tr.Period("fixation")
			n := f.End - f.Start
			if !legacy && n != 5 || legacy && (n < 15 || n > 30) {
				t.Fatalf("legacy %v: fixation of %d steps", legacy, n)
			}
		}
		for _, ms := range TrainDelays {
			if !seen[int(ms/Dt)] {
				t.Errorf("legacy %v: no trial with a delay of %g ms in 200 (seen %v)", legacy, ms, seen)
			}
		}
		if len(seen) != len(TrainDelays) {
			t.Errorf("legacy %v: delays of %v steps, want only %v ms", legacy, seen, TrainDelays)
		}
	}
}

// TestCollectDelayKeepsTheDelayRows recomputes each trial with the same
// seed and checks the kept rows against Forward's states in the delay.
func TestCollectDelayKeepsTheDelayRows(t *testing.T) {
	p, task := untrained(t)
	d, err := CollectDelay(p, task, 5)
	if err != nil {
		t.Fatal(err)
	}
	if d.NumStates() != 5*int(AnalysisDelay/Dt) {
		t.Fatalf("%d delay states, want %d", d.NumStates(), 5*int(AnalysisDelay/Dt))
	}
	_, again := untrained(t)
	for i := range 5 {
		tr, err := again.NewTrial(nil)
		if err != nil {
			t.Fatal(err)
		}
		states, _ := p.Forward(tr.Obs)
		per, _ := tr.Period("delay")
		want := states[per.Start*p.NumHidden : per.End*p.NumHidden]
		if !slices.Equal(d.States[i], want) {
			t.Fatalf("trial %d: delay states differ from Forward's", i)
		}
		if v1, _ := tasks.Lookup(tr.Record, "v1"); d.F1[i] != v1 {
			t.Fatalf("trial %d: f1 %v, record's v1 %v", i, d.F1[i], v1)
		}
	}
	if got := d.TrialOf(); len(got) != d.NumStates() || got[0] != 0 || got[len(got)-1] != 4 {
		t.Fatalf("TrialOf: %v", got)
	}
}

func TestCandidatesScaleDistinctStates(t *testing.T) {
	p, task := untrained(t)
	d, err := CollectDelay(p, task, 4)
	if err != nil {
		t.Fatal(err)
	}
	all, H := d.Stack(), d.S
	x, ids := Candidates(d, 50, 9)
	if len(ids) != 50 || len(x) != 50*H {
		t.Fatalf("%d ids, %d values", len(ids), len(x))
	}
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != 50 {
		t.Fatal("candidates repeat a state")
	}
	for k, r := range ids {
		for j := range H {
			s, c := all[r*H+j], x[k*H+j]
			if s == 0 && c != 0 || s != 0 && (c/s < 0.5 || c/s >= 1.5) {
				t.Fatalf("candidate %d unit %d: %v from state %v, factor outside [0.5, 1.5)", k, j, c, s)
			}
		}
	}
	y, ids2 := Candidates(d, 50, 9)
	if !slices.Equal(x, y) || !slices.Equal(ids, ids2) {
		t.Fatal("same seed, different candidates")
	}
	if _, all2 := Candidates(d, 0, 9); len(all2) != d.NumStates() {
		t.Fatalf("n = 0 gives %d candidates, want all %d", len(all2), d.NumStates())
	}
}

func TestCorrelationIsPearson(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5.5}
	y := []float64{2, 1, 4, 3, 7}
	if got, want := correlation(x, y), stat.Correlation(x, y, nil); math.Abs(got-want) > 1e-12 {
		t.Fatalf("correlation %v, gonum %v", got, want)
	}
	if correlation(x, []float64{1, 1, 1, 1, 1}) != 0 {
		t.Fatal("constant series should give 0")
	}
}

func TestFormsLine(t *testing.T) {
	line := Score{Points: 50, Slow: -0.01, F1Corr: -0.8}
	cases := []struct {
		s    Score
		want bool
	}{
		{line, true},
		{Score{Points: 2, Slow: -0.01, F1Corr: 0.9}, false},
		{Score{Points: 50, Slow: -0.12, F1Corr: 0.9}, false},
		{Score{Points: 50, Slow: 0.06, F1Corr: 0.9}, false},
		{Score{Points: 50, Slow: 0, F1Corr: 0.5}, false},
	}
	for _, c := range cases {
		if c.s.FormsLine() != c.want {
			t.Errorf("%+v: FormsLine %v, want %v", c.s, !c.want, c.want)
		}
	}
}

// TestTrainSeedsAndReport trains two short seeds (100 steps), checks the scores
// against the analysis recomputed, and writes the report.
func TestTrainSeedsAndReport(t *testing.T) {
	dir := t.TempDir()
	search := fixedpoints.SlowPointSearch()
	search.Options.MaxIters = 400
	opts := TrainOptions{Steps: 100, Analyze: AnalyzeOptions{Trials: 10, Candidates: 60, FixedPoints: analysis.FixedPointOptions{Search: &search}}}
	scores, err := TrainSeeds(context.Background(), dir, []uint64{0, 1}, opts)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadScores(dir)
	if err != nil || !slices.Equal(loaded, scores) {
		t.Fatalf("LoadScores: %v, %v; want %v", loaded, err, scores)
	}
	run, chosen, _, err := LoadChosen(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(run, opts.Analyze)
	if err != nil {
		t.Fatal(err)
	}
	if a.Score != chosen {
		t.Fatalf("analysis of the loaded run scores %+v, TrainSeeds %+v", a.Score, chosen)
	}
	if a.Points.Len() == 0 {
		t.Skip("no fixed point kept after 100 steps")
	}
	// PointF1: the f1 of the trial each point's candidate came from.
	_, rows := Candidates(a.Activity, opts.Analyze.Candidates, 2000+a.Seed)
	trialOf := a.Activity.TrialOf()
	for k, id := range a.Points.IDs {
		if a.PointF1[k] != a.Activity.F1[trialOf[rows[id]]] {
			t.Fatalf("point %d: f1 %v, its trial's %v", k, a.PointF1[k], a.Activity.F1[trialOf[rows[id]]])
		}
	}
	if want := real(a.Eigen.Values[0]) - 1; a.Score.Slow != want {
		t.Fatalf("Slow %v, leading eigenvalue minus 1 %v", a.Score.Slow, want)
	}
	scene, err := a.Scene()
	if err != nil {
		t.Fatal(err)
	}
	if len(scene.FixedPoints) != a.Points.Len() || len(scene.Trajectories) != 10 {
		t.Fatalf("scene: %d points, %d paths", len(scene.FixedPoints), len(scene.Trajectories))
	}
	if err := Write(dir, run, a, scores); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ReportFile, SceneFile, "delay_activity.png", "training.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
}
