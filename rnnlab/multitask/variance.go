package multitask

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// AnalysisStart is the first step of a trial the analysis looks at: the
// end of its first period when that period is "fixation" (the paper drops
// the first fixation epoch), else 0.
func AnalysisStart(tr *tasks.Trial) int {
	if len(tr.Periods) > 0 && tr.Periods[0].Name == "fixation" {
		return tr.Periods[0].End
	}
	return 0
}

// UnitVariance is the task variance of every unit on one task's trials,
// given each trial's rates r_i [N_i][H] (row-major) and first analysed step
// s_i (AnalysisStart). Trials are aligned at s_i; at relative step u the
// variance across the trials that reach it,
//
//	var_u(j) = 1/n_u Σ_i (r_i[s_i+u][j] − mean_i r_i[s_i+u][j])²,
//
// (numpy's var, ddof 0) is averaged over the steps u reached by at least
// two trials: V(j) = mean_u var_u(j). With trials of equal length this is
// gyyang/multitask's variance.py: h[t_start:].var(axis=batch).mean(axis=time).
func UnitVariance(rates [][]float32, starts []int, H int) ([]float64, error) {
	if len(rates) != len(starts) {
		return nil, fmt.Errorf("multitask: %d trials and %d start steps", len(rates), len(starts))
	}
	v := make([]float64, H)
	sum, sq := make([]float64, H), make([]float64, H)
	steps := 0
	for u := 0; ; u++ {
		n := 0
		clear(sum)
		clear(sq)
		for i, r := range rates {
			t := starts[i] + u
			if t >= len(r)/H {
				continue
			}
			n++
			for j, x := range r[t*H : (t+1)*H] {
				sum[j] += float64(x)
			}
		}
		if n < 2 {
			if n == 0 {
				break
			}
			continue
		}
		for i, r := range rates {
			t := starts[i] + u
			if t >= len(r)/H {
				continue
			}
			for j, x := range r[t*H : (t+1)*H] {
				d := float64(x) - sum[j]/float64(n)
				sq[j] += d * d
			}
		}
		for j := range v {
			v[j] += sq[j] / float64(n)
		}
		steps++
	}
	if steps > 0 {
		for j := range v {
			v[j] /= float64(steps)
		}
	}
	return v, nil
}

// TaskVariance returns the task variance matrix V[j][k] of unit j on task
// k (UnitVariance) over n noiseless trials of each task: the tasks'
// stimulus noise off (NewTasks noiseless), no recurrent noise, each trial
// run alone from the zero state; the schedule is seeded with seed. Rates
// are the cell's (models.Params.Rates; the state itself for the CTRNN).
//
// A network of the paper's setup (IsPaperNetwork) is measured on the
// paper's fixed test trials instead (PaperTaskVariance; n and seed unused).
func TaskVariance(eng models.Engine, p *models.Params, n int, seed uint64) ([][]float64, error) {
	if IsPaperNetwork(p) {
		return PaperTaskVariance(eng, p)
	}
	if n < 2 {
		return nil, fmt.Errorf("multitask: task variance needs at least 2 trials per task, got %d", n)
	}
	sched, err := NewSchedule(p.Dt, true)
	if err != nil {
		return nil, err
	}
	sched.Seed(seed)
	H, S := p.NumHidden, p.StateSize()
	nt := len(ShortNames())
	V := make([][]float64, H)
	for j := range V {
		V[j] = make([]float64, nt)
	}
	for k := range nt {
		trs, err := TaskTrials(sched, k, n)
		if err != nil {
			return nil, err
		}
		states, _, err := RunTrials(eng, p, trs)
		if err != nil {
			return nil, err
		}
		rates := make([][]float32, len(trs))
		starts := make([]int, len(trs))
		for i, tr := range trs {
			r := make([]float32, tr.N*H)
			for t := range tr.N {
				p.Rates(states[i][t*S:(t+1)*S], r[t*H:(t+1)*H])
			}
			rates[i], starts[i] = r, AnalysisStart(tr)
		}
		v, err := UnitVariance(rates, starts, H)
		if err != nil {
			return nil, err
		}
		for j := range V {
			V[j][k] = v[j]
		}
	}
	return V, nil
}

// ActiveThreshold is the summed task variance above which a unit is active
// (the paper's 1e-3).
const ActiveThreshold = 1e-3

// ActiveUnits returns the units j whose summed variance Σ_k V[j][k]
// exceeds thr, in increasing order.
func ActiveUnits(V [][]float64, thr float64) []int {
	var out []int
	for j, row := range V {
		s := 0.0
		for _, x := range row {
			s += x
		}
		if s > thr {
			out = append(out, j)
		}
	}
	return out
}

// NormalizeRows returns the rows of V listed in units, each divided by its
// maximum: N[i][k] = V[u_i][k] / max_k V[u_i][k] (a row of zeros stays
// zero).
func NormalizeRows(V [][]float64, units []int) [][]float64 {
	out := make([][]float64, len(units))
	for i, j := range units {
		m := 0.0
		for _, x := range V[j] {
			m = max(m, x)
		}
		row := make([]float64, len(V[j]))
		for k, x := range V[j] {
			if m > 0 {
				row[k] = x / m
			}
		}
		out[i] = row
	}
	return out
}
