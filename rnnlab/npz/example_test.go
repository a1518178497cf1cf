package npz_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/rnnlab/rnnlab/rnnlab/npz"
)

// Writing arrays numpy can load (np.load(path)["x"]), and reading them back.
func Example() {
	dir, _ := os.MkdirTemp("", "npz")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "a.npz")

	w := npz.NewWriter()
	if err := w.Add("x", []int{2, 3}, []float32{1, 2, 3, 4, 5, 6}); err != nil {
		panic(err)
	}
	if err := w.AddRaw("config.json", []byte(`{"seed": 0}`)); err != nil {
		panic(err)
	}
	if err := w.WriteFile(path); err != nil {
		panic(err)
	}

	f, err := npz.ReadFile(path)
	if err != nil {
		panic(err)
	}
	x, shape, _ := f.Float32("x")
	fmt.Println(shape, x, string(f.Raw["config.json"]))
	// Output: [2 3] [1 2 3 4 5 6] {"seed": 0}
}
