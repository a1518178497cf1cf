package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// testTaskName is a task registered by these tests only: it belongs to the
// collection "clitest", exposes no options (no RegisterConfig), has trials
// of two lengths, and records whose fields differ between trials, so that
// the every-task tests below cover padding and missing record fields.
const testTaskName = "clitest.Cue-v0"

type cueRecord struct{ Side, Kind, Cue int }

func (r cueRecord) Fields() []tasks.Field {
	f := []tasks.Field{tasks.IntField("ground_truth", r.Side), tasks.IntField("kind", r.Kind)}
	if r.Kind == 1 { // only some trials have these
		f = append(f, tasks.IntField("cue", r.Cue), tasks.FloatField("level", 0.5*float64(r.Cue)))
	}
	return f
}

type cueDef struct{}

func (cueDef) Spec() tasks.Spec {
	return tasks.Spec{
		Name: testTaskName, Dt: 100,
		Timing:  tasks.Timing{"fixation": tasks.Constant(100), "stimulus": tasks.Choice(100, 400), "decision": tasks.Constant(200)},
		Obs:     []tasks.Group{{Name: "fixation", Indices: []int{0}}, {Name: "cue", Indices: []int{1, 2}}},
		Actions: []tasks.Group{{Name: "fixation", Indices: []int{0}}, {Name: "choice", Indices: []int{1, 2}}},
		Rewards: []tasks.NamedValue{{Name: "abort", Value: -0.1}, {Name: "correct", Value: 1}, {Name: "fail", Value: 0}},
	}
}

func (cueDef) NewTrial(b *tasks.Builder) tasks.Record {
	r := cueRecord{Side: b.Int("ground_truth", 2), Kind: b.Int("kind", 2), Cue: b.Int("cue", 3)}
	b.Periods("fixation", "stimulus", "decision")
	b.AddOb("fixation", 1, "fixation", "stimulus")
	b.AddObs("cue", []float64{float64(1 - r.Side), float64(r.Side)}, "stimulus")
	b.SetChoice("choice", r.Side, "decision")
	return r
}

func init() {
	tasks.Register(testTaskName, func(o tasks.Options) (tasks.Task, error) {
		seed := uint64(0)
		if o.Seed != nil {
			seed = *o.Seed
		}
		return tasks.NewEnv(cueDef{}, seed)
	})
}

// TestTrialsEveryTask writes trials of every registered task and checks
// the file against the same task's trials drawn directly.
func TestTrialsEveryTask(t *testing.T) {
	dir := t.TempDir()
	const n, seed = 12, 5
	for _, name := range tasks.Names() {
		path := filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".npz")
		if st, out, errs := cli("trials", "--task", name, "--n", fmt.Sprint(n), "--seed", fmt.Sprint(seed), "--out", path); st != 0 {
			t.Errorf("%s: status %d: %s%s", name, st, out, errs)
			continue
		}
		f, err := npz.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		task, err := tasks.New(name, tasks.WithSeed(seed))
		if err != nil {
			t.Fatal(err)
		}
		checkTrialsFile(t, name, f, task, n)
	}
}

// checkTrialsFile compares the arrays of f with n trials drawn from task.
func checkTrialsFile(t *testing.T, name string, f *npz.File, task tasks.Task, n int) {
	t.Helper()
	trials := make([]*tasks.Trial, n)
	recs := make([]tasks.Record, n)
	T, D := 0, task.ObsSize()
	for i := range trials {
		tr, err := task.NewTrial(nil)
		if err != nil {
			t.Fatal(err)
		}
		trials[i], recs[i] = tr, tr.Record
		T = max(T, tr.N)
	}
	obs, shape, err := f.Float32("obs")
	if err != nil || !slices.Equal(shape, []int{n, T, D}) {
		t.Errorf("%s: obs shape %v (err %v), want %v", name, shape, err, []int{n, T, D})
		return
	}
	gt, ok := f.Arrays["gt"].Data.([]int64)
	if !ok || !slices.Equal(f.Arrays["gt"].Shape, []int{n, T}) {
		t.Errorf("%s: gt is %T of shape %v, want int64 [%d %d]", name, f.Arrays["gt"].Data, f.Arrays["gt"].Shape, n, T)
		return
	}
	length, ok := f.Arrays["length"].Data.([]int64)
	if !ok || !slices.Equal(f.Arrays["length"].Shape, []int{n}) {
		t.Errorf("%s: length is %T of shape %v", name, f.Arrays["length"].Data, f.Arrays["length"].Shape)
		return
	}
	for i, tr := range trials {
		if length[i] != int64(tr.N) {
			t.Errorf("%s: trial %d: length %d, want %d", name, i, length[i], tr.N)
		}
		for s := 0; s < T; s++ {
			want := int64(-1)
			if s < tr.N {
				want = int64(tr.Labels[s])
			}
			if gt[i*T+s] != want {
				t.Fatalf("%s: trial %d step %d: gt %d, want %d", name, i, s, gt[i*T+s], want)
			}
			for c := 0; c < D; c++ {
				want := float32(0)
				if s < tr.N {
					want = tr.Obs[s*D+c]
				}
				if got := obs[(i*T+s)*D+c]; got != want {
					t.Fatalf("%s: trial %d step %d channel %d: obs %v, want %v", name, i, s, c, got, want)
				}
			}
		}
	}
	cols := tasks.Columns(recs)
	if len(f.Arrays) != 3+len(cols) {
		t.Errorf("%s: %d arrays, want obs, gt, length and %d record fields", name, len(f.Arrays), len(cols))
	}
	for _, c := range cols {
		key := c.Name
		if slices.Contains(reservedArrays, key) {
			key = "record_" + key
		}
		a, ok := f.Arrays[key]
		if !ok || !slices.Equal(a.Shape, []int{n}) {
			t.Errorf("%s: record field %s: missing or shape %v", name, c.Name, a.Shape)
			continue
		}
		hasNaN := slices.ContainsFunc(c.Values, math.IsNaN)
		switch data := a.Data.(type) {
		case []int64:
			if !c.Discrete || hasNaN {
				t.Errorf("%s: field %s written as int64, discrete %v, missing values %v", name, c.Name, c.Discrete, hasNaN)
			}
			for i, v := range data {
				if float64(v) != c.Values[i] {
					t.Errorf("%s: field %s trial %d: %d, want %v", name, c.Name, i, v, c.Values[i])
				}
			}
		case []float64:
			if c.Discrete && !hasNaN {
				t.Errorf("%s: discrete field %s without missing values written as float64", name, c.Name)
			}
			for i, v := range data {
				if !(v == c.Values[i] || math.IsNaN(v) && math.IsNaN(c.Values[i])) {
					t.Errorf("%s: field %s trial %d: %v, want %v", name, c.Name, i, v, c.Values[i])
				}
			}
		default:
			t.Errorf("%s: field %s has type %T", name, c.Name, a.Data)
		}
	}
}

// TestTrialsPaddingAndMissingFields checks the test task's file in
// detail: two trial lengths, -1 padding and NaN for missing fields.
func TestTrialsPaddingAndMissingFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cue.npz")
	if st, _, errs := cli("trials", "--task", testTaskName, "--n", "30", "--seed", "1", "--out", path); st != 0 {
		t.Fatalf("status %d: %s", st, errs)
	}
	f, err := npz.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	length := f.Arrays["length"].Data.([]int64)
	gt := f.Arrays["gt"].Data.([]int64)
	if !slices.Contains(length, 4) || !slices.Contains(length, 7) || f.Arrays["gt"].Shape[1] != 7 {
		t.Fatalf("lengths %v, gt shape %v: want trials of 4 and 7 steps", length, f.Arrays["gt"].Shape)
	}
	for i, l := range length {
		if l == 4 && (gt[i*7+3] < 1 || gt[i*7+4] != -1 || gt[i*7+6] != -1) {
			t.Errorf("trial %d: gt %v", i, gt[i*7:(i+1)*7])
		}
	}
	if _, ok := f.Arrays["kind"].Data.([]int64); !ok {
		t.Errorf("kind is %T, want int64", f.Arrays["kind"].Data)
	}
	kind := f.Arrays["kind"].Data.([]int64)
	cue, ok := f.Arrays["cue"].Data.([]float64)
	level := f.Arrays["level"].Data.([]float64)
	if !ok {
		t.Fatalf("cue is %T, want float64 (some trials lack it)", f.Arrays["cue"].Data)
	}
	for i, k := range kind {
		if (k == 0) != math.IsNaN(cue[i]) || (k == 0) != math.IsNaN(level[i]) {
			t.Errorf("trial %d of kind %d: cue %v, level %v", i, k, cue[i], level[i])
		}
	}
}

// TestTrialsSet checks --set on PerceptualDecisionMaking.
func TestTrialsSet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pdm3.npz")
	st, out, errs := cli("trials", "--n", "40", "--seed", "2", "--out", path,
		"--set", "dim_ring=3", "--set", "timing.delay=choice(0,500)", "--set", "cohs=51.2", "--dt", "50")
	if st != 0 {
		t.Fatalf("status %d: %s", st, errs)
	}
	if !strings.Contains(out, "dt 50 ms") {
		t.Errorf("output %q", out)
	}
	f, err := npz.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	task, err := tasks.NewWithSettings(tasks.PerceptualDecisionMakingName,
		[]string{"dim_ring=3", "timing.delay=choice(0,500)", "cohs=51.2"}, tasks.WithSeed(2), tasks.WithDt(50))
	if err != nil {
		t.Fatal(err)
	}
	checkTrialsFile(t, "pdm --set", f, task, 40)
	if sh := f.Arrays["obs"].Shape; sh[2] != 4 || sh[1] != 2+40+10+2 {
		t.Errorf("obs shape %v, want [40 54 4]", sh)
	}
	length := f.Arrays["length"].Data.([]int64)
	if !slices.Contains(length, 44) || !slices.Contains(length, 54) {
		t.Errorf("lengths %v, want 44 and 54", length)
	}
	for _, c := range f.Arrays["coh"].Data.([]float64) {
		if c != 51.2 {
			t.Fatalf("coh %v", c)
		}
	}
}

// TestPlotEnvEveryTask draws every registered task's figure and checks
// that the PNG decodes and is not blank.
func TestPlotEnvEveryTask(t *testing.T) {
	dir := t.TempDir()
	for _, name := range tasks.Names() {
		path := filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".png")
		if st, out, errs := cli("plot-env", "--task", name, "--trials", "2", "--seed", "1", "--out", path); st != 0 || !strings.Contains(out, "wrote "+path) {
			t.Errorf("%s: status %d: %s%s", name, st, out, errs)
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if frac, colours := inked(img); frac < 0.02 || colours < 8 {
			t.Errorf("%s: figure looks blank: %.3f of pixels not white, %d colours", name, frac, colours)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(tasks.Names()) {
		t.Errorf("%d files for %d tasks (temporary files left?)", len(entries), len(tasks.Names()))
	}
}

// inked returns the fraction of pixels that are not white and the number
// of distinct colours (up to 1000).
func inked(img image.Image) (float64, int) {
	r := img.Bounds()
	colours := map[[3]uint32]bool{}
	ink := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if cr < 0xf000 || cg < 0xf000 || cb < 0xf000 {
				ink++
			}
			if len(colours) < 1000 {
				colours[[3]uint32{cr >> 8, cg >> 8, cb >> 8}] = true
			}
		}
	}
	return float64(ink) / float64(r.Dx()*r.Dy()), len(colours)
}

func TestPlotEnvSVG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pdm.svg")
	if st, _, errs := cli("plot-env", "--set", "dim_ring=4", "--trials", "3", "--out", path); st != 0 {
		t.Fatalf("status %d: %s", st, errs)
	}
	b, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte("PerceptualDecisionMaking-v0 env")) {
		t.Errorf("not the SVG figure (err %v): %.200s", err, b)
	}
}

func TestTasksCommand(t *testing.T) {
	st, out, errs := cli("tasks")
	if st != 0 {
		t.Fatalf("status %d: %s", st, errs)
	}
	for _, name := range tasks.Names() {
		task, _ := tasks.New(name)
		row := fmt.Sprintf("%s %d %d %g ", name, task.ObsSize(), task.NumActions(), task.Dt())
		found := false
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.Join(strings.Fields(line), " ")+" ", row) {
				found = true
			}
		}
		if !found {
			t.Errorf("no row %q in\n%s", row, out)
		}
	}
	for _, want := range []string{"fixation=100 stimulus=2000 delay=0 decision=100", "clitest: 1 tasks: Cue-v0",
		"stimulus=choice(100,400)"} {
		if !strings.Contains(out, want) {
			t.Errorf("tasks output lacks %q:\n%s", want, out)
		}
	}

	st, out, _ = cli("tasks", "--json")
	var doc struct {
		Tasks []struct {
			Name       string
			ObsSize    int `json:"obs_size"`
			NumActions int `json:"num_actions"`
			Periods    []struct{ Name, Default string }
			Options    []tasks.OptionInfo
		}
		Collections []struct {
			Name  string
			Tasks []string
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); st != 0 || err != nil || len(doc.Tasks) != len(tasks.Names()) {
		t.Fatalf("tasks --json: status %d, %v, %d tasks", st, err, len(doc.Tasks))
	}
	for _, ti := range doc.Tasks {
		switch ti.Name {
		case tasks.PerceptualDecisionMakingName:
			if ti.ObsSize != 3 || len(ti.Periods) != 4 || ti.Periods[1].Default != "2000" || len(ti.Options) == 0 {
				t.Errorf("PDM: %+v", ti)
			}
		case testTaskName:
			if ti.Options != nil {
				t.Errorf("%s has options %v", ti.Name, ti.Options)
			}
		}
	}
	if !slices.ContainsFunc(doc.Collections, func(c struct {
		Name  string
		Tasks []string
	}) bool {
		return c.Name == "clitest" && slices.Equal(c.Tasks, []string{testTaskName})
	}) {
		t.Errorf("collections %v", doc.Collections)
	}

	st, out, _ = cli("tasks", "--task", tasks.PerceptualDecisionMakingName)
	for _, want := range []string{"3: fixation [0], stimulus [1 2]", "ground_truth, coh",
		"dim_ring ", "timing.stimulus ", "0,6.4,12.8,25.6,51.2"} {
		if st != 0 || !strings.Contains(out, want) {
			t.Errorf("tasks --task PDM: status %d, lacks %q:\n%s", st, want, out)
		}
	}
	_, opts, _ := strings.Cut(out, "\nOptions")
	for _, line := range strings.Split(opts, "\n") {
		if f := strings.Fields(line); len(f) > 0 && (f[0] == "dt" || f[0] == "seed") {
			t.Errorf("dt and seed are flags, not options: %q", line)
		}
	}
	st, out, _ = cli("tasks", "--task", testTaskName)
	if st != 0 || !strings.Contains(out, "exposes no options") {
		t.Errorf("tasks --task %s: status %d\n%s", testTaskName, st, out)
	}
	st, out, _ = cli("tasks", "--task", "clitest")
	if st != 0 || !strings.Contains(out, testTaskName) || strings.Contains(out, tasks.PerceptualDecisionMakingName) {
		t.Errorf("tasks --task clitest: status %d\n%s", st, out)
	}
}

// TestTaskCommandLineErrors checks the one-line errors for bad tasks,
// options and values, and that nothing is written.
func TestTaskCommandLineErrors(t *testing.T) {
	dir := t.TempDir()
	npzOut, pngOut := filepath.Join(dir, "x.npz"), filepath.Join(dir, "x.png")
	pdmOptions := "options: dt, dim_ring, cohs, sigma, timing.fixation"
	cases := []struct {
		args   []string
		status int
		msg    []string
	}{
		{[]string{"trials", "--task", "NoTask-v0", "--out", npzOut}, 2, []string{`unknown task "NoTask-v0"; known tasks: `, tasks.PerceptualDecisionMakingName, testTaskName}},
		{[]string{"trials", "--set", "bogus=1", "--out", npzOut}, 2, []string{`unknown option "bogus"`, pdmOptions}},
		{[]string{"trials", "--set", "timing.nope=100", "--out", npzOut}, 2, []string{`unknown option "timing.nope"`, "timing.decision"}},
		{[]string{"trials", "--set", "dim_ring=two", "--out", npzOut}, 2, []string{`option dim_ring: "two" is not an integer`}},
		{[]string{"trials", "--set", "cohs=1,x", "--out", npzOut}, 2, []string{`option cohs: "1,x" is not a list of numbers`}},
		{[]string{"trials", "--set", "abort=perhaps", "--out", npzOut}, 2, []string{`option abort: "perhaps" is not a bool`}},
		{[]string{"trials", "--set", "timing.delay=soon", "--out", npzOut}, 2, []string{`option timing.delay: duration "soon"`}},
		{[]string{"trials", "--set", "dim_ring=1", "--out", npzOut}, 2, []string{"dim_ring = 1: need at least 2 choices"}},
		{[]string{"trials", "--set", "sigma=-2", "--out", npzOut}, 2, []string{"sigma = -2"}},
		{[]string{"trials", "--set", "timing.stimulus=uniform(9,3)", "--out", npzOut}, 2, []string{"min > max"}},
		{[]string{"trials", "--set", "dim_ring", "--out", npzOut}, 2, []string{`setting "dim_ring": want key=value`}},
		{[]string{"trials", "--set", "seed=4", "--out", npzOut}, 2, []string{"use --seed"}},
		{[]string{"trials", "--set", "dt=4", "--out", npzOut}, 2, []string{"use --dt"}},
		{[]string{"trials", "--dt", "abc", "--out", npzOut}, 2, []string{`invalid value "abc" for flag -dt`}},
		{[]string{"trials", "--task", testTaskName, "--set", "x=1", "--out", npzOut}, 2, []string{testTaskName + " exposes no options"}},
		{[]string{"trials", "--task", testTaskName, "--fixation-only-in-fixation", "--out", npzOut}, 2, []string{"applies to " + tasks.PerceptualDecisionMakingName + " only"}},
		{[]string{"plot-env", "--out", filepath.Join(dir, "x.jpg")}, 2, []string{`unknown figure format ".jpg" (want .png, .svg, .pdf)`}},
		{[]string{"plot-env", "--out", filepath.Join(dir, "x")}, 2, []string{`unknown figure format ""`}},
		{[]string{"plot-env"}, 2, []string{"--out is required"}},
		{[]string{"plot-env", "--trials", "0", "--out", pngOut}, 2, []string{"--trials must be in 1..1000"}},
		{[]string{"plot-env", "--task", "Nope-v0", "--out", pngOut}, 2, []string{"unknown task", tasks.PerceptualDecisionMakingName}},
		{[]string{"plot-env", "--set", "bogus=1", "--out", pngOut}, 2, []string{`unknown option "bogus"`, pdmOptions}},
		{[]string{"plot-env", "--set", "dim_ring=0.5", "--out", pngOut}, 2, []string{`"0.5" is not an integer`}},
		{[]string{"plot-env", "--out", filepath.Join(dir, "missing", "x.png")}, 1, []string{"does not exist"}},
		{[]string{"tasks", "--task", "Nope-v0"}, 2, []string{`unknown task "Nope-v0"; known tasks: `, "collections: clitest"}},
		{[]string{"tasks", "extra"}, 2, []string{"unexpected argument"}},
	}
	for _, c := range cases {
		st, _, errs := cli(c.args...)
		ok := st == c.status && len(stderrLines(errs)) == 1 && !strings.Contains(errs, "goroutine")
		for _, m := range c.msg {
			ok = ok && strings.Contains(errs, m)
		}
		if !ok {
			t.Errorf("%v: status %d, stderr %q; want status %d and one line with %q", c.args, st, errs, c.status, c.msg)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}
