#!/usr/bin/env bash
# slurm-cluster.sh: a one-node Slurm cluster on 127.0.0.1 in a folder of its own, for rnnlab's sweep tests
# and for trying `rnnlab sweep run --executor slurm` on a laptop (a recipe measured on Debian 12 with Slurm 22.05).
#
# Usage: scripts/slurm-cluster.sh start DIR   write DIR/slurm.conf, start munged (unless one answers),
#                                             slurmctld and slurmd, wait until the node is idle
#        scripts/slurm-cluster.sh stop DIR    cancel every job, SIGTERM the daemons this script started
#                                             (by the PIDs in DIR/pids), wait until they exit
# Then point the Slurm clients at the cluster:  export SLURM_CONF=DIR/slurm.conf
#
# Environment: SLURMCTLD_PORT and SLURMD_PORT (default 6817 and 6818) let two clusters run side by side.
#
# Needs root and Debian's slurmctld slurmd slurm-client munge (bash scripts/setup.sh --slurm installs them).
# DIR should be fresh: slurmctld starts with clean state (-c) and job ids restart at 1.
set -euo pipefail

die() {
	printf 'slurm-cluster: ERROR: %s\n' "$*" >&2
	exit 1
}
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }

(($# == 2)) || {
	usage >&2
	exit 2
}
cmd="$1"
mkdir -p "$2"
dir="$(cd "$2" && pwd -P)"
conf="$dir/slurm.conf"
pids="$dir/pids"
export SLURM_CONF="$conf"

start() {
	for b in slurmctld slurmd sinfo munged munge unmunge setpriv; do
		command -v "$b" >/dev/null || [[ -x "/usr/sbin/$b" ]] ||
			die "$b not found: install slurm with: bash scripts/setup.sh --slurm (or apt-get install slurmctld slurmd slurm-client munge)"
	done
	[[ "$(id -u)" == 0 ]] || die "must run as root (slurmd runs jobs as their users)"
	[[ ! -s "$pids" ]] || die "$pids exists: a cluster was started in $dir (stop it first, or use a fresh folder)"
	local host cpus mem
	host="$(hostname -s)"
	cpus="$(nproc)"
	mem=$(($(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo) - 1024))
	((mem > 500)) || mem=500
	mkdir -p "$dir/state" "$dir/log" "$dir/spool/slurmd-$host"
	cat >"$conf" <<EOF
ClusterName=ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmctldPort=${SLURMCTLD_PORT:-6817}
SlurmdPort=${SLURMD_PORT:-6818}
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/slurmd-%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.log
ReturnToService=2
MinJobAge=300
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
CommunicationParameters=NoInAddrAny
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
	: >"$pids"
	# A failure from here on stops what was started.
	trap 'stop_daemons; exit 1' ERR
	if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
		echo "slurm-cluster: reusing the munged that answers"
	else
		[[ -f /etc/munge/munge.key ]] || mungekey -c
		install -d -o munge -g munge -m 0755 /run/munge
		setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F >"$dir/log/munged.out" 2>&1 &
		echo "munged $!" >>"$pids"
		for _ in $(seq 50); do
			munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
			sleep 0.1
		done
		munge -n | unmunge >/dev/null || die "munged does not answer (see $dir/log/munged.out)"
	fi
	slurmctld -D -c -f "$conf" >"$dir/log/slurmctld.out" 2>&1 &
	echo "slurmctld $!" >>"$pids"
	slurmd -D -f "$conf" >"$dir/log/slurmd.out" 2>&1 &
	echo "slurmd $!" >>"$pids"
	for _ in $(seq 150); do
		[[ "$(sinfo -h -N -o %T 2>/dev/null)" == idle ]] && break
		sleep 0.1
	done
	if [[ "$(sinfo -h -N -o %T 2>/dev/null)" != idle ]]; then
		stop_daemons
		die "the node is not idle after 15 s (see $dir/log/)"
	fi
	trap - ERR
	echo "slurm-cluster: ready in $dir; export SLURM_CONF=$conf"
}

# stop_daemons cancels every job, then SIGTERMs the recorded PIDs together and waits (up to 15 s) for them.
stop_daemons() {
	[[ -s "$pids" ]] || return 0
	scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
	local list=() pid
	while read -r _ pid; do
		kill -0 "$pid" 2>/dev/null && list+=("$pid")
	done <"$pids"
	# The slurm daemons first: slurmd needs munged to say goodbye.
	if ((${#list[@]} > 0)); then
		kill -TERM "${list[@]}" 2>/dev/null || true
		for _ in $(seq 150); do
			local alive=0
			for pid in "${list[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
			((alive)) || break
			sleep 0.1
		done
		for pid in "${list[@]}"; do
			if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
		done
	fi
	: >"$pids"
}

case "$cmd" in
start) start ;;
stop)
	stop_daemons
	echo "slurm-cluster: stopped"
	;;
*)
	usage >&2
	exit 2
	;;
esac
