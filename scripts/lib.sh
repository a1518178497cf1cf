# shellcheck shell=bash
# lib.sh: shared by scripts/notebook-server.sh and scripts/run-notebooks.sh (sourced, not run).

# Always Debian's jupyter: other python3 installations on PATH (pyenv, venvs) may lack Jupyter.
JUPYTER=/usr/bin/jupyter
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export RNNLAB_ROOT="$repo_root"

say() { printf '%s: %s\n' "${0##*/}" "$*"; }
die() {
	printf '%s: ERROR: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

# check_kernel fails unless Jupyter and the gonb kernel are installed and the kernel's go.work uses this
# checkout (otherwise notebooks would silently import rnnlab from another copy).
check_kernel() {
	[[ -x "$JUPYTER" ]] || die "$JUPYTER not found: run scripts/setup.sh first"
	local spec
	spec="$("$JUPYTER" kernelspec list --json 2>/dev/null)" || die "'jupyter kernelspec list' failed: run scripts/setup.sh"
	local argv
	argv="$(/usr/bin/python3 -c '
import json, sys
specs = json.load(sys.stdin)["kernelspecs"]
print(" ".join(specs["gonb"]["spec"]["argv"]) if "gonb" in specs else "")' <<<"$spec")"
	[[ -n "$argv" ]] || die "the gonb Jupyter kernel is not registered: run scripts/setup.sh"
	[[ " $argv " == *" -go_work=$repo_root "* ]] ||
		die "the gonb kernel does not use this checkout ($repo_root) in its go.work (argv: $argv): run scripts/setup.sh here"
	{ command -v goimports && command -v gopls; } >/dev/null ||
		die "goimports and gopls must be on PATH for the gonb kernel: run scripts/setup.sh and check PATH"
}
