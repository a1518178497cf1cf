package backend

import (
	"strings"
	"testing"
)

func TestDefaultIsGo(t *testing.T) {
	t.Setenv(EnvVar, "")
	if got := Config(); got != "go" {
		t.Fatalf("Config() = %q, want go", got)
	}
	b, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(b.Name()), "go") {
		t.Errorf("backend name %q, want the go backend", b.Name())
	}
}

func TestUnknownBackendIsAnError(t *testing.T) {
	for _, cfg := range []string{"nosuch", "xla:cuda"} {
		if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "not available") {
			t.Errorf("New(%q) error = %v, want 'not available'", cfg, err)
		}
	}
}

func TestEnvVarHonoured(t *testing.T) {
	t.Setenv(EnvVar, "nosuch:opt")
	if got := Config(); got != "nosuch:opt" {
		t.Fatalf("Config() = %q", got)
	}
	if _, err := New(""); err == nil {
		t.Fatal("want an error for an unknown backend from the environment")
	}
}
