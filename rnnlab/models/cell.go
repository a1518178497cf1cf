package models

// The cell registry: every recurrent cell is one value of type Cell, defined
// in its own file (cell_ctrnn.go, cell_ei.go, cell_gru.go, cell_lstm.go,
// cell_ugrnn.go, cell_leaky.go) and listed once in registry below. The rest of the
// package, and every other package, asks the cell of a Config (Config.Cell
// resolved by LookupCell) and never compares cell names.

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/gomlx/gomlx/core/graph"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
)

// registry lists the cells in the order of the docs; Config.Cell "" means
// the first. Adding a cell is one file defining it and one line here.
var registry = []Cell{ctrnnCell{}, eiCell{}, gruCell{}, lstmCell{}, ugrnnCell{}, leakyCell{}}

// Cells lists the names of the registered cells, in the order of the docs.
var Cells = cellNames(func(Cell) bool { return true })

// Cell is one kind of recurrent cell: everything rnnlab needs to build,
// train, save and analyse networks of it. A cell maps an input x (length I)
// and a state s (length StateSize) to the next state
//
//	s' = F(x, s)
//
// and exposes rates r = Rates(s) (length H), of which the read-out sees the
// first ReadSize: o = r[:R] W_ro + b_ro. The read-out and the loss are the
// same for every cell (LossGraph); everything before them is the cell's.
//
// The GoMLX step (Graph) is the reference definition: the plain-Go step
// (Step), the CPU training engine (NewCPUEngine) and the CPU fixed-point
// evaluator (NewCPUEvaluator) are tested against it for every registered
// cell (TestCellsAgree and the evaluator tests). A cell without a CPU engine
// or evaluator declares it by returning nil: networks of it then train and
// are analysed by GoMLX autodiff of Graph.
type Cell interface {
	// Name is the cell's name in Config.Cell and on the command line.
	Name() string
	// Summary is a one-line description, with its reference.
	Summary() string
	// Options reports which options of Config the cell reads.
	Options() CellOptions
	// StateSize is the length of the state carried from step to step.
	StateSize(c Config) int
	// ReadSize is the number of rates the read-out sees.
	ReadSize(c Config) int
	// Params lists the trainable tensors, the read-out (w_ro, b_ro) last;
	// their names are the array names of a checkpoint (Save).
	Params(c Config) []ParamSpec
	// Init draws the initial values of the tensors of Params from rng.
	Init(c Config, rng *rand.Rand) [][]float32
	// Graph returns the cell's GoMLX step on the parameter nodes pn (in
	// the order of Params; mask is a CTRNN's connectivity mask or nil).
	Graph(c Config, pn []*graph.Node, mask *graph.Node) CellGraph
	// Step writes F(x, s) into out (length StateSize, not aliasing s),
	// without noise: the plain-Go form of Graph, for analysis.
	Step(p *Params, x, s, out []float32)
	// Rates writes the rates (length H) of state s into out.
	Rates(p *Params, s, out []float32)
	// EffectiveRecurrent returns the (H, H) recurrent matrix the cell
	// multiplies its rates by (presynaptic rows), as a fresh copy, or nil
	// when it has none (gated cells: one matrix per gate).
	EffectiveRecurrent(p *Params) []float32
	// NewCPUEngine returns the cell's hand-written CPU training engine for
	// networks of c, or (nil, nil) when it has none for c: NewEngine then
	// falls back to the GoMLX engine.
	NewCPUEngine(c Config) (Engine, error)
	// NewCPUEvaluator returns the cell's hand-written CPU fixed-point
	// evaluator of the map F(u, ·) of p, or (nil, nil) when it has none
	// for p's configuration: NewEvaluator then falls back to GoMLX
	// autodiff of Params.CellFunc.
	NewCPUEvaluator(p *Params) (fixedpoints.InputJacobianEvaluator, error)
}

// CellOptions are the Config options a cell reads; Config.Validate rejects
// the others when set.
type CellOptions struct {
	// Leak: the cell integrates with α = Dt/Tau (α <= 1 is checked);
	// cells without it keep Dt for the record and ignore Tau.
	Leak bool
	// Activation: the cell's nonlinearity is Config.Activation.
	Activation bool
	// SigmaRec: the cell takes recurrent noise sqrt(2α)·σ_rec·ξ.
	SigmaRec bool
	// EFrac: the cell splits its units into excitatory and inhibitory ones
	// (Config.EFrac, Config.NumExcitatory).
	EFrac bool
	// Mask: the cell takes a fixed connectivity mask of its recurrent
	// matrix (Params.Mask).
	Mask bool
}

// ParamSpec describes one trainable tensor: its name (the array name of a
// checkpoint), its shape (matrices are (in, out), row-major, x @ W) and
// what a numpy user needs to know to use it.
type ParamSpec struct {
	Name  string
	Shape []int
	Doc   string
}

// CellGraph is a cell's step as GoMLX graph functions on fixed parameter
// nodes (Cell.Graph). N is the number of states stepped together and G the
// width of the input projection.
type CellGraph interface {
	// InputProj returns the input projection x W_in, [N,G], of inputs
	// x [N,I]: the part of the step computed once for all steps of a
	// sequence.
	InputProj(x *graph.Node) *graph.Node
	// Step advances states s [N,S] (nil: the zero state) given the input
	// projection xw [N,G] and standard-normal recurrent noise [N,H] (nil:
	// none; used only by cells with CellOptions.SigmaRec).
	Step(xw, s, noise *graph.Node) *graph.Node
	// Rates returns the rates [N,H] of states s [N,S].
	Rates(s *graph.Node) *graph.Node
}

// LookupCell returns the registered cell called name ("" means the
// default, CellCTRNN), or an error listing the registered names.
func LookupCell(name string) (Cell, error) {
	if name == "" {
		return registry[0], nil
	}
	for _, c := range registry {
		if c.Name() == name {
			return c, nil
		}
	}
	return nil, fmt.Errorf("unknown cell %q (want %s)", name, orList(Cells))
}

// CellsWith returns the names of the registered cells whose options
// satisfy has, in registry order, for messages ("ctrnn and ei").
func CellsWith(has func(CellOptions) bool) []string {
	return cellNames(func(c Cell) bool { return has(c.Options()) })
}

// CellList is CellsWith as text for messages and help: "ctrnn, ei and
// leaky".
func CellList(has func(CellOptions) bool) string { return andList(CellsWith(has)) }

func cellNames(keep func(Cell) bool) []string {
	var out []string
	for _, c := range registry {
		if keep(c) {
			out = append(out, c.Name())
		}
	}
	return out
}

// orList joins names as "a, b or c".
func orList(names []string) string { return joinLast(names, " or ") }

// andList joins names as "a, b and c".
func andList(names []string) string { return joinLast(names, " and ") }

func joinLast(names []string, last string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + last + names[len(names)-1]
}

// cell returns the registered cell of c; it panics on an unknown name, so
// callers validate first (every constructor calls Config.Validate).
func (c Config) cell() Cell {
	k, err := LookupCell(c.Cell)
	if err != nil {
		panic("models: " + err.Error())
	}
	return k
}

// CellKind returns the registered cell of the configuration (Config.Cell),
// or an error for an unknown name.
func (c Config) CellKind() (Cell, error) { return LookupCell(c.Cell) }

// CellOptions returns the options of c's cell (Cell.Options), none for an
// unknown cell.
func (c Config) CellOptions() CellOptions {
	k, err := LookupCell(c.Cell)
	if err != nil {
		return CellOptions{}
	}
	return k.Options()
}

// errorf is fmt.Errorf with the package's prefix.
func errorf(format string, args ...any) error { return fmt.Errorf("models: "+format, args...) }

// asEngine returns e, or a nil Engine with err: a failed constructor never
// gives a non-nil interface holding a nil pointer.
func asEngine[E Engine](e E, err error) (Engine, error) {
	if err != nil {
		return nil, err
	}
	return e, nil
}

// asEvaluator is asEngine for fixed-point evaluators.
func asEvaluator[E fixedpoints.InputJacobianEvaluator](e E, err error) (fixedpoints.InputJacobianEvaluator, error) {
	if err != nil {
		return nil, err
	}
	return e, nil
}
