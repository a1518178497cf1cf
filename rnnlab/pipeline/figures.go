package pipeline

import (
	"gonum.org/v1/gonum/mat"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
	"github.com/rnnlab/rnnlab/rnnlab/report"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// EnvFigure draws the task's plot_env panels for two trials played by the
// trained network (its state, StateSize values, carried across the trials,
// as in training).
func EnvFigure(r *Run, seed uint64) (*plots.Figure, error) {
	task, err := r.NewTask(seed)
	if err != nil {
		return nil, err
	}
	p := r.Params
	h := make([]float32, p.StateSize())
	next := make([]float32, p.StateSize())
	out := make([]float32, p.NumOutput)
	policy := func(obs []float32) int {
		p.Step(obs, h, next)
		h, next = next, h
		p.Readout(h, out)
		best := 0
		for k := range out {
			if out[k] > out[best] {
				best = k
			}
		}
		return best
	}
	rec, err := tasks.Rollout(task, tasks.RolloutConfig{Trials: 2, Policy: policy, Seed: seed})
	if err != nil {
		return nil, err
	}
	return plots.Env(EnvData(rec))
}

// EnvData converts a task rollout for plots.Env.
func EnvData(rec *tasks.RolloutRecord) plots.EnvData {
	d := plots.EnvData{
		Name: rec.TaskName, Actions: rec.Actions, Labels: rec.Labels, Rewards: rec.Rewards,
		Perf: rec.Performance, TrialStarts: rec.TrialStarts,
	}
	for j := 0; j < rec.NumSteps; j++ {
		d.Obs = append(d.Obs, rec.ObsAt(j))
	}
	for _, g := range rec.ObsGroups {
		d.ChannelGroups = append(d.ChannelGroups, plots.Group{Name: g.Name, Indices: g.Indices})
	}
	for _, g := range rec.ActionGroups {
		d.ActionGroups = append(d.ActionGroups, plots.Group{Name: g.Name, Indices: g.Indices})
	}
	for _, v := range rec.RewardValues {
		d.RewardValues = append(d.RewardValues, plots.NamedValue{Name: v.Name, Value: v.Value})
	}
	return d
}

// Trajectories projects every trial of the activity on the first two PCs.
// Each is coloured by the network's choice, or by the ground truth on trials
// where the network kept fixating.
func (a *Analysis) Trajectories() ([]plots.Trajectory, error) {
	out := make([]plots.Trajectory, len(a.Activity.Trials))
	for i, tr := range a.Activity.Trials {
		pc, err := a.PCA.Transform(a.Activity.TrialDense(i))
		if err != nil {
			return nil, err
		}
		c := tr.Choice
		if c < 0 {
			c = tr.GroundTruth
		}
		out[i] = plots.Trajectory{X: mat.Col(nil, 0, pc), Y: mat.Col(nil, 1, pc), Choice: c}
	}
	return out, nil
}

// FixedPointsPC returns the kept fixed points in PC space.
func (a *Analysis) FixedPointsPC() (plots.Points, error) {
	if a.Points.Len() == 0 {
		return plots.Points{}, nil
	}
	pc, err := a.PCA.Transform(analysis.Points(a.Points))
	if err != nil {
		return plots.Points{}, err
	}
	return plots.Points{X: mat.Col(nil, 0, pc), Y: mat.Col(nil, 1, pc)}, nil
}

// ConditionTrajectories returns the condition-averaged trajectories per
// signed coherence in PC space.
func (a *Analysis) ConditionTrajectories() ([]plots.CondTrajectory, error) {
	var out []plots.CondTrajectory
	for _, c := range analysis.ConditionAverages(a.Activity) {
		m := mat.NewDense(c.Steps(), a.Activity.S, c.Mean)
		pc, err := a.PCA.Transform(m)
		if err != nil {
			return nil, err
		}
		out = append(out, plots.CondTrajectory{Coh: c.SignedCoh, X: mat.Col(nil, 0, pc), Y: mat.Col(nil, 1, pc)})
	}
	return out, nil
}

// Figures draws every figure of the tutorial for a run and its analysis.
func Figures(r *Run, a *Analysis, seed uint64) ([]report.Figure, error) {
	var figs report.FigureList
	env, err := EnvFigure(r, seed)
	figs.Add("task", "Two trials of the task played by the trained network (plot_env panels).", env, err)
	if len(r.Summary.History) > 0 {
		f, err := plots.TrainingCurve(TrainingHistory(r.Summary))
		figs.Add("training", "Training loss and decision accuracy, every 100 steps.", f, err)
	}
	trajs, err := a.Trajectories()
	if err != nil {
		return nil, err
	}
	f, err := plots.PCTrajectories(trajs, 5)
	figs.Add("pc_trajectories", "Hidden-state trajectories on PC 1 and PC 2, coloured by the network's choice (red: choice 0, blue: choice 1); all trials and the first five.", f, err)
	conds, err := a.ConditionTrajectories()
	if err != nil {
		return nil, err
	}
	f, err = plots.CoherenceTrajectories(conds)
	figs.Add("coherence_trajectories", "Condition-averaged trajectories per signed coherence.", f, err)
	if a.Points.Len() == 0 {
		return figs.Figures()
	}
	fps, err := a.FixedPointsPC()
	if err != nil {
		return nil, err
	}
	f, err = plots.FixedPoints(trajs, fps, 10)
	figs.Add("fixed_points", "Approximate fixed points (crosses) over the trajectories of the first 10 trials.", f, err)
	if a.Line != nil {
		dir := a.PCA.ProjectDirection(a.Line.Direction)
		f, err = plots.LineAttractor(trajs, fps, [2]float64{dir[0], dir[1]}, 10)
		figs.Add("line_attractor", "The leading Jacobian eigenvector at the middle fixed point, drawn through the fixed points: the line attractor.", f, err)
	}
	f, err = plots.Spectrum(a.LeadingEigenvalues(a.Activity.S))
	figs.Add("eigenvalues", "Eigenvalues of the Jacobian at the chosen fixed point, with the unit circle and the Re = 1 line.", f, err)
	return figs.Figures()
}
