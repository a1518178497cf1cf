package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesAndLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.json")
	if err := Write(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Errorf("content %q", b)
	}
	// A folder that does not exist fails and creates nothing; the old file
	// stays as it was.
	if err := Write(filepath.Join(dir, "nope", "b"), []byte("x")); err == nil {
		t.Error("want an error for a missing folder")
	}
	// A target that is a folder cannot be replaced: the error leaves no
	// temporary file.
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	if err := Write(filepath.Join(dir, "sub"), []byte("x")); err == nil {
		t.Error("want an error when the target is a folder")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("left behind: %v", entries)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode())
	}
}
