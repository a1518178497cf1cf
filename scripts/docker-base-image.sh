#!/usr/bin/env bash
# docker-base-image.sh: ONLY for machines that cannot pull from a container registry. Makes a local stand-in
# for the base image docker/Dockerfile starts FROM (golang:<go.mod's Go>-bookworm): Debian bookworm made
# with debootstrap, plus this machine's Go installation, apt sources and extra CA certificates.
# Anywhere Docker Hub is reachable, do not run this: `docker build` pulls the real image.
#
# Usage: scripts/docker-base-image.sh [--force] [--mirror URL]
#   (as root, with debootstrap installed and a Docker engine running)
#   --force       rebuild the image even if one of that name exists
#   --mirror URL  Debian mirror for debootstrap (default: the first URI of this machine's
#                 /etc/apt/sources.list.d/debian.sources, else http://deb.debian.org/debian)
# Takes a few minutes (debootstrap); the image is kept, later runs find it and stop at once.
set -euo pipefail

say() { printf 'docker-base-image: %s\n' "$*"; }
die() {
	printf 'docker-base-image: ERROR: %s\n' "$*" >&2
	exit 1
}
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

force=0
mirror=""
while (($# > 0)); do
	case "$1" in
	--force) force=1 ;;
	--mirror)
		(($# >= 2)) || die "--mirror needs a URL"
		mirror="$2"
		shift
		;;
	--mirror=*) mirror="${1#--mirror=}" ;;
	-h | --help)
		usage
		exit 0
		;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
	shift
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
go_version="$(awk '$1 == "go" { print $2; exit }' "$repo_root/go.mod")"
[[ -n "$go_version" ]] || die "no go directive in $repo_root/go.mod"
image="golang:$go_version-bookworm"

command -v docker >/dev/null || die "docker not found"
docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info failed)"
if ((!force)) && docker image inspect "$image" >/dev/null 2>&1; then
	say "$image already exists (use --force to make it again)"
	exit 0
fi
[[ "$(id -u)" == 0 ]] || die "run as root (debootstrap and chroot need it)"
command -v debootstrap >/dev/null || die "debootstrap not found: apt-get install -y --no-install-recommends debootstrap"
command -v go >/dev/null || die "go not found on PATH"
[[ "$(go env GOVERSION)" == "go$go_version" ]] ||
	die "this machine's Go is $(go env GOVERSION), go.mod asks for go$go_version: the image must have the latter"
goroot="$(go env GOROOT)"

if [[ -z "$mirror" ]]; then
	mirror="$(awk '$1 == "URIs:" { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
	mirror="${mirror:-http://deb.debian.org/debian}"
fi

rootfs="$(mktemp -d /tmp/rnnlab-base.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
start=$SECONDS

# The packages of the real golang:*-bookworm image (buildpack-deps:bookworm-scm plus the C toolchain).
say "debootstrap bookworm from $mirror into $rootfs (a few minutes)"
debootstrap --variant=minbase \
	--include=ca-certificates,curl,wget,gnupg,dirmngr,netbase,git,procps,g++,gcc,libc6-dev,make,pkg-config \
	bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
	tail -n 20 "$rootfs.log" >&2
	die "debootstrap failed (log: $rootfs.log)"
}
rm -f "$rootfs.log"

# This machine's apt sources and settings (its mirror may differ from deb.debian.org).
if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
	rm -f "$rootfs/etc/apt/sources.list"
	cp /etc/apt/sources.list.d/debian.sources "$rootfs/etc/apt/sources.list.d/"
fi
# Extra CA certificates of this machine (e.g. an HTTPS proxy that re-signs traffic); a user's machine
# with a registry needs none of this.
if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
	cp -r /usr/local/share/ca-certificates/. "$rootfs/usr/local/share/ca-certificates/"
	chroot "$rootfs" update-ca-certificates >/dev/null
fi
chroot "$rootfs" apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/*

say "copying Go from $goroot"
cp -a "$goroot" "$rootfs/usr/local/go"
mkdir -p "$rootfs/go/bin" "$rootfs/go/src"
chmod -R 1777 "$rootfs/go"

say "importing as $image"
tar -C "$rootfs" -c . | docker import \
	--change "ENV GOLANG_VERSION=$go_version" \
	--change 'ENV GOPATH=/go' \
	--change 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'ENV GOTOOLCHAIN=local' \
	--change 'WORKDIR /go' \
	--change 'CMD ["bash"]' \
	- "$image" >/dev/null
docker run --rm --network host "$image" go version >/dev/null || die "$image does not run go"
say "made $image in $((SECONDS - start)) s ($(docker image inspect -f '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
