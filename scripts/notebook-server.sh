#!/usr/bin/env bash
# notebook-server.sh: serve the rnnlab notebooks with Jupyter's classic Notebook server and the gonb kernel.
#
# Usage: scripts/notebook-server.sh [--dir DIR] [--port PORT] [--ip ADDR] [--token TOKEN]
#   --dir DIR      folder to serve (default: the repository's notebooks/; env RNNLAB_NOTEBOOK_DIR)
#   --port PORT    port to listen on (default 8888; env RNNLAB_PORT)
#   --ip ADDR      address to listen on (default 127.0.0.1, use 0.0.0.0 in a container; env RNNLAB_IP)
#   --token TOKEN  access token (env RNNLAB_TOKEN or JUPYTER_TOKEN; default: a random one, printed)
# Open http://localhost:PORT/?token=TOKEN in a browser. Stop with Ctrl-C.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

dir="${RNNLAB_NOTEBOOK_DIR:-$repo_root/notebooks}"
port="${RNNLAB_PORT:-8888}"
ip="${RNNLAB_IP:-127.0.0.1}"
token="${RNNLAB_TOKEN:-${JUPYTER_TOKEN:-}}"
while (($# > 0)); do
	case "$1" in
	--dir | --port | --ip | --token)
		(($# >= 2)) || die "$1 needs a value"
		declare "${1#--}=$2"
		shift
		;;
	--dir=* | --port=* | --ip=* | --token=*)
		opt="${1%%=*}"
		declare "${opt#--}=${1#*=}"
		;;
	-h | --help)
		usage
		exit 0
		;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
	shift
done

[[ "$port" =~ ^[0-9]+$ ]] || die "port must be a number, got '$port'"
[[ -d "$dir" ]] || die "no folder $dir to serve"
check_kernel
if [[ -z "$token" ]]; then
	token="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
fi

extra=()
[[ "$(id -u)" == 0 ]] && extra+=(--allow-root)
say "serving $dir on $ip:$port with the gonb kernel (rnnlab from each notebook's checkout, else $repo_root)"
say "open http://localhost:$port/?token=$token"
exec "$JUPYTER" notebook --no-browser --ip="$ip" --port="$port" --port-retries=0 \
	--notebook-dir="$dir" --NotebookApp.token="$token" \
	--MultiKernelManager.default_kernel_name=gonb "${extra[@]}"
