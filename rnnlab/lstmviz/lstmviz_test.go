package lstmviz

import (
	"bytes"
	"context"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// TestTrainConverges trains the notebook's run (DefaultSeed) and checks
// the loss criterion, then reads the network out on the test batch: the
// remembered stimulus must be reported far better than by answering 0.
func TestTrainConverges(t *testing.T) {
	var log bytes.Buffer
	r, err := Train(context.Background(), Config{Seed: DefaultSeed}, &log)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(r)
	if !r.Converged || !(r.Loss < 1e-4) {
		t.Fatalf("seed %d: %v", DefaultSeed, r)
	}
	if r.Steps%DefaultWindow != 0 || r.Steps > DefaultMaxSteps || r.WindowSteps[len(r.WindowSteps)-1] != r.Steps {
		t.Errorf("stopped at step %d, windows %v", r.Steps, r.WindowSteps)
	}
	for i, l := range r.WindowLoss[:len(r.WindowLoss)-1] {
		if l < 1e-4 {
			t.Errorf("window %d (step %d) has loss %g < 1e-4 but training went on", i, r.WindowSteps[i], l)
		}
	}
	if lines := strings.Count(log.String(), "\n"); lines != len(r.WindowSteps) || !strings.HasPrefix(log.String(), "Step 500, Loss ") {
		t.Errorf("log has %d lines for %d windows:\n%s", lines, len(r.WindowSteps), log.String())
	}
	if r.Engine != "cpu" {
		t.Errorf("engine %q, want the cpu engine", r.Engine)
	}
	e, err := Evaluate(r.Params, DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(e)
	if e.Reports != TestBatch*TestRepeats || !(e.MSE < 1e-3) || !(e.ReportMSE < 0.02*e.TargetVar) || !(e.TargetVar > 0.1) {
		t.Errorf("evaluation: %v", e)
	}
	// The gates of the trained unit do what the figure shows.
	m, rp, o := e.AtMemorise, e.AtReport, e.Elsewhere
	if !(m.Input > 0.8 && m.Forget < 0.2 && rp.Output > 0.7 && o.Forget > 0.9 && o.Input < 0.1 && o.Output < 0.1) {
		t.Errorf("gates: memorise %+v, report %+v, elsewhere %+v", m, rp, o)
	}
	var tab bytes.Buffer
	e.WriteGateTable(&tab)
	t.Logf("\n%s", tab.String())
}

// TestEvaluateMatchesEngine recomputes the test batch's MSE with the
// training engine: Evaluate's MSE (from analysis.Gates) must equal the
// engine's loss on the same batch, and its outputs the engine's logits.
func TestEvaluateMatchesEngine(t *testing.T) {
	r, err := Train(context.Background(), Config{Seed: 5, MaxSteps: 1000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Steps != 1000 || r.Converged || len(r.WindowLoss) != 2 {
		t.Fatalf("short run: %v, windows %v", r, r.WindowLoss)
	}
	e, err := Evaluate(r.Params, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{models.EngineCPU, models.EngineGoMLX} {
		eng, err := models.NewEngine(name, r.Params.Config)
		if err != nil {
			t.Fatal(err)
		}
		res, err := eng.LossAndGrad(r.Params, e.Batch, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d := math.Abs(float64(res.Loss) - e.MSE); d > 1e-5*math.Max(1, e.MSE) {
			t.Errorf("%s engine loss %g, Evaluate's MSE %g", name, res.Loss, e.MSE)
		}
		for k, g := range e.Gates {
			for step := range e.Batch.T {
				if d := math.Abs(float64(res.Logits[step*e.Batch.B+k] - g.Out[step])); d > 1e-5 {
					t.Fatalf("%s engine: sequence %d step %d: logit %g, Gates' output %g", name, k, step, res.Logits[step*e.Batch.B+k], g.Out[step])
				}
			}
		}
	}
	tr, err := e.Trace(TestColumn)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Stimulus) != TestLen*TestRepeats || slices.Max(tr.Report) != 1 || tr.InputGate[3] != float64(e.Gates[TestColumn].Input[3]) {
		t.Errorf("trace: %+v", tr)
	}
	if _, err := e.Trace(TestBatch); err == nil {
		t.Error("Trace accepted a sequence outside the batch")
	}
}

// TestTrainDeterministic checks that one seed gives one run and another
// seed another.
func TestTrainDeterministic(t *testing.T) {
	run := func(seed uint64) *Result {
		r, err := Train(context.Background(), Config{Seed: seed, MaxSteps: 200, Window: 100}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a, b, c := run(3), run(3), run(4)
	if !slices.Equal(a.WindowLoss, b.WindowLoss) || !slices.EqualFunc(a.Params.Values, b.Params.Values, slices.Equal) {
		t.Error("the same seed gave different runs")
	}
	if slices.Equal(a.WindowLoss, c.WindowLoss) {
		t.Error("seeds 3 and 4 gave the same losses")
	}
}

func TestTrainErrors(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{LR: -1}, "learning rate"},
		{Config{Hidden: -2}, "hidden"},
		{Config{MaxSteps: -1}, "max steps"},
		{Config{TargetLoss: -1}, "target loss"},
		{Config{Engine: "gpu"}, "unknown engine"},
		{Config{Task: tasksCfgBadLen()}, "min length"},
		{Config{MaxSteps: 10, Window: 20}, "shorter than one window"},
		// Adam's first step moves every weight by about lr, past float32's
		// 3.4e38: refused in the update, at step 1.
		{Config{LR: 1e39, MaxSteps: 100, Window: 10}, "lstmviz: training diverged at step 1: w_ih[0,0] is"},
	} {
		if _, err := Train(ctx, c.cfg, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one mentioning %q", c.cfg, err, c.want)
		}
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Train(canceled, Config{}, nil); err != context.Canceled {
		t.Errorf("canceled context: error %v", err)
	}
}

// TestSaveLoadReport round-trips a short run through Save and Load and
// builds its report.
func TestSaveLoadReport(t *testing.T) {
	r, err := Train(context.Background(), Config{Seed: 1, MaxSteps: 1000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Save(dir, r); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.Steps != r.Steps || got.Config != r.Config || !slices.Equal(got.WindowLoss, r.WindowLoss) ||
		!slices.EqualFunc(got.Params.Values, r.Params.Values, slices.Equal) || got.Params.Config != r.Params.Config {
		t.Errorf("loaded %+v, saved %+v", got, r)
	}
	if _, err := Load(t.TempDir()); err == nil {
		t.Error("Load of an empty folder succeeded")
	}
	e, err := Evaluate(got.Params, 1)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Report(got, e)
	if err != nil {
		t.Fatal(err)
	}
	html, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(html, []byte("data:image/png;base64,")); n != 2 {
		t.Errorf("report has %d figures, want 2", n)
	}
	if !bytes.Contains(html, []byte("16 sequences × 3 repeats of 5 to 19 steps")) {
		t.Error("report does not give the batch settings")
	}
	if !bytes.Contains(html, []byte("did not converge after 1000 steps")) {
		t.Error("report does not say the short run did not converge")
	}
}

func tasksCfgBadLen() (c tasks.MemoryReportConfig) { c.MinLen = 2; return c }

// TestPulses checks Pulses against the task's definition on a few batches:
// one pair per repeat, memorise in the first half and report in the second
// half of its sequence, target = remembered stimulus.
func TestPulses(t *testing.T) {
	data, err := tasks.NewMemoryReport(tasks.MemoryReportConfig{Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		b := data.Next()
		L := b.T / tasks.DefaultMemoryRepeats
		for k := range b.B {
			ps := Pulses(b, k)
			if len(ps) != tasks.DefaultMemoryRepeats {
				t.Fatalf("column %d: %d pulses, want %d", k, len(ps), tasks.DefaultMemoryRepeats)
			}
			for i, p := range ps {
				if p.Memorise < i*L || p.Memorise >= i*L+L/2 || p.Report < i*L+L/2 || p.Report >= (i+1)*L-1 || p.Target != p.Stimulus {
					t.Errorf("L %d, column %d, repeat %d: %+v", L, k, i, p)
				}
			}
		}
	}
}
