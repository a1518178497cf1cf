package notebooks

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// commitHint is how to bring a committed notebook's outputs up to date.
const commitHint = "run scripts/run-notebooks.sh --commit notebooks/%s and commit the result"

// stamped is the part of a notebook's format the staleness check reads.
type stamped struct {
	Metadata struct {
		RNNLab *struct {
			CodeSHA256 string `json:"code_sha256"`
		} `json:"rnnlab"`
	} `json:"metadata"`
	Cells []struct {
		CellType       string          `json:"cell_type"`
		Source         multiline       `json:"source"`
		ExecutionCount json.RawMessage `json:"execution_count"`
		Outputs        []output        `json:"outputs"`
	} `json:"cells"`
}

// CodeHash is the stamp of a notebook's code: the SHA-256, in hex, of its code cells' sources in order,
// each written as its length in bytes (decimal), a newline, the source and a newline:
//
//	sha256( ‖_k  len(s_k) "\n" s_k "\n" ),  s_k the k-th code cell's source (its lines joined).
//
// Markdown cells and outputs do not enter it. scripts/run-notebooks.sh --commit computes the same
// hash (in Python) and stores it in the notebook's metadata.rnnlab.code_sha256.
func CodeHash(sources []string) string {
	h := sha256.New()
	for _, s := range sources {
		fmt.Fprintf(h, "%d\n%s\n", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// staleness lists why the committed notebook b (its .ipynb bytes) does not hold the outputs of its
// current code: no stamp, a stamp of other code, a code cell never executed or executed out of order, a
// program cell (%%) or shell cell (!) with no output, or an error output. An empty list means the
// outputs are those of the code as committed.
func staleness(b []byte) ([]string, error) {
	var nb stamped
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, err
	}
	var problems []string
	var sources []string
	last := 0
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		src := string(c.Source)
		sources = append(sources, src)
		first, _, _ := strings.Cut(strings.TrimSpace(src), "\n")
		where := fmt.Sprintf("cell %d (%q)", i, first)
		n, err := strconv.Atoi(strings.TrimSpace(string(c.ExecutionCount)))
		switch {
		case err != nil:
			problems = append(problems, where+": not executed (no execution count)")
		case n <= last:
			problems = append(problems, fmt.Sprintf("%s: executed out of order (count %d after %d)", where, n, last))
		default:
			last = n
		}
		trimmed := strings.TrimSpace(src)
		if len(c.Outputs) == 0 && (strings.HasPrefix(trimmed, "%%") || strings.HasPrefix(trimmed, "!")) {
			problems = append(problems, where+": a program cell with no output")
		}
		for _, o := range c.Outputs {
			if o.OutputType == "error" {
				problems = append(problems, fmt.Sprintf("%s: error output %s: %s", where, o.Ename, o.Evalue))
			}
		}
	}
	want := CodeHash(sources)
	switch {
	case nb.Metadata.RNNLab == nil || nb.Metadata.RNNLab.CodeSHA256 == "":
		problems = append([]string{"no metadata.rnnlab.code_sha256 stamp: its outputs were not committed by run-notebooks.sh --commit"}, problems...)
	case nb.Metadata.RNNLab.CodeSHA256 != want:
		problems = append([]string{fmt.Sprintf("stale outputs: the code cells changed since the notebook was executed (stamp %.12s, code %.12s)",
			nb.Metadata.RNNLab.CodeSHA256, want)}, problems...)
	}
	return problems, nil
}

// TestCommittedOutputs checks, without executing anything, that every committed notebook holds the
// outputs of its current code cells (see staleness) and that those outputs show what TestNotebooks
// expects of the notebook (figures, printed numbers), so that a reader of the repository sees a
// notebook's real results. It runs even with RNNLAB_SKIP_NOTEBOOKS=1.
func TestCommittedOutputs(t *testing.T) {
	notebooks, err := filepath.Glob("*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if len(notebooks) == 0 {
		t.Fatal("no notebooks in notebooks/")
	}
	for _, nb := range notebooks {
		t.Run(strings.TrimSuffix(nb, ".ipynb"), func(t *testing.T) {
			b, err := os.ReadFile(nb)
			if err != nil {
				t.Fatal(err)
			}
			problems, err := staleness(b)
			if err != nil {
				t.Fatalf("%s: %v", nb, err)
			}
			for _, p := range problems {
				t.Errorf("%s: %s", nb, p)
			}
			if len(problems) > 0 {
				t.Fatalf(commitHint, nb)
			}
			exp, ok := expectations[nb]
			if !ok {
				t.Fatalf("%s has no entry in expectations", nb)
			}
			r, err := review(nb, exp)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range r.problems {
				t.Errorf("%s, committed outputs: %s", nb, p)
			}
			if t.Failed() {
				t.Logf(commitHint, nb)
			}
		})
	}
}

// TestStaleness checks the staleness rules on hand-made notebooks: a fresh one, and one broken in each
// way the check must notice.
func TestStaleness(t *testing.T) {
	code := []string{"import \"fmt\"\n", "%%\nfmt.Println(\"héllo\")", "!echo hi"}
	// The hash as scripts/run-notebooks.sh computes it (python3: sha256 over
	// f"{len(s.encode())}\n{s}\n" per code cell), for these three sources.
	const golden = "b7e0a44cc02d08e47afdb7b7e9c533699c86eb899759623f68120355714c3f15"
	if got := CodeHash(code); got != golden {
		t.Errorf("CodeHash = %s, want %s (the script's hash)", got, golden)
	}
	type cell struct {
		src     string
		count   any
		outputs []map[string]any
	}
	out := []map[string]any{{"output_type": "stream", "name": "stdout", "text": []string{"x\n"}}}
	build := func(stamp string, cells []cell) []byte {
		nb := map[string]any{"nbformat": 4, "nbformat_minor": 5, "metadata": map[string]any{}}
		if stamp != "" {
			nb["metadata"] = map[string]any{"rnnlab": map[string]any{"code_sha256": stamp}}
		}
		var cs []any
		cs = append(cs, map[string]any{"cell_type": "markdown", "source": "# title", "metadata": map[string]any{}})
		for _, c := range cells {
			outs := c.outputs
			if outs == nil {
				outs = []map[string]any{}
			}
			// Sources as lists of lines, as Jupyter writes them.
			var lines []string
			for l := range strings.Lines(c.src) {
				lines = append(lines, l)
			}
			cs = append(cs, map[string]any{"cell_type": "code", "source": lines, "execution_count": c.count,
				"outputs": outs, "metadata": map[string]any{}})
		}
		nb["cells"] = cs
		b, err := json.Marshal(nb)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	fresh := []cell{{code[0], 1, nil}, {code[1], 2, out}, {code[2], 3, out}}
	errOut := []map[string]any{{"output_type": "error", "ename": "ERROR", "evalue": "exit status 2", "traceback": []string{}}}
	for _, tc := range []struct {
		name  string
		stamp string
		cells []cell
		want  []string // prefixes of the problems, in order
	}{
		{"fresh", golden, fresh, nil},
		{"no stamp", "", fresh, []string{"no metadata.rnnlab.code_sha256 stamp"}},
		{"code changed", golden, []cell{fresh[0], {"%%\nfmt.Println(\"hello\")", 2, out}, fresh[2]},
			[]string{"stale outputs: the code cells changed"}},
		{"cell added", golden, append(fresh[:3:3], cell{"%%\nfmt.Println(1)", 4, out}),
			[]string{"stale outputs"}},
		{"not executed", golden, []cell{fresh[0], {code[1], nil, nil}, fresh[2]},
			[]string{`cell 2 ("%%"): not executed`, `cell 2 ("%%"): a program cell with no output`}},
		{"out of order", golden, []cell{fresh[0], {code[1], 3, out}, {code[2], 2, out}},
			[]string{`cell 3 ("!echo hi"): executed out of order (count 2 after 3)`}},
		{"no output", golden, []cell{fresh[0], fresh[1], {code[2], 3, nil}},
			[]string{`cell 3 ("!echo hi"): a program cell with no output`}},
		{"error", golden, []cell{fresh[0], {code[1], 2, errOut}, fresh[2]},
			[]string{`cell 2 ("%%"): error output ERROR: exit status 2`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := staleness(build(tc.stamp, tc.cells))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems %q, want %d starting with %q", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d = %q, want it to start with %q", i, got[i], w)
				}
			}
		})
	}
}
