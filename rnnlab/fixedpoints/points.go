package fixedpoints

import (
	"fmt"
	"io"
	"math"
	"sort"
)

// FixedPoints is a set of (approximate) fixed points with the ids of the
// candidates they came from, kept consistent through every filter.
// Filters return a new value and leave the receiver unchanged.
type FixedPoints struct {
	Kind Kind
	// D is the state size, I the input size.
	D, I int
	// X holds the points, row-major n×D.
	X []float64
	// U is the input: I values shared by all points, or n×I (one row per
	// point, filtered with the points).
	U []float32
	// IDs[k] is the index, in the original candidate array, of point k.
	IDs []int
	// Speed[k] = mean_d r_kd² and Q[k] = ½ Σ_d r_kd² = (D/2)·Speed[k],
	// evaluated at the returned point X[k] (r is the residual, see Kind).
	Speed, Q []float64
	// Init holds all original candidates (n0×D, shared, not copied), used by
	// the centroid outlier rule.
	Init []float32
	// Losses is the optimised objective at every iteration, measured before
	// that iteration's update (BrainPy's opt_losses); Iters = len(Losses).
	Losses []float64
	Iters  int
	// Diverged lists the candidate ids dropped because their point or its
	// residual became NaN/Inf or exceeded Options.DivergeSpeed.
	Diverged []int
	// Stages records how many points each step of the search kept, in
	// order: "optimized" (Find, diverged points dropped), then one entry per
	// filter or refinement applied ("filter_loss", "keep_unique",
	// "exclude_outliers", "newton").
	Stages []Stage
	// Log receives filter reports (nil: silent).
	Log io.Writer
}

// Stage is one step of a search and the number of points it kept.
type Stage struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// after returns the points keep, recording the step name in Stages.
func (f *FixedPoints) after(name string, keep []int) *FixedPoints {
	g := f.Select(keep)
	g.Stages = append(append([]Stage(nil), f.Stages...), Stage{name, g.Len()})
	return g
}

// Len is the number of points.
func (f *FixedPoints) Len() int { return len(f.IDs) }

// Point returns a copy of point k.
func (f *FixedPoints) Point(k int) []float64 { return append([]float64(nil), f.X[k*f.D:(k+1)*f.D]...) }

// Input returns the input of point k (a view).
func (f *FixedPoints) Input(k int) []float32 {
	if len(f.U) == f.I {
		return f.U
	}
	return f.U[k*f.I : (k+1)*f.I]
}

// SharedInput reports whether all points share one input.
func (f *FixedPoints) SharedInput() bool { return len(f.U) == f.I }

// Rows returns the points as n slices (copies).
func (f *FixedPoints) Rows() [][]float64 {
	out := make([][]float64, f.Len())
	for k := range out {
		out[k] = f.Point(k)
	}
	return out
}

func (f *FixedPoints) logf(format string, args ...any) {
	if f.Log != nil {
		fmt.Fprintf(f.Log, format, args...)
	}
}

// Select returns the points at the given positions (in that order).
func (f *FixedPoints) Select(keep []int) *FixedPoints {
	g := *f
	g.X = make([]float64, 0, len(keep)*f.D)
	g.IDs = make([]int, 0, len(keep))
	g.Speed = make([]float64, 0, len(keep))
	g.Q = make([]float64, 0, len(keep))
	shared := f.SharedInput()
	if !shared {
		g.U = make([]float32, 0, len(keep)*f.I)
	}
	for _, k := range keep {
		g.X = append(g.X, f.X[k*f.D:(k+1)*f.D]...)
		g.IDs = append(g.IDs, f.IDs[k])
		g.Speed = append(g.Speed, f.Speed[k])
		g.Q = append(g.Q, f.Q[k])
		if !shared {
			g.U = append(g.U, f.Input(k)...)
		}
	}
	return &g
}

// FilterLoss keeps the points with Speed < tol (strict), as BrainPy's
// filter_loss. tol must be > 0.
func (f *FixedPoints) FilterLoss(tol float64) (*FixedPoints, error) {
	if !finitePositive(tol) {
		return nil, fmt.Errorf("fixedpoints: FilterLoss: tolerance must be > 0, got %v", tol)
	}
	var keep []int
	for k, s := range f.Speed {
		if s < tol {
			keep = append(keep, k)
		}
	}
	f.logf("Excluding fixed points with squared speed above tolerance %g:\n", tol)
	f.logf("    Kept %d/%d fixed points with tolerance under %g.\n", len(keep), f.Len(), tol)
	return f.after("filter_loss", keep), nil
}

// UniqueRule picks the representative of a group of near-identical points.
type UniqueRule int

const (
	// FirstIndex is BrainPy's keep_unique: for i = 0, 1, ... in order, drop
	// every later j with ‖x_i − x_j‖ ≤ tol, even when i itself was already
	// dropped, so a chain of points closer than tol collapses onto its first
	// point. Distance on states only.
	FirstIndex UniqueRule = iota
	// LowestQ is Golub's get_unique: walk points in order; the current
	// unassigned point and all unassigned points within tol of it form a
	// group, which is marked assigned and represented by its lowest-q member.
	// Distance on the concatenation (state, input) when inputs differ per
	// point, on states otherwise.
	LowestQ
)

func (f *FixedPoints) dist(a, b int, withInput bool) float64 {
	s := 0.0
	xa, xb := f.X[a*f.D:(a+1)*f.D], f.X[b*f.D:(b+1)*f.D]
	for d := range xa {
		t := xa[d] - xb[d]
		s += t * t
	}
	if withInput {
		ua, ub := f.Input(a), f.Input(b)
		for d := range ua {
			t := float64(ua[d]) - float64(ub[d])
			s += t * t
		}
	}
	return math.Sqrt(s)
}

// KeepUnique removes near-duplicates (distance ≤ tol) with the given rule.
// tol must be > 0.
func (f *FixedPoints) KeepUnique(tol float64, rule UniqueRule) (*FixedPoints, error) {
	if !finitePositive(tol) {
		return nil, fmt.Errorf("fixedpoints: KeepUnique: tolerance must be > 0, got %v", tol)
	}
	n := f.Len()
	var keep []int
	switch rule {
	case FirstIndex:
		drop := make([]bool, n)
		for i := 0; i < n-1; i++ {
			for j := i + 1; j < n; j++ {
				if !drop[j] && f.dist(i, j, false) <= tol {
					drop[j] = true
				}
			}
		}
		for k := range drop {
			if !drop[k] {
				keep = append(keep, k)
			}
		}
	case LowestQ:
		withInput := !f.SharedInput()
		assigned := make([]bool, n)
		for i := 0; i < n; i++ {
			if assigned[i] {
				continue
			}
			best := i
			assigned[i] = true
			for j := i + 1; j < n; j++ {
				if !assigned[j] && f.dist(i, j, withInput) <= tol {
					assigned[j] = true
					if f.Q[j] < f.Q[best] {
						best = j
					}
				}
			}
			keep = append(keep, best)
		}
	default:
		return nil, fmt.Errorf("fixedpoints: KeepUnique: unknown rule %d", rule)
	}
	f.logf("Excluding non-unique fixed points:\n")
	f.logf("    Kept %d/%d unique fixed points with uniqueness tolerance %g.\n", len(keep), n, tol)
	return f.after("keep_unique", keep), nil
}

// OutlierRule chooses how ExcludeOutliers judges a point.
type OutlierRule int

const (
	// NearestNeighbour is BrainPy's exclude_outliers: keep a point if the
	// distance to its nearest other fixed point is < tol (strict). With one
	// point or fewer nothing is removed.
	NearestNeighbour OutlierRule = iota
	// InitCentroid is Golub's rule: with c the centroid of the initial
	// candidates (Init) and s their mean distance to c, keep a point if
	// ‖x − c‖/s < tol (Golub's default tol is 10).
	InitCentroid
)

// ExcludeOutliers removes isolated points with the given rule; tol must be > 0
// (+Inf keeps everything).
func (f *FixedPoints) ExcludeOutliers(tol float64, rule OutlierRule) (*FixedPoints, error) {
	if !(tol > 0) {
		return nil, fmt.Errorf("fixedpoints: ExcludeOutliers: tolerance must be > 0, got %v", tol)
	}
	n := f.Len()
	f.logf("Excluding outliers:\n")
	if math.IsInf(tol, 1) {
		return f.after("exclude_outliers", seq(n)), nil
	}
	var keep []int
	switch rule {
	case NearestNeighbour:
		if n <= 1 {
			return f.after("exclude_outliers", seq(n)), nil
		}
		for i := 0; i < n; i++ {
			nn := math.Inf(1)
			for j := 0; j < n; j++ {
				if j != i {
					nn = math.Min(nn, f.dist(i, j, false))
				}
			}
			if nn < tol {
				keep = append(keep, i)
			}
		}
	case InitCentroid:
		n0 := len(f.Init) / f.D
		if n0 == 0 {
			return nil, fmt.Errorf("fixedpoints: ExcludeOutliers: InitCentroid needs the initial candidates (Init)")
		}
		c := make([]float64, f.D)
		for i := 0; i < n0; i++ {
			for d := 0; d < f.D; d++ {
				c[d] += float64(f.Init[i*f.D+d])
			}
		}
		for d := range c {
			c[d] /= float64(n0)
		}
		s := 0.0
		for i := 0; i < n0; i++ {
			s += distTo(c, func(d int) float64 { return float64(f.Init[i*f.D+d]) })
		}
		s /= float64(n0)
		if s == 0 {
			s = math.SmallestNonzeroFloat64
		}
		for k := 0; k < n; k++ {
			if distTo(c, func(d int) float64 { return f.X[k*f.D+d] })/s < tol {
				keep = append(keep, k)
			}
		}
	default:
		return nil, fmt.Errorf("fixedpoints: ExcludeOutliers: unknown rule %d", rule)
	}
	f.logf("    Kept %d/%d fixed points with within outlier tolerance %g.\n", len(keep), n, tol)
	return f.after("exclude_outliers", keep), nil
}

func distTo(c []float64, x func(d int) float64) float64 {
	s := 0.0
	for d, cd := range c {
		t := x(d) - cd
		s += t * t
	}
	return math.Sqrt(s)
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// SortBySpeed returns the points ordered by increasing speed.
func (f *FixedPoints) SortBySpeed() *FixedPoints {
	order := seq(f.Len())
	sort.SliceStable(order, func(a, b int) bool { return f.Speed[order[a]] < f.Speed[order[b]] })
	return f.Select(order)
}
