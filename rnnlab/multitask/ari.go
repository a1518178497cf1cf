package multitask

import "fmt"

// AdjustedRand is the adjusted Rand index of two labellings of the same n
// points (Hubert & Arabie 1985; scikit-learn's adjusted_rand_score). With
// n_ij the number of points labelled i in a and j in b, a_i = Σ_j n_ij,
// b_j = Σ_i n_ij and C(m) = m(m−1)/2 the number of pairs among m,
//
//	       Σ_ij C(n_ij) − E
//	ARI = ───────────────────,   E = Σ_i C(a_i) · Σ_j C(b_j) / C(n),
//	       ½ (Σ_i C(a_i) + Σ_j C(b_j)) − E
//
// 1 for the same partition (whatever the label names), about 0 for
// independent ones, negative for less agreement than chance. When the
// denominator is 0 (both labellings put every point in one cluster, or
// both put every point in its own) it is 1, as in scikit-learn. Labels
// must be non-negative.
func AdjustedRand(a, b []int) (float64, error) {
	if len(a) != len(b) {
		return 0, fmt.Errorf("multitask: adjusted Rand index of %d and %d labels", len(a), len(b))
	}
	ka, kb := 0, 0
	for i := range a {
		if a[i] < 0 || b[i] < 0 {
			return 0, fmt.Errorf("multitask: adjusted Rand index: negative label at point %d", i)
		}
		ka, kb = max(ka, a[i]+1), max(kb, b[i]+1)
	}
	nij := make([]int, ka*kb)
	ai, bj := make([]int, ka), make([]int, kb)
	for i := range a {
		nij[a[i]*kb+b[i]]++
		ai[a[i]]++
		bj[b[i]]++
	}
	pairs := func(m int) float64 { return float64(m) * float64(m-1) / 2 }
	index, sa, sb := 0.0, 0.0, 0.0
	for _, m := range nij {
		index += pairs(m)
	}
	for _, m := range ai {
		sa += pairs(m)
	}
	for _, m := range bj {
		sb += pairs(m)
	}
	if len(a) < 2 {
		return 1, nil
	}
	expected := sa * sb / pairs(len(a))
	den := (sa+sb)/2 - expected
	if den == 0 {
		return 1, nil
	}
	return (index - expected) / den, nil
}
