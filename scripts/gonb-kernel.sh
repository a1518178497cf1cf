#!/usr/bin/env bash
# gonb-kernel.sh: how Jupyter starts the gonb kernel for rnnlab's notebooks. scripts/setup.sh copies this
# file into the kernel's folder (next to kernel.json, so that it outlives the checkout that registered it)
# and names it as the kernel's command; you do not run it yourself.
#
# Jupyter starts a kernel in the folder of its notebook. This script finds the rnnlab checkout that folder
# belongs to and starts GoNB with a go.work that uses it, so that the notebooks of each checkout import that
# checkout's library, whichever checkout ran scripts/setup.sh last. The checkout is the first of:
#   1. the notebook's folder or the nearest of its parents holding rnnlab's go.mod
#      (module github.com/rnnlab/rnnlab);
#   2. $RNNLAB_ROOT, for notebooks kept outside a checkout (scripts/notebook-server.sh and
#      scripts/run-notebooks.sh set it to their own checkout, the Docker image to /opt/rnnlab);
#   3. $RNNLAB_KERNEL_ROOT, the checkout that registered the kernel (set in kernel.json).
# With none of them, GoNB starts without rnnlab (notebooks that import it fail to build) and this script
# says why on stderr, which the notebook server prints. It also says which checkout it chose.
#
# Usage (in kernel.json): gonb-kernel.sh GONB-FLAGS...   (e.g. --kernel {connection_file})
# Environment: RNNLAB_GONB, the gonb binary (set in kernel.json; default: gonb on PATH).
set -euo pipefail

module=github.com/rnnlab/rnnlab
say() { printf 'gonb-kernel: %s\n' "$*" >&2; }

# is_checkout DIR succeeds when DIR holds rnnlab's go.mod.
is_checkout() {
	[[ -n "$1" && -f "$1/go.mod" ]] && [[ "$(awk '$1 == "module" { print $2; exit }' "$1/go.mod")" == "$module" ]]
}

root=""
from=""
dir="$(pwd -P)"
while :; do
	if is_checkout "$dir"; then
		root="$dir"
		from="the notebook's folder $(pwd -P)"
		break
	fi
	[[ "$dir" == / ]] && break
	dir="$(dirname "$dir")"
done
if [[ -z "$root" ]] && is_checkout "${RNNLAB_ROOT:-}"; then
	root="$(cd "$RNNLAB_ROOT" && pwd -P)"
	from="RNNLAB_ROOT (the notebook's folder $(pwd -P) is in no rnnlab checkout)"
fi
if [[ -z "$root" ]] && is_checkout "${RNNLAB_KERNEL_ROOT:-}"; then
	root="$RNNLAB_KERNEL_ROOT"
	from="the checkout that registered the kernel (the notebook's folder $(pwd -P) is in no rnnlab checkout)"
fi

gonb="${RNNLAB_GONB:-gonb}"
if [[ -z "$root" ]]; then
	say "WARNING: no rnnlab checkout found from $(pwd -P), RNNLAB_ROOT='${RNNLAB_ROOT:-}' or RNNLAB_KERNEL_ROOT='${RNNLAB_KERNEL_ROOT:-}': starting GoNB without rnnlab (run scripts/setup.sh in a checkout)"
	exec "$gonb" "$@"
fi
say "using the rnnlab checkout $root, from $from"
exec "$gonb" "$@" "-go_work=$root"
