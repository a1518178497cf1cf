package tasks

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Options by name: a task that registers its configuration type with
// RegisterConfig has its exported configuration fields settable as text,
// by key:
//
//	dim_ring=3                 a number, bool or string field
//	cohs=0,6.4,12.8            a list (comma-separated; empty for an empty list)
//	sigma=0                    a pointer field (*float64) is set to the value
//	rewards.correct=2          a field of a nested struct
//	timing.stimulus=500        a Duration, in ParseDuration's syntax:
//	timing.delay=choice(0,500) constant ms, choice(...), uniform(lo,hi),
//	                           truncexp(mean,min[,max])
//
// A field's key is its JSON tag name when it has one, else its Go name in
// snake_case (DimRing -> dim_ring); keys match ignoring case, '_' and '-'.
// A map field with string keys (a Timing) takes its entries as
// field.key (timing.<period>). Fields of other kinds (funcs, interfaces,
// channels) are not options. Ranges are checked by the task's own
// constructor, not here.

// ErrNoOptions is returned (wrapped) for a task that registered no
// configuration type with RegisterConfig.
var ErrNoOptions = errors.New("exposes no options")

var durationType = reflect.TypeOf(Duration{})

// OptionInfo describes one option of a task's configuration.
type OptionInfo struct {
	// Key is the option's name for SetOption, such as "dim_ring",
	// "rewards.correct" or "timing.stimulus"; a map entry not known in
	// advance is shown as "field.<key>".
	Key string `json:"key"`
	// Type describes the values it takes: "int", "uint", "number", "bool",
	// "string", "list of numbers", "duration", ...
	Type string `json:"type"`
	// Default is the default value as text, "" when unknown (or, for an
	// optional pointer field, unset).
	Default string `json:"default"`
}

// SetOption sets the option key of cfg, a non-nil pointer to a task's
// configuration struct, from its text value (see the syntax above). An
// unknown key is an error listing the valid keys; a value that does not
// parse as the option's type is an error naming the key, the value and the
// type. Maps and slices are replaced, never modified in place, so cfg may
// share them with another configuration. On error cfg is unchanged.
func SetOption(cfg any, key, value string) error {
	v := reflect.ValueOf(cfg)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("SetOption: want a non-nil pointer to a configuration struct, got %T", cfg)
	}
	if err := checkKey(key); err != nil {
		return err
	}
	work := reflect.New(v.Elem().Type()).Elem() // a shallow copy, written back on success
	work.Set(v.Elem())
	path := strings.Split(strings.TrimSpace(key), ".")
	f, rest, ok := findField(work, path)
	if !ok {
		return unknownOption(key, work.Type())
	}
	if err := setValue(f, rest, key, value, work.Type()); err != nil {
		return err
	}
	v.Elem().Set(work)
	return nil
}

// checkKey refuses a key with a control character (a newline would split
// the one-line errors that name the key).
func checkKey(key string) error {
	if strings.ContainsFunc(key, unicode.IsControl) {
		return fmt.Errorf("option %q: a key has no control characters", key)
	}
	return nil
}

// unknownOption is the error for a key the configuration does not have.
func unknownOption(key string, t reflect.Type) error {
	var keys []string
	for _, o := range listOptions(t, "") {
		keys = append(keys, o.Key)
	}
	if len(keys) == 0 {
		return fmt.Errorf("unknown option %q: the configuration has no options", key)
	}
	return fmt.Errorf("unknown option %q; options: %s", key, strings.Join(keys, ", "))
}

// findField walks the struct v along path as far as fields go and returns
// the field reached and the rest of the path (a map key, if any).
// An intermediate pointer to a struct is replaced by a pointer to a copy
// (a new zero struct if nil), so the struct it pointed to is not modified.
func findField(v reflect.Value, path []string) (reflect.Value, []string, bool) {
	for i, seg := range path {
		if v.Kind() == reflect.Pointer && v.Type().Elem().Kind() == reflect.Struct && v.Type().Elem() != durationType {
			c := reflect.New(v.Type().Elem())
			if !v.IsNil() {
				c.Elem().Set(v.Elem())
			}
			v.Set(c)
			v = c.Elem()
		}
		if v.Kind() != reflect.Struct || v.Type() == durationType {
			return v, path[i:], i > 0
		}
		idx, ok := fieldIndex(v.Type(), seg)
		if !ok {
			return reflect.Value{}, nil, false
		}
		v = v.FieldByIndex(idx)
	}
	return v, nil, true
}

// optionField is one exported, named field of a configuration struct.
type optionField struct {
	key   string
	index []int
	typ   reflect.Type
}

// fieldsOf lists t's option fields, flattening embedded structs.
func fieldsOf(t reflect.Type) []optionField {
	var out []optionField
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if f.Anonymous && f.Type.Kind() == reflect.Struct && tag == "" && f.Type != durationType {
			for _, sub := range fieldsOf(f.Type) {
				sub.index = append([]int{i}, sub.index...)
				out = append(out, sub)
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		key := tag
		if key == "" {
			key = snakeCase(f.Name)
		}
		out = append(out, optionField{key, []int{i}, f.Type})
	}
	return out
}

// fieldIndex finds the field of t whose key matches seg.
func fieldIndex(t reflect.Type, seg string) ([]int, bool) {
	for _, f := range fieldsOf(t) {
		if normKey(f.key) == normKey(seg) && settable(f.typ) {
			return f.index, true
		}
	}
	return nil, false
}

// normKey folds case and drops '_' and '-'.
func normKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// snakeCase turns a Go name into snake_case: DimRing -> dim_ring,
// ITIMs -> iti_ms, Dt -> dt.
func snakeCase(name string) string {
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// settable reports whether a field of type t is an option (or holds some).
func settable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		return true
	case reflect.Map:
		return t.Key().Kind() == reflect.String && leaf(t.Elem())
	case reflect.Pointer:
		return t.Elem().Kind() == reflect.Struct || leaf(t.Elem())
	}
	return leaf(t)
}

// leaf reports whether a value of type t parses from text.
func leaf(t reflect.Type) bool {
	if t == durationType {
		return true
	}
	switch t.Kind() {
	case reflect.Bool, reflect.String, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	case reflect.Slice:
		return t.Elem() != durationType && leaf(t.Elem()) && t.Elem().Kind() != reflect.Slice
	case reflect.Pointer:
		return leaf(t.Elem()) && t.Elem().Kind() != reflect.Pointer
	}
	return false
}

// setValue sets field f (reached by key) from value; rest is the map key
// when f is a map.
func setValue(f reflect.Value, rest []string, key, value string, root reflect.Type) error {
	t := f.Type()
	switch {
	case t.Kind() == reflect.Map && len(rest) == 1 && rest[0] != "":
		elem, err := parseValue(t.Elem(), key, value)
		if err != nil {
			return err
		}
		m := reflect.MakeMapWithSize(t, f.Len()+1)
		for it := f.MapRange(); it.Next(); {
			m.SetMapIndex(it.Key(), it.Value())
		}
		m.SetMapIndex(reflect.ValueOf(rest[0]).Convert(t.Key()), elem)
		f.Set(m)
		return nil
	case len(rest) > 0 || !leaf(t):
		return unknownOption(key, root)
	}
	v, err := parseValue(t, key, value)
	if err != nil {
		return err
	}
	f.Set(v)
	return nil
}

// parseValue parses text as a value of type t, for the option key.
func parseValue(t reflect.Type, key, s string) (reflect.Value, error) {
	s = strings.TrimSpace(s)
	bad := func(what string) (reflect.Value, error) {
		return reflect.Value{}, fmt.Errorf("option %s: %q is not %s", key, s, what)
	}
	if t == durationType {
		d, err := ParseDuration(s)
		if err != nil {
			return reflect.Value{}, fmt.Errorf("option %s: %v (want ms, choice(a,b,...), uniform(lo,hi) or truncexp(mean,min[,max]))", key, err)
		}
		return reflect.ValueOf(d), nil
	}
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.Pointer:
		e, err := parseValue(t.Elem(), key, s)
		if err != nil {
			return reflect.Value{}, err
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(e)
		return p, nil
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return bad("a bool (true or false)")
		}
		v.SetBool(b)
	case reflect.String:
		v.SetString(s)
	case reflect.Float32, reflect.Float64:
		x, err := strconv.ParseFloat(s, t.Bits())
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("a finite number")
		}
		v.SetFloat(x)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x, err := strconv.ParseInt(s, 10, t.Bits())
		if err != nil {
			return bad(fmt.Sprintf("an integer (%d-bit)", t.Bits()))
		}
		v.SetInt(x)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		x, err := strconv.ParseUint(s, 10, t.Bits())
		if err != nil {
			return bad(fmt.Sprintf("a non-negative integer (%d-bit)", t.Bits()))
		}
		v.SetUint(x)
	case reflect.Slice:
		v = reflect.MakeSlice(t, 0, 0) // "" is an empty, non-nil list
		if s == "" {
			return v, nil
		}
		for _, part := range strings.Split(s, ",") {
			e, err := parseValue(t.Elem(), key, part)
			if err != nil {
				return bad("a " + typeName(t) + " (comma-separated, e.g. 0,6.4,12.8)")
			}
			v = reflect.Append(v, e)
		}
	default:
		return bad("settable (type " + t.String() + ")")
	}
	return v, nil
}

// typeName is a short description of the values of type t.
func typeName(t reflect.Type) string {
	if t == durationType {
		return "duration"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return typeName(t.Elem())
	case reflect.Bool:
		return "bool"
	case reflect.String:
		return "string"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "int"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "uint"
	case reflect.Slice:
		e := typeName(t.Elem())
		switch e {
		case "number", "int", "uint", "bool", "string":
			return "list of " + e + "s"
		}
		return "list of " + e
	}
	return t.String()
}

// listOptions lists the options of struct type t, keys prefixed by prefix.
func listOptions(t reflect.Type, prefix string) []OptionInfo {
	var out []OptionInfo
	for _, f := range fieldsOf(t) {
		if !settable(f.typ) {
			continue
		}
		key := prefix + f.key
		ft := f.typ
		if ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct && ft.Elem() != durationType {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Struct && ft != durationType:
			out = append(out, listOptions(ft, key+".")...)
		case ft.Kind() == reflect.Map:
			out = append(out, OptionInfo{Key: key + "." + placeholder(ft), Type: typeName(ft.Elem())})
		default:
			out = append(out, OptionInfo{Key: key, Type: typeName(ft)})
		}
	}
	return out
}

// placeholder stands for the keys of a map of type t in a listing.
func placeholder(t reflect.Type) string {
	if t.Elem() == durationType {
		return "<period>"
	}
	return "<key>"
}

// ConfigOptions lists the options of cfg, a configuration struct or a
// pointer to one, with cfg's values as their defaults ("" for a nil
// pointer or list). A map entry is listed per key present in cfg, or as
// "field.<key>" ("timing.<period>") when the map is empty.
func ConfigOptions(cfg any) []OptionInfo {
	v := reflect.ValueOf(cfg)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	return describe(v, "")
}

// describe lists the options of struct value v with their values.
func describe(v reflect.Value, prefix string) []OptionInfo {
	var out []OptionInfo
	for _, f := range fieldsOf(v.Type()) {
		if !settable(f.typ) {
			continue
		}
		key := prefix + f.key
		fv := v.FieldByIndex(f.index)
		ft := f.typ
		if ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct && ft.Elem() != durationType {
			if fv.IsNil() {
				out = append(out, listOptions(ft.Elem(), key+".")...)
				continue
			}
			fv, ft = fv.Elem(), ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Struct && ft != durationType:
			out = append(out, describe(fv, key+".")...)
		case ft.Kind() == reflect.Map:
			if fv.Len() == 0 {
				out = append(out, OptionInfo{Key: key + "." + placeholder(ft), Type: typeName(ft.Elem())})
				continue
			}
			keys := fv.MapKeys()
			sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
			for _, k := range keys {
				out = append(out, OptionInfo{Key: key + "." + k.String(), Type: typeName(ft.Elem()), Default: formatValue(fv.MapIndex(k))})
			}
		default:
			out = append(out, OptionInfo{Key: key, Type: typeName(ft), Default: formatValue(fv)})
		}
	}
	return out
}

// formatValue writes v as SetOption reads it ("" for nil).
func formatValue(v reflect.Value) string {
	if v.Type() == durationType {
		d := v.Interface().(Duration)
		if d.Kind == DurationDefault {
			return ""
		}
		return d.String()
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return ""
		}
		return formatValue(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return ""
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = formatValue(v.Index(i))
		}
		return strings.Join(parts, ",")
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits())
	}
	return fmt.Sprint(v.Interface())
}

// TaskOptions lists the options of the registered task called name, with
// its defaults: all of them when the task has a method Config() returning
// its resolved configuration (as PerceptualDecisionMaking does); otherwise
// only dt and, when the task is an Env (or embeds one), the timing of
// every period, one option timing.<period> each for a Timing map, in the
// order of a default trial.
// Other defaults are "" (the task's own). A task without RegisterConfig
// gives an error wrapping ErrNoOptions; an unknown task an error listing
// the known ones.
func TaskOptions(name string) ([]OptionInfo, error) {
	task, err := New(name)
	if err != nil {
		return nil, err
	}
	cfg, ok := NewConfig(name)
	if !ok {
		return nil, fmt.Errorf("%s %w (it registers no configuration type)", name, ErrNoOptions)
	}
	resolved, known := resolvedConfig(task, reflect.TypeOf(cfg).Elem())
	if known {
		cfg = resolved
	}
	opts := ConfigOptions(cfg)
	timing := SpecOf(task).Timing
	// The periods in the order of a default trial, then any others.
	var periods []string
	if tr, err := task.Clone().NewTrial(nil); err == nil {
		for _, p := range tr.Periods {
			if _, ok := timing[p.Name]; ok && !slices.Contains(periods, p.Name) {
				periods = append(periods, p.Name)
			}
		}
	}
	for _, p := range sortedKeys(timing) {
		if !slices.Contains(periods, p) {
			periods = append(periods, p)
		}
	}
	var out []OptionInfo
	for _, o := range opts {
		if base, ok := strings.CutSuffix(o.Key, ".<period>"); ok && o.Type == "duration" && len(timing) > 0 {
			for _, p := range periods {
				out = append(out, OptionInfo{Key: base + "." + p, Type: "duration", Default: timing[p].String()})
			}
			continue
		}
		if !known && !strings.HasPrefix(o.Key, "timing.") {
			// The zero configuration's values stand for "the default",
			// which only the task knows; show those the task tells.
			o.Default = ""
			if o.Key == "dt" {
				o.Default = strconv.FormatFloat(task.Dt(), 'g', -1, 64)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// resolvedConfig calls task's Config() method if it returns a value of
// type t.
func resolvedConfig(task Task, t reflect.Type) (any, bool) {
	m := reflect.ValueOf(task).MethodByName("Config")
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 || m.Type().Out(0) != t {
		return nil, false
	}
	return m.Call(nil)[0].Interface(), true
}

// SpecOf returns the Spec of a task built from a Def (an Env, or a type
// embedding one), and the zero Spec for any other task.
func SpecOf(task Task) Spec {
	if d, ok := task.(interface{ Def() Def }); ok && d.Def() != nil {
		return d.Def().Spec()
	}
	return Spec{}
}

// NewWithSettings builds the registered task called name, as New does,
// with options set from settings, each "key=value" (see SetOption). The
// settings apply on top of the configuration given by WithConfig in opts,
// if any, or else the task's defaults. Errors name the task: an unknown
// key lists the valid ones, a task without RegisterConfig says it exposes
// no options (ErrNoOptions), a key given twice or a setting without '='
// is rejected, and a value out of range is reported by the task's
// constructor. No settings is the same as New.
func NewWithSettings(name string, settings []string, opts ...Option) (Task, error) {
	if len(settings) == 0 {
		return New(name, opts...)
	}
	if !slices.Contains(Names(), name) {
		return New(name, opts...) // the unknown-task error
	}
	cfg, ok := NewConfig(name)
	if !ok {
		return nil, fmt.Errorf("%s %w, so %q cannot be set", name, ErrNoOptions, settings[0])
	}
	var o Options
	for _, f := range opts {
		f(&o)
	}
	if o.Config != nil {
		given := reflect.ValueOf(o.Config)
		want := reflect.TypeOf(cfg).Elem()
		switch {
		case given.Type() == want:
			reflect.ValueOf(cfg).Elem().Set(given)
		case given.Type() == reflect.PointerTo(want) && !given.IsNil():
			reflect.ValueOf(cfg).Elem().Set(given.Elem())
		default:
			return nil, fmt.Errorf("%s: config of type %T, want %v", name, o.Config, want)
		}
	}
	seen := map[string]bool{}
	for _, s := range settings {
		key, value, ok := strings.Cut(s, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return nil, fmt.Errorf("%s: setting %q: want key=value", name, s)
		}
		if err := checkKey(key); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if seen[normKey(key)] {
			return nil, fmt.Errorf("%s: option %s set twice", name, key)
		}
		seen[normKey(key)] = true
		if err := SetOption(cfg, key, value); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return New(name, append(opts, WithConfig(cfg))...)
}
