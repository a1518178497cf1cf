#!/usr/bin/env bash
# run-notebooks.sh: execute rnnlab's notebooks headlessly, each into an executed copy and an HTML page.
#
# Usage: scripts/run-notebooks.sh [--out DIR] [--timeout SECONDS] [NOTEBOOK.ipynb ...]
#   --out DIR          where to write NAME.ipynb (executed), NAME.html and NAME.log (the kernel's log)
#                      (default: notebooks/out, ignored by git; env RNNLAB_NOTEBOOK_OUT)
#   --timeout SECONDS  longest a single cell may run (default 900; env RNNLAB_CELL_TIMEOUT)
#   NOTEBOOK.ipynb     notebooks to run (default: every notebooks/*.ipynb)
# Each notebook runs in its own folder, as in the notebook server. The script fails (exit 1) when a
# notebook fails to execute, or its executed copy holds an error output or a Go panic.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

out="${RNNLAB_NOTEBOOK_OUT:-$repo_root/notebooks/out}"
timeout="${RNNLAB_CELL_TIMEOUT:-900}"
notebooks=()
while (($# > 0)); do
	case "$1" in
	--out)
		(($# >= 2)) || die "--out needs a folder"
		out="$2"
		shift
		;;
	--out=*) out="${1#--out=}" ;;
	--timeout)
		(($# >= 2)) || die "--timeout needs a number of seconds"
		timeout="$2"
		shift
		;;
	--timeout=*) timeout="${1#--timeout=}" ;;
	-h | --help)
		usage
		exit 0
		;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) notebooks+=("$1") ;;
	esac
	shift
done
[[ "$timeout" =~ ^[0-9]+$ ]] || die "timeout must be a number of seconds, got '$timeout'"
if ((${#notebooks[@]} == 0)); then
	shopt -s nullglob
	notebooks=("$repo_root"/notebooks/*.ipynb)
	shopt -u nullglob
	((${#notebooks[@]} > 0)) || die "no notebooks in $repo_root/notebooks"
fi
check_kernel
mkdir -p "$out"
out="$(cd "$out" && pwd -P)"

# check_outputs NOTEBOOK prints the error outputs and panics found in an executed notebook; fails if any.
check_outputs() {
	/usr/bin/python3 - "$1" <<'EOF'
import json, sys
nb = json.load(open(sys.argv[1]))
bad = []
for i, cell in enumerate(nb["cells"]):
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            bad.append("cell %d: %s: %s" % (i, o.get("ename", ""), o.get("evalue", "")))
        elif o.get("output_type") == "stream" and o.get("name") == "stderr":
            text = "".join(o.get("text", []))
            if "panic" in text:
                bad.append("cell %d: panic on stderr: %s" % (i, text[:2000]))
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
}

failed=()
for nb in "${notebooks[@]}"; do
	[[ -f "$nb" ]] || die "no notebook $nb"
	name="$(basename "$nb" .ipynb)"
	say "$name: executing (kernel log in $out/$name.log)"
	start=$SECONDS
	if ! "$JUPYTER" nbconvert --to notebook --execute --ExecutePreprocessor.timeout="$timeout" \
		--output-dir="$out" --output="$name.ipynb" "$nb" >"$out/$name.log" 2>&1; then
		say "$name: FAILED to execute after $((SECONDS - start)) s; end of the log:"
		grep -v '^I[0-9]' "$out/$name.log" | tail -n 40 >&2
		failed+=("$name")
		continue
	fi
	say "$name: executed in $((SECONDS - start)) s"
	if ! problems="$(check_outputs "$out/$name.ipynb")"; then
		say "$name: FAILED, the executed notebook holds errors:"
		printf '%s\n' "$problems" >&2
		failed+=("$name")
	fi
	"$JUPYTER" nbconvert --to html --output-dir="$out" --output="$name.html" "$out/$name.ipynb" >>"$out/$name.log" 2>&1 ||
		{
			say "$name: FAILED to render HTML (see $out/$name.log)"
			failed+=("$name")
			continue
		}
	say "$name: wrote $out/$name.ipynb and $out/$name.html"
done
((${#failed[@]} == 0)) || die "failed notebooks: ${failed[*]}"
say "all ${#notebooks[@]} notebook(s) ran cleanly; results in $out"
