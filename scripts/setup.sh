#!/usr/bin/env bash
# setup.sh: the one setup script for rnnlab's notebooks (README, CI and Docker all use it).
#
# It installs, in order:
#   1. Debian's Jupyter (classic Notebook server, nbconvert, jupyter-client, python3-ipykernel) and numpy
#      (python3-numpy: reads rnnlab's .npz files; the tests check them with it) with apt,
#      only when running as root and only the packages that are missing;
#   2. GoNB (the Go kernel for Jupyter) v0.11.4, gopls v0.23.0 and goimports v0.47.0, only when the
#      binary found is missing or has another version;
#   3. the "gonb" Jupyter kernel, started through scripts/gonb-kernel.sh: each notebook imports
#      github.com/rnnlab/rnnlab/... from the checkout it lives in, whichever checkout ran this script last
#      (this one is the fallback for notebooks outside any checkout);
#   4. the Go modules this repository needs (go mod download).
# With --slurm, or when CI=true, step 1 also installs Debian's slurmctld, slurmd, slurm-client and munge: the
# sweep tests start a one-node Slurm cluster with them (scripts/slurm-cluster.sh) and must run in CI.
# A second run finds everything in place, changes nothing and takes a few seconds.
#
# Usage: scripts/setup.sh [--no-apt] [--tools-only] [--chromium] [--slurm] [--bin DIR] [--help]
#   --no-apt     skip the apt step (a non-root user cannot run it, and is told what is missing)
#   --tools-only do steps 1 and 2 only, needing only setup.sh and scripts/tools/ (a Docker build runs them
#                as root with those alone, then the rest as the user with the whole checkout)
#   --chromium   also install chromium (root, apt), used only to take screenshots of rendered notebooks
#   --slurm      also install slurmctld slurmd slurm-client munge (root, apt; the default when CI=true)
#   --bin DIR    where to install gonb, gopls and goimports
#                (default: /usr/local/bin as root, else $(go env GOPATH)/bin); it must be on PATH
#
# Environment: JUPYTER_DATA_DIR, if set, is where the kernel is registered (Jupyter's own convention);
# otherwise ~/.local/share/jupyter/kernels/gonb.
set -euo pipefail

GONB_VERSION=v0.11.4
GOPLS_VERSION=v0.23.0
GOIMPORTS_VERSION=v0.47.0
APT_PACKAGES=(jupyter-notebook jupyter-nbconvert jupyter-client python3-ipykernel python3-numpy)
SLURM_PACKAGES=(slurmctld slurmd slurm-client munge)
# Always this jupyter: other python3 installations on PATH (pyenv, venvs) may lack Jupyter.
JUPYTER=/usr/bin/jupyter

say() { printf 'setup: %s\n' "$*"; }
die() {
	printf 'setup: ERROR: %s\n' "$*" >&2
	exit 1
}
trap 'printf "setup: ERROR: command failed (exit %s) at line %s: %s\n" "$?" "$LINENO" "$BASH_COMMAND" >&2' ERR

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

do_apt=1
tools_only=0
with_chromium=0
with_slurm=0
[[ "${CI:-}" == true ]] && with_slurm=1
bin_dir=""
while (($# > 0)); do
	case "$1" in
	--no-apt) do_apt=0 ;;
	--tools-only) tools_only=1 ;;
	--chromium) with_chromium=1 ;;
	--slurm) with_slurm=1 ;;
	--bin)
		(($# >= 2)) || die "--bin needs a directory"
		bin_dir="$2"
		shift
		;;
	--bin=*) bin_dir="${1#--bin=}" ;;
	-h | --help)
		usage
		exit 0
		;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
	shift
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
# --tools-only needs only this script and scripts/tools/ (a Docker build copies only those for this step, so
# that the apt and Go tools layer stays cached while the code changes); the other steps need the checkout.
if ((tools_only)); then
	[[ -f "$repo_root/scripts/tools/go.mod" ]] || die "no scripts/tools/go.mod in $repo_root: run this script from an rnnlab checkout"
else
	[[ -f "$repo_root/go.mod" ]] || die "no go.mod in $repo_root: run this script from an rnnlab checkout"
fi
is_root=0
[[ "$(id -u)" == 0 ]] && is_root=1

# --- 1. Debian packages --------------------------------------------------------------------------------
packages=("${APT_PACKAGES[@]}")
((with_chromium)) && packages+=(chromium)
((with_slurm)) && packages+=("${SLURM_PACKAGES[@]}")
missing=()
for p in "${packages[@]}"; do
	if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]]; then
		missing+=("$p")
	fi
done
if ((${#missing[@]} == 0)); then
	say "apt: already installed: ${packages[*]}"
elif ((do_apt && is_root)); then
	say "apt: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	say "apt: installed ${missing[*]}"
elif ((do_apt)); then
	die "missing Debian packages: ${missing[*]}. As root run: apt-get install -y --no-install-recommends ${missing[*]}
       (or run this script as root once), then run it again."
else
	say "apt: skipped (--no-apt); missing: ${missing[*]}"
fi
[[ -x "$JUPYTER" ]] || die "$JUPYTER not found: the Debian Jupyter packages are needed (${APT_PACKAGES[*]})"
"$JUPYTER" nbconvert --version >/dev/null 2>&1 || die "$JUPYTER nbconvert does not run (is jupyter-nbconvert installed?)"

# --- 2. Go tools ---------------------------------------------------------------------------------------
command -v go >/dev/null || die "go not found on PATH: install Go 1.26.8 (https://go.dev/dl/) first"
say "go: $(go version)"
if [[ -z "$bin_dir" ]]; then
	if ((is_root)); then bin_dir=/usr/local/bin; else bin_dir="$(go env GOPATH)/bin"; fi
fi
mkdir -p "$bin_dir"
bin_dir="$(cd "$bin_dir" && pwd -P)"

# tool_version BINARY MODULE prints the version of MODULE that BINARY was built from (empty if unknown).
tool_version() {
	go version -m "$1" 2>/dev/null | awk -v m="$2" '$1 == "mod" && $2 == m { print $3 }'
}

# ensure_tool NAME MODULE VERSION INSTALL-COMMAND...: keep a binary found on PATH or in bin_dir if it has the
# right version, otherwise run the install command with GOBIN=bin_dir.
ensure_tool() {
	local name="$1" module="$2" version="$3"
	shift 3
	local found
	for found in "$(command -v "$name" || true)" "$bin_dir/$name"; do
		if [[ -n "$found" && -x "$found" && "$(tool_version "$found" "$module")" == "$version" ]]; then
			say "$name: $version already installed at $found"
			return 0
		fi
	done
	say "$name: installing $module@$version into $bin_dir"
	(
		export GOBIN="$bin_dir"
		"$@"
	)
	[[ "$(tool_version "$bin_dir/$name" "$module")" == "$version" ]] ||
		die "$name: $bin_dir/$name is not $module@$version after installing"
}

# GoNB through a tools module (scripts/tools/go.mod pins it): a plain `go install ...gonb@v0.11.4` asks the
# proxy for a version list that it refuses.
install_gonb() { cd "$repo_root/scripts/tools" && go install tool; }
ensure_tool gonb github.com/janpfeifer/gonb "$GONB_VERSION" install_gonb
ensure_tool gopls golang.org/x/tools/gopls "$GOPLS_VERSION" \
	go install "golang.org/x/tools/gopls@$GOPLS_VERSION"
ensure_tool goimports golang.org/x/tools "$GOIMPORTS_VERSION" \
	go install "golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION"

# The kernel inherits PATH from Jupyter and runs goimports and gopls from it: the right versions must come
# first on PATH.
for spec in "gonb github.com/janpfeifer/gonb $GONB_VERSION" "gopls golang.org/x/tools/gopls $GOPLS_VERSION" \
	"goimports golang.org/x/tools $GOIMPORTS_VERSION"; do
	read -r t module version <<<"$spec"
	found="$(command -v "$t" || true)"
	[[ -n "$found" && "$(tool_version "$found" "$module")" == "$version" ]] ||
		die "$t on PATH is '${found:-nothing}', not $module@$version: put $bin_dir first on PATH, e.g. export PATH=\"$bin_dir:\$PATH\""
done
gonb_bin="$(command -v gonb)"
if ((tools_only)); then
	say "done (--tools-only: kernel not registered, Go modules not downloaded)."
	exit 0
fi

# --- 3. The gonb kernel ----------------------------------------------------------------------------------
# GoNB registers itself (kernel.json, logo); then kernel.json is pointed at a copy of scripts/gonb-kernel.sh
# kept beside it, which starts gonb with a go.work using the checkout of the notebook being opened (this
# checkout is only the fallback, for notebooks outside any checkout): see that script.
kernel_dir="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels/gonb"
kernel_json="$kernel_dir/kernel.json"
wrapper="$kernel_dir/gonb-kernel.sh"
# kernel_spec check|write: checks that kernel.json runs the wrapper with this gonb and this checkout as the
# fallback, or rewrites GoNB's own kernel.json to do so.
kernel_spec() {
	/usr/bin/python3 - "$1" "$kernel_json" "$wrapper" "$gonb_bin" "$repo_root" <<'EOF'
import json, sys
mode, path, wrapper, gonb, root = sys.argv[1:]
try:
    spec = json.load(open(path))
except (OSError, ValueError):
    sys.exit(1)
env = {"RNNLAB_GONB": gonb, "RNNLAB_KERNEL_ROOT": root}
if mode == "check":
    ok = spec["argv"][0] == wrapper and all(spec.get("env", {}).get(k) == v for k, v in env.items())
    sys.exit(0 if ok and not any(a.startswith("-go_work=") for a in spec["argv"]) else 1)
spec["argv"] = [wrapper] + [a for a in spec["argv"][1:] if not a.startswith("-go_work=")]
spec.setdefault("env", {}).update(env)
with open(path, "w") as f:
    json.dump(spec, f)
EOF
}
if kernel_spec check && cmp -s "$repo_root/scripts/gonb-kernel.sh" "$wrapper"; then
	say "kernel: gonb already registered in $kernel_dir (each notebook uses its own checkout; fallback $repo_root)"
else
	say "kernel: registering gonb in $kernel_dir (each notebook uses its own checkout; fallback $repo_root)"
	# gonb logs to stderr; keep only errors.
	"$gonb_bin" --install 2>&1 | grep -v '^I[0-9]' || true
	install -m 755 "$repo_root/scripts/gonb-kernel.sh" "$wrapper"
	kernel_spec write || die "kernel: could not rewrite $kernel_json"
	kernel_spec check || die "kernel: $kernel_json was not written as expected"
fi
kernels="$("$JUPYTER" kernelspec list 2>/dev/null)"
grep -q '^ *gonb ' <<<"$kernels" || die "kernel: jupyter does not list the gonb kernel (kernelspec list: $kernels)"

# --- 4. Go modules ---------------------------------------------------------------------------------------
say "go modules: downloading what $repo_root/go.mod needs (quick when already in the module cache)"
(cd "$repo_root" && go mod download)

say "done. Run the notebooks with scripts/run-notebooks.sh, serve them with scripts/notebook-server.sh."
