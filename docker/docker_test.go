// Package docker holds rnnlab's container image (Dockerfile, compose.yaml, entrypoint.sh) and a test of
// them that needs no Docker engine: it reads the files and checks that they agree with each other and with
// the repository.
package docker

import (
	"bufio"
	"io/fs"
	"os"
	"os/exec"
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

	// The apt and Go tools step (minutes) stays cached whatever the code and the build args: it runs
	// setup.sh --tools-only after copying only setup.sh and scripts/tools/, and every ARG comes after it.
	tools := slices.IndexFunc(df, func(in instruction) bool {
		return in.cmd == "RUN" && regexp.MustCompile(`setup\.sh\s+--tools-only`).MatchString(in.args)
	})
	if tools < 0 {
		t.Error("no RUN runs scripts/setup.sh --tools-only (the cached root step)")
	} else {
		for _, in := range df[:tools] {
			switch {
			case in.cmd == "ARG":
				t.Errorf("line %d: ARG %s comes before the tools step (line %d): changing it reruns apt and the Go tools",
					in.line, in.args, df[tools].line)
			case in.cmd == "COPY":
				for _, src := range strings.Fields(in.args) {
					if src == strings.Fields(in.args)[len(strings.Fields(in.args))-1] {
						break // the destination
					}
					if !strings.HasPrefix(src, "--") && src != "scripts/setup.sh" && strings.TrimSuffix(src, "/") != "scripts/tools" {
						t.Errorf("line %d: COPY %s comes before the tools step (line %d): only scripts/setup.sh and scripts/tools/ may (any other change would rerun it)",
							in.line, src, df[tools].line)
					}
				}
			}
		}
	}

	// The user is made with the build's ids even when they exist in Debian (gid 20 on macOS, 0:0 as root).
	for _, tool := range []string{"groupadd", "useradd"} {
		i := slices.IndexFunc(df, func(in instruction) bool { return in.cmd == "RUN" && strings.Contains(in.args, tool+" ") })
		if i < 0 {
			t.Errorf("no RUN %s", tool)
		} else if !regexp.MustCompile(tool + `\s+(--non-unique|-o)\s`).MatchString(df[i].args) {
			t.Errorf("line %d: %s without --non-unique fails when the id exists in the image: %s", df[i].line, tool, df[i].args)
		}
	}

	// An init process reaps what kernels leave behind (gopls): tini in the image, or init: true in compose.
	if !strings.Contains(entrypoint, "tini") && yamlValue(compose, "init") != "true" {
		t.Errorf("ENTRYPOINT %s runs no init process and compose.yaml does not set init: true", entrypoint)
	}
	if strings.Contains(entrypoint, "tini") &&
		!slices.ContainsFunc(df, func(in instruction) bool {
			return in.cmd == "RUN" && strings.Contains(in.args, "install") && strings.Contains(in.args, " tini")
		}) {
		t.Errorf("ENTRYPOINT %s uses tini, no RUN installs it", entrypoint)
	}

	// Login shells (Jupyter's Terminal, docker exec bash -l) get the image's PATH back from a profile
	// snippet written as root, since Debian's /etc/profile resets PATH; and the rnnlab command is installed
	// into $GOPATH/bin, which is on that PATH. scripts/docker-check.sh checks both in a running container.
	userAt := slices.IndexFunc(df, func(in instruction) bool { return in.cmd == "USER" })
	profile := slices.IndexFunc(df, func(in instruction) bool {
		return in.cmd == "RUN" && strings.Contains(in.args, "/etc/profile.d/") && strings.Contains(in.args, "export PATH=")
	})
	if profile < 0 || (userAt >= 0 && profile > userAt) {
		t.Error("no RUN (as root, before USER) writes an /etc/profile.d/ snippet exporting PATH: login shells would not find go")
	}
	if !slices.ContainsFunc(df, func(in instruction) bool {
		return in.cmd == "RUN" && strings.Contains(in.args, "go install ./rnnlab/cmd/rnnlab")
	}) {
		t.Error("no RUN go install ./rnnlab/cmd/rnnlab: the rnnlab command would not be on PATH")
	}
	if _, err := os.Stat(filepath.Join(root, "rnnlab", "cmd", "rnnlab")); err != nil {
		t.Error(err)
	}
	if gobin := env["GOPATH"] + "/bin"; !slices.Contains(strings.Split(env["PATH"], ":"), gobin) {
		t.Errorf("ENV PATH=%s does not hold $GOPATH/bin (%s), where go install puts rnnlab", env["PATH"], gobin)
	}

	// Jupyter's Terminal runs $SHELL, else sh (dash, without line editing).
	if env["SHELL"] != "/bin/bash" {
		t.Errorf("ENV SHELL=%q, want /bin/bash: Jupyter's Terminal would start sh", env["SHELL"])
	}

	// compose.yaml keeps to what Compose v1 (Debian 12's docker-compose 1.29) reads too: no top-level
	// name:, which v1 rejects; docker/.env names the project instead.
	if regexp.MustCompile(`(?m)^name:`).MatchString(compose) {
		t.Error("compose.yaml has a top-level name:, which docker-compose 1.29 rejects: set COMPOSE_PROJECT_NAME in docker/.env")
	}
	if dotenv, err := os.ReadFile(".env"); err != nil || !regexp.MustCompile(`(?m)^COMPOSE_PROJECT_NAME=rnnlab$`).Match(dotenv) {
		t.Errorf("docker/.env does not set COMPOSE_PROJECT_NAME=rnnlab (%v)", err)
	}

	// The warm step's notebook run leaves no results in the image (the tutorial writes runs/).
	nb, err := os.ReadFile(filepath.Join(root, "notebooks", "tutorial.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	warm := slices.IndexFunc(df, func(in instruction) bool { return in.cmd == "RUN" && strings.Contains(in.args, "run-notebooks.sh") })
	if warm >= 0 && strings.Contains(string(nb), `\"runs/`) &&
		!regexp.MustCompile(`rm -rf [^&;]*notebooks/runs`).MatchString(df[warm].args) {
		t.Errorf("line %d: the warm step runs the notebooks and leaves notebooks/runs/ in the image", df[warm].line)
	}
}

// ignored reports whether a .dockerignore pattern list excludes path (slash-separated, relative to the
// context): a pattern matches the path or one of its parent folders; "**/" matches any number of folders.
func ignored(patterns []string, path string) bool {
	parts := strings.Split(path, "/")
	excluded := false
	for _, p := range patterns {
		neg := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(p, "!")
		match := false
		for n := 1; n <= len(parts) && !match; n++ {
			prefix := parts[:n]
			if rest, ok := strings.CutPrefix(p, "**/"); ok {
				for i := range prefix {
					if m, _ := filepath.Match(rest, strings.Join(prefix[i:], "/")); m {
						match = true
					}
				}
			} else if m, _ := filepath.Match(p, strings.Join(prefix, "/")); m {
				match = true
			}
		}
		if match {
			excluded = !neg
		}
	}
	return excluded
}

func TestDockerignore(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// One .dockerignore at the root: the legacy builder reads only that one, and a Dockerfile-specific one
	// would take precedence over it with BuildKit, so the two builders would send different contexts.
	if _, err := os.Stat("Dockerfile.dockerignore"); err == nil {
		t.Error("docker/Dockerfile.dockerignore exists: keep the exclusions in the root .dockerignore only")
	}
	b, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatalf("no root .dockerignore: a legacy build sends .git, notebook outputs and docker/work: %v", err)
	}
	var patterns []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, strings.TrimPrefix(l, "/"))
		}
	}
	for _, p := range []string{".git", "docker/work", "docker/work/results.npz", "notebooks/out/tutorial.html",
		"notebooks/runs/tutorial/model.ckpt", "notebooks/.ipynb_checkpoints/tutorial-checkpoint.ipynb", "out", "rnnlab.test"} {
		if !ignored(patterns, p) {
			t.Errorf(".dockerignore does not exclude %s", p)
		}
	}
	// Nothing the image needs is excluded: Go sources and modules, the notebooks, the scripts.
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == ".git" || rel == "docker/work" || (rel != "." && ignored(patterns, rel) && !hasSource(path)) {
				return filepath.SkipDir
			}
			return nil
		}
		needed := strings.HasSuffix(rel, ".go") || d.Name() == "go.mod" || d.Name() == "go.sum" ||
			strings.HasSuffix(rel, ".sh") || (strings.HasPrefix(rel, "notebooks/") && strings.HasSuffix(rel, ".ipynb") && !strings.Contains(rel, "/out/"))
		if needed && ignored(patterns, rel) {
			t.Errorf(".dockerignore excludes %s, which the image needs", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hasSource reports whether a folder holds Go files (an excluded folder must not).
func hasSource(dir string) bool {
	found := false
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// TestSetupToolsOnly runs scripts/setup.sh --tools-only with only setup.sh and scripts/tools/, as the Docker
// build's first step does: it must get past its checks to the apt step, while the full setup must ask for
// go.mod.
func TestSetupToolsOnly(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "scripts", "tools"), os.DirFS("../scripts/tools")); err != nil {
		t.Fatal(err)
	}
	setup, err := os.ReadFile("../scripts/setup.sh")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "scripts", "setup.sh"), setup, 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		cmd := exec.Command(filepath.Join(dir, "scripts", "setup.sh"), args...)
		// No Go on PATH and no module proxy: the script stops before installing anything.
		cmd.Env = append(os.Environ(), "PATH=/usr/bin:/bin", "GOPROXY=off", "JUPYTER_DATA_DIR="+filepath.Join(dir, "jupyter"))
		out, _ := cmd.CombinedOutput()
		return string(out)
	}
	out := run("--tools-only", "--no-apt", "--bin", filepath.Join(dir, "bin"))
	if strings.Contains(out, "no go.mod") || !strings.Contains(out, "setup: apt:") {
		t.Errorf("setup.sh --tools-only with scripts/ alone did not reach the apt step:\n%s", out)
	}
	out = run("--no-apt", "--bin", filepath.Join(dir, "bin"))
	if !strings.Contains(out, "no go.mod") {
		t.Errorf("setup.sh without go.mod did not fail on it:\n%s", out)
	}
}

// TestReadmeDocker checks the README's Docker section: the plain docker path creates the mounted folder
// and passes the ids, and it says how to run the end-to-end check.
func TestReadmeDocker(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Docker\n")
	if !ok {
		t.Fatal("README.md has no ## Docker section")
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	build := regexp.MustCompile(`docker build [^\n]*`).FindString(section)
	for _, arg := range []string{"USER_UID=$(id -u)", "USER_GID=$(id -g)"} {
		if !strings.Contains(build, "--build-arg "+arg) {
			t.Errorf("the README's docker build (%q) does not pass --build-arg %s", build, arg)
		}
	}
	mkdir, run := strings.Index(section, "mkdir -p docker/work"), strings.Index(section, "docker run")
	if mkdir < 0 || run < 0 || mkdir > run {
		t.Error("the README's Docker section does not create docker/work before docker run")
	}
	if !strings.Contains(section, "scripts/docker-check.sh") {
		t.Error("the README's Docker section does not say how to run scripts/docker-check.sh")
	}
	for _, s := range []string{"docker-check.sh", "docker-base-image.sh"} {
		out, err := exec.Command("../scripts/"+s, "--help").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Usage: scripts/"+s) {
			t.Errorf("scripts/%s --help: %v\n%s", s, err, out)
		}
	}
}
