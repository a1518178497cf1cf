package npz

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.npz")
	w := NewWriter()
	f32 := []float32{1, 2, 3, 4, 5, 6}
	i64 := []int64{-1, 0, 1, 1 << 40}
	c128 := []complex128{1 + 2i, -3i}
	must(t, w.Add("x", []int{2, 3}, f32))
	must(t, w.Add("y", []int{4}, i64))
	must(t, w.Add("z", []int{1, 2, 1}, c128))
	must(t, w.Add("b", []int{2}, []bool{true, false}))
	must(t, w.Add("s", []int{}, []float64{3.5}))
	must(t, w.AddRaw("config.json", []byte(`{"a":1}`)))
	must(t, w.WriteFile(path))
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Array{
		"x": {[]int{2, 3}, f32}, "y": {[]int{4}, i64}, "z": {[]int{1, 2, 1}, c128},
		"b": {[]int{2}, []bool{true, false}}, "s": {[]int{}, []float64{3.5}},
	}
	if !reflect.DeepEqual(f.Arrays, want) {
		t.Errorf("arrays = %v, want %v", f.Arrays, want)
	}
	if string(f.Raw["config.json"]) != `{"a":1}` {
		t.Errorf("raw member = %q", f.Raw["config.json"])
	}
}

func TestWriterErrors(t *testing.T) {
	w := NewWriter()
	if err := w.Add("x", []int{2, 2}, []float32{1, 2, 3}); err == nil {
		t.Error("want a shape error")
	}
	if err := w.Add("x", []int{1}, []string{"a"}); err == nil {
		t.Error("want a type error")
	}
	must(t, w.Add("x", []int{1}, []float32{1}))
	if err := w.Add("x", []int{1}, []float32{1}); err == nil {
		t.Error("want a duplicate error")
	}
	for _, shape := range [][]int{{-1, -1}, {1 << 62, 4}, {1 << 32, 1 << 32, 0, -1}} {
		if err := w.Add("y", shape, []float32{}); err == nil {
			t.Errorf("shape %v: want an error", shape)
		}
	}
	if err := w.Add("y", []int{-1, -1}, []float32{1}); err == nil {
		t.Error("negative dimensions: want an error")
	}
	if err := w.AddRaw("a/b", nil); err == nil {
		t.Error("want a name error")
	}
}

func TestCorruptFilesNameTheProblem(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.npz")
	w := NewWriter()
	must(t, w.Add("x", []int{1000}, make([]float32, 1000)))
	must(t, w.WriteFile(good))
	data, _ := os.ReadFile(good)

	trunc := filepath.Join(dir, "trunc.npz")
	os.WriteFile(trunc, data[:len(data)/2], 0o644)
	junk := filepath.Join(dir, "junk.npz")
	os.WriteFile(junk, []byte("hello"), 0o644)
	for _, p := range []string{trunc, junk} {
		_, err := ReadFile(p)
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("ReadFile(%s) error = %v, want one naming the file", p, err)
		}
	}
	if _, err := ReadFile(filepath.Join(dir, "missing.npz")); err == nil {
		t.Error("want an error for a missing file")
	}
}

// TestNumpyReads checks the files with numpy itself. numpy comes with
// scripts/setup.sh (CI runs it): in CI (CI=true) a missing numpy fails the
// test; elsewhere it is skipped with how to install it.
func TestNumpyReads(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import numpy").Run(); err != nil {
		const how = "numpy is not installed: run scripts/setup.sh (or apt-get install python3-numpy)"
		if os.Getenv("CI") == "true" {
			t.Fatal(how + "; CI must run this test")
		}
		t.Skip(how)
	}
	path := filepath.Join(t.TempDir(), "a.npz")
	w := NewWriter()
	must(t, w.Add("x", []int{2, 3}, []float32{1, 2, 3, 4, 5, 6}))
	must(t, w.Add("y", []int{3}, []int64{7, 8, 9}))
	must(t, w.AddRaw("config.json", []byte(`{"a": 1}`)))
	must(t, w.WriteFile(path))
	out, err := exec.Command(py, "-c", `
import numpy as np, json, sys
f = np.load(sys.argv[1])
x, y = f["x"], f["y"]
assert x.dtype == np.float32 and x.shape == (2, 3) and x[1, 2] == 6, x
assert y.dtype == np.int64 and list(y) == [7, 8, 9], y
assert json.loads(f["config.json"])["a"] == 1
print("ok")`, path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok") {
		t.Fatalf("numpy could not read the file: %v\n%s", err, out)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
