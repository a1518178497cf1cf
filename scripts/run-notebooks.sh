#!/usr/bin/env bash
# run-notebooks.sh: execute rnnlab's notebooks headlessly, each into an executed copy and an HTML page.
#
# Usage: scripts/run-notebooks.sh [--commit] [--out DIR] [--timeout SECONDS] [NOTEBOOK.ipynb ...]
#   --commit           also write each executed notebook back over NOTEBOOK.ipynb, ready to commit: its
#                      metadata stamped with metadata.rnnlab.code_sha256, the hash of its code cells that
#                      notebooks/committed_test.go checks (stale outputs fail that test), cell timing
#                      metadata dropped, and the inline plotly.js of interactive 3-D views removed (the
#                      figure data stays; re-running the cell draws it again)
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
commit=0
notebooks=()
while (($# > 0)); do
	case "$1" in
	--out)
		(($# >= 2)) || die "--out needs a folder"
		out="$2"
		shift
		;;
	--out=*) out="${1#--out=}" ;;
	--commit) commit=1 ;;
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
# No browser answers GoNB's widgets here: rnnlab/nbui's interactive cells draw their first frame only.
export RNNLAB_NOTEBOOK_HEADLESS=1
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

# commit_notebook EXECUTED NOTEBOOK writes the executed copy over the notebook, stamped with the hash of
# its code cells (the rule of CodeHash in notebooks/committed_test.go: sha256 over, for each code cell in
# order, its source's length in bytes, a newline, the source and a newline), without nbconvert's cell
# timings and without the plotly.js bundles that rnnlab/nbui inlines before a 3-D view (1.75 MB each).
commit_notebook() {
	/usr/bin/python3 - "$1" "$2" <<'EOF'
import hashlib, json, re, sys
src, dst = sys.argv[1], sys.argv[2]
nb = json.load(open(src, encoding="utf-8"))
h = hashlib.sha256()
plotly = re.compile(r'<script[^>]*data-rnnlab-plotlyjs[^>]*>.*?</script>\n?', re.S)
for cell in nb["cells"]:
    cell.get("metadata", {}).pop("execution", None)
    if cell["cell_type"] != "code":
        continue
    s = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    h.update(("%d\n%s\n" % (len(s.encode("utf-8")), s)).encode("utf-8"))
    for o in cell.get("outputs", []):
        data = o.get("data", {})
        if "text/html" in data:
            html = data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
            stripped = plotly.sub("", html)
            if stripped != html:
                data["text/html"] = stripped.splitlines(keepends=True)
nb["metadata"]["rnnlab"] = {"code_sha256": h.hexdigest()}
with open(dst, "w", encoding="utf-8") as f:
    json.dump(nb, f, indent=1, ensure_ascii=False, sort_keys=True)
    f.write("\n")
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
	if ((commit)); then
		commit_notebook "$out/$name.ipynb" "$nb" || {
			say "$name: FAILED to write the executed notebook back to $nb"
			failed+=("$name")
			continue
		}
		say "$name: committed outputs written to $nb ($(du -k "$nb" | cut -f1) kB); check with go test ./notebooks -run TestCommittedOutputs"
	fi
done
((${#failed[@]} == 0)) || die "failed notebooks: ${failed[*]}"
say "all ${#notebooks[@]} notebook(s) ran cleanly; results in $out"
