package multitask

import (
	"fmt"
	"slices"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// Lesion returns a copy of p with the given units silenced: their outgoing
// weights are zero, the rows j of W_rr (to every unit) and of W_ro (to the
// read-out; rows beyond ReadSize do not exist). The units still compute a
// rate, but no other unit and no output sees it, so the network behaves
// as if their rates were clamped at 0. Cells with one recurrent matrix
// w_rr only (the CTRNN family: an E-I unit's effective weights |W_rr| ⊙ D
// vanish with W_rr); a gated cell's units feed every gate.
func Lesion(p *models.Params, units []int) (*models.Params, error) {
	H, O, R := p.NumHidden, p.NumOutput, p.ReadSize()
	q := p.Clone()
	wrr, wro := q.Get("w_rr"), q.Get("w_ro")
	if wrr == nil {
		return nil, fmt.Errorf("multitask: lesions need a cell with one recurrent matrix w_rr (ctrnn, ei), not %s", p.CellName())
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
