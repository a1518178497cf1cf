#!/usr/bin/env bash
# docker-check.sh: build rnnlab's Docker image and check it end to end where a Docker engine runs (15-30 min
# cold, a few minutes with the build cache). Not part of every CI run; run it after changing docker/ or
# scripts/setup.sh, from a clean clone (git clone . /tmp/rnnlab-clone && /tmp/rnnlab-clone/scripts/docker-check.sh).
#
# Usage: scripts/docker-check.sh [--image NAME] [--no-build] [--uid UID] [--gid GID] [--network host]
#                                [--port PORT] [--no-compose] [--keep]
#   --image NAME    image to build and check (default rnnlab:latest)
#   --no-build      check an image built before instead of building it
#   --uid, --gid    the USER_UID and USER_GID build args (default: yours, as the README says;
#                   1000:1000 when run as root, the image's default user)
#   --network host  build and run with the host's network (for an engine started without a bridge);
#                   the server then listens on 127.0.0.1:PORT of the host
#   --port PORT     host port for Jupyter (default: a free one)
#   --no-compose    skip the check of docker/compose.yaml (otherwise it needs `docker compose` or
#                   docker-compose)
#   --keep          keep the work folders (the containers are always removed)
# Checks, in order: the image builds; it holds no .git, notebook outputs, results or docker/work; the server
# answers; the token is required; the gonb kernel is listed and starts through the server; the server runs
# as the build's uid; a login shell (docker exec bash -l) and a Jupyter Terminal (opened through the
# server's terminals API and its websocket) run `go version` and `rnnlab --help`; the tutorial notebook
# executes inside the container into the mounted folder; no defunct processes are left (tini reaps them);
# the results stay on the host, owned by that uid, after the container stops; docker/compose.yaml, run with
# the Compose found here (v2's `docker compose`, else v1's docker-compose) on the built image, serves the
# notebooks with the token only. Prints each step's time; on failure, one line naming the failed check
# (exit 1).
set -euo pipefail

say() { printf 'docker-check: %s\n' "$*"; }
failed_check=""
fail() {
	failed_check="FAILED: $1: $2"
	printf 'docker-check: %s\n' "$failed_check" >&2
	exit 1
}
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

image=rnnlab:latest
build=1
uid=""
gid=""
network=""
port=""
keep=0
with_compose=1
while (($# > 0)); do
	case "$1" in
	--image | --uid | --gid | --network | --port)
		(($# >= 2)) || fail usage "$1 needs a value"
		declare "${1#--}=$2"
		shift
		;;
	--image=* | --uid=* | --gid=* | --network=* | --port=*)
		opt="${1%%=*}"
		declare "${opt#--}=${1#*=}"
		;;
	--no-build) build=0 ;;
	--keep) keep=1 ;;
	--no-compose) with_compose=0 ;;
	-h | --help)
		usage
		exit 0
		;;
	*) fail usage "unknown option '$1' (see --help)" ;;
	esac
	shift
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
if [[ -z "$uid" ]]; then
	if [[ "$(id -u)" == 0 ]]; then uid=1000; else uid="$(id -u)"; fi
fi
if [[ -z "$gid" ]]; then
	if [[ "$(id -u)" == 0 ]]; then gid=1000; else gid="$(id -g)"; fi
fi
[[ "$uid" =~ ^[0-9]+$ && "$gid" =~ ^[0-9]+$ ]] || fail usage "--uid and --gid must be numbers"
[[ -z "$network" || "$network" == host ]] || fail usage "--network can only be host"
command -v docker >/dev/null || fail engine "docker not found on PATH"
command -v curl >/dev/null || fail engine "curl not found on PATH (the checks talk to Jupyter with it)"
docker info >/dev/null 2>&1 || fail engine "no Docker engine answers (docker info failed)"
if [[ -z "$port" ]]; then
	# A free port: ask the kernel for one through a throwaway listener, else pick one at random.
	port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + RANDOM % 20000)))"
fi
token="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
name="rnnlab-check-$$-${token:0:6}"
net_args=()
[[ -n "$network" ]] && net_args=(--network "$network")

# Timings, printed at the end (and on failure, as far as they got).
timings=()
step_start=0
begin() { step_start=$SECONDS; }
took() {
	timings+=("$(printf '%-34s %4d s' "$1" $((SECONDS - step_start)))")
	say "ok: $1 ($((SECONDS - step_start)) s)"
}
work=""
compose_work=""
compose_project=""
# remove_folder DIR removes a work folder, through a container when files the container's uid wrote there
# may not be removed from here.
remove_folder() {
	rm -rf "$1" 2>/dev/null ||
		docker run --rm --network none -v "$1:/w" --entrypoint /bin/rm "$image" -rf /w/. 2>/dev/null || true
	rm -rf "$1" 2>/dev/null || say "could not remove $1"
}
cleanup() {
	local rc=$?
	docker rm -f "$name" >/dev/null 2>&1 || true
	if [[ -n "$compose_project" ]]; then
		"${compose[@]}" "${compose_args[@]}" down >/dev/null 2>&1 || say "could not stop the compose project $compose_project"
	fi
	for dir in "$work" "$compose_work"; do
		[[ -n "$dir" ]] || continue
		if ((keep)); then
			say "kept the work folder $dir"
		else
			remove_folder "$dir"
			rm -f "$dir.override.yaml" "$dir.log"
		fi
	done
	if ((${#timings[@]} > 0)); then
		say "timings:"
		printf '  %s\n' "${timings[@]}"
	fi
	# The last line names the failed check, after the timings (fail printed it already when there are none).
	if [[ -n "$failed_check" ]] && ((${#timings[@]} > 0)); then
		printf 'docker-check: %s\n' "$failed_check" >&2
	elif ((rc != 0)); then
		printf 'docker-check: FAILED: unexpected error (exit %s), see above\n' "$rc" >&2
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# curl_code URL prints the HTTP status of a GET of URL (000 when nothing answers).
curl_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@" || true; }
base="http://127.0.0.1:$port"

# --- build ---------------------------------------------------------------------------------------------
if ((build)); then
	say "building $image from $repo_root (USER_UID=$uid USER_GID=$gid; docker client $(docker version -f '{{.Client.Version}}' 2>/dev/null), DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-unset})"
	begin
	log="$(mktemp /tmp/rnnlab-docker-build.XXXXXX.log)"
	if ! docker build "${net_args[@]}" -f "$repo_root/docker/Dockerfile" -t "$image" \
		--build-arg USER_UID="$uid" --build-arg USER_GID="$gid" "$repo_root" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		fail build "docker build failed (full log: $log)"
	fi
	rm -f "$log"
	took "build"
fi
docker image inspect "$image" >/dev/null 2>&1 || fail build "no image $image"
size="$(docker image inspect -f '{{.Size}}' "$image" | awk '{ printf "%.2f GB", $1 / 1e9 }')"
say "image $image: $size"

# --- what the image holds ------------------------------------------------------------------------------
begin
baked="$(docker run --rm --network none "$image" bash -c \
	'cd /opt/rnnlab && for p in .git docker/work notebooks/out notebooks/runs out run bin; do [[ -e $p ]] && echo "$p"; done; true')" ||
	fail contents "could not run a command in the image"
[[ -z "$baked" ]] || fail contents "the image holds what the build should have left out: $(echo "$baked" | tr '\n' ' ')"
[[ "$(docker run --rm --network none "$image" id -u)" == "$uid" ]] || fail contents "the image's user is not uid $uid"
took "image contents"

# --- the server ------------------------------------------------------------------------------------------
work="$(mktemp -d /tmp/rnnlab-docker-work.XXXXXX)"
chmod 755 "$work"
if [[ "$(id -u)" == 0 ]]; then
	chown "$uid:$gid" "$work"
fi
run_args=(-d --name "$name" -e RNNLAB_TOKEN="$token" -v "$work:/home/rnnlab/work")
server_args=()
if [[ "$network" == host ]]; then
	run_args+=(--network host)
	server_args=(--ip 127.0.0.1 --port "$port")
else
	run_args+=(-p "127.0.0.1:$port:8888")
fi
say "starting container $name (Jupyter on $base)"
begin
docker run "${run_args[@]}" "$image" "${server_args[@]}" >/dev/null || fail start "docker run failed"
until [[ "$(curl_code "$base/api/status?token=$token")" == 200 ]]; do
	if [[ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != true ]]; then
		docker logs --tail 30 "$name" >&2 || true
		fail start "the container stopped before Jupyter answered"
	fi
	if ((SECONDS - step_start > 120)); then
		docker logs --tail 30 "$name" >&2 || true
		fail start "Jupyter did not answer on $base within 120 s"
	fi
	sleep 1
done
took "server answers after docker run"

begin
code="$(curl_code "$base/api/kernelspecs")"
[[ "$code" == 403 ]] || fail token "GET /api/kernelspecs without the token answered $code, want 403"
code="$(curl_code "$base/api/kernelspecs?token=wrong$token")"
[[ "$code" == 403 ]] || fail token "GET /api/kernelspecs with a wrong token answered $code, want 403"
code="$(curl_code "$base/tree")"
[[ "$code" == 302 ]] || fail token "GET /tree without the token answered $code, want 302 (to the login page)"
took "token required"

begin
specs="$(curl -s --max-time 10 "$base/api/kernelspecs?token=$token")" || fail kernel "GET /api/kernelspecs failed"
grep -q '"default": *"gonb"' <<<"$specs" || fail kernel "gonb is not the default kernel: $specs"
grep -q '"gonb": *{' <<<"$specs" || fail kernel "the gonb kernel is not listed: $specs"
# Start a gonb kernel through the server, as opening a notebook does, then shut it down.
auth=(-H "Authorization: token $token")
kernel="$(curl -s --max-time 30 "${auth[@]}" -X POST -H 'Content-Type: application/json' -d '{"name": "gonb"}' \
	"$base/api/kernels" | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p')"
[[ -n "$kernel" ]] || fail kernel "POST /api/kernels did not start a gonb kernel"
# The kernel process runs (the REST API reports "starting" until a client talks to the kernel, so look at
# the process), and is still running a few seconds later.
kernel_pids() { docker exec "$name" ps -eo pid=,args= | awk '/gonb/ && /--kernel/ && !/awk/ { print $1 }'; }
for _ in $(seq 60); do
	[[ -n "$(kernel_pids)" ]] && break
	sleep 1
done
[[ -n "$(kernel_pids)" ]] || fail kernel "no gonb kernel process 60 s after POST /api/kernels"
sleep 5
[[ -n "$(kernel_pids)" ]] || fail kernel "the gonb kernel process died within 5 s of starting (see docker logs)"
code="$(curl_code "${auth[@]}" "$base/api/kernels/$kernel")"
[[ "$code" == 200 ]] || fail kernel "GET /api/kernels/$kernel answered $code, want 200"
code="$(curl_code "${auth[@]}" -X DELETE "$base/api/kernels/$kernel")"
[[ "$code" == 204 ]] || fail kernel "DELETE /api/kernels/$kernel answered $code, want 204"
for _ in $(seq 20); do
	[[ -z "$(kernel_pids)" ]] && break
	sleep 1
done
[[ -z "$(kernel_pids)" ]] || fail kernel "the gonb kernel process still runs 20 s after DELETE /api/kernels/$kernel"
took "gonb kernel listed and starts"

begin
server_uid="$(docker exec "$name" ps -eo uid=,args= | awk '/NotebookApp.token/ { print $1; exit }')" || true
[[ "$server_uid" == "$uid" ]] || fail user "Jupyter runs as uid '$server_uid', want $uid"
[[ -f "$work/tutorial.ipynb" ]] || fail user "the entry point did not copy tutorial.ipynb into the mounted folder"
took "server user and notebooks copied"

# --- go and rnnlab in a login shell and in Jupyter's Terminal ------------------------------------------
# shell_ok TEXT succeeds when TEXT shows `go version` and `rnnlab --help` having run.
shell_ok() { grep -q 'go version go[0-9]' <<<"$1" && grep -q 'Usage: rnnlab COMMAND' <<<"$1"; }
shell_cmd='command -v go rnnlab; go version; rnnlab --help 2>&1 | head -n 3'
begin
out="$(docker exec "$name" bash -lc "$shell_cmd" 2>&1)" || true
shell_ok "$out" || fail shells "a login shell (docker exec $name bash -lc) does not run go version and rnnlab --help:
$out"
say "login shell: $(head -n 3 <<<"$out" | tr '\n' ' ')"
# A Terminal as the browser opens one: POST /api/terminals (REST, with the token, from the host), then
# the terminal's websocket (terminado's protocol: ["stdin", text] in, ["stdout", text] out), talked to by
# the image's own Python (tornado, which Jupyter brings) from inside the container.
term="$(curl -s --max-time 30 "${auth[@]}" -X POST "$base/api/terminals" | sed -n 's/.*"name": *"\([^"]*\)".*/\1/p')"
[[ -n "$term" ]] || fail shells "POST /api/terminals did not open a terminal"
inner_port=8888
[[ "$network" == host ]] && inner_port="$port"
out="$(docker exec -i "$name" /usr/bin/python3 - "ws://127.0.0.1:$inner_port/terminals/websocket/$term?token=$token" \
	"$shell_cmd; echo \"shell: \$0 \${BASH_VERSION:+bash \$BASH_VERSION}\"; echo RNNLAB-TERMINAL-'DONE'" <<'EOF' 2>&1
import asyncio, json, re, sys
from tornado.websocket import websocket_connect

async def main(url, cmd):
    ws = await websocket_connect(url)
    ws.write_message(json.dumps(["stdin", cmd + "\r"]))
    out = ""
    while "RNNLAB-TERMINAL-DONE" not in out:
        msg = await asyncio.wait_for(ws.read_message(), 60)
        if msg is None:
            break
        kind, *data = json.loads(msg)
        if kind == "stdout":
            out += data[0]
    ws.close()
    # Without the terminal's colours and carriage returns.
    print(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r", "", out))

asyncio.run(main(*sys.argv[1:]))
EOF
)" || fail shells "could not talk to terminal $term through its websocket:
$out"
shell_ok "$out" || fail shells "Jupyter's Terminal does not run go version and rnnlab --help:
$out"
grep -q '^shell: .* bash [0-9]' <<<"$out" || fail shells "Jupyter's Terminal does not run bash (SHELL unset in the image?):
$out"
say "Jupyter Terminal $term: $(grep -E '^/|^go version|^shell: ' <<<"$out" | tr '\n' ' ')"
code="$(curl_code "${auth[@]}" -X DELETE "$base/api/terminals/$term")"
[[ "$code" == 204 ]] || fail shells "DELETE /api/terminals/$term answered $code, want 204"
took "go and rnnlab in login shell, Terminal"

# --- the tutorial, inside the container, into the mounted folder ----------------------------------------
say "executing tutorial.ipynb inside the container"
begin
if ! docker exec "$name" scripts/run-notebooks.sh --out /home/rnnlab/work/out /home/rnnlab/work/tutorial.ipynb; then
	fail notebook "the tutorial notebook failed inside the container (log: $work/out/tutorial.log, use --keep)"
fi
took "tutorial notebook inside"

begin
sleep 2
zombies="$(docker exec "$name" ps -eo stat=,pid=,ppid=,comm= | awk '$1 ~ /^Z/')"
[[ -z "$zombies" ]] || fail reaping "defunct processes left after the kernels shut down: $(echo "$zombies" | tr '\n' ';')"
took "no defunct processes"

# --- the results stay on the host ------------------------------------------------------------------------
begin
docker stop -t 30 "$name" >/dev/null || fail stop "docker stop failed"
[[ "$(docker inspect -f '{{.State.ExitCode}}' "$name")" =~ ^(0|143)$ ]] ||
	fail stop "Jupyter exited with code $(docker inspect -f '{{.State.ExitCode}}' "$name") on docker stop"
docker rm "$name" >/dev/null
took "docker stop"
begin
for f in out/tutorial.ipynb out/tutorial.html; do
	[[ -s "$work/$f" ]] || fail results "$work/$f is not on the host after the container stopped"
done
[[ -d "$work/runs/tutorial" && -n "$(ls -A "$work/runs/tutorial")" ]] ||
	fail results "the notebook's results ($work/runs/tutorial) are not on the host after the container stopped"
owner="$(stat -c %u "$work/runs/tutorial")"
[[ "$owner" == "$uid" ]] || fail results "$work/runs/tutorial is owned by uid $owner, want $uid"
took "results kept on the host"

# --- docker/compose.yaml, with the Compose found here ------------------------------------------------------
if ((with_compose)); then
	if docker compose version >/dev/null 2>&1; then
		compose=(docker compose)
	elif command -v docker-compose >/dev/null; then
		compose=(docker-compose)
	else
		fail compose "neither 'docker compose' (v2) nor docker-compose (v1) found (--no-compose skips this check)"
	fi
	say "docker/compose.yaml with ${compose[*]} ($("${compose[@]}" version --short 2>/dev/null || echo '?'))"
	begin
	compose_work="$(mktemp -d /tmp/rnnlab-docker-compose.XXXXXX)"
	chmod 755 "$compose_work"
	[[ "$(id -u)" == 0 ]] && chown "$uid:$gid" "$compose_work"
	# What differs from a user's `up`: the image checked here, a fresh work folder instead of docker/work,
	# and no build (up --no-build: the image was built above, possibly by another builder). Everything else,
	# the published port included, comes from docker/compose.yaml: Compose runs the container on the
	# project's own network, which an engine started without its default bridge (--network host above)
	# still makes. (Compose v1 refuses network_mode: host beside the file's ports.)
	printf 'services:\n  notebooks:\n    image: "%s"\n    volumes:\n      - "%s:/home/rnnlab/work"\n' \
		"$image" "$compose_work" >"$compose_work.override.yaml"
	compose_args=(-p "$name" -f "$repo_root/docker/compose.yaml" -f "$compose_work.override.yaml")
	compose_project="$name"
	RNNLAB_TOKEN="$token" RNNLAB_PORT="$port" USER_UID="$uid" USER_GID="$gid" \
		"${compose[@]}" "${compose_args[@]}" up -d --no-build >"$compose_work.log" 2>&1 ||
		fail compose "${compose[*]} up failed: $(tail -n 5 "$compose_work.log")"
	until [[ "$(curl_code "$base/api/status?token=$token")" == 200 ]]; do
		if ((SECONDS - step_start > 120)); then
			"${compose[@]}" "${compose_args[@]}" logs --tail 30 >&2 || true
			fail compose "Jupyter started by ${compose[*]} did not answer on $base within 120 s"
		fi
		sleep 1
	done
	code="$(curl_code "$base/api/kernelspecs")"
	[[ "$code" == 403 ]] || fail compose "GET /api/kernelspecs without the token answered $code, want 403"
	grep -q '"gonb": *{' <<<"$(curl -s --max-time 10 "$base/api/kernelspecs?token=$token")" ||
		fail compose "the gonb kernel is not listed with the token"
	[[ -f "$compose_work/tutorial.ipynb" ]] || fail compose "the notebooks were not copied into the mounted folder"
	"${compose[@]}" "${compose_args[@]}" down >>"$compose_work.log" 2>&1 || fail compose "${compose[*]} down failed"
	compose_project=""
	took "compose up serves, with the token"
fi
say "all checks passed for $image ($size; results were in $work: $(find "$work/runs" -type f | wc -l) files under runs/)"
