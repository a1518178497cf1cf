#!/usr/bin/env bash
# screenshot.sh: render an HTML page (e.g. an executed notebook from run-notebooks.sh) to a PNG with headless
# Chromium, to look at what a reader sees. Needs chromium (scripts/setup.sh --chromium).
#
# Usage: scripts/screenshot.sh PAGE.html OUT.png [WIDTH [HEIGHT]]
#   WIDTH and HEIGHT are the window size in pixels (default 1200 × 1600); the shot is the window's size, so
#   use a tall HEIGHT for a whole notebook.
set -euo pipefail

die() {
	printf 'screenshot.sh: ERROR: %s\n' "$*" >&2
	exit 1
}
case "${1:-}" in
-h | --help)
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit 0
	;;
-*) die "unknown option '$1' (see --help)" ;;
esac
(($# >= 2 && $# <= 4)) || die "usage: scripts/screenshot.sh PAGE.html OUT.png [WIDTH [HEIGHT]]"
page="$(realpath "$1")"
out="$(realpath "$2")"
width="${3:-1200}"
height="${4:-1600}"
[[ -f "$page" ]] || die "no page $page"
command -v chromium >/dev/null || die "chromium is not installed: run scripts/setup.sh --chromium (as root)"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
sandbox=()
[[ "$(id -u)" == 0 ]] && sandbox=(--no-sandbox)
chromium --headless "${sandbox[@]}" --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
	--screenshot="$out" --window-size="$width,$height" "file://$page" >/dev/null 2>&1 ||
	die "chromium failed to render $page"
[[ -s "$out" ]] || die "chromium wrote no screenshot to $out"
printf 'screenshot.sh: wrote %s (%s × %s)\n' "$out" "$width" "$height"
