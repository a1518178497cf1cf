// Package docker holds rnnlab's container image (Dockerfile, compose.yaml, entrypoint.sh) and a test of
// them that needs no Docker engine: it reads the files and checks that they agree with each other and with
// the repository.
package docker

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, COPY, ...
	args string
	line int
}

func readDockerfile(t *testing.T, path string) []instruction {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var (
		out  []instruction
		cur  strings.Builder
		at   int
		scan = bufio.NewScanner(strings.NewReader(string(b)))
	)
	for n := 1; scan.Scan(); n++ {
		line := strings.TrimSpace(scan.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur.Len() == 0 {
			at = n
		} else if strings.HasPrefix(line, "#") {
			continue // a comment inside a continued instruction
		}
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args), line: at})
		cur.Reset()
	}
	if cur.Len() > 0 {
		t.Fatalf("%s: unfinished instruction at line %d", path, at)
	}
	return out
}

// yamlList returns the items of every list under key (e.g. "ports:") in a simple YAML file, unquoted.
func yamlList(text, key string) []string {
	var items []string
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != key {
			continue
		}
		indent := len(l) - len(strings.TrimLeft(l, " "))
		for _, item := range lines[i+1:] {
			trimmed := strings.TrimSpace(item)
			if trimmed == "" || strings.HasPrefix(trimmed, "#") {
				continue
			}
			if len(item)-len(strings.TrimLeft(item, " ")) <= indent || !strings.HasPrefix(trimmed, "- ") {
				break
			}
			items = append(items, strings.Trim(strings.TrimSpace(strings.TrimPrefix(trimmed, "- ")), `"'`))
		}
	}
	return items
}

// yamlValue returns the value of the first "key: value" line in a simple YAML file.
func yamlValue(text, key string) string {
	m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(key) + `:\s*(.+?)\s*$`).FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return strings.Trim(m[1], `"'`)
}

func TestDockerfile(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	df := readDockerfile(t, "Dockerfile")
	env := map[string]string{}
	var (
		from, user, entrypoint string
		exposed, volumes       []string
		runsSetup              []string
	)
	for _, in := range df {
		switch in.cmd {
		case "FROM":
			from = in.args
		case "USER":
			user = in.args
		case "EXPOSE":
			exposed = append(exposed, strings.Fields(in.args)...)
		case "VOLUME":
			volumes = append(volumes, strings.Fields(strings.Trim(in.args, "[]"))...)
		case "ENTRYPOINT":
			entrypoint = in.args
		case "ENV":
			for _, kv := range strings.Fields(in.args) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					env[k] = v
				}
			}
		case "RUN":
			if strings.Contains(in.args, "scripts/setup.sh") {
				runsSetup = append(runsSetup, in.args)
			}
		case "COPY", "ADD":
			var paths []string
			for _, f := range strings.Fields(in.args) {
				if !strings.HasPrefix(f, "--") {
					paths = append(paths, f)
				}
			}
			if len(paths) < 2 {
				t.Errorf("line %d: %s needs a source and a destination: %q", in.line, in.cmd, in.args)
				continue
			}
			for _, src := range paths[:len(paths)-1] {
				matches, err := filepath.Glob(filepath.Join(root, src))
				if err != nil || len(matches) == 0 {
					t.Errorf("line %d: %s source %q does not exist in the repository", in.line, in.cmd, src)
				}
			}
		}
	}

	// The image's Go is the one go.mod asks for, on Debian bookworm like CI.
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	if goVersion == nil {
		t.Fatal("no go directive in go.mod")
	}
	if want := "golang:" + string(goVersion[1]) + "-bookworm"; from != want {
		t.Errorf("FROM %q, want %q (go.mod's Go on Debian bookworm)", from, want)
	}

	// It is set up by the one setup script, with options that script knows.
	setup, err := os.ReadFile(filepath.Join(root, "scripts", "setup.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if len(runsSetup) == 0 {
		t.Error("no RUN instruction runs scripts/setup.sh")
	}
	for _, run := range runsSetup {
		for _, opt := range regexp.MustCompile(`setup\.sh((?:\s+--[a-z-]+)*)`).FindStringSubmatch(run)[1:] {
			for _, o := range strings.Fields(opt) {
				if !strings.Contains(string(setup), "\t"+o+")") {
					t.Errorf("RUN %q: scripts/setup.sh has no option %s", run, o)
				}
			}
		}
	}

	// It serves as a user who is not root.
	if user == "" || user == "root" || user == "0" || strings.HasPrefix(user, "0:") || strings.HasPrefix(user, "root:") {
		t.Errorf("the last USER is %q: the image must run as a non-root user", user)
	}

	// The entry point is a script of the repository, executable.
	ep := regexp.MustCompile(`"(/opt/rnnlab/[^"]+)"`).FindStringSubmatch(entrypoint)
	if ep == nil {
		t.Errorf("ENTRYPOINT %q is not a script under /opt/rnnlab", entrypoint)
	} else if fi, err := os.Stat(filepath.Join(root, strings.TrimPrefix(ep[1], "/opt/rnnlab/"))); err != nil {
		t.Errorf("ENTRYPOINT %s: %v", ep[1], err)
	} else if fi.Mode()&0o111 == 0 {
		t.Errorf("ENTRYPOINT %s is not executable", ep[1])
	}

	// The Jupyter port: ENV RNNLAB_PORT, EXPOSE and compose's container port agree.
	if port := env["RNNLAB_PORT"]; !slices.Contains(exposed, port) {
		t.Errorf("ENV RNNLAB_PORT=%q is not EXPOSEd (EXPOSE %v)", port, exposed)
	}
	b, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	compose := string(b)
	ports := yamlList(compose, "ports:")
	if len(ports) == 0 {
		t.Error("compose.yaml publishes no port")
	}
	for _, p := range ports {
		container := p[strings.LastIndex(p, ":")+1:]
		if !slices.Contains(exposed, container) {
			t.Errorf("compose.yaml publishes container port %s (%q), the Dockerfile EXPOSEs %v", container, p, exposed)
		}
	}

	// Notebooks and results live in a mounted host folder, the one the server serves.
	mounts := yamlList(compose, "volumes:")
	if len(mounts) == 0 {
		t.Error("compose.yaml mounts no volume: notebooks and results would be lost with the container")
	}
	work := env["RNNLAB_NOTEBOOK_DIR"]
	if !slices.Contains(volumes, `"`+work+`"`) && !slices.Contains(volumes, work) {
		t.Errorf("RNNLAB_NOTEBOOK_DIR=%q is not a VOLUME (%v)", work, volumes)
	}
	mounted := false
	for _, m := range mounts {
		parts := strings.Split(m, ":")
		mounted = mounted || (len(parts) >= 2 && parts[1] == work)
	}
	if !mounted {
		t.Errorf("compose.yaml does not mount a host folder on %s (volumes %q)", work, mounts)
	}

	// compose builds this Dockerfile from the repository root.
	ctx := yamlValue(compose, "context")
	dockerfile := yamlValue(compose, "dockerfile")
	if got, _ := filepath.Abs(ctx); got != root {
		t.Errorf("compose.yaml build context %q is not the repository root", ctx)
	}
	if dockerfile != "docker/Dockerfile" {
		t.Errorf("compose.yaml builds %q, want docker/Dockerfile", dockerfile)
	}
	for _, arg := range []string{"USER_UID", "USER_GID"} {
		if !slices.ContainsFunc(df, func(in instruction) bool { return in.cmd == "ARG" && strings.HasPrefix(in.args, arg) }) {
			t.Errorf("compose.yaml passes build arg %s, the Dockerfile has no ARG %s", arg, arg)
		}
	}
}
