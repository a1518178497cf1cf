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

# check_kernel fails unless Jupyter and the gonb kernel are installed and the kernel starts through
# scripts/gonb-kernel.sh (registered by scripts/setup.sh), which gives each notebook the library of the
# checkout it lives in; notebooks outside any checkout get $RNNLAB_ROOT, this checkout (exported above).
check_kernel() {
	[[ -x "$JUPYTER" ]] || die "$JUPYTER not found: run scripts/setup.sh first"
	local spec
	spec="$("$JUPYTER" kernelspec list --json 2>/dev/null)" || die "'jupyter kernelspec list' failed: run scripts/setup.sh"
	local problem
	problem="$(/usr/bin/python3 -c '
import json, os, sys
specs = json.load(sys.stdin)["kernelspecs"]
if "gonb" not in specs:
    sys.exit("the gonb Jupyter kernel is not registered")
spec = specs["gonb"]["spec"]
argv, gonb = spec["argv"], spec.get("env", {}).get("RNNLAB_GONB", "")
if os.path.basename(argv[0]) != "gonb-kernel.sh" or not os.access(argv[0], os.X_OK):
    sys.exit("the gonb kernel does not start through scripts/gonb-kernel.sh (argv: %s), so its notebooks would use the library of the checkout that registered it" % " ".join(argv))
if not os.access(gonb, os.X_OK):
    sys.exit("the gonb kernel runs %r, which is not an executable" % gonb)' <<<"$spec" 2>&1)" ||
		die "$problem: run scripts/setup.sh here"
	{ command -v goimports && command -v gopls; } >/dev/null ||
		die "goimports and gopls must be on PATH for the gonb kernel: run scripts/setup.sh and check PATH"
}
