package bench

import (
	"context"
	"fmt"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// Scaling holds the scaling sweeps: training-step times of the CPU engine
// as one size varies (the others at the tutorial's H 64, B 16, T 100), and
// fixed-point step times of the CTRNN evaluator against the number of
// candidates (64 units).
type Scaling struct {
	Train []ScalingRow `json:"train"`
	FP    []ScalingRow `json:"fixed_points"`
	// Cells is the per-cell sweep: the training step of every cell at each
	// hidden size of ScalingOptions.CellHidden (B 16, T 100), with the
	// engine "auto" picks.
	Cells []CellRow `json:"cells"`
}

// ScalingRow is one point of a sweep; times in ms per step.
type ScalingRow struct {
	// Sweep names the varied size: "hidden", "batch", "seq_len" or
	// "candidates"; Size is its value.
	Sweep string `json:"sweep"`
	Size  int    `json:"size"`
	// Hidden, Batch and SeqLen describe a training point, Candidates a
	// fixed-point one.
	Hidden     int   `json:"hidden,omitempty"`
	Batch      int   `json:"batch,omitempty"`
	SeqLen     int   `json:"seq_len,omitempty"`
	Candidates int   `json:"candidates,omitempty"`
	Rnnlab     *Stat `json:"rnnlab"`
	Torch      *Stat `json:"torch,omitempty"`
	Ratio      *Stat `json:"ratio,omitempty"`
}

func runScaling(ctx context.Context, o Options, logf func(string, ...any)) (*Scaling, error) {
	s := o.Sweeps
	sc := &Scaling{}
	type point struct {
		sweep   string
		h, b, t int
	}
	var pts []point
	for _, h := range s.Hidden {
		pts = append(pts, point{"hidden", h, 16, 100})
	}
	for _, b := range s.Batch {
		pts = append(pts, point{"batch", 64, b, 100})
	}
	for _, t := range s.SeqLen {
		pts = append(pts, point{"seq_len", 64, 16, t})
	}
	rng := rand.New(rand.NewPCG(o.Seed, 4))
	for _, p := range pts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cfg := models.Config{NumInput: 3, NumHidden: p.h, NumOutput: 3, Dt: 100, Tau: 100}
		eng, err := models.NewEngine(models.EngineCPU, cfg)
		if err != nil {
			return nil, err
		}
		bs := syntheticBatches(rng, p.t, p.b, 4)
		st, err := timeTraining(eng, cfg, bs, o.Seed, s.Steps, s.Repeats)
		if err != nil {
			return nil, err
		}
		size := map[string]int{"hidden": p.h, "batch": p.b, "seq_len": p.t}[p.sweep]
		logf("bench: scaling, training step H %d B %d T %d: %s ms", p.h, p.b, p.t, fmtStat(st))
		sc.Train = append(sc.Train, ScalingRow{Sweep: p.sweep, Size: size, Hidden: p.h, Batch: p.b, SeqLen: p.t, Rnnlab: st})
	}
	params, err := models.NewParams(models.DefaultConfig(), o.Seed)
	if err != nil {
		return nil, err
	}
	for _, n := range s.Candidates {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cands, err := candidates(params, n, o.Seed)
		if err != nil {
			return nil, err
		}
		ev, err := newEvaluator("ctrnn", params)
		if err != nil {
			return nil, err
		}
		st, err := timeFinder(ev, cands, s.FPSteps, s.Repeats)
		if err != nil {
			return nil, err
		}
		logf("bench: scaling, fixed-point step %d candidates: %s ms", n, fmtStat(st))
		sc.FP = append(sc.FP, ScalingRow{Sweep: "candidates", Size: n, Candidates: n, Rnnlab: st})
	}
	if sc.Cells, err = runCellScaling(ctx, o, logf); err != nil {
		return nil, err
	}
	return sc, nil
}

func (s *Scaling) attachTorch(t *torchResult) {
	if t == nil {
		return
	}
	attachTorchCells(s.Cells, t.ScalingCells)
	for k := range s.Train {
		r := &s.Train[k]
		for _, tr := range t.Train {
			if tr.Hidden == r.Hidden && tr.Batch == r.Batch && tr.Seq == r.SeqLen {
				r.Torch = NewStat(tr.Ms)
				r.Ratio = ratio(r.Rnnlab, r.Torch)
				break
			}
		}
	}
	for k := range s.FP {
		r := &s.FP[k]
		for _, tf := range t.FP {
			if tf.Candidates == r.Candidates {
				r.Torch = NewStat(tf.Ms)
				r.Ratio = ratio(r.Rnnlab, r.Torch)
			}
		}
	}
}

// Markdown returns the sweeps as a markdown table (medians, ms per step;
// min–max in the rnnlab column).
func (s *Scaling) Markdown() string {
	var b strings.Builder
	b.WriteString("| step | H | B | T | candidates | rnnlab ms (min–max) | PyTorch ms | rnnlab/PyTorch |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	row := func(step string, r ScalingRow) {
		cell := func(v int) string {
			if v == 0 {
				return ""
			}
			return strconv.Itoa(v)
		}
		h, bb, t := cell(r.Hidden), cell(r.Batch), cell(r.SeqLen)
		if step == "fixed point" {
			h = "64"
		}
		torch, rat := "–", "–"
		if r.Torch != nil {
			torch = num(r.Torch.Median)
		}
		if r.Ratio != nil {
			rat = fmt.Sprintf("%.2f", r.Ratio.Median)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", step, h, bb, t, cell(r.Candidates),
			fmtMedRange(r.Rnnlab), torch, rat)
	}
	for _, r := range s.Train {
		row("training ("+r.Sweep+")", r)
	}
	for _, r := range s.FP {
		row("fixed point", r)
	}
	return b.String()
}

// WritePlot draws the sweeps (median ms per step against the varied size,
// log–log, rnnlab and PyTorch) in four panels and writes a PNG.
func (s *Scaling) WritePlot(path string) error {
	panels := []struct {
		title, xlabel string
		rows          []ScalingRow
	}{
		{"training step vs hidden size (B16 T100)", "hidden units", filterSweep(s.Train, "hidden")},
		{"training step vs batch size (H64 T100)", "batch size", filterSweep(s.Train, "batch")},
		{"training step vs sequence length (H64 B16)", "time steps", filterSweep(s.Train, "seq_len")},
		{"fixed-point step vs candidates (D64)", "candidates", s.FP},
	}
	plots := make([][]*plot.Plot, 2)
	for k, pn := range panels {
		p := plot.New()
		p.Title.Text = pn.title
		p.Title.TextStyle.Font.Size = vg.Points(10)
		p.X.Label.Text = pn.xlabel
		p.Y.Label.Text = "ms per step"
		p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		var ticks []plot.Tick
		for _, r := range pn.rows {
			ticks = append(ticks, plot.Tick{Value: float64(r.Size), Label: strconv.Itoa(r.Size)})
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
		p.Legend.Top, p.Legend.Left = false, false // bottom right: below both curves in every panel
		if err := addLine(p, pn.rows, "rnnlab", color.RGBA{R: 200, G: 30, B: 30, A: 255}, func(r ScalingRow) *Stat { return r.Rnnlab }); err != nil {
			return err
		}
		if err := addLine(p, pn.rows, "PyTorch", color.RGBA{R: 30, G: 60, B: 200, A: 255}, func(r ScalingRow) *Stat { return r.Torch }); err != nil {
			return err
		}
		plots[k/2] = append(plots[k/2], p)
	}
	img := vgimg.NewWith(vgimg.UseWH(11*vg.Inch, 8*vg.Inch), vgimg.UseDPI(110))
	dc := draw.New(img)
	// White background.
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	t := draw.Tiles{Rows: 2, Cols: 2, PadX: vg.Millimeter * 6, PadY: vg.Millimeter * 6,
		PadTop: vg.Millimeter * 3, PadBottom: vg.Millimeter * 3, PadLeft: vg.Millimeter * 3, PadRight: vg.Millimeter * 3}
	canvases := plot.Align(plots, t, dc)
	for j := range plots {
		for i, p := range plots[j] {
			p.Draw(canvases[j][i])
		}
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func filterSweep(rows []ScalingRow, sweep string) []ScalingRow {
	var out []ScalingRow
	for _, r := range rows {
		if r.Sweep == sweep {
			out = append(out, r)
		}
	}
	return out
}

// addLine plots the medians of stat over rows (skipped when absent).
func addLine(p *plot.Plot, rows []ScalingRow, name string, c color.Color, stat func(ScalingRow) *Stat) error {
	var xy plotter.XYs
	for _, r := range rows {
		s := stat(r)
		if s == nil || s.Median <= 0 {
			continue
		}
		xy = append(xy, plotter.XY{X: float64(r.Size), Y: s.Median})
	}
	if len(xy) == 0 {
		return nil
	}
	l, pts, err := plotter.NewLinePoints(xy)
	if err != nil {
		return err
	}
	l.Color, pts.Color = c, c
	l.Width = vg.Points(1.5)
	pts.Shape = draw.CircleGlyph{}
	p.Add(l, pts)
	p.Legend.Add(name, l, pts)
	return nil
}

func syntheticBatches(rng *rand.Rand, T, B, n int) []*tasks.Batch {
	out := make([]*tasks.Batch, n)
	for k := range out {
		out[k] = syntheticBatch(rng, T, B)
	}
	return out
}
