package multitask

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// ClusterConnectivity is the mean recurrent weight from each cluster to
// each other: with W the weights the network uses
// (models.Params.EffectiveRecurrent, W[u][v] from unit u to unit v; for
// the E-I cell |W_rr| ⊙ D),
//
//	M[a][b] = 1/(|C_a| |C_b|) Σ_{u ∈ C_a} Σ_{v ∈ C_b} W[u][v],
//
// every pair counted, a unit's weight onto itself included when a = b
// (as in the paper's figure of W_rec sorted by cluster). An empty cluster
// gives 0. Cells with one recurrent matrix only (CTRNN, E-I and leaky).
func ClusterConnectivity(p *models.Params, clusters [][]int) ([][]float64, error) {
	W := p.EffectiveRecurrent()
	if W == nil {
		return nil, fmt.Errorf("multitask: connectivity needs a ctrnn, ei or leaky cell, not %s", p.CellName())
	}
	H := p.NumHidden
	for _, c := range clusters {
		for _, u := range c {
			if u < 0 || u >= H {
				return nil, fmt.Errorf("multitask: unit %d in a network of %d", u, H)
			}
		}
	}
	M := make([][]float64, len(clusters))
	for a, ca := range clusters {
		M[a] = make([]float64, len(clusters))
		for b, cb := range clusters {
			if len(ca) == 0 || len(cb) == 0 {
				continue
			}
			s := 0.0
			for _, u := range ca {
				for _, v := range cb {
					s += float64(W[u*H+v])
				}
			}
			M[a][b] = s / float64(len(ca)*len(cb))
		}
	}
	return M, nil
}
