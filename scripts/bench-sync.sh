#!/usr/bin/env bash
# The sync engine's two headline figures, measured through real processes on loopback:
#   1. propagation: a file written and closed on mount A, readable with its new content on mount B (p50/p99 over
#      --changes changes; rclone's default dir-cache-time is 5 minutes);
#   2. cold read: a --size-mib file read whole through a mount that has never seen it, against curl downloading the
#      same file from the same origin (the ratio should be >= 0.8), then read again with the origin stopped.
# Usage: scripts/bench-sync.sh [--changes 200] [--size-mib 1024] [--cold-only] [--runs 1]
#   --cold-only skips the propagation part; --runs repeats the cold read (each time on a fresh mount and cache, right
#   after its own curl runs), since on a shared machine only ratios from interleaved runs compare.
set -euo pipefail
cd "$(dirname "$0")/.."

changes=200
size_mib=1024
cold_only=0
runs=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --changes) changes=$2; shift 2 ;;
    --size-mib) size_mib=$2; shift 2 ;;
    --cold-only) cold_only=1; shift ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--changes N] [--size-mib N] [--cold-only] [--runs N]" >&2; exit 2 ;;
  esac
done

./scripts/setup.sh >/dev/null
command -v curl >/dev/null || { apt-get install -y -qq curl >/dev/null; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/CacheFs.Cli/CacheFs.Cli.csproj -c Release -nologo -v quiet >/dev/null
cachefs=$PWD/src/CacheFs.Cli/bin/Release/net10.0/cachefs

work=$(mktemp -d /tmp/cachefs-bench-sync.XXXXXX)
origin_pid=
cleanup() {
  for m in "$work"/mnt*; do
    [[ -d $m ]] && grep -q " $m " /proc/self/mountinfo && { "$cachefs" unmount "$m" >/dev/null 2>&1 || fusermount3 -u -z "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; }
  done
  [[ -n $origin_pid ]] && kill "$origin_pid" 2>/dev/null && wait "$origin_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

token=bench-$RANDOM$RANDOM
mkdir -p "$work/origin" "$work/mnt0" "$work/mnt1" "$work/mnt2"
# The big file exists on the origin before it starts (imported at start), as a team's existing asset would.
head -c "$((size_mib << 20))" /dev/urandom > "$work/origin/asset.bin"

start_origin() {
  "$cachefs" origin serve --root "$work/origin" --listen 127.0.0.1:0 --token "$token" > "$work/origin.url" 2> "$work/origin.log" &
  origin_pid=$!
  for _ in $(seq 1 600); do [[ -s $work/origin.url ]] && break; sleep 0.1; done
  url=$(head -1 "$work/origin.url")
}
start_origin
mount_at() { CACHEFS_TOKEN=$token "$cachefs" mount "$work/mnt$1" --cache "$work/cache$1" --origin "$url" --client-name "bench-$1" --background >/dev/null; }
if [[ $cold_only == 0 ]]; then mount_at 0; mount_at 1; fi
mount_at 2

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ $cold_only == 0 ]]; then
  echo
  echo "== propagation (mount A -> origin -> mount B)"
  python3 scripts/bench/propagation.py "$work/mnt0" "$work/mnt1" "$changes"
fi

echo
echo "== cold read of a ${size_mib} MiB file"
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
mbs() { echo "$size_mib * 1.048576 / $1" | bc -l; }
# A cold read stores what it fetches in the cache (it is what makes the second read local), so it is compared with
# curl discarding the bytes and with curl saving them to a file on the cache's file system, as a download does.
for run in $(seq 1 "$runs"); do
  if [[ $run -gt 1 ]]; then
    "$cachefs" unmount "$work/mnt2" >/dev/null 2>&1
    rm -rf "$work/cache2"
    mount_at 2
  fi
  [[ $runs -gt 1 ]] && echo "  run $run (load $(cut -d' ' -f1 /proc/loadavg))"
  curl_s=$(seconds curl -sf -o /dev/null -H "Authorization: Bearer $token" "${url%/}/v1/content?path=asset.bin")
  save_s=$(seconds sh -c "curl -sf -o '$work/download.bin' -H 'Authorization: Bearer $token' '${url%/}/v1/content?path=asset.bin'")
  rm -f "$work/download.bin"
  mount_s=$(seconds dd if="$work/mnt2/asset.bin" of=/dev/null bs=1M status=none)
  curl_mbs=$(mbs "$curl_s")
  save_mbs=$(mbs "$save_s")
  mount_mbs=$(mbs "$mount_s")
  printf '  curl from the origin, to /dev/null:     %7.0f MB/s\n' "$curl_mbs"
  printf '  curl from the origin, saved to disk:    %7.0f MB/s\n' "$save_mbs"
  printf '  CacheFs, cold, through FUSE:            %7.0f MB/s\n' "$mount_mbs"
  printf '  ratio CacheFs / curl to /dev/null:      %7.2f\n' "$(echo "$mount_mbs / $curl_mbs" | bc -l)"
  printf '  ratio CacheFs / curl saving the file:   %7.2f\n' "$(echo "$mount_mbs / $save_mbs" | bc -l)"
done

kill "$origin_pid"; wait "$origin_pid" 2>/dev/null || true; origin_pid=
warm_s=$(seconds dd if="$work/mnt2/asset.bin" of=/dev/null bs=1M status=none)
cmp -s "$work/mnt2/asset.bin" "$work/origin/asset.bin" && same=identical || same=DIFFERENT
printf '  again with the origin stopped: %5.0f MB/s, bytes %s\n' "$(mbs "$warm_s")" "$same"
