package notebooks

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// markNotebook is a one-cell notebook that prints a constant of the library it is built against; the
// constant exists only in the clones the test makes (a build against any other checkout fails).
const markNotebook = `{
 "cells": [{"cell_type": "code", "execution_count": null, "id": "mark", "metadata": {}, "outputs": [],
   "source": ["%noautoget\n", "import (\n", "\t\"fmt\"\n", "\n", "\t\"github.com/rnnlab/rnnlab/rnnlab/seeds\"\n", ")\n",
              "\n", "%%\n", "fmt.Println(\"checkout mark:\", seeds.CheckoutMark)\n"]}],
 "metadata": {"kernelspec": {"display_name": "Go (gonb)", "language": "go", "name": "gonb"}},
 "nbformat": 4, "nbformat_minor": 5
}
`

// markLine matches what markNotebook prints.
var markLine = regexp.MustCompile(`(?m)^checkout mark: (\S+)$`)

// TestNotebookUsesItsCheckout makes two clones of this checkout, gives each its own edit of the library
// (a constant in rnnlab/seeds), and executes a notebook from each clone's notebooks/ folder with the
// registered gonb kernel: each must build against its own clone, not against the checkout that registered
// the kernel nor against $RNNLAB_ROOT (set to this checkout, which has neither edit). A notebook outside any
// checkout (as in the Docker image's work folder) must build against $RNNLAB_ROOT. It needs Jupyter and the
// gonb kernel (scripts/setup.sh): skipped without them, except when CI=true.
func TestNotebookUsesItsCheckout(t *testing.T) {
	if os.Getenv("RNNLAB_SKIP_NOTEBOOKS") == "1" {
		t.Skip("RNNLAB_SKIP_NOTEBOOKS=1")
	}
	if err := kernelProblem(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v: run scripts/setup.sh (CI=true: this test may not be skipped)", err)
		}
		t.Skipf("%v: run scripts/setup.sh to run this test (it is required when CI=true)", err)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is not on PATH: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	marks := map[string]string{
		"clone-a": fmt.Sprintf("a-%d", time.Now().UnixNano()),
		"clone-b": fmt.Sprintf("b-%d", time.Now().UnixNano()),
	}
	for name, mark := range marks {
		clone := filepath.Join(tmp, name)
		if out, err := exec.Command("git", "clone", "--quiet", root, clone).CombinedOutput(); err != nil {
			t.Fatalf("git clone %s %s: %v\n%s", root, clone, err, out)
		}
		edit := fmt.Sprintf("package seeds\n\n// CheckoutMark tells which checkout a notebook was built against (TestNotebookUsesItsCheckout).\nconst CheckoutMark = %q\n", mark)
		if err := os.WriteFile(filepath.Join(clone, "rnnlab", "seeds", "checkout_mark.go"), []byte(edit), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	runMark := func(t *testing.T, dir, rnnlabRoot string) string {
		t.Helper()
		nb := filepath.Join(dir, "checkout_mark.ipynb")
		if err := os.WriteFile(nb, []byte(markNotebook), 0o644); err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		cmd := exec.Command(jupyter, "nbconvert", "--to", "notebook", "--execute",
			"--ExecutePreprocessor.timeout=300", "--output-dir="+out, "--output=executed.ipynb", nb)
		cmd.Env = append(os.Environ(), "RNNLAB_ROOT="+rnnlabRoot)
		start := time.Now()
		log, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("executing %s failed: %v\n%s", nb, err, logTail(log, 30))
		}
		b, err := os.ReadFile(filepath.Join(out, "executed.ipynb"))
		if err != nil {
			t.Fatal(err)
		}
		var executed notebook
		if err := json.Unmarshal(b, &executed); err != nil {
			t.Fatal(err)
		}
		var printed strings.Builder
		for _, o := range executed.Cells[0].Outputs {
			printed.WriteString(string(o.Text) + o.Ename + " " + o.Evalue + "\n")
		}
		m := markLine.FindStringSubmatch(printed.String())
		if m == nil {
			t.Fatalf("%s printed no checkout mark:\n%s\nkernel log:\n%s", nb, printed.String(), logTail(log, 30))
		}
		t.Logf("%s: %s (executed in %v)", nb, m[0], time.Since(start).Round(100*time.Millisecond))
		return m[1]
	}

	for name, mark := range marks {
		t.Run(name, func(t *testing.T) {
			if got := runMark(t, filepath.Join(tmp, name, "notebooks"), root); got != mark {
				t.Errorf("a notebook in %s built against the library with mark %q, want its own %q", name, got, mark)
			}
		})
	}
	t.Run("outside-a-checkout", func(t *testing.T) {
		outside := filepath.Join(tmp, "work")
		if err := os.Mkdir(outside, 0o755); err != nil {
			t.Fatal(err)
		}
		if got, want := runMark(t, outside, filepath.Join(tmp, "clone-b")), marks["clone-b"]; got != want {
			t.Errorf("a notebook outside any checkout, with RNNLAB_ROOT=clone-b, built against mark %q, want %q", got, want)
		}
	})
}
