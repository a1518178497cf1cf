package main

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

// writeNpy writes a little-endian float32 (or float64 with f64) C-order
// .npy file (format 1.0) of the given shape.
func writeNpy(t *testing.T, path string, shape []int, data []float64, f64 bool) {
	t.Helper()
	descr, size := "<f4", 4
	if f64 {
		descr, size = "<f8", 8
	}
	dims := ""
	for _, d := range shape {
		dims += fmt.Sprintf("%d, ", d)
	}
	hdr := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, strings.TrimSuffix(dims, " "))
	for (10+len(hdr)+1)%64 != 0 {
		hdr += " "
	}
	hdr += "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(hdr)), byte(len(hdr)>>8))
	b = append(b, hdr...)
	for _, v := range data {
		if f64 {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		} else {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(v)))
		}
	}
	b = b[:10+len(hdr)+len(data)*size]
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTrainMask trains and resumes a CTRNN with --mask: the run folder
// keeps the mask, the masked-out recurrent weights are exactly 0; bad
// masks are one-line errors.
func TestTrainMask(t *testing.T) {
	dir := t.TempDir()
	const H = 8
	mask := make([]float64, H*H)
	for i := range mask {
		if (i*7)%10 >= 3 { // 30 % zeros
			mask[i] = 1
		}
	}
	mpath := filepath.Join(dir, "mask.npy")
	writeNpy(t, mpath, []int{H, H}, mask, false)
	out := filepath.Join(dir, "run")
	base := []string{"train", "--hidden", "8", "--batch", "2", "--seq-len", "10", "--no-progress", "--quiet"}
	if st, stdout, errs := cli(append(base, "--steps", "20", "--out", out, "--mask", mpath)...); st != 0 || !strings.Contains(stdout, "Trained 20 steps") {
		t.Fatalf("status %d\n%s\n%s", st, stdout, errs)
	}
	check := func() {
		t.Helper()
		p, err := models.Load(filepath.Join(out, "model.npz"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Mask) != H*H {
			t.Fatalf("the run's model has a mask of %d values, want %d", len(p.Mask), H*H)
		}
		for i, m := range mask {
			if p.Mask[i] != float32(m) {
				t.Fatalf("mask[%d] = %v, want %v", i, p.Mask[i], m)
			}
			if m == 0 && p.Values[1][i] != 0 {
				t.Fatalf("w_rr[%d] is masked out but is %v", i, p.Values[1][i])
			}
		}
	}
	check()
	if st, stdout, errs := cli("train", "--resume", out, "--steps", "30", "--quiet", "--no-progress"); st != 0 {
		t.Fatalf("resume: status %d\n%s\n%s", st, stdout, errs)
	}
	check()

	bad3 := filepath.Join(dir, "bad3.npy")
	writeNpy(t, bad3, []int{3, 3}, make([]float64, 9), false)
	f64 := filepath.Join(dir, "f64.npy")
	writeNpy(t, f64, []int{H, H}, mask, true)
	nanMask := append([]float64(nil), mask...)
	nanMask[42] = math.NaN() // row 5, column 2 of the 8 x 8 mask
	nanPath := filepath.Join(dir, "nan.npy")
	writeNpy(t, nanPath, []int{H, H}, nanMask, false)
	junk := filepath.Join(dir, "junk.npy")
	if err := os.WriteFile(junk, []byte("not numpy"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--mask", bad3}, "shape [3 3], want (8, 8)"},
		{[]string{"--mask", f64}, "want float32"},
		{[]string{"--mask", junk}, "not a .npy file"},
		{[]string{"--mask", nanPath}, "nan.npy: mask[5,2] is NaN, want a finite number"},
		{[]string{"--mask", filepath.Join(dir, "missing.npy")}, "no such file"},
		{[]string{"--mask", mpath, "--cell", "gru"}, "--mask needs --cell ctrnn"},
	} {
		o := filepath.Join(dir, "never")
		st, _, errs := cli(append(append(base, "--steps", "1", "--out", o), c.args...)...)
		if st == 0 || !strings.Contains(errs, c.msg) || len(stderrLines(errs)) != 1 {
			t.Errorf("%v: status %d, stderr %q; want one line with %q", c.args, st, errs, c.msg)
		}
		if _, err := os.Stat(o); err == nil {
			t.Errorf("%v: left %s behind", c.args, o)
		}
	}
}
