// Package backend picks the GoMLX compute backend that rnnlab's graphs run on.
//
// The pure-Go backend ("go") is compiled in always and is the default: nothing
// needs cgo or XLA. Building with the tag "xla" (go build -tags xla) adds
// GoMLX's XLA backend for users with the PJRT plugin installed (a GPU, say).
// The environment variable GOMLX_BACKEND selects a backend by configuration
// string, such as "go", "xla:cpu" or "xla:cuda".
package backend

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // the default, pure-Go backend
)

// EnvVar is the environment variable that selects a backend.
const EnvVar = compute.ConfigEnvVar

// Default is the configuration used when EnvVar is unset.
const Default = "go"

// Available lists the backends compiled into this binary, sorted.
func Available() []string {
	names := compute.List()
	slices.Sort(names)
	return names
}

// Config returns the backend configuration in force: $GOMLX_BACKEND if set
// and not empty, else Default.
func Config() string {
	if c := strings.TrimSpace(os.Getenv(EnvVar)); c != "" {
		return c
	}
	return Default
}

// New returns a new backend for the configuration string config
// ("name" or "name:options"; "" means Config()). A backend that is not
// compiled in, or that fails to start, gives an error naming it and the
// available ones, never a panic.
func New(config string) (b compute.Backend, err error) {
	if config == "" {
		config = Config()
	}
	name, _, _ := strings.Cut(config, ":")
	if !slices.Contains(compute.List(), name) {
		hint := ""
		if name == "xla" {
			hint = " (build with -tags xla and install the PJRT plugin to use XLA)"
		}
		return nil, fmt.Errorf("backend %q is not available in this build%s; available: %s",
			name, hint, strings.Join(Available(), ", "))
	}
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("backend %q failed to start: %v", config, r)
		}
	}()
	b, err = compute.NewWithConfig(config)
	if err != nil {
		return nil, fmt.Errorf("backend %q failed to start: %w", config, err)
	}
	return b, nil
}

var (
	sharedOnce sync.Once
	shared     compute.Backend
	sharedErr  error
)

// Shared returns one process-wide backend for Config(), created on first use.
// Backends are expensive to create; share this one unless you need another.
func Shared() (compute.Backend, error) {
	sharedOnce.Do(func() { shared, sharedErr = New("") })
	return shared, sharedErr
}
