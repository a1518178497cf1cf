package tasks

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// checkMemoryBatch checks one batch against the task's definition and
// returns, per sequence and column, the memorise and report offsets within
// the sequence and the targets given.
func checkMemoryBatch(t *testing.T, b *Batch, L, repeats int) (mem, rep []int, targets []float64) {
	t.Helper()
	if b.T != L*repeats || b.ObsSize != 3 {
		t.Fatalf("batch T=%d ObsSize=%d, want %d and 3", b.T, b.ObsSize, L*repeats)
	}
	n := b.T * b.B
	if len(b.Inputs) != n*3 || len(b.Targets) != n || len(b.Mask) != n || len(b.Labels) != n {
		t.Fatalf("batch sizes: %d inputs, %d targets, %d mask, %d labels for T*B = %d", len(b.Inputs), len(b.Targets), len(b.Mask), len(b.Labels), n)
	}
	for i, m := range b.Mask {
		if m != 1 || b.Labels[i] != 0 {
			t.Fatalf("mask %v, label %d at %d; want 1 and 0 everywhere", m, b.Labels[i], i)
		}
	}
	for k := range repeats {
		for j := range b.B {
			m, r := -1, -1
			for s := range L {
				x := b.Inputs[((k*L+s)*b.B+j)*3:][:3]
				if x[0] < -1 || x[0] >= 1 {
					t.Fatalf("stimulus %v outside [-1, 1)", x[0])
				}
				if x[1] != 0 {
					if x[1] != 1 || m >= 0 {
						t.Fatalf("sequence %d column %d: memorise channel %v at %d (already at %d)", k, j, x[1], s, m)
					}
					m = s
				}
				if x[2] != 0 {
					if x[2] != 1 || r >= 0 {
						t.Fatalf("sequence %d column %d: report channel %v at %d (already at %d)", k, j, x[2], s, r)
					}
					r = s
				}
			}
			if m < 0 || m >= L/2 || r < L/2 || r > L-2 {
				t.Fatalf("L=%d: memorise at %d (want [0, %d)), report at %d (want [%d, %d])", L, m, L/2, r, L/2, L-2)
			}
			for s := range L {
				y := b.Targets[(k*L+s)*b.B+j]
				want := float32(0)
				if s == r {
					want = b.Inputs[((k*L+m)*b.B+j)*3]
				}
				if y != want {
					t.Fatalf("sequence %d column %d step %d: target %v, want %v", k, j, s, y, want)
				}
			}
			mem, rep = append(mem, m), append(rep, r)
			targets = append(targets, float64(b.Targets[(k*L+r)*b.B+j]))
		}
	}
	return mem, rep, targets
}

// TestMemoryReportBatch checks nn-brain's memory_task on 4000 sequences of
// length 10: one memorise pulse uniform over steps 0-4 and one report pulse
// uniform over 5-8 per sequence, the target (the stimulus at the memorise
// step, at the report step only) uniform on (-1, 1): mean 0, variance 1/3.
func TestMemoryReportBatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const L, B, R = 10, 100, 2
	memCount := make([]int, L)
	repCount := make([]int, L)
	var ys, xs []float64
	for range 20 {
		b := MemoryReportBatch(rng, L, B, R)
		mem, rep, tg := checkMemoryBatch(t, b, L, R)
		for i := range mem {
			memCount[mem[i]]++
			repCount[rep[i]]++
		}
		ys = append(ys, tg...)
		for i := 0; i < len(b.Inputs); i += 3 {
			xs = append(xs, float64(b.Inputs[i]))
		}
	}
	n := 20 * B * R
	// Each count is binomial: allow 5 standard deviations.
	for s := range L {
		for _, c := range []struct {
			name  string
			count []int
			lo    int
			hi    int
		}{{"memorise", memCount, 0, 4}, {"report", repCount, 5, 8}} {
			if s < c.lo || s > c.hi {
				if c.count[s] != 0 {
					t.Errorf("%s at step %d: %d times, want 0", c.name, s, c.count[s])
				}
				continue
			}
			p := 1 / float64(c.hi-c.lo+1)
			sd := math.Sqrt(float64(n) * p * (1 - p))
			if d := math.Abs(float64(c.count[s]) - float64(n)*p); d > 5*sd {
				t.Errorf("%s at step %d: %d times, want %.0f ± %.0f", c.name, s, c.count[s], float64(n)*p, 5*sd)
			}
		}
	}
	for _, v := range []struct {
		name string
		x    []float64
	}{{"targets", ys}, {"stimulus", xs}} {
		mean, vr := meanVar(v.x)
		se := math.Sqrt(1.0 / 3 / float64(len(v.x)))
		if math.Abs(mean) > 5*se || math.Abs(vr-1.0/3) > 0.03 {
			t.Errorf("%s: mean %.4f, variance %.4f over %d values; want 0 and 1/3", v.name, mean, vr, len(v.x))
		}
	}
}

func meanVar(x []float64) (float64, float64) {
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	var s float64
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return m, s / float64(len(x))
}

// TestMemoryReportDataset checks the seeded generator: lengths uniform over
// 5-19 (every one drawn), 16 sequences of 3 repeats by default, each batch
// valid, the same seed giving the same batches and another seed others.
func TestMemoryReportDataset(t *testing.T) {
	m, err := NewMemoryReport(MemoryReportConfig{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if c := m.Config(); c.BatchSize != 16 || c.MinLen != 5 || c.MaxLen != 19 || c.Repeats != 3 {
		t.Fatalf("defaults %+v", c)
	}
	seen := map[int]int{}
	var first []*Batch
	for i := range 600 {
		b := m.Next()
		if b.B != 16 || b.T%3 != 0 {
			t.Fatalf("batch %d: B=%d T=%d", i, b.B, b.T)
		}
		L := b.T / 3
		seen[L]++
		checkMemoryBatch(t, b, L, 3)
		if i < 5 {
			first = append(first, b)
		}
	}
	for L := 5; L <= 19; L++ {
		if seen[L] < 15 || seen[L] > 70 { // expected 40 of 600
			t.Errorf("length %d drawn %d times in 600 batches, want about 40", L, seen[L])
		}
	}
	if len(seen) != 15 {
		t.Errorf("lengths drawn: %v, want exactly 5..19", seen)
	}
	again, _ := NewMemoryReport(MemoryReportConfig{Seed: 3})
	other, _ := NewMemoryReport(MemoryReportConfig{Seed: 4})
	differs := false
	for i, b := range first {
		a := again.Next()
		if a.T != b.T || !slices.Equal(a.Inputs, b.Inputs) || !slices.Equal(a.Targets, b.Targets) {
			t.Fatalf("batch %d differs with the same seed", i)
		}
		o := other.Next()
		differs = differs || o.T != b.T || !slices.Equal(o.Inputs, b.Inputs)
	}
	if !differs {
		t.Error("seeds 3 and 4 gave the same batches")
	}
	for _, bad := range []MemoryReportConfig{{MinLen: 2}, {MinLen: 9, MaxLen: 8}, {BatchSize: -1}, {Repeats: -2}} {
		if _, err := NewMemoryReport(bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

func TestBatchColumn(t *testing.T) {
	b := MemoryReportBatch(rand.New(rand.NewPCG(1, 2)), 6, 4, 2)
	in, tg := BatchColumn(b, 2)
	if len(in) != b.T*3 || len(tg) != b.T {
		t.Fatalf("column sizes %d, %d", len(in), len(tg))
	}
	for s := range b.T {
		if !slices.Equal(in[s*3:s*3+3], b.Inputs[(s*4+2)*3:(s*4+2)*3+3]) || tg[s] != b.Targets[s*4+2] {
			t.Fatalf("step %d differs", s)
		}
	}
}
