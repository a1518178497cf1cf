// Package scripts holds rnnlab's shell scripts (setup.sh, notebook-server.sh, run-notebooks.sh) and a test
// that checks them without installing anything: syntax, ShellCheck when it is installed, --help, and a
// clear failure on an unknown option.
package scripts

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestScripts(t *testing.T) {
	scripts, err := filepath.Glob("*.sh")
	if err != nil {
		t.Fatal(err)
	}
	scripts = append(scripts, "../docker/entrypoint.sh")
	for _, s := range scripts {
		if out, err := exec.Command("bash", "-n", s).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", s, err, out)
		}
	}
	if _, err := exec.LookPath("shellcheck"); err == nil {
		args := append([]string{"-x"}, scripts...)
		if out, err := exec.Command("shellcheck", args...).CombinedOutput(); err != nil {
			t.Errorf("shellcheck: %v\n%s", err, out)
		}
	} else {
		t.Log("shellcheck not installed: syntax checked with bash -n only")
	}
	for _, s := range []string{"setup.sh", "notebook-server.sh", "run-notebooks.sh"} {
		out, err := exec.Command("./"+s, "--help").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Usage: scripts/"+s) {
			t.Errorf("%s --help: %v\n%s", s, err, out)
		}
		out, err = exec.Command("./"+s, "--no-such-option").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "unknown option '--no-such-option'") {
			t.Errorf("%s --no-such-option: want a failure naming the option, got %v\n%s", s, err, out)
		}
	}
}
