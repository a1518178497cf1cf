package fixedpoints

import "fmt"

// Search is the whole search for fixed points: the gradient method (Find),
// then the optional filters in BrainPy's order. A zero tolerance skips its
// step. Finder.Exact then takes the kept points to exact fixed points by
// Newton's method.
type Search struct {
	Options Options
	// FilterLoss keeps points with Speed < FilterLoss (0: skip).
	FilterLoss float64
	// Unique is the KeepUnique tolerance (0: skip), with UniqueRule.
	Unique     float64
	UniqueRule UniqueRule
	// Outliers is the ExcludeOutliers tolerance (0: skip), with OutlierRule.
	Outliers    float64
	OutlierRule OutlierRule
}

// PrimerSearch is the primer seed's search: PrimerOptions (Adam with
// lr 0.01·0.9999^k, BrainPy ε placement, at most 10000 iterations, stop when
// the mean speed < 1e-5, checked every 200), then filter_loss(1e-5),
// keep_unique(0.03) (BrainPy's first-index rule) and exclude_outliers(0.1)
// (nearest-neighbour rule).
func PrimerSearch() Search {
	return Search{
		Options:     PrimerOptions(),
		FilterLoss:  1e-5,
		Unique:      0.03,
		UniqueRule:  FirstIndex,
		Outliers:    0.1,
		OutlierRule: NearestNeighbour,
	}
}

// SlowPointSearch is rnnlab's default search for line attractors: the
// seed's (PrimerSearch) with the stopping and filtering tolerance on the
// mean speed raised from 1e-5 to 1e-4.
//
// Why: a trained network's line attractor is a line of slow points, not of
// exact fixed points (Newton's method from them typically finds a single
// exact fixed point). Adam run until the mean speed is below 1e-5 lets most
// candidates drift along the line into the region of that point, so the kept
// points bunch up; stopped at 1e-4 it keeps them spread along the line. On
// the tutorial's network for seeds 0-5 (100 trials, 2200 candidates) 1e-4
// kept 165-434 points with a line measure of 0.89-0.98 and the slow
// eigenvalue at the middle point between 0.86 and 0.97, in 1400-2400
// iterations; 1e-5 kept 7-58 points after 3600-7800 iterations, with slow
// eigenvalues between 0.86 and 0.95. Both keep several points on every seed
// tried.
func SlowPointSearch() Search {
	return PrimerSearch().WithTolerance(1e-4)
}

// WithTolerance returns s with tol as both the mean-speed tolerance of its
// stop (Options.Tolerance) and its loss filter (FilterLoss), as the primer's
// search uses one value for both.
func (s Search) WithTolerance(tol float64) Search {
	s.Options.Tolerance, s.FilterLoss = tol, tol
	return s
}

// Find runs the search with the evaluator ev on the candidates (n×D) with
// input u (I values or n×I). It returns the finder (for Jacobians) and the
// kept points; an empty result is not an error.
func (p Search) Find(ev Evaluator, candidates, u []float32) (*Finder, *FixedPoints, error) {
	f, err := NewFinder(ev, p.Options)
	if err != nil {
		return nil, nil, err
	}
	fp, err := f.Find(candidates, u)
	if err != nil {
		return nil, nil, err
	}
	if p.FilterLoss != 0 {
		if fp, err = fp.FilterLoss(p.FilterLoss); err != nil {
			return nil, nil, err
		}
	}
	if p.Unique != 0 {
		if fp, err = fp.KeepUnique(p.Unique, p.UniqueRule); err != nil {
			return nil, nil, err
		}
	}
	if p.Outliers != 0 {
		if fp, err = fp.ExcludeOutliers(p.Outliers, p.OutlierRule); err != nil {
			return nil, nil, err
		}
	}
	if fp.Len() == 0 {
		f.logf("No fixed points kept.\n")
	}
	return f, fp, nil
}

// Summary is a one-line description of a set of points.
func (f *FixedPoints) Summary() string {
	maxS := 0.0
	for _, s := range f.Speed {
		maxS = max(maxS, s)
	}
	return fmt.Sprintf("%d points (D=%d), max speed %.3g, %d iterations, %d diverged", f.Len(), f.D, maxS, f.Iters, len(f.Diverged))
}
