package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
)

// prepareFile checks that the file path can be written (its folder exists
// and is writable) without touching an existing file.
func prepareFile(path string) error {
	if path == "" {
		return usagef("--out is required")
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return fmt.Errorf("cannot write %s: folder %s does not exist", path, dir)
	}
	f, err := os.CreateTemp(dir, ".rnnlab-probe-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// writeJSON writes v as indented JSON to path atomically.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(b, '\n'))
}
