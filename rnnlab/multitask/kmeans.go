package multitask

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Clustering is a partition of points into K clusters.
type Clustering struct {
	// K is the number of clusters.
	K int `json:"k"`
	// Labels[i] is point i's cluster, 0..K−1.
	Labels []int `json:"labels"`
	// Centers[c] is the mean of cluster c.
	Centers [][]float64 `json:"centers"`
	// Inertia is Σ_i |x_i − Centers[Labels[i]]|², the k-means objective.
	Inertia float64 `json:"inertia"`
}

// kmeansMaxIter bounds Lloyd's iterations (scikit-learn's max_iter).
const kmeansMaxIter = 300

// KMeans partitions the points X (n rows of equal length) into k clusters
// minimising the inertia Σ_i |x_i − c(x_i)|², as scikit-learn's KMeans
// does: nInit runs of Lloyd's algorithm (assign every point to its nearest
// centre, move every centre to its points' mean, until no label changes or
// 300 iterations), each started by k-means++ (the first centre a uniform
// draw, each next one a point drawn with probability proportional to its
// squared distance to the nearest centre chosen), keeping the run of least
// inertia. Run r draws from PCG(seed, r); same seed, same result. A cluster
// left empty is given the point farthest from its centre.
func KMeans(X [][]float64, k, nInit int, seed uint64) (*Clustering, error) {
	n := len(X)
	switch {
	case k < 1 || k > n:
		return nil, fmt.Errorf("multitask: k-means of %d points into %d clusters: need 1 <= k <= n", n, k)
	case nInit < 1:
		return nil, fmt.Errorf("multitask: k-means needs n_init >= 1, got %d", nInit)
	}
	for _, x := range X {
		if len(x) != len(X[0]) {
			return nil, fmt.Errorf("multitask: k-means points of %d and %d coordinates", len(X[0]), len(x))
		}
	}
	var best *Clustering
	for r := range nInit {
		c := lloyd(X, plusPlus(X, k, rand.New(rand.NewPCG(seed, uint64(r)))))
		if best == nil || c.Inertia < best.Inertia {
			best = c
		}
	}
	return best, nil
}

// sqDist is the squared Euclidean distance.
func sqDist(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

// plusPlus picks k initial centres by k-means++.
func plusPlus(X [][]float64, k int, rng *rand.Rand) [][]float64 {
	n := len(X)
	centers := [][]float64{append([]float64(nil), X[rng.IntN(n)]...)}
	d := make([]float64, n)
	for i, x := range X {
		d[i] = sqDist(x, centers[0])
	}
	for len(centers) < k {
		total := 0.0
		for _, v := range d {
			total += v
		}
		pick := rng.IntN(n) // all points coincide with centres: any point
		if total > 0 {
			u := rng.Float64() * total
			for i, v := range d {
				u -= v
				if u < 0 || i == n-1 {
					pick = i
					break
				}
			}
		}
		c := append([]float64(nil), X[pick]...)
		centers = append(centers, c)
		for i, x := range X {
			d[i] = min(d[i], sqDist(x, c))
		}
	}
	return centers
}

// lloyd runs Lloyd's algorithm from the given centres.
func lloyd(X [][]float64, centers [][]float64) *Clustering {
	n, k, D := len(X), len(centers), len(X[0])
	labels := make([]int, n)
	for i := range labels {
		labels[i] = -1
	}
	for range kmeansMaxIter {
		changed := false
		for i, x := range X {
			b, bd := 0, math.Inf(1)
			for c, m := range centers {
				if d := sqDist(x, m); d < bd {
					b, bd = c, d
				}
			}
			if labels[i] != b {
				labels[i], changed = b, true
			}
		}
		if !changed {
			break
		}
		counts := make([]int, k)
		for c := range centers {
			clear(centers[c])
		}
		for i, x := range X {
			counts[labels[i]]++
			for j := range D {
				centers[labels[i]][j] += x[j]
			}
		}
		for c := range centers {
			if counts[c] == 0 {
				// Give the empty cluster the point farthest from its centre.
				far, fd := 0, -1.0
				for i, x := range X {
					if counts[labels[i]] > 1 {
						if d := sqDist(x, centerOf(X, labels, labels[i])); d > fd {
							far, fd = i, d
						}
					}
				}
				counts[labels[far]]--
				for j := range D {
					centers[labels[far]][j] -= X[far][j]
				}
				labels[far] = c
				counts[c] = 1
				copy(centers[c], X[far])
				continue
			}
		}
		for c := range centers {
			for j := range D {
				centers[c][j] /= float64(counts[c])
			}
		}
	}
	in := 0.0
	for i, x := range X {
		in += sqDist(x, centers[labels[i]])
	}
	return &Clustering{K: k, Labels: labels, Centers: centers, Inertia: in}
}

// centerOf is the mean of the points labelled c.
func centerOf(X [][]float64, labels []int, c int) []float64 {
	m := make([]float64, len(X[0]))
	n := 0
	for i, x := range X {
		if labels[i] == c {
			n++
			for j, v := range x {
				m[j] += v
			}
		}
	}
	for j := range m {
		m[j] /= float64(max(n, 1))
	}
	return m
}

// Silhouette is the mean silhouette coefficient of a labelling
// (scikit-learn's silhouette_score, Euclidean): for point i with a(i) the
// mean distance to the other points of its cluster and b(i) the smallest
// mean distance to the points of another cluster,
//
//	s(i) = (b(i) − a(i)) / max(a(i), b(i)),  s(i) = 0 in a cluster of one,
//
// averaged over all points. It needs 2 <= K <= n−1 clusters.
func Silhouette(X [][]float64, labels []int) (float64, error) {
	n := len(X)
	if len(labels) != n {
		return 0, fmt.Errorf("multitask: silhouette of %d points with %d labels", n, len(labels))
	}
	k := 0
	for _, l := range labels {
		if l < 0 {
			return 0, fmt.Errorf("multitask: silhouette: negative label %d", l)
		}
		k = max(k, l+1)
	}
	size := make([]int, k)
	for _, l := range labels {
		size[l]++
	}
	used := 0
	for _, s := range size {
		if s > 0 {
			used++
		}
	}
	if used < 2 || used > n-1 {
		return 0, fmt.Errorf("multitask: silhouette needs 2 to n-1 = %d clusters, got %d", n-1, used)
	}
	total := 0.0
	sums := make([]float64, k)
	for i := range X {
		clear(sums)
		for j := range X {
			if j != i {
				sums[labels[j]] += math.Sqrt(sqDist(X[i], X[j]))
			}
		}
		li := labels[i]
		if size[li] == 1 {
			continue
		}
		a := sums[li] / float64(size[li]-1)
		b := math.Inf(1)
		for c := range k {
			if c != li && size[c] > 0 {
				b = min(b, sums[c]/float64(size[c]))
			}
		}
		if m := max(a, b); m > 0 {
			total += (b - a) / m
		}
	}
	return total / float64(n), nil
}

// KChoice is the outcome of ChooseK.
type KChoice struct {
	// Ks and Scores list every k tried and its silhouette score.
	Ks     []int     `json:"ks"`
	Scores []float64 `json:"scores"`
	// Best is the clustering of the best score (the smallest k on ties).
	Best *Clustering `json:"best"`
	// All[i] is the clustering at Ks[i] (not written to JSON).
	All []*Clustering `json:"-"`
}

// ChooseK clusters X by KMeans(X, k, nInit, seed) for k = kMin..kMax
// (capped at n−1) and keeps the k of the best silhouette score, as
// gyyang/multitask's clustering.py does (k = 2..29, n_init 20).
func ChooseK(X [][]float64, kMin, kMax, nInit int, seed uint64) (*KChoice, error) {
	kMin, kMax = max(kMin, 2), min(kMax, len(X)-1)
	if kMax < kMin {
		return nil, fmt.Errorf("multitask: clustering %d points needs at least 3", len(X))
	}
	out := &KChoice{}
	best := math.Inf(-1)
	for k := kMin; k <= kMax; k++ {
		c, err := KMeans(X, k, nInit, seed)
		if err != nil {
			return nil, err
		}
		s, err := Silhouette(X, c.Labels)
		if err != nil {
			return nil, err
		}
		out.Ks, out.Scores, out.All = append(out.Ks, k), append(out.Scores, s), append(out.All, c)
		if s > best {
			best, out.Best = s, c
		}
	}
	return out, nil
}
