package sweep

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// Params is the configuration of one run: the base configuration with the
// run's axis values applied. The JSON names are the sweep file's keys.
type Params struct {
	// Task is the registered task's name (tasks.Names).
	Task string `json:"task"`
	// Cell is the recurrent cell, one of models.Cells.
	Cell string `json:"cell"`
	// Steps is the number of training steps (batches), > 0.
	Steps int `json:"steps"`
	// Hidden is the number of hidden units, > 0.
	Hidden int `json:"hidden"`
	// Batch is the number of trial streams per batch, > 0.
	Batch int `json:"batch"`
	// SeqLen is the number of time steps per batch, > 0.
	SeqLen int `json:"seq_len"`
	// LR is Adam's learning rate, > 0.
	LR float64 `json:"lr"`
	// Tau is the time constant and Dt the time step, in ms (Tau >= Dt).
	Tau float64 `json:"tau"`
	Dt  float64 `json:"dt"`
	// Seed is the run's seed: the weights, the training data and the
	// analysis' trials derive from it (package seeds).
	Seed uint64 `json:"seed"`
}

// DefaultParams is the base configuration of a sweep file without [base]:
// the tutorial's network and training, with no steps.
func DefaultParams() Params {
	return Params{Task: tasks.PerceptualDecisionMakingName, Cell: models.CellCTRNN, Hidden: 64, Batch: 16, SeqLen: 100, LR: 1e-3, Tau: 100, Dt: 100}
}

// Analysis is what a sweep analyses after training each run.
type Analysis struct {
	// Enabled runs the analysis (the file's analyse key).
	Enabled bool `json:"enabled"`
	// Trials is the number of fresh trials of the analysis.
	Trials int `json:"trials"`
	// Tolerance is the fixed-point search's speed tolerance.
	Tolerance float64 `json:"tolerance"`
	// Newton refines the kept points with Newton's method.
	Newton bool `json:"newton"`
	// Input is the constant input of the search; nil means the tutorial's
	// for 3-input tasks (see the package documentation).
	Input []float64 `json:"input,omitempty"`
}

// Axis is one varied key with its values, as written in the file (int64,
// float64 or string), in order.
type Axis struct {
	Name   string
	Values []any
}

// Sweep is a parsed sweep file.
type Sweep struct {
	// File is the sweep file's absolute path ("" for ParseString).
	File string
	// Out is the sweep folder's absolute path.
	Out string
	// Base is the configuration every run starts from.
	Base Params
	// Axes are the varied keys in file order; Zip groups axes that
	// advance together.
	Axes []Axis
	Zip  [][]string
	// Analysis is what is analysed after training.
	Analysis Analysis
	// Threads is the GOMAXPROCS of every run.
	Threads int
	// Runs are the planned runs, in order (see Plan).
	Runs []Run
	// ID is the hash of the runs' configurations, the analysis and the
	// threads; it identifies the sweep in its folder.
	ID string
}

// fileSchema is the TOML layout of a sweep file.
type fileSchema struct {
	Out      string         `toml:"out"`
	Steps    int            `toml:"steps"`
	Analyse  *bool          `toml:"analyse"`
	Threads  int            `toml:"threads"`
	Base     baseSchema     `toml:"base"`
	Analysis analysisSchema `toml:"analysis"`
	Axes     map[string]any `toml:"axes"`
	Zip      [][]string     `toml:"zip"`
}

type baseSchema struct {
	Task   *string  `toml:"task"`
	Cell   *string  `toml:"cell"`
	Hidden *int     `toml:"hidden"`
	Batch  *int     `toml:"batch"`
	SeqLen *int     `toml:"seq_len"`
	LR     *float64 `toml:"lr"`
	Tau    *float64 `toml:"tau"`
	Dt     *float64 `toml:"dt"`
	Seed   *int64   `toml:"seed"`
}

type analysisSchema struct {
	Trials    *int      `toml:"trials"`
	Tolerance *float64  `toml:"tolerance"`
	Newton    *bool     `toml:"newton"`
	Input     []float64 `toml:"input"`
}

// MaxThreads is the largest "threads" a sweep file may give (GOMAXPROCS
// of each run).
const MaxThreads = 1024

// maxInputs bounds the length of "analysis.input": no task has more inputs.
const maxInputs = 1 << 16

// maxExactInt is the largest integer a range bound may be: 2^53, beyond
// which float64 (the range's arithmetic) skips integers.
const maxExactInt = 1 << 53

// describeType names a TOML type for an error ("a string", "an array").
func describeType(t string) string {
	switch t {
	case "Integer", "Array":
		return "an " + strings.ToLower(t)
	case "ArrayHash":
		return "an array of tables"
	case "":
		return "nothing"
	}
	return "a " + strings.ToLower(t)
}

// AxisNames are the keys an axis may vary.
var AxisNames = []string{"task", "cell", "steps", "hidden", "batch", "seq_len", "lr", "tau", "dt", "seed"}

// Load reads and plans the sweep file at path. Its out folder is relative to
// the file's folder.
func Load(path string) (*Sweep, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(abs)
	if err != nil {
		return nil, fmt.Errorf("cannot read sweep file: %w", err)
	}
	s, err := parse(string(b), filepath.Dir(abs))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.File = abs
	return s, nil
}

// ParseString parses and plans a sweep file's text; a relative out folder
// is taken relative to dir.
func ParseString(text, dir string) (*Sweep, error) {
	return parse(text, dir)
}

func parse(text, dir string) (*Sweep, error) {
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("empty sweep file")
	}
	var f fileSchema
	md, err := toml.Decode(text, &f)
	if err != nil {
		return nil, oneLine(err)
	}
	if len(md.Keys()) == 0 {
		return nil, errors.New("empty sweep file")
	}
	for _, k := range md.Undecoded() {
		if len(k) > 1 && k[0] == "axes" { // checked by parseAxes
			continue
		}
		return nil, fmt.Errorf("unknown key %q", k.String())
	}
	s := &Sweep{Base: DefaultParams(), Threads: 1, Zip: f.Zip}
	if strings.TrimSpace(f.Out) == "" {
		return nil, errors.New(`key "out" (the sweep folder) is required`)
	}
	s.Out = f.Out
	if !filepath.IsAbs(s.Out) {
		s.Out = filepath.Join(dir, s.Out)
	}
	if s.Out, err = filepath.Abs(s.Out); err != nil {
		return nil, err
	}
	if md.IsDefined("threads") {
		s.Threads = f.Threads
		if s.Threads <= 0 || s.Threads > MaxThreads {
			return nil, fmt.Errorf(`key "threads" must be in 1..%d, got %d`, MaxThreads, f.Threads)
		}
	}
	s.Base.Steps = f.Steps
	b := f.Base
	setIf(&s.Base.Task, b.Task)
	setIf(&s.Base.Cell, b.Cell)
	setIf(&s.Base.Hidden, b.Hidden)
	setIf(&s.Base.Batch, b.Batch)
	setIf(&s.Base.SeqLen, b.SeqLen)
	for _, v := range []struct {
		key string
		v   *float64
	}{{"base.lr", b.LR}, {"base.tau", b.Tau}, {"base.dt", b.Dt}} {
		if v.v != nil && (math.IsNaN(*v.v) || math.IsInf(*v.v, 0)) {
			return nil, fmt.Errorf("key %q: want a finite number, got %v", v.key, *v.v)
		}
	}
	setIf(&s.Base.LR, b.LR)
	setIf(&s.Base.Tau, b.Tau)
	setIf(&s.Base.Dt, b.Dt)
	if b.Seed != nil {
		if *b.Seed < 0 {
			return nil, fmt.Errorf(`key "base.seed" must be >= 0, got %d`, *b.Seed)
		}
		s.Base.Seed = uint64(*b.Seed)
	}
	a := f.Analysis
	s.Analysis = Analysis{Enabled: true, Trials: 100, Tolerance: 1e-4, Newton: true, Input: a.Input}
	if f.Analyse != nil {
		s.Analysis.Enabled = *f.Analyse
	}
	setIf(&s.Analysis.Trials, a.Trials)
	setIf(&s.Analysis.Tolerance, a.Tolerance)
	setIf(&s.Analysis.Newton, a.Newton)
	if s.Analysis.Trials <= 0 || s.Analysis.Trials > pipeline.MaxAnalysisTrials {
		return nil, fmt.Errorf(`key "analysis.trials" must be in 1..%d, got %d`, pipeline.MaxAnalysisTrials, s.Analysis.Trials)
	}
	if !(s.Analysis.Tolerance > 0) || math.IsInf(s.Analysis.Tolerance, 0) {
		return nil, fmt.Errorf(`key "analysis.tolerance" must be > 0, got %v`, s.Analysis.Tolerance)
	}
	if a.Input != nil && len(a.Input) == 0 {
		return nil, errors.New(`key "analysis.input" is empty`)
	}
	if len(a.Input) > maxInputs {
		return nil, fmt.Errorf(`key "analysis.input" has %d values; a network has at most %d inputs`, len(a.Input), maxInputs)
	}
	for _, v := range a.Input {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf(`key "analysis.input" has a non-finite value %v`, v)
		}
	}
	if md.IsDefined("axes") && md.Type("axes") != "Hash" {
		return nil, fmt.Errorf(`key "axes": want a table of axes ([axes] with seed = [0, 1], ...), got %s`, describeType(md.Type("axes")))
	}
	if s.Axes, err = parseAxes(md, f.Axes); err != nil {
		return nil, err
	}
	if err := plan(s); err != nil {
		return nil, err
	}
	return s, nil
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// oneLine flattens a TOML error to one line that keeps its position and key.
func oneLine(err error) error {
	var pe toml.ParseError
	msg := err.Error()
	if errors.As(err, &pe) {
		msg = pe.Error()
	}
	msg = strings.Join(strings.Fields(strings.TrimPrefix(msg, "toml: ")), " ")
	return errors.New(msg)
}

// parseAxes turns the [axes] table into axes in file order, expanding
// ranges and checking each value's type.
func parseAxes(md toml.MetaData, raw map[string]any) ([]Axis, error) {
	var order []string
	for _, k := range md.Keys() {
		if len(k) == 2 && k[0] == "axes" {
			order = append(order, k[1])
		}
	}
	var axes []Axis
	for _, name := range order {
		if !slices.Contains(AxisNames, name) {
			return nil, fmt.Errorf("unknown axis %q (axes: %s)", name, strings.Join(AxisNames, ", "))
		}
		key := "axes." + name
		var vals []any
		switch v := raw[name].(type) {
		case []any:
			vals = v
		case map[string]any:
			var err error
			if vals, err = expandRange(key, name, v); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("key %q: want a list of values or a range table {from, to, step|num}, got %s", key, describe(v))
		}
		if len(vals) == 0 {
			return nil, fmt.Errorf("key %q: no values", key)
		}
		for i, v := range vals {
			norm, err := checkValue(name, v)
			if err != nil {
				return nil, fmt.Errorf("key %q, value %d: %w", key, i+1, err)
			}
			vals[i] = norm
		}
		axes = append(axes, Axis{Name: name, Values: vals})
	}
	return axes, nil
}

// kind is the value type of an axis: "int", "float" or "string".
func kind(name string) string {
	switch name {
	case "task", "cell":
		return "string"
	case "lr", "tau", "dt":
		return "float"
	}
	return "int"
}

// checkValue checks v against the axis' type and normalises floats given
// as integers.
func checkValue(name string, v any) (any, error) {
	switch kind(name) {
	case "string":
		if s, ok := v.(string); ok {
			return s, nil
		}
		return nil, fmt.Errorf("want a string, got %s", describe(v))
	case "float":
		switch x := v.(type) {
		case int64:
			return float64(x), nil
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("want a finite number, got %v", x)
			}
			return x, nil
		}
		return nil, fmt.Errorf("want a number, got %s", describe(v))
	}
	if x, ok := v.(int64); ok {
		return x, nil
	}
	return nil, fmt.Errorf("want an integer, got %s", describe(v))
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", x)
	case int64:
		return fmt.Sprintf("the integer %d", x)
	case float64:
		return fmt.Sprintf("the number %v", x)
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	case nil:
		return "nothing"
	}
	return fmt.Sprintf("%T", v)
}

// expandRange expands {from, to, step} (inclusive, step 1 by default) or
// {from, to, num, scale} (num values, scale "linear" or "log").
func expandRange(key, name string, t map[string]any) ([]any, error) {
	for k := range t {
		if !slices.Contains([]string{"from", "to", "step", "num", "scale"}, k) {
			return nil, fmt.Errorf("key %q: unknown range key %q (from, to, step, num, scale)", key+"."+k, k)
		}
	}
	num := func(k string) (float64, bool, error) {
		v, ok := t[k]
		if !ok {
			return 0, false, nil
		}
		x := 0.0
		switch n := v.(type) {
		case int64:
			x = float64(n)
		case float64:
			x = n
		default:
			return 0, true, fmt.Errorf("key %q: want a number, got %s", key+"."+k, describe(v))
		}
		switch {
		case math.IsNaN(x) || math.IsInf(x, 0):
			return 0, true, fmt.Errorf("key %q: want a finite number, got %v", key+"."+k, x)
		case kind(name) == "int" && (x != math.Trunc(x) || math.Abs(x) > maxExactInt):
			return 0, true, fmt.Errorf("key %q: %s takes integers in -2^53..2^53, got %v", key+"."+k, name, x)
		}
		return x, true, nil
	}
	from, okF, err := num("from")
	if err != nil {
		return nil, err
	}
	to, okT, err := num("to")
	if err != nil {
		return nil, err
	}
	if !okF || !okT {
		return nil, fmt.Errorf("key %q: a range needs from and to", key)
	}
	step, hasStep, err := num("step")
	if err != nil {
		return nil, err
	}
	n, hasNum, err := num("num")
	if err != nil {
		return nil, err
	}
	scale, hasScale := t["scale"]
	if hasStep && hasNum {
		return nil, fmt.Errorf("key %q: give step or num, not both", key)
	}
	isInt := kind(name) == "int"
	if kind(name) == "string" {
		return nil, fmt.Errorf("key %q: %s takes a list of names, not a range", key, name)
	}
	var vals []float64
	if hasNum {
		if n != math.Trunc(n) || n < 1 || n > 1e6 {
			return nil, fmt.Errorf("key %q: num must be an integer >= 1, got %v", key+".num", n)
		}
		log := false
		if hasScale {
			switch scale {
			case "linear":
			case "log":
				log = true
				if !(from > 0 && to > 0) {
					return nil, fmt.Errorf("key %q: a log range needs from and to > 0", key)
				}
			default:
				return nil, fmt.Errorf("key %q: scale must be \"linear\" or \"log\", got %s", key+".scale", describe(scale))
			}
		}
		for i := 0; i < int(n); i++ {
			f := 0.0
			if n > 1 {
				f = float64(i) / (n - 1)
			}
			v := from + f*(to-from)
			if log {
				v = math.Exp(math.Log(from) + f*(math.Log(to)-math.Log(from)))
			}
			switch {
			case i == 0:
				v = from
			case i == int(n)-1:
				v = to
			}
			vals = append(vals, v)
		}
	} else {
		if hasScale {
			return nil, fmt.Errorf("key %q: scale goes with num", key)
		}
		if !hasStep {
			step = 1
		}
		if !(step > 0) {
			return nil, fmt.Errorf("key %q: step must be > 0, got %v", key+".step", step)
		}
		if to < from {
			return nil, fmt.Errorf("key %q: to (%v) < from (%v)", key, to, from)
		}
		if (to-from)/step > 1e6 {
			return nil, fmt.Errorf("key %q: more than a million values", key)
		}
		for i := 0; ; i++ {
			v := from + float64(i)*step
			if v > to+1e-9*math.Abs(step) {
				break
			}
			vals = append(vals, v)
		}
	}
	out := make([]any, len(vals))
	for i, v := range vals {
		if isInt {
			if v != math.Trunc(v) {
				return nil, fmt.Errorf("key %q: %s takes integers, the range gives %v", key, name, v)
			}
			out[i] = int64(v)
		} else {
			out[i] = v
		}
	}
	return out, nil
}
