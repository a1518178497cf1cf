package models

import (
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
)

// rewriteArray sets element i of array name of the checkpoint at path to v
// and writes the archive back (as numpy would after editing it).
func rewriteArray(t *testing.T, path, name string, i int, v float32) {
	t.Helper()
	f, err := npz.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w := npz.NewWriter()
	var names []string
	for n := range f.Arrays {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := f.Arrays[n]
		if n == name {
			a.Data.([]float32)[i] = v
		}
		if err := w.Add(n, a.Shape, a.Data); err != nil {
			t.Fatal(err)
		}
	}
	for n, b := range f.Raw {
		w.AddRaw(n, b)
	}
	if err := w.WriteFile(path); err != nil {
		t.Fatal(err)
	}
}

// TestCheckpointNonFiniteRefused: a NaN or Inf in a weight, a bias, the
// mask or one of Adam's moments is refused at load with one line naming
// the file, the array and the element, and SaveState never writes one.
func TestCheckpointNonFiniteRefused(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig() // H = 64
	p := testParams(t, cfg, 3)
	p.Mask = randomMask(cfg.NumHidden, 5)
	var sizes []int
	for _, v := range p.Values {
		sizes = append(sizes, len(v))
	}
	st := optim.PyTorchAdam(1e-3).NewState(sizes...)
	st.Step = 7
	for i := range st.M {
		for j := range st.M[i] {
			st.M[i][j], st.V[i][j] = float32(j%7)*1e-3, float32(j%5)*1e-6
		}
	}
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	for _, c := range []struct {
		array string
		i     int
		v     float32
		want  string
	}{
		{"b_rr", 12, inf, "b_rr[12] is +Inf"},
		{"w_rr", 3*64 + 17, nan, "w_rr[3,17] is NaN"},
		{"w_ro", 64*3 - 1, float32(math.Inf(-1)), "w_ro[63,2] is -Inf"},
		{"adam_m.w_ir", 64 + 2, nan, "adam_m.w_ir[1,2] is NaN"},
		{"adam_v.b_ro", 1, inf, "adam_v.b_ro[1] is +Inf"},
		{MaskMember, 66, nan, "mask_rr[1,2] is NaN"},
	} {
		path := filepath.Join(dir, c.array+".npz")
		if err := SaveState(path, p, st, nil); err != nil {
			t.Fatal(err)
		}
		if _, _, err := LoadState(path, nil); err != nil {
			t.Fatalf("the finite checkpoint: %v", err)
		}
		rewriteArray(t, path, c.array, c.i, c.v)
		_, _, err := LoadState(path, nil)
		if err == nil || !strings.Contains(err.Error(), path+": "+c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", c.array, err, path+": "+c.want)
		}
	}
	// Save refuses them too, and leaves no file.
	for _, c := range []struct {
		set  func(*Params, *optim.State)
		want string
	}{
		{func(q *Params, _ *optim.State) { q.Values[2][5] = inf }, "b_rr[5] is +Inf"},
		{func(_ *Params, s *optim.State) { s.V[1][64*64-1] = nan }, "adam_v.w_rr[63,63] is NaN"},
		{func(q *Params, _ *optim.State) { q.Mask[0] = nan }, "mask_rr[0,0] is NaN"},
	} {
		q, s := p.Clone(), &optim.State{Step: st.Step}
		q.Mask = append([]float32(nil), p.Mask...)
		for i := range st.M {
			s.M = append(s.M, append([]float32(nil), st.M[i]...))
			s.V = append(s.V, append([]float32(nil), st.V[i]...))
		}
		c.set(q, s)
		path := filepath.Join(dir, "refused.npz")
		err := SaveState(path, q, s, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("save: error %v, want %q", err, c.want)
		}
		if _, serr := os.Stat(path); !os.IsNotExist(serr) {
			t.Errorf("save of %q left a file", c.want)
		}
	}
}
