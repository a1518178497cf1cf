package sweep

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/models"
)

func mustParse(t *testing.T, text string) *Sweep {
	t.Helper()
	s, err := ParseString(text, "/sweeps")
	if err != nil {
		t.Fatalf("ParseString: %v\n%s", err, text)
	}
	return s
}

func labels(s *Sweep) []string {
	var out []string
	for _, r := range s.Runs {
		out = append(out, s.Label(r))
	}
	return out
}

// TestGridOrder: the runs are the product of the axes in file order, the
// last fastest; a base value applies where no axis overrides it.
func TestGridOrder(t *testing.T) {
	s := mustParse(t, `
out = "o"
steps = 10
[base]
hidden = 5
lr = 1   # an integer for a float key
[axes]
task = ["PerceptualDecisionMaking-v0", "DelayComparison-v0"]
seed = [0, 1, 2]
`)
	want := []string{
		"task=PerceptualDecisionMaking-v0 seed=0", "task=PerceptualDecisionMaking-v0 seed=1", "task=PerceptualDecisionMaking-v0 seed=2",
		"task=DelayComparison-v0 seed=0", "task=DelayComparison-v0 seed=1", "task=DelayComparison-v0 seed=2",
	}
	if got := labels(s); !slices.Equal(got, want) {
		t.Fatalf("runs %q, want %q", got, want)
	}
	r := s.Runs[4]
	if r.Params.Task != "DelayComparison-v0" || r.Params.Seed != 1 || r.Params.Hidden != 5 || r.Params.LR != 1 || r.Params.Steps != 10 || r.Params.Cell != models.CellCTRNN {
		t.Errorf("run 4 params %+v", r.Params)
	}
	if s.Out != "/sweeps/o" || s.Threads != 1 || !s.Analysis.Enabled || s.Analysis.Trials != 100 {
		t.Errorf("out %q threads %d analysis %+v", s.Out, s.Threads, s.Analysis)
	}
}

// TestZipAndRanges: zipped axes advance together at the place of their
// first member; ranges expand inclusively (step) or to num values (linear
// or log).
func TestZipAndRanges(t *testing.T) {
	s := mustParse(t, `
out = "o"
steps = 10
analyse = false
zip = [["hidden", "lr"]]
[axes]
hidden = { from = 8, to = 24, step = 8 }
seed = { from = 0, to = 1 }
lr = { from = 1e-4, to = 1e-2, num = 3, scale = "log" }
`)
	want := []string{
		"hidden=8 seed=0 lr=0.0001", "hidden=8 seed=1 lr=0.0001",
		"hidden=16 seed=0 lr=0.001", "hidden=16 seed=1 lr=0.001",
		"hidden=24 seed=0 lr=0.01", "hidden=24 seed=1 lr=0.01",
	}
	got := labels(s)
	for i := range got { // the log range's middle value is 0.001 up to rounding
		got[i] = strings.Replace(got[i], "lr=0.0010000000000000002", "lr=0.001", 1)
		got[i] = strings.Replace(got[i], "lr=0.0009999999999999998", "lr=0.001", 1)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("runs %q, want %q", got, want)
	}
	s = mustParse(t, `
out = "o"
steps = 10
[axes]
tau = { from = 100, to = 200, num = 3 }
`)
	if got := labels(s); !slices.Equal(got, []string{"tau=100", "tau=150", "tau=200"}) {
		t.Errorf("linear range: %q", got)
	}
}

// TestPlanIsStable: a run's folder depends only on its index and its
// configuration, not on where the sweep folder is nor on the parse.
func TestPlanIsStable(t *testing.T) {
	text := `
out = "%s"
steps = 10
[axes]
seed = [0, 1]
hidden = [4, 8]
`
	a := mustParse(t, fmt.Sprintf(text, "a"))
	b := mustParse(t, fmt.Sprintf(text, "/elsewhere/b"))
	if a.ID != b.ID {
		t.Errorf("sweep ids differ: %s, %s", a.ID, b.ID)
	}
	for i := range a.Runs {
		if a.Runs[i].ID != b.Runs[i].ID {
			t.Errorf("run %d: ids %s and %s", i, a.Runs[i].ID, b.Runs[i].ID)
		}
		if got, want := a.Runs[i].Dir(a.Out), filepath.Join("/sweeps/a/runs", a.Runs[i].ID); got != want {
			t.Errorf("run %d folder %s, want %s", i, got, want)
		}
		if !strings.HasPrefix(a.Runs[i].ID, fmt.Sprintf("%04d-", i)) {
			t.Errorf("run %d id %s", i, a.Runs[i].ID)
		}
	}
	c := mustParse(t, strings.Replace(fmt.Sprintf(text, "a"), "steps = 10", "steps = 11", 1))
	if c.ID == a.ID || c.Runs[0].ID == a.Runs[0].ID {
		t.Errorf("another number of steps keeps the ids %s, %s", c.ID, c.Runs[0].ID)
	}
	seen := map[string]bool{}
	for _, r := range a.Runs {
		if seen[r.ID] {
			t.Errorf("duplicate run id %s", r.ID)
		}
		seen[r.ID] = true
	}
}

// TestBadSweepFiles: every bad file is a one-line error naming the
// problem.
func TestBadSweepFiles(t *testing.T) {
	base := "out = \"o\"\nsteps = 10\n"
	cases := []struct{ text, want string }{
		{"", "empty sweep file"},
		{"  \n# nothing\n", "empty sweep file"},
		{"steps = 10\n", `"out" (the sweep folder) is required`},
		{base + "bogus = 1\n", `unknown key "bogus"`},
		{base + "[base]\nhiden = 3\n", `unknown key "base.hiden"`},
		{base + "[analysis]\ntrails = 3\n", `unknown key "analysis.trails"`},
		{base + "[axes]\nsize = [1, 2]\n", `unknown axis "size"`},
		{base + "[base]\nhidden = \"big\"\n", "base.hidden"},
		{base + "steps = 3\n", "steps"},
		{"out = \"o\"\nsteps = \"many\"\n", "steps"},
		{base + "[axes]\nhidden = [4, \"x\"]\n", `key "axes.hidden", value 2: want an integer, got the string "x"`},
		{base + "[axes]\nhidden = [4.5]\n", `want an integer, got the number 4.5`},
		{base + "[axes]\ntask = [3]\n", `want a string, got the integer 3`},
		{base + "[axes]\nlr = [\"fast\"]\n", `want a number, got the string "fast"`},
		{base + "[axes]\nseed = []\n", `key "axes.seed": no values`},
		{base + "[axes]\nseed = 3\n", `key "axes.seed": want a list of values or a range table`},
		{base + "[axes]\nseed = {from = 0, to = 3, stride = 1}\n", `unknown range key "stride"`},
		{base + "[axes]\nseed = {from = 0}\n", `a range needs from and to`},
		{base + "[axes]\nseed = {from = 0, to = 1, step = 0.5}\n", `takes integers`},
		{base + "[axes]\nlr = {from = 0, to = 1, num = 3, scale = \"log\"}\n", `log range needs from and to > 0`},
		{base + "zip = [[\"seed\", \"hidden\"]]\n[axes]\nseed = [0, 1]\nhidden = [4]\n", `differ in length`},
		{base + "zip = [[\"seed\", \"lr\"]]\n[axes]\nseed = [0, 1]\n", `"lr" is not an axis`},
		{base + "zip = [[\"seed\"]]\n[axes]\nseed = [0, 1]\n", `needs at least two axes`},
		{base + "[base]\ncell = \"rnn\"\n", `unknown cell "rnn"; known cells: ctrnn, ei, gru, lstm, ugrnn, leaky`},
		{base + "[axes]\ntask = [\"PerceptualDecisionMaking-v0\", \"Nope-v0\"]\n", `run 1 (task=Nope-v0): unknown task "Nope-v0"`},
		{"out = \"o\"\n", `steps must be > 0`},
		{base + "[base]\ntau = 50\n", `tau must be >= dt`},
		{base + "[axes]\nseed = [-1]\n", `seed must be >= 0`},
		{base + "threads = 0\n", `"threads" must be in 1..1024, got 0`},
		// Issue 19: non-finite and overflowing bounds, axes that are not a
		// table, non-finite base values, sizes beyond the bounds.
		{base + "threads = 100000000\n", `"threads" must be in 1..1024, got 100000000`},
		{base + "[analysis]\ntrials = 1000000000000\n", `"analysis.trials" must be in 1..1000000`},
		{base + "[analysis]\ntrials = 0\n", `"analysis.trials" must be in 1..1000000`},
		{base + "[axes]\nseed = {from = nan, to = 3}\n", `key "axes.seed.from": want a finite number, got NaN`},
		{base + "[axes]\nseed = {from = 0, to = inf}\n", `key "axes.seed.to": want a finite number, got +Inf`},
		{base + "[axes]\nseed = {from = 0, to = 3, step = nan}\n", `key "axes.seed.step": want a finite number`},
		{base + "[axes]\nlr = {from = -inf, to = 1, num = 3}\n", `key "axes.lr.from": want a finite number`},
		{base + "[axes]\nlr = {from = 1e-3, to = 1, num = nan}\n", `key "axes.lr.num": want a finite number`},
		{base + "[axes]\nseed = {from = 1e19, to = 1e19}\n", `key "axes.seed.from": seed takes integers in -2^53..2^53, got 1e+19`},
		{base + "[axes]\nhidden = {from = 1, to = 1e300, num = 2}\n", `key "axes.hidden.to": hidden takes integers`},
		{base + "axes = \"seed\"\n", `key "axes": want a table of axes ([axes] with seed = [0, 1], ...), got a string`},
		{base + "axes = [1, 2]\n", `key "axes": want a table of axes`},
		{base + "axes = 5\n", `key "axes": want a table of axes ([axes] with seed = [0, 1], ...), got an integer`},
		{base + "[[axes]]\nseed = 1\n", `key "axes": want a table of axes`},
		{base + "[base]\nlr = inf\n", `key "base.lr": want a finite number, got +Inf`},
		{base + "[base]\ntau = nan\n", `key "base.tau": want a finite number, got NaN`},
		{base + "[base]\ndt = -inf\n", `key "base.dt": want a finite number, got -Inf`},
		{base + "[axes]\nlr = [1e-3, inf]\n", `key "axes.lr", value 2: want a finite number, got +Inf`},
		{base + "[analysis]\ninput = []\n", `"analysis.input" is empty`},
		{base + "[analysis]\ntolerance = -1.0\n", `"analysis.tolerance" must be > 0`},
		{base + "analyse = \"yes\"\n", "analyse"},
	}
	for _, c := range cases {
		_, err := ParseString(c.text, "/x")
		if err == nil {
			t.Errorf("no error for\n%s", c.text)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("error %q, want one line containing %q, for\n%s", msg, c.want, c.text)
		}
	}
}

// TestSearchInput: the tutorial's input for 3-input tasks, the file's
// input when its length fits, otherwise a note.
func TestSearchInput(t *testing.T) {
	s := mustParse(t, "out = \"o\"\nsteps = 1\n")
	if in, note := s.searchInput(3); len(in) != 3 || note != "" {
		t.Errorf("3 inputs: %v %q", in, note)
	}
	if in, note := s.searchInput(2); in != nil || !strings.Contains(note, "the task has 2 inputs") {
		t.Errorf("2 inputs: %v %q", in, note)
	}
	s = mustParse(t, "out = \"o\"\nsteps = 1\n[analysis]\ninput = [1, 0]\n")
	if in, note := s.searchInput(2); len(in) != 2 || in[0] != 1 || note != "" {
		t.Errorf("explicit input: %v %q", in, note)
	}
	if in, note := s.searchInput(3); in != nil || !strings.Contains(note, "input has 2 values") {
		t.Errorf("explicit input, 3-input task: %v %q", in, note)
	}
}
