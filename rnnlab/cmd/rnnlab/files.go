package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rnnlab/rnnlab/rnnlab/npz"
)

// prepareDir creates dir if needed and checks that files can be written in
// it, so a long job fails at once rather than at its end.
func prepareDir(dir string) error {
	if dir == "" {
		return usagef("--out is required")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create output folder: %w", err)
	}
	f, err := os.CreateTemp(dir, ".rnnlab-probe-*")
	if err != nil {
		return fmt.Errorf("cannot write in output folder %s: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

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
	return npz.WriteFileAtomic(path, append(b, '\n'))
}
