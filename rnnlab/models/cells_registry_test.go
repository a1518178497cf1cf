package models

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
)

// TestCellsRegistry checks what every registered cell declares: a unique
// name that LookupCell finds, parameters whose read-out comes last with
// the shapes the read-out needs, initial values of those shapes, and a
// state and read size within what the rest of the package assumes.
func TestCellsRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range registry {
		name := k.Name()
		if seen[name] {
			t.Fatalf("cell %q registered twice", name)
		}
		seen[name] = true
		if got, err := LookupCell(name); err != nil || got != k {
			t.Errorf("LookupCell(%q) = %v, %v", name, got, err)
		}
		cfg := Config{Cell: name, NumInput: 3, NumHidden: 10, NumOutput: 4, Dt: 20, Tau: 100}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		specs := k.Params(cfg)
		n := len(specs)
		if n < 3 || specs[n-2].Name != "w_ro" || specs[n-1].Name != "b_ro" {
			t.Errorf("%s: parameters %v do not end with the read-out w_ro, b_ro", name, cfg.ParamNames())
		}
		if R, O := cfg.ReadSize(), cfg.NumOutput; len(specs[n-2].Shape) != 2 || specs[n-2].Shape[0] != R || specs[n-2].Shape[1] != O {
			t.Errorf("%s: w_ro has shape %v, want [%d %d]", name, specs[n-2].Shape, R, O)
		}
		for _, s := range specs {
			if s.Doc == "" {
				t.Errorf("%s: parameter %s has no description for numpy users", name, s.Name)
			}
		}
		if S, H := cfg.StateSize(), cfg.NumHidden; S < H || cfg.ReadSize() > H {
			t.Errorf("%s: state size %d, read size %d for %d units", name, S, cfg.ReadSize(), H)
		}
		p, err := NewParams(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.CheckShapes(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if k.Summary() == "" {
			t.Errorf("%s has no summary", name)
		}
	}
	if _, err := LookupCell("rnn"); err == nil || !strings.Contains(err.Error(), strings.Join(Cells[:len(Cells)-1], ", ")) {
		t.Errorf("LookupCell of an unknown name: %v, want the list of cells", err)
	}
}

// TestCellsNoSwitch checks that no Go file of the library outside the
// cells' own files (models/cell_*.go) compares a cell's name: code asks
// the registered cell (Config.CellOptions, Cell's methods) instead. The
// studies of one cell (eirnn, lstmviz) check that they were given that
// cell, and the benchmark picks its per-cell network settings: those are
// choices of a cell, not switches on it, and are left out.
func TestCellsNoSwitch(t *testing.T) {
	var names []string
	for _, k := range registry {
		names = append(names, regexp.QuoteMeta(k.Name()))
	}
	consts := `Cell(CTRNN|EI|GRU|LSTM|UGRNN|[A-Z][A-Za-z]*)\b`
	lit := `"(` + strings.Join(names, "|") + `)"`
	bad := regexp.MustCompile(`CellName\(\)\s*(==|!=)|(==|!=)\s*(models\.)?(` + consts + `|` + lit + `)|case\s+[^:]*(\b` + consts + `|` + lit + `)[^:]*:`)
	for _, line := range []string{`if p.CellName() != CellEI {`, `case models.CellCTRNN, models.CellEI:`, `if cfg.Cell == "gru" {`, `case "lstm":`, `lstm := c == CellLSTM`} {
		if !bad.MatchString(line) {
			t.Fatalf("the pattern misses %q", line)
		}
	}
	skip := map[string]bool{"eirnn": true, "lstmviz": true, "bench": true}
	root := ".."
	n := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skip[d.Name()] || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if filepath.Base(filepath.Dir(path)) == "models" && strings.HasPrefix(filepath.Base(path), "cell_") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		for i, line := range strings.Split(string(data), "\n") {
			code, _, _ := strings.Cut(line, "//")
			if bad.MatchString(code) {
				t.Errorf("%s:%d compares a cell name: %s", path, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("scanned %d files; is the walk rooted at the library?", n)
	}
}

// noKernelCell is the GRU declaring neither a CPU engine nor a CPU
// evaluator, under another name: a cell that falls back to GoMLX.
type noKernelCell struct{ gruCell }

func (noKernelCell) Name() string                        { return "gru-gomlx" }
func (noKernelCell) NewCPUEngine(Config) (Engine, error) { return nil, nil }
func (noKernelCell) NewCPUEvaluator(*Params) (fixedpoints.InputJacobianEvaluator, error) {
	return nil, nil
}

// TestCellsFallback registers a cell without CPU kernels: "auto" gives the
// GoMLX engine and evaluator, which agree with the GRU's own kernels on the
// same weights, and an explicit "cpu" is an error.
func TestCellsFallback(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles GoMLX graphs")
	}
	saved := registry
	registry = append(append([]Cell(nil), registry...), noKernelCell{})
	t.Cleanup(func() { registry = saved })

	cfg := Config{Cell: "gru-gomlx", NumInput: 3, NumHidden: 6, NumOutput: 3, Dt: 100, Tau: 100}
	own := cfg
	own.Cell = CellGRU
	p := perturbed(t, cfg, 9)
	q := p.Clone()
	q.Config = own
	for _, name := range []string{EngineAuto, EngineCPU} {
		_, errE := NewEngine(name, cfg)
		_, errF := NewEvaluator(p, name)
		if name == EngineCPU && (errE == nil || errF == nil) {
			t.Errorf("engine cpu for a cell without kernels: %v, %v; want errors", errE, errF)
		}
	}
	if cpu, _ := UseCPU(EngineAuto); !cpu {
		t.Skip("GOMLX_BACKEND is set: auto is GoMLX for every cell")
	}
	eng, err := NewEngine(EngineAuto, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := eng.(*GoMLXEngine); !ok {
		t.Fatalf("auto engine %T, want *GoMLXEngine", eng)
	}
	ref, err := NewEngine(EngineCPU, own)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := cellBatch(cfg, 5, 2, 1)
	r1, err := eng.LossAndGrad(p, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := ref.LossAndGrad(q, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !closeTo(float64(r1.Loss), float64(r2.Loss), 1e-5) {
		t.Errorf("loss: fallback %v, gru cpu %v", r1.Loss, r2.Loss)
	}
	ev, err := NewEvaluator(p, EngineAuto)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ev.(*fixedpoints.GraphEvaluator); !ok {
		t.Fatalf("auto evaluator %T, want *fixedpoints.GraphEvaluator", ev)
	}
	x := []float32{0.1, -0.2, 0.3, 0.4, -0.5, 0.6}
	u := []float32{1, 0.5, 0.5}
	r, want := make([]float32, 6), make([]float32, 6)
	if err := ev.Residuals(x, u, r); err != nil {
		t.Fatal(err)
	}
	q.Step(u, x, want)
	for j := range r {
		if d := float64(r[j] - (x[j] - want[j])); d > 1e-5 || d < -1e-5 {
			t.Errorf("residual %d: %v, want %v", j, r[j], x[j]-want[j])
		}
	}
}
