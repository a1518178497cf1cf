package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// measurer runs rnnlab's side of the benchmark.
type measurer struct {
	o       Options
	logf    func(string, ...any)
	trained *models.Params // the tutorial's network when the pipeline ran
	fpIters int            // iterations of the pipeline's search
}

func (m *measurer) run(ctx context.Context, r *Report) error {
	o := m.o
	if o.Pipeline {
		if err := m.pipeline(ctx, r); err != nil {
			return err
		}
	}
	cfg := training.Config{Seed: o.Seed}.WithDefaults()
	data, cfg, err := training.NewTaskDataset(cfg)
	if err != nil {
		return err
	}
	batches := make([]*tasks.Batch, 8)
	for k := range batches {
		batches[k] = data.Next()
	}
	engines := []string{models.EngineCPU}
	if !o.NoGoMLX {
		engines = append(engines, models.EngineGoMLX)
	}
	for _, name := range engines {
		if err := ctx.Err(); err != nil {
			return err
		}
		eng, err := models.NewEngine(name, cfg.Model)
		if err != nil {
			return err
		}
		st, err := timeTraining(eng, cfg.Model, batches, o.Seed, o.TrainSteps, o.Repeats)
		if err != nil {
			return fmt.Errorf("training step (%s): %w", eng.Name(), err)
		}
		m.logf("bench: training step, %s engine: %s ms", eng.Name(), fmtStat(st))
		r.Measurements = append(r.Measurements, Measurement{Name: "train_step_" + name,
			Label: fmt.Sprintf("training step (%s engine), B16 T100 H64", name), Unit: "ms", Rnnlab: st})
	}

	if err := m.runCells(ctx, r, batches); err != nil {
		return err
	}

	p := m.trained
	if p == nil {
		if p, err = models.NewParams(cfg.Model, o.Seed); err != nil {
			return err
		}
	}
	cands, err := candidates(p, 2200, o.Seed)
	if err != nil {
		return err
	}
	evals := []string{"ctrnn"}
	if !o.NoGoMLX {
		evals = append(evals, "gomlx")
	}
	for _, name := range evals {
		if err := ctx.Err(); err != nil {
			return err
		}
		ev, err := newEvaluator(name, p)
		if err != nil {
			return err
		}
		st, err := timeFinder(ev, cands, o.FPSteps, o.Repeats)
		if c, ok := ev.(*models.CTRNNEvaluator); ok {
			c.Close()
		}
		if err != nil {
			return fmt.Errorf("fixed-point step (%s): %w", name, err)
		}
		m.logf("bench: fixed-point step, %s evaluator: %s ms", name, fmtStat(st))
		r.Measurements = append(r.Measurements, Measurement{Name: "fp_step_" + name,
			Label: fmt.Sprintf("fixed-point step (%s evaluator), 2200×64", name), Unit: "ms", Rnnlab: st})
	}
	if o.Multitask {
		row, err := timeMultitask(ctx, o.Seed, o.TrainSteps, o.Repeats)
		if err != nil {
			return err
		}
		m.logf("bench: multitask training step, %s (%s engine), batch included: %s ms (making the batch %s ms)",
			row.Network, row.Engine, fmtStat(row.Rnnlab), fmtStat(row.Data))
		r.Multitask = row
	}
	if o.Scaling {
		sc, err := runScaling(ctx, o, m.logf)
		if err != nil {
			return err
		}
		r.Scaling = sc
	}
	return nil
}

// timeTraining times steps of LossAndGrad plus the Adam update, cycling
// over the prepared batches, after two warm-up steps (which also compile
// the GoMLX graph). It returns ms per step for each repeat. A network with
// recurrent noise (SigmaRec > 0) gets fresh standard-normal noise
// [T][B][H] every step, drawn from PCG(seeds.Noise(seed), 0) inside the
// timed step, as training draws it (and as PyTorch's randn_like does).
func timeTraining(eng models.Engine, cfg models.Config, batches []*tasks.Batch, seed uint64, steps, repeats int) (*Stat, error) {
	p, err := models.NewParams(cfg, seed)
	if err != nil {
		return nil, err
	}
	var sizes []int
	for _, t := range p.Tensors() {
		sizes = append(sizes, len(t))
	}
	adam := optim.PyTorchAdam(training.DefaultLR).NewState(sizes...)
	rng := rand.New(rand.NewPCG(seeds.Noise(seed), 0))
	var noise []float32
	k := 0
	step := func() error {
		b := batches[k%len(batches)]
		if cfg.SigmaRec > 0 {
			noise = slices.Grow(noise[:0], b.T*b.B*cfg.NumHidden)[:b.T*b.B*cfg.NumHidden]
			for i := range noise {
				noise[i] = float32(rng.NormFloat64())
			}
		}
		res, err := eng.LossAndGrad(p, b, noise)
		k++
		if err != nil {
			return err
		}
		return adam.Update(p.Tensors(), res.Grads)
	}
	for range 2 {
		if err := step(); err != nil {
			return nil, err
		}
	}
	var ms []float64
	for range repeats {
		t0 := time.Now()
		for range steps {
			if err := step(); err != nil {
				return nil, err
			}
		}
		ms = append(ms, msPer(time.Since(t0), steps))
	}
	return NewStat(ms), nil
}

// newEvaluator returns the named fixed-point evaluator ("ctrnn", the CPU
// kernel, or "gomlx") for the cell of p, through analysis.EvaluatorFor.
func newEvaluator(name string, p *models.Params) (fixedpoints.Evaluator, error) {
	engine := models.EngineCPU
	if name == "gomlx" {
		engine = models.EngineGoMLX
	}
	return analysis.EvaluatorFor(p, engine)
}

// timeFinder times whole Finder.Find iterations (evaluation and Adam update,
// tutorial settings, no early stop), ms per iteration for each repeat, after
// a warm-up call.
func timeFinder(ev fixedpoints.Evaluator, cands []float32, steps, repeats int) (*Stat, error) {
	o := fixedpoints.PrimerOptions()
	o.Stop = fixedpoints.StopNever
	o.MaxIters = 2
	f, err := fixedpoints.NewFinder(ev, o)
	if err != nil {
		return nil, err
	}
	if _, err := f.Find(cands, analysis.TutorialInput); err != nil {
		return nil, err
	}
	f.Options.MaxIters = steps
	var ms []float64
	for range repeats {
		t0 := time.Now()
		if _, err := f.Find(cands, analysis.TutorialInput); err != nil {
			return nil, err
		}
		ms = append(ms, msPer(time.Since(t0), steps))
	}
	return NewStat(ms), nil
}

// candidates returns about n states (n/22 trials of 22 steps) of p on the
// tutorial's task, the primer's fixed-point candidates.
func candidates(p *models.Params, n int, seed uint64) ([]float32, error) {
	task, err := tasks.New(training.DefaultTask, tasks.WithDt(training.DefaultDt), tasks.WithSeed(seeds.Analysis(seed)))
	if err != nil {
		return nil, err
	}
	act, err := analysis.CollectActivity(p, task, max(1, (n+21)/22))
	if err != nil {
		return nil, err
	}
	x := act.Stack()
	if len(x) > n*p.NumHidden {
		x = x[:n*p.NumHidden]
	}
	return x, nil
}

// pipeline runs the whole tutorial once and records its times.
func (m *measurer) pipeline(ctx context.Context, r *Report) error {
	o := m.o
	pt := &PipelineTimes{}
	m.logf("bench: tutorial pipeline (%d training steps, %d trials)", o.PipelineSteps, o.PipelineTrials)
	t0 := time.Now()
	run, err := pipeline.Train(ctx, "", pipeline.TrainOptions{
		Training: training.Config{Seed: o.Seed, Steps: o.PipelineSteps},
		Hooks:    training.Hooks{NoProgress: true},
	})
	if err != nil {
		return err
	}
	pt.Engine = run.Summary.Engine
	pt.Train = time.Since(t0).Seconds()
	pt.FinalLoss, pt.FinalAcc = run.Summary.FinalLoss, run.Summary.FinalAccuracy
	m.logf("bench:   trained in %.2f s (loss %.4f, accuracy %.3f)", pt.Train, pt.FinalLoss, pt.FinalAcc)

	// The analysis as rnnlab analyze runs it: the default slow-point search
	// (capped at PipelineFPIters), Jacobians, PCA, line attractor, Newton.
	finder := fixedpoints.SlowPointSearch()
	finder.Options.MaxIters = o.PipelineFPIters
	a, err := pipeline.Analyze(run, pipeline.AnalyzeOptions{Trials: o.PipelineTrials, FixedPoints: analysis.FixedPointOptions{Search: &finder}})
	if err != nil {
		return err
	}
	pt.Activity, pt.FixedPoints, pt.Newton = a.Timings.Activity, a.Timings.FixedPoints, a.Timings.Newton
	pt.Analysis = a.Timings.Total
	pt.FPIters, pt.FPKept = a.Points.Iters, a.Points.Len()
	m.fpIters = pt.FPIters
	pt.Total = time.Since(t0).Seconds()
	m.logf("bench:   analysis in %.2f s (fixed points %.2f s, %d iterations, %d kept); total %.2f s",
		pt.Analysis, pt.FixedPoints, pt.FPIters, pt.FPKept, pt.Total)
	r.Pipe = pt
	r.Measurements = append(r.Measurements, Measurement{Name: "pipeline", Unit: "s", Rnnlab: NewStat([]float64{pt.Total}),
		Label: fmt.Sprintf("tutorial: %d training steps + analysis", o.PipelineSteps)})
	m.trained = run.Params
	return nil
}

// torchJob is the reference script's work for this run.
func (m *measurer) torchJob(r *Report) map[string]any {
	o := m.o
	job := map[string]any{"repeats": o.Repeats, "steps": o.TrainSteps, "fp_steps": o.FPSteps,
		"cells": torchCellJob(r.Cells)}
	if o.TorchThreads > 0 {
		job["threads"] = o.TorchThreads
	}
	if r.Multitask != nil {
		job["multitask"] = r.Multitask.torchJob()
	}
	if r.Pipe != nil {
		job["pipeline"] = map[string]any{"train_steps": o.PipelineSteps, "fp_steps": m.fpIters}
	}
	if r.Scaling != nil {
		s := o.Sweeps
		var train []map[string]int
		for _, row := range r.Scaling.Train {
			train = append(train, map[string]int{"hidden": row.Hidden, "batch": row.Batch, "seq": row.SeqLen})
		}
		job["scaling"] = map[string]any{"train": train, "candidates": s.Candidates,
			"repeats": s.Repeats, "steps": s.Steps, "fp_steps": s.FPSteps, "cells": torchCellJob(r.Scaling.Cells)}
	}
	return job
}

func msPer(d time.Duration, n int) float64 { return d.Seconds() * 1000 / float64(n) }

func fmtStat(s *Stat) string {
	if s == nil {
		return "-"
	}
	return fmt.Sprintf("%s / %s / %s", num(s.Min), num(s.Median), num(s.Max))
}

// num formats a time with three significant digits, without an exponent
// (1234.5 as 1235).
func num(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
}

// memoryMB returns the process's peak resident memory (VmHWM, 0 where
// /proc is missing) and the memory the Go runtime has mapped.
func memoryMB() (peakRSS, goMapped float64) {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				f := strings.Fields(v)
				if len(f) > 0 {
					kb, _ := strconv.ParseFloat(f[0], 64)
					peakRSS = kb / 1024
				}
			}
		}
	}
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		goMapped = float64(s[0].Value.Uint64()) / (1 << 20)
	}
	return peakRSS, goMapped
}

// syntheticBatch returns a batch of random inputs and labels for a network
// with inputs and outputs of size 3 (the scaling sweeps: the cost does not
// depend on the task).
func syntheticBatch(rng *rand.Rand, T, B int) *tasks.Batch {
	b := &tasks.Batch{T: T, B: B, ObsSize: 3, Inputs: make([]float32, T*B*3), Labels: make([]int32, T*B)}
	for k := range b.Inputs {
		b.Inputs[k] = float32(0.5 + 0.3*rng.NormFloat64())
	}
	for k := range b.Labels {
		b.Labels[k] = int32(rng.IntN(3))
	}
	return b
}
