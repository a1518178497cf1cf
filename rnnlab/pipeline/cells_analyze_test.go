package pipeline

import (
	"context"
	"io"
	"math"
	"testing"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// TestGatedCellsLineAttractor trains a 64-unit GRU and a 64-unit LSTM on the
// tutorial's task with the tutorial's settings (PerceptualDecisionMaking-v0,
// dt 100 ms, batch 16, 100 steps per sequence, Adam 1e-3, 1500 steps, seed
// 0) on the "auto" engine, checks the decision accuracy, runs the primer's
// analysis (Analyze with the primer's own search, PrimerSearch: the mean
// speed tolerance 1e-5, see below) and checks what it found:
//
//   - the kept slow points lie along a line: their own first principal
//     component carries most of their variance (LineAttractor.LineMeasure),
//     and the slowest mode of the Jacobian at the middle point is slow
//     (real part near 1);
//   - each point's residual |F(s) − s|, recomputed here with the plain-Go
//     one-step map Params.Step (float32, no GoMLX), is as small as the
//     search's filter demands, and matches the speed the search reported;
//   - the recurrent and input Jacobians have the cell's state size
//     (2H for the LSTM).
//
// The tolerance: SlowPointSearch's looser 1e-4, chosen for the CTRNN,
// keeps a cloud of slow points around the GRU's line (a gate z near 1 makes
// many directions slow): line measure 0.62, against 0.93 at 1e-5.
//
// Measured (seed 0, GoMLX engine for training, plain-Go evaluators for the
// analysis): GRU accuracy 0.880, 149 slow points, line measure 0.931,
// slowest eigenvalue 0.992; LSTM accuracy 0.873, 211 slow points, line
// measure 0.886 (0.995 on two PCs: a slightly bent line), slowest
// eigenvalue 0.959.
//
// Training runs on the GoMLX engine until the cells have a CPU kernel:
// 250-500 ms a step on two shared cores, 7-15 minutes per cell, and the
// LSTM's search about 3 minutes more; -short skips the test, and the whole
// run needs go test's -timeout above its default 10 minutes
// (scripts/test.sh gives 60).
func TestGatedCellsLineAttractor(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips two 1500-step trainings of gated cells")
	}
	for _, cell := range []string{models.CellGRU, models.CellLSTM} {
		t.Run(cell, func(t *testing.T) {
			start := time.Now()
			cfg := training.Config{Seed: 0, Steps: 1500, LR: 1e-3, BatchSize: 16, SeqLen: 100,
				Task: "PerceptualDecisionMaking-v0", Dt: 100,
				Model: models.Config{Cell: cell, NumInput: 3, NumHidden: 64, NumOutput: 3, Dt: 100, Tau: 100}}
			data, cfg, err := training.NewTaskDataset(cfg)
			if err != nil {
				t.Fatal(err)
			}
			eng, err := models.NewEngine(models.EngineAuto, cfg.Model)
			if err != nil {
				t.Fatal(err)
			}
			s, p, err := training.Train(context.Background(), cfg, eng, data, nil, training.Hooks{Log: io.Discard, NoProgress: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s engine, %d steps in %.0f s (%.0f ms/step), final loss %.4f, accuracy %.3f",
				cell, s.Engine, s.Steps, s.WallSeconds, s.MedianStepMs, s.FinalLoss, s.FinalAccuracy)
			if s.Steps != 1500 {
				t.Fatalf("%d steps", s.Steps)
			}
			if s.FinalAccuracy < 0.85 {
				t.Errorf("final decision accuracy %.3f < 0.85", s.FinalAccuracy)
			}

			search := fixedpoints.PrimerSearch()
			a, err := Analyze(&Run{Params: p, Summary: s}, AnalyzeOptions{FixedPoints: analysis.FixedPointOptions{Search: &search}})
			if err != nil {
				t.Fatal(err)
			}
			fp, S, I := a.Points, p.StateSize(), p.NumInput
			t.Logf("%s: analysis in %.0f s (search %.0f s, %d iterations), stages %v, line measure %.3f, leading eigenvalues %.3f, %d exact point(s)",
				cell, a.Timings.Total, a.Timings.FixedPoints, fp.Iters, fp.Stages, lineMeasure(a), a.LeadingEigenvalues(3), numExact(a))
			if fp.D != S || a.Activity.S != S {
				t.Fatalf("points of %d values, activity of %d, want the state size %d", fp.D, a.Activity.S, S)
			}
			if fp.Len() < 10 {
				t.Fatalf("%d slow points kept, want at least 10", fp.Len())
			}
			if a.Line == nil {
				t.Fatal("no line attractor")
			}
			if a.Line.LineMeasure < 0.85 {
				t.Errorf("line measure %.3f < 0.85: the slow points do not lie along a line", a.Line.LineMeasure)
			}
			if ev := real(a.Line.Eigenvalue); ev < 0.8 || ev > 1.05 {
				t.Errorf("slowest eigenvalue at the middle point %.3f, want a slow mode in [0.8, 1.05]", ev)
			}
			if len(a.Jacobians) != fp.Len() || len(a.Jacobians[0]) != S*S ||
				len(a.InputJacobians) != fp.Len() || len(a.InputJacobians[0]) != S*I {
				t.Fatalf("%d Jacobians of %d values, %d input Jacobians of %d values; want %d of %d and %d",
					len(a.Jacobians), len(a.Jacobians[0]), len(a.InputJacobians), len(a.InputJacobians[0]), fp.Len(), S*S, S*I)
			}

			// Residuals recomputed with the plain-Go map.
			tol := float32(search.FilterLoss) // the filter on the mean speed
			next := make([]float32, S)
			x := make([]float32, S)
			worst := float32(0)
			for k := 0; k < fp.Len(); k++ {
				for d, v := range fp.Point(k) {
					x[d] = float32(v)
				}
				p.Step(fp.Input(k), x, next)
				var sum float32
				for d := range x {
					r := next[d] - x[d]
					sum += r * r
				}
				speed := sum / float32(S)
				worst = max(worst, speed)
				if !(speed < 1.01*tol) {
					t.Errorf("point %d: mean |F(s) - s|² = %.3g by Params.Step, above the filter's %g", k, speed, tol)
				}
				if d := math.Abs(float64(speed) - fp.Speed[k]); d > 1e-7+1e-3*fp.Speed[k] {
					t.Errorf("point %d: speed %.6g by Params.Step, %.6g by the search", k, speed, fp.Speed[k])
				}
			}
			t.Logf("%s: largest mean squared residual by Params.Step %.3g (%.0f s in all)", cell, worst, time.Since(start).Seconds())
		})
	}
}

func lineMeasure(a *Analysis) float64 {
	if a.Line == nil {
		return math.NaN()
	}
	return a.Line.LineMeasure
}

func numExact(a *Analysis) int {
	if a.Exact == nil {
		return 0
	}
	return a.Exact.Len()
}
