package notebooks

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// jupyter is Debian's jupyter, installed by scripts/setup.sh; other python3 installations may lack it.
const jupyter = "/usr/bin/jupyter"

// cellTimeout is the longest a single cell may run (nbconvert's ExecutePreprocessor.timeout).
const cellTimeout = 15 * time.Minute

// A numberCheck looks for lines of a notebook's printed output matching a regular expression.
type numberCheck struct {
	what string // what is checked, for messages
	// re is matched against each printed line; its first capture group, if any, is the number checked.
	re string
	// count is the exact number of lines that must match; 0 means at least one.
	count int
	// min and max bound the number in the last matching line (when re has a capture group).
	min, max float64
}

// expectation is what an executed notebook must show.
type expectation struct {
	figures int // at least this many figures (PNG or SVG outputs)
	checks  []numberCheck
}

// expectations holds one entry per notebook in this folder; a notebook without one fails the test, so
// that every notebook is checked for more than running without errors. The regular expressions follow
// the notebooks' print formats: change both together.
var expectations = map[string]expectation{
	"tutorial.ipynb": {
		// Two sample trials, the live training curves, PCA trajectories, fixed points, line attractor,
		// eigenvalue spectrum, one trial at a chosen coherence (the 3-D view is HTML and JavaScript,
		// checked by its printed line).
		figures: 7,
		checks: []numberCheck{
			{what: "task sizes", re: `^input_size = 3, output_size = 3, batch_size = 16$`, count: 1},
			{what: "network", re: `^CTRNN: 3 inputs, 64 hidden units, 3 outputs, tau = 100 ms, dt = 100 ms, alpha = (\S+)$`,
				count: 1, min: 1, max: 1},
			{what: "training log every 100 steps", re: `^Step (\d+), Loss [0-9.]+, Acc [0-9.]+$`, count: 15, min: 1500, max: 1500},
			{what: "final training accuracy", re: `^Step 1500, Loss [0-9.]+, Acc ([0-9.]+)$`, count: 1, min: 0.8, max: 1},
			{what: "final training loss", re: `^Step 1500, Loss ([0-9.]+), Acc`, count: 1, min: 0, max: 0.05},
			{what: "activity shape", re: `^Shape of the neural activity \(time points, neurons\): \((\d+), 64\)$`,
				count: 1, min: 2200, max: 2200},
			{what: "accuracy on the analysis trials", re: `^Accuracy on these trials: ([0-9.]+)$`, count: 1, min: 0.7, max: 1},
			{what: "first five trials", re: `^Trial \d: ground truth [01], coherence ([0-9.]+)$`, count: 5, min: 0, max: 51.2},
			{what: "fixed-point candidates", re: `^Fixed point candidates: \((\d+), 64\)$`, count: 1, min: 2200, max: 2200},
			{what: "number of fixed points", re: `^Number of fixed points: (\d+) `, count: 1, min: 5, max: 2200},
			{what: "exact fixed points from Newton", re: `^Newton's method: \d+ of \d+ slow points converged, to (\d+) distinct exact fixed point`,
				count: 1, min: 1, max: 50},
			{what: "slow mode at an exact fixed point", re: `^  exact fixed point 1 at PC .*largest real part of its eigenvalues ([-0-9.]+)$`,
				count: 1, min: 0.5, max: 1.2},
			{what: "leading eigenvalue (largest real part)", re: `^Largest real part: ([-0-9.]+) `, count: 1, min: 0.5, max: 1.2},
			{what: "spectral radius", re: `^Largest modulus \(spectral radius\): ([0-9.]+)$`, count: 1, min: 0.5, max: 2},
			{what: "3-D view of the slow points", re: `^3-D view: 20 trials, (\d+) fixed points \(\d+ stable, \d+ unstable\)`,
				count: 1, min: 5, max: 2200},
		},
	},
}

func TestNotebooks(t *testing.T) {
	if os.Getenv("RNNLAB_SKIP_NOTEBOOKS") == "1" {
		t.Skip("RNNLAB_SKIP_NOTEBOOKS=1")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if root, err = filepath.EvalSymlinks(root); err != nil {
		t.Fatal(err)
	}
	checkKernel(t)
	statInputs(t, root)

	notebooks, err := filepath.Glob("*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if len(notebooks) == 0 {
		t.Fatal("no notebooks in notebooks/")
	}
	for name := range expectations {
		if !slices.Contains(notebooks, name) {
			t.Errorf("expectations list %s, which is not in notebooks/", name)
		}
	}

	out := os.Getenv("RNNLAB_NOTEBOOK_OUT")
	if out == "" {
		out = t.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, nb := range notebooks {
		t.Run(strings.TrimSuffix(nb, ".ipynb"), func(t *testing.T) {
			exp, ok := expectations[nb]
			if !ok {
				t.Fatalf("%s has no entry in expectations (notebooks_test.go): add the figures and printed numbers it must show", nb)
			}
			executed := execute(t, nb, out)
			checkNotebook(t, executed, exp)
		})
	}
}

// checkKernel fails the test with a hint to run scripts/setup.sh unless Jupyter, GoNB and its tools are
// installed and the gonb kernel is registered as scripts/setup.sh does it.
func checkKernel(t *testing.T) {
	t.Helper()
	if err := kernelProblem(); err != nil {
		t.Fatalf("%v: run scripts/setup.sh (or set RNNLAB_SKIP_NOTEBOOKS=1 to skip the notebooks)", err)
	}
}

// kernelProblem says what is missing for running notebooks: Jupyter, GoNB and its tools, or a gonb kernel
// that starts through scripts/gonb-kernel.sh (which gives each notebook the library of the checkout it
// lives in). It returns nil when nothing is.
func kernelProblem() error {
	if _, err := os.Stat(jupyter); err != nil {
		return fmt.Errorf("%s not found", jupyter)
	}
	for _, tool := range []string{"gonb", "goimports", "gopls"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is not on PATH", tool)
		}
	}
	cmd := exec.Command(jupyter, "kernelspec", "list", "--json")
	cmd.Stderr = nil
	js, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("jupyter kernelspec list: %v", err)
	}
	var specs struct {
		Kernelspecs map[string]struct {
			ResourceDir string `json:"resource_dir"`
			Spec        struct {
				Argv []string          `json:"argv"`
				Env  map[string]string `json:"env"`
			} `json:"spec"`
		} `json:"kernelspecs"`
	}
	if err := json.Unmarshal(js, &specs); err != nil {
		return fmt.Errorf("jupyter kernelspec list: %v", err)
	}
	gonb, ok := specs.Kernelspecs["gonb"]
	if !ok {
		return fmt.Errorf("the gonb kernel is not registered with Jupyter")
	}
	// The kernel file is an input of the notebook tests: stat it so that go test's cache notices a change.
	_, _ = os.Stat(filepath.Join(gonb.ResourceDir, "kernel.json"))
	argv := gonb.Spec.Argv
	if len(argv) == 0 || filepath.Base(argv[0]) != "gonb-kernel.sh" {
		return fmt.Errorf("the gonb kernel (%s) does not start through scripts/gonb-kernel.sh (argv %q): its notebooks would use the library of the checkout that registered it",
			gonb.ResourceDir, argv)
	}
	for _, exe := range []string{argv[0], gonb.Spec.Env["RNNLAB_GONB"]} {
		if fi, err := os.Stat(exe); err != nil || fi.Mode()&0o111 == 0 || fi.IsDir() {
			return fmt.Errorf("the gonb kernel (%s) runs %q, which is not an executable file", gonb.ResourceDir, exe)
		}
	}
	return nil
}

// statInputs stats every Go source, module file and notebook of the repository. This package imports
// nothing of rnnlab, so without this go test would cache the result and miss a change of the library; it
// records the files the test looked at, and a changed file invalidates the cached result.
func statInputs(t *testing.T, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "out" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".mod", ".sum", ".ipynb":
			_, err = os.Stat(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// execute runs the notebook with nbconvert, in this folder as the notebook server would, and returns the
// path of the executed copy in out.
func execute(t *testing.T, nb, out string) string {
	t.Helper()
	ctx := context.Background()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-30*time.Second))
		defer cancel()
	}
	name := strings.TrimSuffix(nb, ".ipynb")
	executed := filepath.Join(out, name+".ipynb")
	logPath := filepath.Join(out, name+".log")
	cmd := exec.CommandContext(ctx, jupyter, "nbconvert", "--to", "notebook", "--execute",
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(cellTimeout.Seconds())),
		"--output-dir="+out, "--output="+name+".ipynb", nb)
	cmd.WaitDelay = 10 * time.Second
	// No browser answers GoNB's widgets: rnnlab/nbui's interactive cells draw their first frame only.
	cmd.Env = append(os.Environ(), "RNNLAB_NOTEBOOK_HEADLESS=1")
	start := time.Now()
	log, err := cmd.CombinedOutput()
	if werr := os.WriteFile(logPath, log, 0o644); werr != nil {
		t.Log(werr)
	}
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (stopped before go test's -timeout; give it more, e.g. -timeout 30m)", err)
		}
		t.Fatalf("executing %s failed after %v: %v\n%s", nb, time.Since(start).Round(time.Second), err, logTail(log, 40))
	}
	t.Logf("%s executed in %v", nb, time.Since(start).Round(time.Second))
	return executed
}

// infoLine matches GoNB's info log lines (I1129 05:00:40.419589 ...).
var infoLine = regexp.MustCompile(`^I\d{4} `)

// logTail returns the last n lines of the kernel's log, without GoNB's info lines.
func logTail(log []byte, n int) string {
	var lines []string
	for line := range strings.Lines(string(log)) {
		if !infoLine.MatchString(line) {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines[max(0, len(lines)-n):], "")
}

// notebook is the part of the .ipynb format the checks read.
type notebook struct {
	Cells []struct {
		CellType string          `json:"cell_type"`
		Source   multiline       `json:"source"`
		Outputs  []output        `json:"outputs"`
		Metadata json.RawMessage `json:"metadata"`
	} `json:"cells"`
}

type output struct {
	OutputType string               `json:"output_type"`
	Name       string               `json:"name"` // stdout or stderr, for streams
	Text       multiline            `json:"text"`
	Data       map[string]multiline `json:"data"`
	Ename      string               `json:"ename"`
	Evalue     string               `json:"evalue"`
}

// multiline is a notebook string, stored either as one string or as a list of lines.
type multiline string

func (m *multiline) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*m = multiline(s)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		// Non-string data (e.g. application/json outputs) is not read by the checks.
		return nil
	}
	*m = multiline(strings.Join(lines, ""))
	return nil
}

// checkNotebook reads an executed notebook and reports what does not meet exp.
func checkNotebook(t *testing.T, path string, exp expectation) {
	t.Helper()
	r, err := review(path, exp)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.problems {
		t.Error(p)
	}
	t.Logf("%d figures", r.figures)
	if t.Failed() {
		t.Logf("printed output:\n%s", r.printed)
	}
}

// A report is what review found in an executed notebook.
type report struct {
	problems []string // each a sentence naming the cell or check
	figures  int
	printed  string // stdout and text/plain outputs, in order
}

// review reads an executed notebook and lists its problems: error outputs, panics, fewer figures than
// expected, printed numbers missing or out of range.
func review(path string, exp expectation) (report, error) {
	var r report
	b, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	var nb notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return r, fmt.Errorf("%s: %v", path, err)
	}
	var printed strings.Builder
	for i, cell := range nb.Cells {
		first, _, _ := strings.Cut(strings.TrimSpace(string(cell.Source)), "\n")
		where := fmt.Sprintf("cell %d (%q)", i, first)
		for _, o := range cell.Outputs {
			switch o.OutputType {
			case "error":
				r.problems = append(r.problems, fmt.Sprintf("%s: error output: %s: %s", where, o.Ename, o.Evalue))
			case "stream":
				if o.Name == "stderr" && strings.Contains(string(o.Text), "panic") {
					r.problems = append(r.problems, fmt.Sprintf("%s: panic on stderr:\n%s", where, o.Text))
				}
				if o.Name == "stdout" {
					printed.WriteString(string(o.Text))
				}
			case "display_data", "execute_result":
				n, err := countFigures(o.Data)
				if err != nil {
					r.problems = append(r.problems, fmt.Sprintf("%s: %v", where, err))
				}
				r.figures += n
				if text, ok := o.Data["text/plain"]; ok {
					printed.WriteString(string(text) + "\n")
				}
			}
		}
	}
	r.printed = printed.String()
	if r.figures < exp.figures {
		r.problems = append(r.problems, fmt.Sprintf("%d figures, want at least %d", r.figures, exp.figures))
	}
	for _, c := range exp.checks {
		if err := c.check(r.printed); err != nil {
			r.problems = append(r.problems, err.Error())
		}
	}
	return r, nil
}

// countFigures counts the figures in one display output: a PNG (which must decode and be at least 100×100
// pixels), an SVG, or HTML embedding either (GoNB's DisplaySvg and live UpdateHtml plots).
func countFigures(data map[string]multiline) (int, error) {
	if p, ok := data["image/png"]; ok {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(p)))
		if err != nil {
			return 0, fmt.Errorf("image/png output is not base64: %v", err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(raw))
		if err != nil {
			return 0, fmt.Errorf("image/png output does not decode: %v", err)
		}
		if cfg.Width < 100 || cfg.Height < 100 {
			return 0, fmt.Errorf("image/png output is only %d×%d pixels", cfg.Width, cfg.Height)
		}
		return 1, nil
	}
	if _, ok := data["image/svg+xml"]; ok {
		return 1, nil
	}
	html := string(data["text/html"])
	return strings.Count(html, "<svg") + strings.Count(html, "data:image/png;base64,"), nil
}

// check finds the lines of printed matching c.re and checks their number and the last one's value.
func (c numberCheck) check(printed string) error {
	re, err := regexp.Compile(c.re)
	if err != nil {
		return fmt.Errorf("%s: bad regexp %q: %v", c.what, c.re, err)
	}
	var last []string
	n := 0
	for line := range strings.Lines(printed) {
		if m := re.FindStringSubmatch(strings.TrimRight(line, "\r\n")); m != nil {
			n++
			last = m
		}
	}
	switch {
	case n == 0:
		return fmt.Errorf("%s: no printed line matches %q", c.what, c.re)
	case c.count > 0 && n != c.count:
		return fmt.Errorf("%s: %d printed lines match %q, want %d", c.what, n, c.re, c.count)
	case len(last) < 2:
		return nil
	}
	v, err := strconv.ParseFloat(last[1], 64)
	if err != nil {
		return fmt.Errorf("%s: %q in %q is not a number", c.what, last[1], last[0])
	}
	if v < c.min || v > c.max {
		return fmt.Errorf("%s: %v (in %q) is outside [%v, %v]", c.what, v, last[0], c.min, c.max)
	}
	return nil
}
