package eirnn_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/eirnn"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// shortRun trains the example's network for a few steps.
func shortRun(t *testing.T, steps int) *pipeline.Run {
	t.Helper()
	cfg := eirnn.Config(3)
	cfg.Steps, cfg.LogEvery = steps, 5
	r, err := pipeline.Train(context.Background(), "", pipeline.TrainOptions{Training: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestConfig(t *testing.T) {
	_, cfg, err := training.NewTaskDataset(eirnn.Config(0))
	if err != nil {
		t.Fatal(err)
	}
	m := cfg.Model
	if m.CellName() != models.CellEI || m.NumHidden != 50 || m.NumExcitatory() != 40 || m.SigmaRec != 0.15 || m.Alpha() != 0.2 {
		t.Errorf("model %+v: want the ei cell, 50 units of which 40 E, sigma_rec 0.15, alpha 0.2", m)
	}
	if cfg.Steps != 5000 || cfg.LR != 1e-3 || cfg.BatchSize != 16 || cfg.SeqLen != 100 || cfg.Dt != 20 {
		t.Errorf("training %+v: want 5000 steps of Adam 1e-3 on 16 sequences of 100 steps at dt 20", cfg)
	}
}

// TestTaskTiming checks the two tasks' periods: the test's are fixed
// (25 + 25 + 5 steps), the training's drawn from nn-brain's choices.
func TestTaskTiming(t *testing.T) {
	win, err := eirnn.StimulusWindow()
	if err != nil {
		t.Fatal(err)
	}
	if win != (analysis.Window{Start: 25, End: 50}) {
		t.Errorf("stimulus window %+v, want steps [25, 50)", win)
	}
	test, err := eirnn.TestTask(7)
	if err != nil {
		t.Fatal(err)
	}
	train, err := eirnn.TrainingTask(7)
	if err != nil {
		t.Fatal(err)
	}
	fix, stim := map[int]bool{}, map[int]bool{}
	for range 200 {
		tr, err := test.NewTrial(nil)
		if err != nil {
			t.Fatal(err)
		}
		if p, _ := tr.Period("stimulus"); tr.N != 55 || p.Start != win.Start || p.End != win.End {
			t.Fatalf("test trial of %d steps, stimulus %+v; want 55 steps, stimulus %+v", tr.N, p, win)
		}
		tr, err = train.NewTrial(nil)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := tr.Period("fixation")
		s, _ := tr.Period("stimulus")
		fix[f.End-f.Start], stim[s.End-s.Start] = true, true
	}
	for _, c := range []struct {
		got  map[int]bool
		want []int
	}{{fix, []int{2, 5, 10, 20}}, {stim, []int{5, 10, 20, 40}}} {
		var got []int
		for k := range c.got {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("training durations %v steps, want %v", got, c.want)
		}
	}
}

// TestEvaluate recomputes the evaluation of a briefly trained network from
// the library's pieces.
func TestEvaluate(t *testing.T) {
	r := shortRun(t, 10)
	e, err := eirnn.Evaluate(r.Params, 3)
	if err != nil {
		t.Fatal(err)
	}
	task, err := eirnn.TestTask(seeds.Analysis(3))
	if err != nil {
		t.Fatal(err)
	}
	act, err := analysis.CollectActivity(r.Params, task, eirnn.TestTrials)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tr := range act.Trials {
		if tr.Correct {
			n++
		}
	}
	if want := float64(n) / eirnn.TestTrials; e.Accuracy != want || len(e.Activity.Trials) != eirnn.TestTrials {
		t.Errorf("accuracy %v on %d trials, want %v on %d", e.Accuracy, len(e.Activity.Trials), want, eirnn.TestTrials)
	}
	sel, err := analysis.ChoiceSelectivity(r.Params, act, analysis.SameWindow(len(act.Trials), 25, 50))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sel.DPrime, e.Selectivity.DPrime) {
		t.Errorf("d′ differs from analysis.ChoiceSelectivity over the stimulus period")
	}
	if !slices.Equal(e.Order, analysis.SelectivityOrder(sel.DPrime, 40)) {
		t.Errorf("order %v is not SelectivityOrder", e.Order)
	}
	if len(e.Panel) != 2*(eirnn.PanelE+eirnn.PanelI) || !slices.Equal(e.Panel, analysis.ExtremeOrder(sel.DPrime, 40, 8, 2)) {
		t.Errorf("panel %v is not ExtremeOrder(d′, 40, 8, 2)", e.Panel)
	}
	acc, err := eirnn.TestAccuracy(r.Params, 3)
	if err != nil || acc != e.Accuracy {
		t.Errorf("TestAccuracy = %v, %v; want %v", acc, err, e.Accuracy)
	}
	if _, err := eirnn.Evaluate(nil, 0); err == nil {
		t.Error("Evaluate(nil) gave no error")
	}
}

// TestCheckDale recomputes the check from the effective weights and the
// sign rule, and refuses a network that is not E-I.
func TestCheckDale(t *testing.T) {
	r := shortRun(t, 5)
	d, err := eirnn.CheckDale(r.Params)
	if err != nil {
		t.Fatal(err)
	}
	w, H := r.Params.EffectiveRecurrent(), r.Params.NumHidden
	minE, maxI := float32(1e9), float32(-1e9)
	for i := range H {
		for j := range H {
			if i == j {
				if w[i*H+j] != 0 {
					t.Fatalf("diagonal %d is %v", i, w[i*H+j])
				}
			} else if i < 40 {
				minE = min(minE, w[i*H+j])
			} else {
				maxI = max(maxI, w[i*H+j])
			}
		}
	}
	if !d.OK() || d.NumE != 40 || d.NumI != 10 || d.MinE != float64(minE) || d.MaxI != float64(maxI) || d.MaxAbsDiag != 0 {
		t.Errorf("check %+v; want no violations, 40 E, 10 I, min E %v, max I %v", d, minE, maxI)
	}
	if minE < 0 || maxI > 0 {
		t.Errorf("effective weights break Dale's law: min E %v, max I %v", minE, maxI)
	}
	if !strings.HasPrefix(d.String(), "Dale's law: 0 violations") {
		t.Errorf("String() = %q", d.String())
	}
	p, err := models.NewParams(models.Config{NumInput: 3, NumHidden: 8, NumOutput: 3, Dt: 20, Tau: 100}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eirnn.CheckDale(p); err == nil {
		t.Error("CheckDale accepted a CTRNN")
	}
}

// TestFiguresAndReport draws every figure of a short run and checks the
// report holds them and the numbers.
func TestFiguresAndReport(t *testing.T) {
	r := shortRun(t, 10)
	e, err := eirnn.Evaluate(r.Params, r.Summary.Seed)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := eirnn.Figures(r, e)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	want := []string{"task", "training", "activity", "selectivity", "connectivity", "connectivity_panel"}
	if !slices.Equal(names, want) {
		t.Errorf("figures %v, want %v", names, want)
	}
	rep, err := eirnn.Report(r, e, figs)
	if err != nil {
		t.Fatal(err)
	}
	html, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Dale&#39;s law", "notebook reports 0.848; this run gives", "Step 10, Loss", "mean between units of the same preference"} {
		if !strings.Contains(string(html), s) {
			t.Errorf("report lacks %q", s)
		}
	}
	if n := strings.Count(string(html), "data:image/png;base64,"); n != len(figs) {
		t.Errorf("report embeds %d images, want %d", n, len(figs))
	}
	if _, err := eirnn.SampleTrials(0); err != nil {
		t.Error(err)
	}
}

func TestComparison(t *testing.T) {
	if got, want := eirnn.Comparison(0.854), "nn-brain's notebook reports 0.848; this run gives 0.854 (+0.006)"; got != want {
		t.Errorf("Comparison(0.854) = %q, want %q", got, want)
	}
}

// TestPreferenceBlocks checks the block means on a hand-made panel.
func TestPreferenceBlocks(t *testing.T) {
	// 4 E units (0, 1 prefer choice 1; 2, 3 choice 0) and one I unit.
	const H = 5
	w := make([]float32, H*H)
	for i := range 4 {
		for j := range 4 {
			switch {
			case i == j:
			case (i < 2) == (j < 2):
				w[i*H+j] = float32(1 + i) // same: 1, 2, 3, 4 → mean 2.5
			default:
				w[i*H+j] = 0.5
			}
		}
	}
	e := &eirnn.Evaluation{Activity: &analysis.Activity{H: H}, NumE: 4, Panel: []int{0, 1, 2, 3, 4}}
	same, opp := e.PreferenceBlocks(w)
	if same != 2.5 || opp != 0.5 {
		t.Errorf("PreferenceBlocks = %v, %v; want 2.5, 0.5", same, opp)
	}
}
