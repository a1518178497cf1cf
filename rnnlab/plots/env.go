package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Group names a set of indices (observation channels or action values); the
// group's tick sits at the mean of its indices, as in neurogym's plot_env.
type Group struct {
	Name    string
	Indices []int
}

// NamedValue is a labelled number, e.g. a reward value ("abort", -0.1).
type NamedValue struct {
	Name  string
	Value float64
}

// EnvData is a recorded run of a task environment, step by step, for the
// Env figure. Steps are 0-based; all per-step slices have the length of Obs.
type EnvData struct {
	// Name is the environment's name; the top panel is titled "<Name> env".
	Name string
	// Obs holds the observation of every step: steps × channels.
	Obs [][]float32
	// Actions taken at every step.
	Actions []int
	// Labels is the ground truth at every step (optional).
	Labels []int
	// Rewards received at every step (optional: no reward panel if nil).
	Rewards []float64
	// Perf is the trial performance on steps where a trial ended and -1
	// elsewhere (optional: no performance panel if nil).
	Perf []float64
	// TrialStarts are the steps on which trials start; a grey dashed line is
	// drawn at each on the action, reward and performance panels.
	TrialStarts []int
	// ChannelGroups label the observation channels (e.g. fixation {0},
	// stimulus {1, 2}); if empty, channels are labelled by index.
	ChannelGroups []Group
	// ActionGroups label the action values (e.g. fixation {0}, choice
	// {1, 2}); if empty, action values are labelled by number.
	ActionGroups []Group
	// RewardValues are the environment's possible rewards, used as the
	// reward panel's y ticks (e.g. {"abort", -0.1}, {"correct", 1}).
	RewardValues []NamedValue
}

func (d *EnvData) validate() (steps, channels int, err error) {
	steps = len(d.Obs)
	if steps == 0 {
		return 0, 0, errors.New("plots: EnvData has no steps")
	}
	channels = len(d.Obs[0])
	if channels == 0 {
		return 0, 0, errors.New("plots: EnvData observations have no channels")
	}
	for i, row := range d.Obs {
		if len(row) != channels {
			return 0, 0, fmt.Errorf("plots: EnvData.Obs row %d has %d channels, row 0 has %d", i, len(row), channels)
		}
		for _, v := range row {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return 0, 0, fmt.Errorf("plots: EnvData.Obs row %d holds a non-finite value", i)
			}
		}
	}
	if len(d.Actions) != steps {
		return 0, 0, fmt.Errorf("plots: EnvData has %d actions for %d steps", len(d.Actions), steps)
	}
	if d.Labels != nil && len(d.Labels) != steps {
		return 0, 0, fmt.Errorf("plots: EnvData has %d labels for %d steps", len(d.Labels), steps)
	}
	if d.Rewards != nil && len(d.Rewards) != steps {
		return 0, 0, fmt.Errorf("plots: EnvData has %d rewards for %d steps", len(d.Rewards), steps)
	}
	if d.Perf != nil && len(d.Perf) != steps {
		return 0, 0, fmt.Errorf("plots: EnvData has %d performance values for %d steps", len(d.Perf), steps)
	}
	for _, s := range d.TrialStarts {
		if s < 0 || s >= steps {
			return 0, 0, fmt.Errorf("plots: EnvData trial start %d outside [0, %d)", s, steps)
		}
	}
	for _, g := range d.ChannelGroups {
		if len(g.Indices) == 0 {
			return 0, 0, fmt.Errorf("plots: channel group %q is empty", g.Name)
		}
		for _, c := range g.Indices {
			if c < 0 || c >= channels {
				return 0, 0, fmt.Errorf("plots: channel group %q holds channel %d, outside [0, %d)", g.Name, c, channels)
			}
		}
	}
	for _, g := range d.ActionGroups {
		if len(g.Indices) == 0 {
			return 0, 0, fmt.Errorf("plots: action group %q is empty", g.Name)
		}
	}
	return steps, channels, nil
}

// Env draws neurogym's plot_env figure for a recorded run: stacked panels
// with a shared x axis "Steps": the observation heat map (channels on y),
// the actions with the ground truth (green, dashed), the rewards (red) and
// the performance (black, titled with the mean performance over ended
// trials). Reward and performance panels are drawn only when given. Grey
// dashed lines mark trial starts.
func Env(d EnvData) (*Figure, error) {
	steps, channels, err := d.validate()
	if err != nil {
		return nil, err
	}
	rows := 2
	if d.Rewards != nil {
		rows++
	}
	if d.Perf != nil {
		rows++
	}
	f := newFigure(rows, 1, 8, 1.6*float64(rows)+0.4)
	xmin, xmax := -0.5, float64(steps)-0.5
	var all []*plot.Plot
	starts := make([]float64, len(d.TrialStarts))
	for i, s := range d.TrialStarts {
		starts[i] = float64(s)
	}

	// Observation heat map.
	name := d.Name
	if name == "" {
		name = "Task"
	}
	po := newPlot(name+" env", "", "Obs.")
	g := obsGrid{obs: d.Obs}
	lo, hi := g.minMax()
	if hi <= lo {
		hi = lo + 1
	}
	po.Add(&cellMap{g: g, pal: viridis(256).Colors(), lo: lo, hi: hi})
	po.X.Padding, po.Y.Padding = 0, 0
	po.Y.Min, po.Y.Max = -0.5, float64(channels)-0.5
	po.Y.Tick.Marker = groupTicks(d.ChannelGroups, channels, func(i int) string { return fmt.Sprintf("ch %d", i) })
	f.set(0, 0, po)
	all = append(all, po)

	// Actions and ground truth.
	pa := newPlot("", "", "Act.")
	maxAct := 0
	for _, a := range d.Actions {
		maxAct = max(maxAct, a)
	}
	for _, l := range d.Labels {
		maxAct = max(maxAct, l)
	}
	actXY := make(plotter.XYs, steps)
	for i, a := range d.Actions {
		actXY[i] = plotter.XY{X: float64(i), Y: float64(a)}
	}
	la, sa, err := plotter.NewLinePoints(actXY)
	if err != nil {
		return nil, err
	}
	la.Color, sa.Color = C0, C0
	la.Width = vg.Points(1.2)
	sa.Shape = draw.PlusGlyph{}
	sa.Radius = vg.Points(3)
	if steps > 80 {
		sa.Radius = vg.Points(2)
	}
	pa.Add(newVLines(starts))
	pa.Add(la, sa)
	pa.Legend.Add("Actions", la, sa)
	if d.Labels != nil {
		gtXY := make(plotter.XYs, steps)
		for i, l := range d.Labels {
			gtXY[i] = plotter.XY{X: float64(i), Y: float64(l)}
		}
		lg, err := plotter.NewLine(gtXY)
		if err != nil {
			return nil, err
		}
		lg.Color = Green
		lg.Width = vg.Points(1.5)
		lg.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		pa.Add(lg)
		pa.Legend.Add("Ground truth", lg)
	}
	pa.Y.Min, pa.Y.Max = -0.35, float64(maxAct)+0.35
	var minAct int
	for _, a := range d.Actions {
		minAct = min(minAct, a)
	}
	pa.Y.Min = float64(minAct) - 0.35
	if d.ActionGroups != nil {
		pa.Y.Tick.Marker = groupTicks(d.ActionGroups, 0, nil)
	} else {
		pa.Y.Tick.Marker = integerTicks{}
	}
	f.set(1, 0, pa).moveLegendOutside()
	all = append(all, pa)

	row := 2
	if d.Rewards != nil {
		pr := newPlot("", "", "Rew.")
		lr, err := lineFrom(d.Rewards)
		if err != nil {
			return nil, err
		}
		lr.Color = Red
		lr.Width = vg.Points(1.5)
		pr.Add(newVLines(starts))
		pr.Add(lr)
		pr.Legend.Add("Rewards", lr)
		if len(d.RewardValues) > 0 {
			for _, rv := range d.RewardValues {
				pr.Y.Min, pr.Y.Max = math.Min(pr.Y.Min, rv.Value), math.Max(pr.Y.Max, rv.Value)
			}
			pr.Y.Tick.Marker = rewardTicks(d.RewardValues, pr.Y.Max-pr.Y.Min)
		}
		span := pr.Y.Max - pr.Y.Min
		if span == 0 {
			span = 1
		}
		pr.Y.Min -= 0.08 * span
		pr.Y.Max += 0.08 * span
		f.set(row, 0, pr).moveLegendOutside()
		all = append(all, pr)
		row++
	}
	if d.Perf != nil {
		pp := newPlot("", "", "Perf.")
		lp, err := lineFrom(d.Perf)
		if err != nil {
			return nil, err
		}
		lp.Color = color.Black
		lp.Width = vg.Points(1.5)
		pp.Add(newVLines(starts))
		pp.Add(lp)
		pp.Legend.Add("Performance", lp)
		var sum float64
		var n int
		for _, v := range d.Perf {
			if v != -1 {
				sum += v
				n++
			}
		}
		if n > 0 {
			pp.Title.Text = fmt.Sprintf("Mean performance: %.2f", sum/float64(n))
		} else {
			pp.Title.Text = "Mean performance: no trial ended"
		}
		pp.Y.Min, pp.Y.Max = math.Min(pp.Y.Min, -1)-0.1, math.Max(pp.Y.Max, 1)+0.1
		f.set(row, 0, pp).moveLegendOutside()
		all = append(all, pp)
	}

	for i, p := range all {
		p.X.Min, p.X.Max = xmin, xmax
		if i < len(all)-1 {
			hideXTickLabels(p)
		} else {
			p.X.Label.Text = "Steps"
		}
	}
	return f, nil
}

// rewardTicks puts a tick at every reward value, labelled "<name> <value>".
// Values closer than 12% of span share one label (placed at their mean) so
// that labels do not overlap.
func rewardTicks(values []NamedValue, span float64) plot.ConstantTicks {
	vs := append([]NamedValue(nil), values...)
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Value < vs[j].Value })
	var ts plot.ConstantTicks
	for i := 0; i < len(vs); {
		j := i + 1
		for j < len(vs) && vs[j].Value-vs[j-1].Value < 0.12*span {
			j++
		}
		var labels []string
		var sum float64
		for _, v := range vs[i:j] {
			labels = append(labels, fmt.Sprintf("%s %.2f", v.Name, v.Value))
			sum += v.Value
			ts = append(ts, plot.Tick{Value: v.Value})
		}
		// Higher values first, as they read top to bottom.
		for a, b := 0, len(labels)-1; a < b; a, b = a+1, b-1 {
			labels[a], labels[b] = labels[b], labels[a]
		}
		ts = append(ts, plot.Tick{Value: sum / float64(j-i), Label: strings.Join(labels, " / ")})
		i = j
	}
	return ts
}

// lineFrom returns a line through (i, v[i]).
func lineFrom(v []float64) (*plotter.Line, error) {
	xy := make(plotter.XYs, len(v))
	for i, y := range v {
		xy[i] = plotter.XY{X: float64(i), Y: y}
	}
	return plotter.NewLine(xy)
}

// obsGrid adapts a steps×channels matrix to plotter.GridXYZ (columns are
// steps, rows channels).
type obsGrid struct{ obs [][]float32 }

func (g obsGrid) Dims() (c, r int)   { return len(g.obs), len(g.obs[0]) }
func (g obsGrid) Z(c, r int) float64 { return float64(g.obs[c][r]) }
func (g obsGrid) X(c int) float64    { return float64(c) }
func (g obsGrid) Y(r int) float64    { return float64(r) }
func (g obsGrid) minMax() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, row := range g.obs {
		for _, v := range row {
			lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
		}
	}
	return lo, hi
}

// cellMap draws a heat map as one filled rectangle per cell. Each cell
// overlaps its upper and right neighbours slightly so that anti-aliasing
// leaves no seams between cells (gonum's HeatMap shows thin seams when
// vectorised and blurs when rasterised).
type cellMap struct {
	g      obsGrid
	pal    []color.Color
	lo, hi float64
}

// Plot implements plot.Plotter.
func (m *cellMap) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	cols, rows := m.g.Dims()
	eps := vg.Points(0.6)
	for i := range cols {
		x0, x1 := trX(m.g.X(i)-0.5), trX(m.g.X(i)+0.5)
		if i < cols-1 {
			x1 += eps
		}
		for j := range rows {
			y0, y1 := trY(m.g.Y(j)-0.5), trY(m.g.Y(j)+0.5)
			if j < rows-1 {
				y1 += eps
			}
			t := (m.g.Z(i, j) - m.lo) / (m.hi - m.lo)
			k := int(math.Round(t * float64(len(m.pal)-1)))
			k = max(0, min(len(m.pal)-1, k))
			c.FillPolygon(m.pal[k], []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		}
	}
}

// groupTicks returns ticks at the centre of each group, or, without groups,
// one tick per index in [0, n) labelled by label.
func groupTicks(groups []Group, n int, label func(int) string) plot.ConstantTicks {
	var ts plot.ConstantTicks
	if len(groups) == 0 {
		for i := range n {
			ts = append(ts, plot.Tick{Value: float64(i), Label: label(i)})
		}
		return ts
	}
	for _, g := range groups {
		var s float64
		for _, i := range g.Indices {
			s += float64(i)
		}
		ts = append(ts, plot.Tick{Value: s / float64(len(g.Indices)), Label: g.Name})
	}
	return ts
}

// integerTicks labels every integer in the axis range.
type integerTicks struct{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for v := math.Ceil(lo); v <= hi; v++ {
		ts = append(ts, plot.Tick{Value: v, Label: fmt.Sprintf("%d", int(v))})
	}
	return ts
}

// vlines draws grey dashed vertical lines across the data area at the given
// x positions. It does not affect the axis ranges.
type vlines struct {
	xs    []float64
	style draw.LineStyle
}

func newVLines(xs []float64) *vlines {
	return &vlines{xs: xs, style: draw.LineStyle{
		Color:  withAlpha(Grey, 0.7),
		Width:  vg.Points(1),
		Dashes: []vg.Length{vg.Points(4), vg.Points(3)},
	}}
}

// Plot implements plot.Plotter.
func (v *vlines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, x := range v.xs {
		if x < p.X.Min || x > p.X.Max {
			continue
		}
		px := trX(x)
		c.StrokeLine2(v.style, px, c.Min.Y, px, c.Max.Y)
	}
}
