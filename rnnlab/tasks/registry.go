package tasks

import (
	"fmt"
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
	registryMu sync.RWMutex
	registry   = map[string]Constructor{}
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
