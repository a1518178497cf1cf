package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Set1 holds the first colours of matplotlib's Set1 map (red, blue, green),
// the colours of nn-brain's LSTM figure.
var Set1 = []color.RGBA{{228, 26, 28, 255}, {55, 126, 184, 255}, {77, 175, 74, 255}}

// LSTMTrace is one sequence of the memorise/report task and what a
// one-unit LSTM did on it, each a series over the T time steps: the
// inputs (stimulus, memorise and report channels), the target and the
// network's output, and its input, forget and output gates
// (analysis.Gates, unit 0).
type LSTMTrace struct {
	Stimulus, Memorise, Report        []float64
	Target, Output                    []float64
	InputGate, ForgetGate, OutputGate []float64
}

// LSTMGates draws nn-brain's LSTMVisualization figure: four panels over
// the time steps, sharing the x axis: the stimulus (black); the memorise
// (red) and report (blue) pulses; the target (red) and the output (blue);
// the input (red), output (blue) and forget (green) gates. Every series is
// drawn as a line with dots, each panel's legend outside on the right.
func LSTMGates(tr LSTMTrace) (*Figure, error) {
	T := len(tr.Stimulus)
	if T == 0 {
		return nil, errors.New("plots: empty LSTM trace")
	}
	series := []struct {
		name string
		v    []float64
	}{
		{"stimulus", tr.Stimulus}, {"memorise", tr.Memorise}, {"report", tr.Report},
		{"target", tr.Target}, {"output", tr.Output},
		{"input gate", tr.InputGate}, {"forget gate", tr.ForgetGate}, {"output gate", tr.OutputGate},
	}
	for _, s := range series {
		if len(s.v) != T {
			return nil, fmt.Errorf("plots: LSTM trace: %s has %d steps, stimulus %d", s.name, len(s.v), T)
		}
		if err := checkFinite(s.name, s.v); err != nil {
			return nil, err
		}
	}
	type line struct {
		label string
		v     []float64
		c     color.RGBA
	}
	panels := []struct {
		title, ylabel string
		lines         []line
		unit          bool // a [0, 1] panel
	}{
		{"", "Input", []line{{"stimulus", tr.Stimulus, color.RGBA{A: 255}}}, false},
		{"", "Input", []line{{"memorise", tr.Memorise, Set1[0]}, {"report", tr.Report, Set1[1]}}, true},
		{"", "Output", []line{{"target", tr.Target, Set1[0]}, {"predicted", tr.Output, Set1[1]}}, false},
		{"", "Gate", []line{{"input", tr.InputGate, Set1[0]}, {"output", tr.OutputGate, Set1[1]}, {"forget", tr.ForgetGate, Set1[2]}}, true},
	}
	f := newFigure(len(panels), 1, 8, 7.5)
	var ps []*plot.Plot
	for k, pd := range panels {
		xlabel := ""
		if k == len(panels)-1 {
			xlabel = "Time step"
		}
		p := newPlot(pd.title, xlabel, pd.ylabel)
		for _, l := range pd.lines {
			xy := make(plotter.XYs, T)
			for t, v := range l.v {
				xy[t] = plotter.XY{X: float64(t), Y: v}
			}
			ln, sc, err := plotter.NewLinePoints(xy)
			if err != nil {
				return nil, err
			}
			ln.Color, sc.Color = l.c, l.c
			ln.Width = vg.Points(1.2)
			sc.Shape = draw.CircleGlyph{}
			sc.Radius = vg.Points(2)
			p.Add(ln, sc)
			p.Legend.Add(l.label, ln, sc)
		}
		if pd.unit {
			p.Y.Min, p.Y.Max = -0.15, 1.15
			p.Y.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: "0"}, {Value: 1, Label: "1"}}
		} else {
			m := 1.3
			for _, l := range pd.lines {
				for _, v := range l.v {
					m = math.Max(m, math.Abs(v)*1.1)
				}
			}
			p.Y.Min, p.Y.Max = -m, m
			p.Y.Tick.Marker = plot.ConstantTicks{{Value: -1, Label: "-1"}, {Value: 0, Label: "0"}, {Value: 1, Label: "1"}}
		}
		p.X.Min, p.X.Max = -0.5, float64(T)-0.5
		if k < len(panels)-1 {
			hideXTickLabels(p)
		}
		f.set(k, 0, p).moveLegendOutside()
		ps = append(ps, p)
	}
	return f, nil
}
