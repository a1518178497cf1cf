package analysis

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// Window is a half-open range of steps [Start, End) of one trial, such as
// its stimulus period.
type Window struct{ Start, End int }

// SameWindow returns n copies of [start, end): the window of every trial
// when the period's timing is fixed (nn-brain's EI_RNN analysis runs with
// fixation and stimulus fixed at 500 ms).
func SameWindow(n, start, end int) []Window {
	w := make([]Window, n)
	for i := range w {
		w[i] = Window{start, end}
	}
	return w
}

// Selectivity is the choice selectivity of every unit, as nn-brain's
// EI_RNN notebook computes it: the rates of every step of every trial's
// window are pooled into two sets of samples by the trial's ground truth
// (0 or 1), and for unit j
//
//	d'_j = (mean0_j - mean1_j) / sqrt((sd0_j² + sd1_j² + 1e-7) / 2)
//
// with population standard deviations (numpy's np.std, ddof 0). Positive
// d' means the unit fires more for ground truth 0.
type Selectivity struct {
	// DPrime is d' of every unit (length H).
	DPrime []float64
	// Mean0, Mean1, SD0, SD1 are each unit's mean and standard deviation
	// over the samples of ground truth 0 and 1.
	Mean0, Mean1, SD0, SD1 []float64
	// N0 and N1 are the numbers of samples (steps) of each ground truth.
	N0, N1 int
}

// DPrime computes Selectivity from rates[i], trial i's rates row-major
// [N_i][H], its window windows[i] and its ground truth labels[i] (0 or 1).
// Windows are clipped to the trial; each ground truth needs at least one
// sample.
func DPrime(rates [][]float32, H int, windows []Window, labels []int) (*Selectivity, error) {
	if H <= 0 {
		return nil, fmt.Errorf("analysis: DPrime: H must be > 0, got %d", H)
	}
	if len(windows) != len(rates) || len(labels) != len(rates) {
		return nil, fmt.Errorf("analysis: DPrime: %d trials, %d windows, %d labels; want one of each per trial", len(rates), len(windows), len(labels))
	}
	var sum, sq [2][]float64
	for g := range 2 {
		sum[g], sq[g] = make([]float64, H), make([]float64, H)
	}
	var n [2]int
	// Two passes (mean, then squared deviations) as numpy does, for
	// accuracy when the rates are large compared with their spread.
	for pass := range 2 {
		for i, r := range rates {
			if len(r)%H != 0 {
				return nil, fmt.Errorf("analysis: DPrime: trial %d has %d rates, not a multiple of H = %d", i, len(r), H)
			}
			g := labels[i]
			if g != 0 && g != 1 {
				return nil, fmt.Errorf("analysis: DPrime: trial %d has ground truth %d; d' needs 0 or 1", i, g)
			}
			s, e := max(windows[i].Start, 0), min(windows[i].End, len(r)/H)
			for t := s; t < e; t++ {
				row := r[t*H : (t+1)*H]
				if pass == 0 {
					n[g]++
					for j, v := range row {
						sum[g][j] += float64(v)
					}
					continue
				}
				for j, v := range row {
					d := float64(v) - sum[g][j]
					sq[g][j] += d * d
				}
			}
		}
		if pass == 0 {
			if n[0] == 0 || n[1] == 0 {
				return nil, fmt.Errorf("analysis: DPrime: %d samples of ground truth 0 and %d of 1 in the windows; need both", n[0], n[1])
			}
			for g := range 2 {
				for j := range H {
					sum[g][j] /= float64(n[g])
				}
			}
		}
	}
	out := &Selectivity{DPrime: make([]float64, H), Mean0: sum[0], Mean1: sum[1],
		SD0: make([]float64, H), SD1: make([]float64, H), N0: n[0], N1: n[1]}
	for j := range H {
		out.SD0[j] = math.Sqrt(sq[0][j] / float64(n[0]))
		out.SD1[j] = math.Sqrt(sq[1][j] / float64(n[1]))
		out.DPrime[j] = (out.Mean0[j] - out.Mean1[j]) / math.Sqrt((out.SD0[j]*out.SD0[j]+out.SD1[j]*out.SD1[j]+1e-7)/2)
	}
	return out, nil
}

// Rates returns every trial's rates [N_i][H] of the activity's states,
// through p.Rates (r = f(s) for the E-I network, whose states are s; the
// states themselves for the CTRNN; h, the first H entries, for the gated
// cells). The states' width is p.StateSize().
func Rates(p *models.Params, a *Activity) ([][]float32, error) {
	if p == nil || a == nil {
		return nil, fmt.Errorf("analysis: Rates: nil network or activity")
	}
	H, S := p.NumHidden, p.StateSize()
	out := make([][]float32, len(a.States))
	for i, s := range a.States {
		if len(s)%S != 0 {
			return nil, fmt.Errorf("analysis: Rates: trial %d has %d state values, not a multiple of the state size %d", i, len(s), S)
		}
		n := len(s) / S
		r := make([]float32, n*H)
		for t := range n {
			p.Rates(s[t*S:(t+1)*S], r[t*H:(t+1)*H])
		}
		out[i] = r
	}
	return out, nil
}

// ChoiceSelectivity is DPrime of the rates (see Rates) of the activity's
// trials over their windows, split by each trial's GroundTruth: nn-brain's
// EI_RNN selectivity when the windows are the stimulus periods.
func ChoiceSelectivity(p *models.Params, a *Activity, windows []Window) (*Selectivity, error) {
	r, err := Rates(p, a)
	if err != nil {
		return nil, err
	}
	labels := make([]int, len(a.Trials))
	for i, t := range a.Trials {
		labels[i] = t.GroundTruth
	}
	return DPrime(r, p.NumHidden, windows, labels)
}

// argsort returns the indices that sort x ascending (stable: ties keep
// index order, as numpy's argsort(kind="stable")).
func argsort(x []float64) []int {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	return idx
}

// SelectivityOrder orders the units of an E-I network by selectivity
// within each pool: the numE excitatory units (0 … numE-1) by ascending d',
// then the inhibitory units (numE … H-1) by ascending d', as nn-brain's
// ind_sort = concat(argsort(d'[:E]), argsort(d'[E:]) + E).
func SelectivityOrder(dprime []float64, numE int) []int {
	if numE < 0 || numE > len(dprime) {
		panic(fmt.Sprintf("analysis: SelectivityOrder: %d excitatory units of %d", numE, len(dprime)))
	}
	out := argsort(dprime[:numE])
	for _, k := range argsort(dprime[numE:]) {
		out = append(out, k+numE)
	}
	return out
}

// ExtremeOrder is the unit order of the paper's connectivity panel
// (nn-brain's last EI_RNN figure): the nE excitatory units of lowest d'
// (preferring choice 1), the nE of highest d' (preferring choice 0), then
// the nI inhibitory units of lowest and the nI of highest d'. nE and nI are
// capped at half of each pool.
func ExtremeOrder(dprime []float64, numE, nE, nI int) []int {
	e := SelectivityOrder(dprime, numE)
	ex, in := e[:numE], e[numE:]
	nE = max(0, min(nE, len(ex)/2))
	nI = max(0, min(nI, len(in)/2))
	out := slices.Clone(ex[:nE])
	out = append(out, ex[len(ex)-nE:]...)
	out = append(out, in[:nI]...)
	return append(out, in[len(in)-nI:]...)
}

// Reorder returns the H×H row-major matrix w with rows and columns both
// permuted by order (length n ≤ H): out[a][b] = w[order[a]][order[b]], an
// n×n matrix. Applied to models.Params.EffectiveRecurrent (presynaptic
// rows), it gives the connectivity sorted by selectivity.
func Reorder(w []float32, H int, order []int) []float32 {
	if len(w) != H*H {
		panic(fmt.Sprintf("analysis: Reorder: %d values for a %d×%d matrix", len(w), H, H))
	}
	n := len(order)
	out := make([]float32, n*n)
	for a, i := range order {
		for b, j := range order {
			out[a*n+b] = w[i*H+j]
		}
	}
	return out
}
