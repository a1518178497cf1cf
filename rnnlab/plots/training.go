package plots

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TrainingHistory is a (possibly partial) record of training: the loss at
// each logged step and, optionally, the accuracy at the (possibly fewer)
// steps where it was evaluated.
type TrainingHistory struct {
	Steps []int
	Loss  []float64
	// AccSteps and Accuracy (a fraction in [0, 1]) are optional.
	AccSteps []int
	Accuracy []float64
}

// TrainingCurve draws the loss against the training step (log scale when
// every loss is positive) and, when accuracies are given, the accuracy in a
// second panel below with the same x axis. Non-finite losses (e.g. a
// diverged step) are skipped. It works on partial histories, so it can be
// called repeatedly while training runs; it needs at least one finite loss.
func TrainingCurve(h TrainingHistory) (*Figure, error) {
	if len(h.Steps) != len(h.Loss) {
		return nil, fmt.Errorf("plots: training history has %d steps and %d losses", len(h.Steps), len(h.Loss))
	}
	if len(h.AccSteps) != len(h.Accuracy) {
		return nil, fmt.Errorf("plots: training history has %d accuracy steps and %d accuracies", len(h.AccSteps), len(h.Accuracy))
	}
	var loss plotter.XYs
	positive := true
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, v := range h.Loss {
		if !finite(v) {
			continue
		}
		loss = append(loss, plotter.XY{X: float64(h.Steps[i]), Y: v})
		positive = positive && v > 0
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if len(loss) == 0 {
		return nil, errors.New("plots: training history has no finite loss")
	}
	var acc plotter.XYs
	for i, v := range h.Accuracy {
		if !finite(v) {
			continue
		}
		acc = append(acc, plotter.XY{X: float64(h.AccSteps[i]), Y: v})
	}

	rows := 1
	if len(acc) > 0 {
		rows = 2
	}
	f := newFigure(rows, 1, 8, 2.9*float64(rows)+0.3)
	pl := newPlot("Training loss", "", "Loss")
	ll, err := plotter.NewLine(loss)
	if err != nil {
		return nil, err
	}
	ll.Color = C0
	ll.Width = vg.Points(1.5)
	pl.Add(ll)
	if len(loss) == 1 {
		s, _ := plotter.NewScatter(loss)
		s.Color, s.Shape, s.Radius = C0, draw.CircleGlyph{}, vg.Points(3)
		pl.Add(s)
	}
	if positive {
		pl.Y.Scale = plot.LogScale{}
		pl.Y.Tick.Marker = logTicks{}
		pl.Y.Min, pl.Y.Max = lo/1.25, hi*1.25
		pl.Y.Label.Text = "Loss (log scale)"
	}
	pl.X.Tick.Marker = intTicks{}
	f.set(0, 0, pl)
	plots := []*plot.Plot{pl}
	if len(acc) > 0 {
		pa := newPlot("Accuracy", "", "Accuracy")
		la, sa, err := plotter.NewLinePoints(acc)
		if err != nil {
			return nil, err
		}
		la.Color, sa.Color = C1, C1
		la.Width = vg.Points(1.5)
		sa.Shape, sa.Radius = draw.CircleGlyph{}, vg.Points(2.5)
		pa.Add(la, sa)
		pa.Y.Min, pa.Y.Max = math.Min(pa.Y.Min, 0), math.Max(pa.Y.Max, 1)
		pa.X.Tick.Marker = intTicks{}
		f.set(1, 0, pa)
		plots = append(plots, pa)
	}
	x0, x1 := math.Inf(1), math.Inf(-1)
	for _, p := range plots {
		x0, x1 = math.Min(x0, p.X.Min), math.Max(x1, p.X.Max)
	}
	if x0 > 0 {
		x0 = 0
	}
	for _, p := range plots {
		p.X.Min, p.X.Max = x0, x1
	}
	plots[len(plots)-1].X.Label.Text = "Step"
	return f, nil
}

// intTicks is gonum's default ticker with labels of integral values printed
// without an exponent (steps can reach 10^5).
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" && ts[i].Value == math.Trunc(ts[i].Value) && math.Abs(ts[i].Value) < 1e12 {
			ts[i].Label = strconv.FormatInt(int64(ts[i].Value), 10)
		}
	}
	return ts
}

// logTicks labels 1, 2 and 5 times powers of ten (or every digit on short
// ranges), with minor ticks on the other digits.
type logTicks struct{}

// Ticks implements plot.Ticker.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo <= 0 || hi <= lo {
		return nil
	}
	k0, k1 := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	gen := func(major map[int]bool) []plot.Tick {
		var ts []plot.Tick
		for k := k0; k <= k1; k++ {
			for d := 1; d <= 9; d++ {
				v := float64(d) * math.Pow(10, float64(k))
				if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
					continue
				}
				t := plot.Tick{Value: v}
				if major[d] {
					t.Label = strconv.FormatFloat(v, 'g', 3, 64)
				}
				ts = append(ts, t)
			}
		}
		return ts
	}
	count := func(ts []plot.Tick) int {
		n := 0
		for _, t := range ts {
			if t.Label != "" {
				n++
			}
		}
		return n
	}
	ts := gen(map[int]bool{1: true})
	if count(ts) < 3 {
		ts = gen(map[int]bool{1: true, 2: true, 5: true})
	}
	if count(ts) < 2 {
		ts = gen(map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true})
	}
	return ts
}
