package multitask

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// Lesion returns a copy of p with the given units silenced: their outgoing
// weights are zero, the rows j of W_rr (to every unit) and of W_ro (to the
// read-out; rows beyond ReadSize do not exist). The units still compute a
// rate, but no other unit and no output sees it, so the network behaves
// as if their rates were clamped at 0. Cells with one recurrent matrix
// w_rr only (the CTRNN family: an E-I unit's effective weights |W_rr| ⊙ D
// vanish with W_rr; for the leaky cell this is the paper's own
// Model.lesion_units); a gated cell's units feed every gate.
func Lesion(p *models.Params, units []int) (*models.Params, error) {
	H, O, R := p.NumHidden, p.NumOutput, p.ReadSize()
	q := p.Clone()
	wrr, wro := q.Get("w_rr"), q.Get("w_ro")
	if wrr == nil {
		return nil, fmt.Errorf("multitask: lesions need a cell with one recurrent matrix w_rr (ctrnn, ei, leaky), not %s", p.CellName())
	}
	for _, j := range units {
		if j < 0 || j >= H {
			return nil, fmt.Errorf("multitask: lesion of unit %d in a network of %d", j, H)
		}
		clear(wrr[j*H : (j+1)*H])
		if j < R {
			clear(wro[j*O : (j+1)*O])
		}
	}
	return q, nil
}

// ClusterUnits returns the units of each cluster: units[i] belongs to
// cluster labels[i].
func ClusterUnits(units, labels []int, k int) [][]int {
	out := make([][]int, k)
	for i, j := range units {
		out[labels[i]] = append(out[labels[i]], j)
	}
	for _, u := range out {
		slices.Sort(u)
	}
	return out
}

// LesionAccuracy returns the accuracy of every task (Evaluate, n trials,
// seed) after silencing each group of units in turn: row c is the network
// with groups[c] lesioned. Every row sees the same trials.
func LesionAccuracy(eng models.Engine, p *models.Params, groups [][]int, n int, seed uint64) ([][]float64, error) {
	out := make([][]float64, len(groups))
	for c, g := range groups {
		q, err := Lesion(p, g)
		if err != nil {
			return nil, err
		}
		if out[c], err = Evaluate(eng, q, n, seed); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ImpairDrop is the loss of accuracy (0.2) from which a lesion impairs a
// task.
const ImpairDrop = 0.2

// ClusterLesion is what silencing one cluster does to every task.
type ClusterLesion struct {
	// Units is the number of units silenced.
	Units int `json:"units"`
	// Drop[k] is task k's accuracy with the cluster silenced minus the
	// intact network's (negative: a loss).
	Drop []float64 `json:"drop"`
	// Impaired lists the tasks with Drop ≤ −ImpairDrop, largest loss first.
	Impaired []string `json:"impaired"`
	// Specialised reports 1 ≤ len(Impaired) ≤ T/2 of the T tasks: the
	// lesion takes down some tasks and spares at least half of them.
	Specialised bool `json:"specialised"`
}

// LesionEffects summarises LesionAccuracy's rows per cluster: for
// cluster c and task k, Drop = lesions[c][k] − intact[k]; the task is
// impaired when Drop ≤ −ImpairDrop (within 1e-9, accuracies being
// fractions of trials); the cluster is specialised when its lesion impairs
// at least one task and at most half of them (the definition,
// "a lesion drops at most half of the tasks by 0.2 or more", with at
// least one: a lesion that impairs nothing shows no function). names are
// the tasks, sizes the clusters' sizes.
func LesionEffects(names []string, intact []float64, lesions [][]float64, sizes []int) ([]ClusterLesion, error) {
	if len(lesions) != len(sizes) {
		return nil, fmt.Errorf("multitask: %d lesions for %d clusters", len(lesions), len(sizes))
	}
	out := make([]ClusterLesion, len(lesions))
	for c, row := range lesions {
		if len(row) != len(intact) || len(names) != len(intact) {
			return nil, fmt.Errorf("multitask: lesion of %d tasks, intact network of %d, %d names", len(row), len(intact), len(names))
		}
		l := ClusterLesion{Units: sizes[c], Drop: make([]float64, len(row)), Impaired: []string{}}
		var hit []int
		for k := range row {
			l.Drop[k] = row[k] - intact[k]
			if l.Drop[k] <= -ImpairDrop+1e-9 {
				hit = append(hit, k)
			}
		}
		slices.SortStableFunc(hit, func(a, b int) int { return cmp.Compare(l.Drop[a], l.Drop[b]) })
		for _, k := range hit {
			l.Impaired = append(l.Impaired, names[k])
		}
		l.Specialised = len(hit) >= 1 && 2*len(hit) <= len(row)
		out[c] = l
	}
	return out, nil
}

// CountSpecialised is the number of specialised clusters.
func CountSpecialised(ls []ClusterLesion) int {
	n := 0
	for _, l := range ls {
		if l.Specialised {
			n++
		}
	}
	return n
}

// lineTasks is the number of impaired tasks Line names.
const lineTasks = 6

// Line describes the lesion in a line: the number of impaired tasks, the
// first lineTasks of them with their drops, largest first, and whether the
// cluster is specialised ("impairs 2 of 20 tasks: dm1 −0.45, dm2 −0.40;
// specialised"); names are the tasks.
func (l ClusterLesion) Line(names []string) string {
	if len(l.Impaired) == 0 {
		return fmt.Sprintf("impairs no task by >= %.1f", ImpairDrop)
	}
	var parts []string
	for i, s := range l.Impaired {
		if i == lineTasks {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, fmt.Sprintf("%s %+.2f", s, l.Drop[slices.Index(names, s)]))
	}
	kind := "specialised"
	if !l.Specialised {
		kind = "not specialised"
	}
	return fmt.Sprintf("impairs %d of %d tasks: %s; %s", len(l.Impaired), len(l.Drop), strings.Join(parts, ", "), kind)
}
