package tasks

import (
	"fmt"
	"math"
	"strings"
)

// Record is the condition of one trial, such as its ground truth and
// coherence. Each task has its own record type, a struct of typed fields
// (PDMTrial for PerceptualDecisionMaking); Fields is the generic view that
// plots, the command line and .npz files use.
//
// Records are values: a record must not hold slices, maps or pointers that
// change, since Trial.Clone copies it shallowly. Two records of the same
// task compare equal with == when their conditions are the same.
type Record interface {
	// Fields lists the record's values in a fixed order. A field the task
	// draws can be forced by an Override of the same name; a field it
	// computes from others can only be overridden with its computed value.
	// The field with the trial's correct choice is named "ground_truth".
	Fields() []Field
}

// Field is one named value of a Record.
type Field struct {
	// Name is the field's name, such as "ground_truth" or "coh".
	Name string
	// Value is the field's value.
	Value float64
	// Discrete marks an integer value (a class or an index), written as
	// int64 to .npz files.
	Discrete bool
}

// IntField returns a discrete field.
func IntField(name string, v int) Field { return Field{Name: name, Value: float64(v), Discrete: true} }

// FloatField returns a continuous field.
func FloatField(name string, v float64) Field { return Field{Name: name, Value: v} }

// Lookup returns the value of r's field called name, and whether r has one.
func Lookup(r Record, name string) (float64, bool) {
	if r == nil {
		return 0, false
	}
	for _, f := range r.Fields() {
		if f.Name == name {
			return f.Value, true
		}
	}
	return 0, false
}

// GroundTruth returns r's "ground_truth" field, the index of the correct
// choice, and whether r has one.
func GroundTruth(r Record) (int, bool) {
	v, ok := Lookup(r, "ground_truth")
	return int(v), ok
}

// Column is one field of a list of records, for tables and .npz files.
type Column struct {
	// Name and Discrete are those of the field.
	Name     string
	Discrete bool
	// Values holds the field's value in each record, NaN where a record
	// has no such field.
	Values []float64
}

// Columns turns records into one column per field name, in the order in
// which the names first appear. Records of different kinds (as from a
// multi-task schedule) may have different fields; a record without a field
// has NaN in its column.
func Columns(recs []Record) []Column {
	var cols []Column
	index := map[string]int{}
	for i, r := range recs {
		if r == nil {
			continue
		}
		for _, f := range r.Fields() {
			k, ok := index[f.Name]
			if !ok {
				k = len(cols)
				index[f.Name] = k
				vals := make([]float64, len(recs))
				for j := range vals {
					vals[j] = math.NaN()
				}
				cols = append(cols, Column{Name: f.Name, Discrete: f.Discrete, Values: vals})
			}
			cols[k].Values[i] = f.Value
		}
	}
	return cols
}

// Override forces parts of a trial's condition in NewTrial, by record field
// name: Override{"ground_truth": 1, "coh": 25.6}. Fields left out are drawn
// at random as usual. The random draws happen either way, so the random
// stream does not depend on overrides. NewTrial rejects an unknown name or
// an invalid value with an error that names it and lists the valid ones;
// the task is then unchanged.
type Override map[string]float64

// OverrideOf returns the override that forces r's condition: every field
// of r by name. A trial of r's task drawn with it has r as its record.
func OverrideOf(r Record) Override {
	ov := Override{}
	for _, f := range r.Fields() {
		ov[f.Name] = f.Value
	}
	return ov
}

// ParseOverride reads an override written as "name=value,name=value", for
// example "ground_truth=1,coh=25.6". An empty string is no override.
func ParseOverride(s string) (Override, error) {
	ov := Override{}
	for _, kv := range strings.Split(s, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		name, val, ok := strings.Cut(kv, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("override %q: want name=value", kv)
		}
		var v float64
		if _, err := fmt.Sscan(strings.TrimSpace(val), &v); err != nil {
			return nil, fmt.Errorf("override %s: value %q is not a number", name, val)
		}
		if _, dup := ov[name]; dup {
			return nil, fmt.Errorf("override %s given twice", name)
		}
		ov[name] = v
	}
	return ov, nil
}
