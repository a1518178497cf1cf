package tasks

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Options are the settings New passes to a task constructor.
type Options struct {
	// Dt overrides the task's time step in ms when non-zero.
	Dt float64
	// Seed, when non-nil, overrides the seed of the task's configuration.
	Seed *uint64
	// Config is the task-specific configuration (for example a
	// PerceptualDecisionMakingConfig or a pointer to one); nil means the
	// task's defaults. A constructor rejects a config of the wrong type.
	Config any
}

// Option sets a field of Options.
type Option func(*Options)

// WithDt sets the time step in ms.
func WithDt(dt float64) Option { return func(o *Options) { o.Dt = dt } }

// WithSeed sets the task's seed.
func WithSeed(seed uint64) Option { return func(o *Options) { o.Seed = &seed } }

// WithConfig sets the task-specific configuration.
func WithConfig(cfg any) Option { return func(o *Options) { o.Config = cfg } }

// Constructor builds a task from Options.
type Constructor func(Options) (Task, error)

var (
	registryMu  sync.RWMutex
	registry    = map[string]Constructor{}
	configTypes = map[string]reflect.Type{}
)

// Register makes a task constructor available to New under name (a
// neurogym id such as "PerceptualDecisionMaking-v0"). It panics if name is
// empty or already registered, or if c is nil.
func Register(name string, c Constructor) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if name == "" || c == nil {
		panic("tasks: Register with empty name or nil constructor")
	}
	if _, dup := registry[name]; dup {
		panic("tasks: task " + name + " registered twice")
	}
	registry[name] = c
}

// Names returns the registered task names, sorted.
func Names() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New builds the registered task called name. An unknown name gives an
// error listing the known ones.
func New(name string, opts ...Option) (Task, error) {
	registryMu.RLock()
	c, ok := registry[name]
	registryMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("unknown task %q; known tasks: %s", name, strings.Join(Names(), ", "))
	}
	var o Options
	for _, f := range opts {
		f(&o)
	}
	return c(o)
}

// ConfigOf returns o.Config as a C, for constructors: a C, a non-nil *C,
// or nil for the zero C (the task's defaults). Any other type is an error
// naming the task.
func ConfigOf[C any](task string, o Options) (C, error) {
	var zero C
	switch c := o.Config.(type) {
	case nil:
		return zero, nil
	case C:
		return c, nil
	case *C:
		if c != nil {
			return *c, nil
		}
	}
	return zero, fmt.Errorf("%s: config of type %T, want %T", task, o.Config, zero)
}

// RegisterConfig records the configuration type of the task called name,
// given as its zero value: the struct (not a pointer) its constructor reads
// with ConfigOf, such as PerceptualDecisionMakingConfig{}. It is optional
// and additive: a task that registers its configuration can have its
// options set by name (NewConfig, SetOption, NewWithSettings, the command
// line's --set and "rnnlab tasks"); one that does not still works
// everywhere else, and is reported as exposing no options. Call it from
// the same init function as Register. It panics if zero is not a struct or
// if name's configuration is registered twice.
func RegisterConfig(name string, zero any) {
	registryMu.Lock()
	defer registryMu.Unlock()
	t := reflect.TypeOf(zero)
	if name == "" || t == nil || t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("tasks: RegisterConfig(%q, %T): want a name and a struct value", name, zero))
	}
	if _, dup := configTypes[name]; dup {
		panic("tasks: configuration of " + name + " registered twice")
	}
	configTypes[name] = t
}

// NewConfig returns a pointer to a new zero configuration of the task
// called name (all defaults), and false if the task registered none with
// RegisterConfig.
func NewConfig(name string) (any, bool) {
	registryMu.RLock()
	t, ok := configTypes[name]
	registryMu.RUnlock()
	if !ok {
		return nil, false
	}
	return reflect.New(t).Interface(), true
}

// RegisterEnv registers the task name, built by mk (a constructor such as
// NewDelayComparison) from its configuration C, and registers C as its configuration (RegisterConfig). C is a struct
// with the fields Dt float64 and Seed uint64; the constructor New builds
// reads C with ConfigOf, sets Dt and Seed from WithDt and WithSeed when
// given, and calls mk. It panics if C lacks those fields.
func RegisterEnv[C any, T Task](name string, mk func(C) (T, error)) {
	var zero C
	t := reflect.TypeOf(zero)
	if f, ok := t.FieldByName("Dt"); !ok || f.Type.Kind() != reflect.Float64 {
		panic(fmt.Sprintf("tasks: RegisterEnv(%q): %v has no field Dt float64", name, t))
	}
	if f, ok := t.FieldByName("Seed"); !ok || f.Type.Kind() != reflect.Uint64 {
		panic(fmt.Sprintf("tasks: RegisterEnv(%q): %v has no field Seed uint64", name, t))
	}
	Register(name, func(o Options) (Task, error) {
		cfg, err := ConfigOf[C](name, o)
		if err != nil {
			return nil, err
		}
		v := reflect.ValueOf(&cfg).Elem()
		if o.Dt != 0 {
			v.FieldByName("Dt").SetFloat(o.Dt)
		}
		if o.Seed != nil {
			v.FieldByName("Seed").SetUint(*o.Seed)
		}
		e, err := mk(cfg)
		if err != nil {
			return nil, err // not a typed nil T in the Task
		}
		return e, nil
	})
	RegisterConfig(name, zero)
}
