package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/finite"
)

// Table is the collected results of a sweep: one row per run, with a
// column per axis then the metrics (see MetricColumns). A cell is nil
// where a run has no value (not done, or not analysed).
type Table struct {
	Columns []string
	Rows    [][]any
}

// MetricColumns are the table's columns after the index, the id and the
// axes. The *_seconds columns are wall times; every other column depends
// only on the sweep file.
var MetricColumns = []string{
	"status", "final_accuracy", "final_loss", "steps",
	"trial_accuracy", "fixed_points", "exact_fixed_points", "slow_mode_re", "slow_mode_im", "line_measure",
	"train_seconds", "analysis_seconds", "seconds", "note",
}

// Collect builds the table of the sweep from the runs' records, in run
// order; runs that are not done have their status and no metrics (null),
// and a failed run its reason in the note column (e.g. "training diverged
// at step 2: loss is NaN").
func (s *Sweep) Collect(ctx context.Context) (*Table, []RunStatus, error) {
	sts, err := s.Status(ctx)
	if sts == nil {
		return nil, nil, err
	}
	t := &Table{Columns: []string{"index", "id"}}
	for _, a := range s.Axes {
		t.Columns = append(t.Columns, a.Name)
	}
	t.Columns = append(t.Columns, MetricColumns...)
	for _, st := range sts {
		row := []any{st.Run.Index, st.Run.ID}
		row = append(row, st.Run.Values...)
		r := st.Result
		if st.Status != StatusDone || r == nil {
			row = append(row, st.Status)
			for range MetricColumns[1 : len(MetricColumns)-1] {
				row = append(row, nil)
			}
			note := ""
			if st.Status == StatusFailed {
				note = st.Detail
			}
			t.Rows = append(t.Rows, append(row, nilIfEmpty(note)))
			continue
		}
		row = append(row, r.Status, r.FinalAccuracy, r.FinalLoss, r.Steps)
		if r.Analysed {
			row = append(row, r.TrialAccuracy, r.FixedPoints, r.ExactPoints)
			if r.FixedPoints > 0 {
				row = append(row, r.SlowMode[0], r.SlowMode[1])
			} else {
				row = append(row, nil, nil)
			}
			if r.HasLine {
				row = append(row, r.LineMeasure)
			} else {
				row = append(row, nil)
			}
		} else {
			row = append(row, nil, nil, nil, nil, nil, nil)
		}
		row = append(row, r.TrainSeconds)
		if r.Analysed {
			row = append(row, r.AnalysisSeconds)
		} else {
			row = append(row, nil)
		}
		row = append(row, r.Seconds, nilIfEmpty(r.Note))
		t.Rows = append(t.Rows, row)
	}
	return t, sts, err
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Column returns the index of the named column, or -1.
func (t *Table) Column(name string) int {
	for i, c := range t.Columns {
		if c == name {
			return i
		}
	}
	return -1
}

// Cell formats one value as in the CSV: floats in the shortest form that
// reads back exactly, nil as "".
func Cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// CSV returns the table as CSV with a header line.
func (t *Table) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(t.Columns)
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = Cell(v)
		}
		w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}

// JSON returns the table as a JSON list of objects, one per run, with the
// keys in column order (null where there is no value).
func (t *Table) JSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("[\n")
	for r, row := range t.Rows {
		b.WriteString("  {")
		for i, v := range row {
			if i > 0 {
				b.WriteString(", ")
			}
			k, _ := json.Marshal(t.Columns[i])
			if x, ok := v.(float64); ok {
				v = finite.Float(x) // null, not an error, for NaN
			}
			val, err := json.Marshal(v)
			if err != nil {
				return nil, fmt.Errorf("column %s: %w", t.Columns[i], err)
			}
			b.Write(k)
			b.WriteString(": ")
			b.Write(val)
		}
		b.WriteString("}")
		if r < len(t.Rows)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	return b.Bytes(), nil
}

// Write writes results.csv and results.json into the sweep folder out,
// each atomically.
func (t *Table) Write(out string) error {
	if err := atomicfile.Write(filepath.Join(out, ResultsCSV), t.CSV()); err != nil {
		return err
	}
	j, err := t.JSON()
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(out, ResultsJSON), j)
}

// IsTimeColumn reports whether a column holds a wall time, the one kind of
// value that differs between two executions of a sweep.
func IsTimeColumn(name string) bool { return name == "seconds" || strings.HasSuffix(name, "_seconds") }

// DiffTables returns "" when a and b have the same columns and the same
// values in every column but the wall times, else the first difference.
func DiffTables(a, b *Table) string {
	if !slices.Equal(a.Columns, b.Columns) {
		return fmt.Sprintf("columns differ: %q and %q", a.Columns, b.Columns)
	}
	if len(a.Rows) != len(b.Rows) {
		return fmt.Sprintf("%d and %d rows", len(a.Rows), len(b.Rows))
	}
	for i := range a.Rows {
		for j, c := range a.Columns {
			if IsTimeColumn(c) {
				continue
			}
			if x, y := Cell(a.Rows[i][j]), Cell(b.Rows[i][j]); x != y {
				return fmt.Sprintf("row %d, column %s: %q and %q", i, c, x, y)
			}
		}
	}
	return ""
}
