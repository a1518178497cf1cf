package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

// Run is one planned run of a sweep.
type Run struct {
	// Index is the run's position in the plan (0-based); it is the
	// SLURM_ARRAY_TASK_ID of its array task.
	Index int `json:"index"`
	// ID is the run's folder name: the index and a short hash of Params.
	ID string `json:"id"`
	// Values are the run's axis values, in the order of Sweep.Axes.
	Values []any `json:"values"`
	// Params is the run's configuration.
	Params Params `json:"params"`
}

// Dir returns the run's folder in the sweep folder out.
func (r Run) Dir(out string) string { return filepath.Join(out, "runs", r.ID) }

// Label returns the run's axis values as "task=X seed=1 ...".
func (s *Sweep) Label(r Run) string {
	parts := make([]string, len(s.Axes))
	for i, a := range s.Axes {
		parts[i] = fmt.Sprintf("%s=%v", a.Name, r.Values[i])
	}
	return strings.Join(parts, " ")
}

// plan expands the axes into runs, checks every run's configuration and
// computes the sweep's id.
func plan(s *Sweep) error {
	// Group the axes: a zip group is one dimension at its first member.
	pos := map[string]int{}
	for i, a := range s.Axes {
		pos[a.Name] = i
	}
	group := make([]int, len(s.Axes)) // dimension of each axis
	for i := range group {
		group[i] = -1
	}
	for g, names := range s.Zip {
		if len(names) < 2 {
			return fmt.Errorf("key \"zip\": group %d needs at least two axes, got %v", g+1, names)
		}
		first := -1
		for _, n := range names {
			i, ok := pos[n]
			if !ok {
				return fmt.Errorf("key \"zip\": %q is not an axis of [axes]", n)
			}
			if group[i] != -1 {
				return fmt.Errorf("key \"zip\": axis %q is zipped twice", n)
			}
			if len(s.Axes[i].Values) != len(s.Axes[pos[names[0]]].Values) {
				return fmt.Errorf("key \"zip\": axes %q (%d values) and %q (%d values) differ in length",
					names[0], len(s.Axes[pos[names[0]]].Values), n, len(s.Axes[i].Values))
			}
			if first == -1 || i < first {
				first = i
			}
			group[i] = -2 - g // provisional
		}
	}
	// Dimensions in file order: each unzipped axis, each zip group at its first member.
	type dim struct{ axes []int }
	var dims []dim
	seen := map[int]bool{}
	for i := range s.Axes {
		if group[i] == -1 {
			dims = append(dims, dim{[]int{i}})
			continue
		}
		g := -2 - group[i]
		if seen[g] {
			continue
		}
		seen[g] = true
		var members []int
		for _, n := range s.Zip[g] {
			members = append(members, pos[n])
		}
		slices.Sort(members)
		dims = append(dims, dim{members})
	}
	n := 1
	for _, d := range dims {
		n *= len(s.Axes[d.axes[0]].Values)
		if n > 1_000_000 {
			return errors.New("more than a million runs")
		}
	}
	s.Runs = make([]Run, 0, n)
	idx := make([]int, len(dims))
	for r := 0; r < n; r++ {
		// Mixed-radix counter, the last dimension fastest.
		rem := r
		for d := len(dims) - 1; d >= 0; d-- {
			size := len(s.Axes[dims[d].axes[0]].Values)
			idx[d] = rem % size
			rem /= size
		}
		run := Run{Index: r, Values: make([]any, len(s.Axes)), Params: s.Base}
		for d, dm := range dims {
			for _, i := range dm.axes {
				v := s.Axes[i].Values[idx[d]]
				run.Values[i] = v
				apply(&run.Params, s.Axes[i].Name, v)
			}
		}
		if err := check(run.Params); err != nil {
			if len(s.Axes) > 0 {
				return fmt.Errorf("run %d (%s): %w", r, s.Label(run), err)
			}
			return err
		}
		h := sha256.Sum256(mustJSON(run.Params))
		run.ID = fmt.Sprintf("%04d-%s", r, hex.EncodeToString(h[:4]))
		s.Runs = append(s.Runs, run)
	}
	h := sha256.Sum256(mustJSON(struct {
		Runs     []Run
		Analysis Analysis
		Threads  int
	}{s.Runs, s.Analysis, s.Threads}))
	s.ID = hex.EncodeToString(h[:8])
	return nil
}

// apply sets the key name of p to the (checked) axis value v.
func apply(p *Params, name string, v any) {
	switch name {
	case "task":
		p.Task = v.(string)
	case "cell":
		p.Cell = v.(string)
	case "steps":
		p.Steps = int(v.(int64))
	case "hidden":
		p.Hidden = int(v.(int64))
	case "batch":
		p.Batch = int(v.(int64))
	case "seq_len":
		p.SeqLen = int(v.(int64))
	case "lr":
		p.LR = v.(float64)
	case "tau":
		p.Tau = v.(float64)
	case "dt":
		p.Dt = v.(float64)
	case "seed":
		p.Seed = uint64(v.(int64))
	}
}

// check validates one run's configuration; the errors name the key.
func check(p Params) error {
	switch {
	case !slices.Contains(models.Cells, p.Cell):
		return fmt.Errorf("unknown cell %q; known cells: %s", p.Cell, strings.Join(models.Cells, ", "))
	case !slices.Contains(tasks.Names(), p.Task):
		return fmt.Errorf("unknown task %q; known tasks: %s", p.Task, strings.Join(tasks.Names(), ", "))
	case p.Steps <= 0:
		return fmt.Errorf("steps must be > 0, got %d (set the top-level key \"steps\")", p.Steps)
	case p.Hidden <= 0:
		return fmt.Errorf("hidden must be > 0, got %d", p.Hidden)
	case p.Batch <= 0:
		return fmt.Errorf("batch must be > 0, got %d", p.Batch)
	case p.SeqLen <= 0:
		return fmt.Errorf("seq_len must be > 0, got %d", p.SeqLen)
	case !(p.LR > 0) || math.IsInf(p.LR, 0):
		return fmt.Errorf("lr must be a finite number > 0, got %v", p.LR)
	case !(p.Dt > 0) || math.IsInf(p.Dt, 0):
		return fmt.Errorf("dt must be a finite number > 0, got %v", p.Dt)
	case math.IsInf(p.Tau, 0):
		return fmt.Errorf("tau must be a finite number >= dt, got %v", p.Tau)
	case !(p.Tau >= p.Dt):
		return fmt.Errorf("tau must be >= dt, got tau %v, dt %v", p.Tau, p.Dt)
	case int64(p.Seed) < 0:
		return fmt.Errorf("seed must be >= 0, got %d", int64(p.Seed))
	}
	return nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
