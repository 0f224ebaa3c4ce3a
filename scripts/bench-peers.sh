#!/usr/bin/env bash
# Runs the same workloads (scripts/bench/workload.py) through a CacheFs mount, an rclone mount (--vfs-cache-mode full),
# a bindfs mount and a plain local directory, and prints one table: MB/s or ops/s per workload and target, and the
# CacheFs/peer ratios. Every target's source, cache and mount live on the same file system under one temporary
# directory; each round mounts each target afresh and unmounts it before the next, so no target's background work
# (rclone's delayed uploads, say) lands on another's time. Installs rclone, bindfs and fuse3 when missing.
# Usage: scripts/bench-peers.sh [--size-mib 512] [--files 2000] [--stat-passes 5] [--stat-wait 1.5] [--rounds 3]
#                               [--only cachefs,rclone,bindfs,local] [--dir DIR (where the temporary directory goes)]
#                               [--cachefs-args "ARGS" (more `cachefs mount` options, e.g. --local)]
set -euo pipefail
cd "$(dirname "$0")/.."

size_mib=512
files=2000
stat_passes=5
stat_wait=1.5  # Seconds before each expired-stat pass: longer than the peers' and CacheFs's 1 s attribute timeout.
rounds=3
only=cachefs,rclone,bindfs,local
base=/tmp
cachefs_args=

usage() {
  sed -n '2,9s/^# \{0,1\}//p' "$0"
  exit "${1:-0}"
}

while (($#)); do
  case $1 in
    --size-mib) size_mib=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --stat-passes) stat_passes=$2; shift 2 ;;
    --stat-wait) stat_wait=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --dir) base=$2; shift 2 ;;
    --cachefs-args) cachefs_args=$2; shift 2 ;;
    -h | --help) usage ;;
    *) echo "bench-peers: unknown argument $1" >&2; usage 1 >&2 ;;
  esac
done

IFS=, read -r -a targets <<<"$only"
for target in "${targets[@]}"; do
  case $target in
    cachefs | rclone | bindfs | local) ;;
    *) echo "bench-peers: unknown target '$target' (cachefs, rclone, bindfs, local)" >&2; exit 1 ;;
  esac
done

selected() {
  [[ ,$only, == *,$1,* ]]
}

# The fuse3 package brings fusermount3, which cleanup needs for every FUSE target; setup.sh also brings python3.
install_peers() {
  ./scripts/setup.sh
  local need=()
  if selected rclone; then command -v rclone >/dev/null 2>&1 || need+=(rclone); fi
  if selected bindfs; then command -v bindfs >/dev/null 2>&1 || need+=(bindfs); fi
  ((${#need[@]})) || return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "bench-peers: missing ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "bench-peers: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
}

build_cachefs() {
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  dotnet build src/CacheFs.Cli/CacheFs.Cli.csproj -c Release -nologo -v quiet
}

cachefs=$PWD/src/CacheFs.Cli/bin/Release/net10.0/cachefs
workload=$PWD/scripts/bench/workload.py

# --- Mounts, and the cleanup that must never leave one behind -------------------------------------------------------

mounts=()  # Every mount point this script mounted (or tried to), for cleanup.
peer_pid=  # rclone and bindfs run in the foreground in a background job: the one running now, to reap after unmounting.

is_mounted() {
  awk -v m="$1" '$5 == m { found = 1 } END { exit !found }' /proc/self/mountinfo
}

# Waits until $1 is a mount point, or fails when the process $2 (if given) has died or 30 s have passed.
wait_mounted() {
  local mnt=$1 pid=${2:-} tries=300
  until is_mounted "$mnt"; do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      echo "bench-peers: the file system serving $mnt exited before mounting" >&2
      return 1
    fi
    ((--tries > 0)) || { echo "bench-peers: $mnt not mounted after 30 s" >&2; return 1; }
    sleep 0.1
  done
}

# fusermount3 -u is the normal way out; umount -l detaches even a busy or dead mount, so nothing stays behind.
# A CacheFs mount goes through `cachefs unmount` first, which returns once the volume is closed.
unmount() {
  local mnt=$1
  is_mounted "$mnt" || return 0
  if [[ $mnt == "$work"/cachefs.* ]]; then
    "$cachefs" unmount "$mnt" >/dev/null 2>&1 && return 0
  fi
  fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || true
  ! is_mounted "$mnt" || { echo "bench-peers: could not unmount $mnt" >&2; return 1; }
}

# A peer process exits once its mount is gone; give it time to finish (rclone closes its cache), then make sure.
reap() {
  local pid=$1 tries=100
  while kill -0 "$pid" 2>/dev/null && ((--tries > 0)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$? left=0 mnt
  trap - EXIT INT TERM
  for mnt in "${mounts[@]}"; do unmount "$mnt" || left=1; done
  [[ -z $peer_pid ]] || reap "$peer_pid"
  # Deleting through a mount that is still there would reach into whatever it serves: keep the directory then.
  if ((left)); then
    echo "bench-peers: a mount is still there; left $work in place" >&2
  elif [[ -n ${work:-} ]]; then
    rm -rf "$work"
  fi
  exit "$status"
}

# --- One target: mount, run the workload, unmount --------------------------------------------------------------------

# Mounts $1 for round $2 in $work/$1.$2 and sets $target_dir to the directory the workload runs in.
mount_target() {
  local target=$1 dir=$work/$1.$2
  mkdir -p "$dir/mnt" "$dir/src"
  target_dir=$dir/mnt
  mounts+=("$dir/mnt")
  case $target in
    cachefs)
      # shellcheck disable=SC2086 # --cachefs-args is a list of options, split on purpose.
      "$cachefs" mount "$dir/mnt" --cache "$dir/cache" --background $cachefs_args >"$dir/mount.log" 2>&1 ||
        { cat "$dir/mount.log" >&2; return 1; }
      ;;
    rclone)
      # A local path is a valid rclone remote. Its own (empty) config and cache directory keep ~/.config and
      # ~/.cache out of it.
      : >"$dir/rclone.conf"
      rclone mount "$dir/src" "$dir/mnt" --vfs-cache-mode full --config "$dir/rclone.conf" \
        --cache-dir "$dir/rclone-cache" >"$dir/mount.log" 2>&1 &
      peer_pid=$!
      wait_mounted "$dir/mnt" "$peer_pid" || { cat "$dir/mount.log" >&2; return 1; }
      ;;
    bindfs)
      bindfs -f "$dir/src" "$dir/mnt" >"$dir/mount.log" 2>&1 &
      peer_pid=$!
      wait_mounted "$dir/mnt" "$peer_pid" || { cat "$dir/mount.log" >&2; return 1; }
      ;;
    local)
      target_dir=$dir/src
      ;;
  esac
}

run_target() {
  local target=$1 round=$2
  mount_target "$target" "$round"
  # Every target keeps its bytes in $work (the local directory, CacheFs's cache, rclone's cache, bindfs's source).
  python3 "$workload" run "$target_dir" --backing-dir "$work" --size-mib "$size_mib" --files "$files" \
    --stat-passes "$stat_passes" --stat-wait "$stat_wait" >"$work/results/$target.$round.tsv"
  # Each round's own figures as they come: on a shared machine the spread says how far to trust the best.
  awk -v head="  round $round, $target:" '{ line = line sprintf(" %s %.0f", $1, $2) } END { print head line }' \
    "$work/results/$target.$round.tsv" >&2
  unmount "$work/$target.$round/mnt"
  if [[ -n $peer_pid ]]; then
    reap "$peer_pid"
    peer_pid=
  fi
  # Only once nothing is mounted on it: deleting through a mount would reach whatever it serves.
  rm -rf "${work:?}/$target.$round"
}

# --- Main ------------------------------------------------------------------------------------------------------------

install_peers
if selected cachefs; then build_cachefs; fi

mkdir -p "$base"
work=$(mktemp -d "$base/cachefs-bench.XXXXXX")
mkdir -p "$work/results"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

read -r load1 load5 load15 _ </proc/loadavg
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)," \
  "load average $load1 $load5 $load15"
if commit=$(git rev-parse --short HEAD 2>/dev/null); then
  versions="cachefs $commit"
  git diff --quiet HEAD -- src || versions+=" with uncommitted changes in src/"
else
  versions="cachefs (not a git checkout)"
fi
[[ -z $cachefs_args ]] || versions+=" (mount $cachefs_args)"
if selected rclone; then versions+=", $(rclone version | awk 'NR == 1')"; fi
if selected bindfs; then versions+=", $(bindfs --version | awk 'NR == 1')"; fi
echo "versions: $versions"
echo "workloads: a $size_mib MiB file in 1 MiB writes (write + close timed, no fsync; syncfs between workloads)," \
  "read twice (the 2nd timed); $files files of 4 KiB, each read twice (both timed); stat $stat_passes passes in a" \
  "row (kernel-cached) and $stat_passes passes $stat_wait s apart (attributes expired); best of $rounds round(s)"
echo "directory: $work ($(df --output=fstype "$work" | tail -1))"

# Rounds outside, targets inside: a noisy spell on the shared machine then hurts every target alike.
for ((round = 1; round <= rounds; round++)); do
  for target in "${targets[@]}"; do
    run_target "$target" "$round"
  done
done

read -r load1 load5 load15 _ </proc/loadavg
echo "load average after: $load1 $load5 $load15"
echo
python3 "$workload" report --targets "$only" "$work"/results/*.tsv
echo
echo "MB/s = 10^6 bytes/s. Higher is better everywhere; a ratio above 1x means CacheFs is faster."
