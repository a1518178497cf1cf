#!/usr/bin/env bash
# entrypoint.sh: the rnnlab image's entry point.
#
# With no arguments, or only options, it serves Jupyter on $RNNLAB_NOTEBOOK_DIR (the mounted work folder)
# through scripts/notebook-server.sh, passing the options on (--port, --token, ...). The tutorial notebooks
# are copied into the work folder first, unless a file of that name is already there: your edits and
# results stay on the host and are never overwritten.
# With a command (docker run IMAGE scripts/run-notebooks.sh, go test ./..., bash), it runs that instead.
set -euo pipefail

root="${RNNLAB_ROOT:-/opt/rnnlab}"
work="${RNNLAB_NOTEBOOK_DIR:-$HOME/work}"

if (($# > 0)) && [[ "$1" != -* ]]; then
	exec "$@"
fi

mkdir -p "$work" 2>/dev/null || true
if ! [[ -d "$work" && -w "$work" ]]; then
	printf 'entrypoint: ERROR: %s is not a folder writable by uid %s.\n' "$work" "$(id -u)" >&2
	printf 'entrypoint: create the host folder before starting (mkdir -p docker/work) and build the image\n' >&2
	# shellcheck disable=SC2016 # a command for the host's shell, printed as is
	printf 'entrypoint: with your ids: USER_UID=$(id -u) USER_GID=$(id -g) (see docker/compose.yaml).\n' >&2
	exit 1
fi
for nb in "$root"/notebooks/*.ipynb; do
	[[ -e "$nb" ]] || continue
	if [[ -e "$work/${nb##*/}" ]]; then
		printf 'entrypoint: keeping your %s\n' "$work/${nb##*/}"
	else
		cp "$nb" "$work/"
		printf 'entrypoint: copied %s into %s\n' "${nb##*/}" "$work"
	fi
done
exec "$root/scripts/notebook-server.sh" --dir "$work" "$@"
