#!/usr/bin/env bash
# Runs CacheFs for real: builds the `cachefs` command, starts an origin server on loopback over a folder with a few
# sample files, and mounts a volume of it in the background on a temporary directory. The mount lists the origin's
# files at once and fetches their bytes only when read; what is written in the mount is uploaded to the origin.
# Usage: scripts/demo.sh [directory]   (default: a new /tmp/cachefs-demo.XXXXXX)
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build src/CacheFs.Cli/CacheFs.Cli.csproj -c Release -nologo -v quiet
cachefs=$PWD/src/CacheFs.Cli/bin/Release/net10.0/cachefs

demo=${1:-$(mktemp -d /tmp/cachefs-demo.XXXXXX)}
origin=$demo/origin
mnt=$demo/mnt
cache=$demo/cache
mkdir -p "$mnt" "$origin/projects/trailer/shots" "$origin/projects/level-03"

# What a team keeps on its file server.
printf 'This folder is served by a CacheFs origin; %s mounts it.\n' "$mnt" > "$origin/README.txt"
head -c 64M /dev/urandom > "$origin/projects/trailer/shots/shot-010.mov"
head -c 2M /dev/urandom > "$origin/projects/level-03/terrain.bin"
printf 'scene = "level-03"\nterrain = "terrain.bin"\n' > "$origin/projects/level-03/level.toml"

# The origin: a separate process on loopback, as a server would run it.
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
nohup "$cachefs" origin serve --root "$origin" --listen 127.0.0.1:0 --token "$token" > "$demo/origin.url" 2> "$demo/origin.log" &
origin_pid=$!
for _ in $(seq 1 300); do [[ -s $demo/origin.url ]] && break; sleep 0.1; done
url=$(head -1 "$demo/origin.url")
[[ -n $url ]] || { echo "the origin did not start:"; cat "$demo/origin.log"; exit 1; }

# The workstation: a mount of it with a local cache.
CACHEFS_TOKEN=$token "$cachefs" mount "$mnt" --cache "$cache" --origin "$url" --client-name demo --background

echo
echo "Origin $url (process $origin_pid) serves $origin; CacheFs mounts it on $mnt (cache: $cache):"
(cd "$mnt" && find . -mindepth 1 -printf '  %M %10s  %P\n' | sort -k3)
echo
echo "Nothing has been fetched yet: the cache holds $(du -sh "$cache/objects" | cut -f1). Reading a file fetches it:"
sha256sum "$mnt/projects/level-03/terrain.bin" "$origin/projects/level-03/terrain.bin" | sed 's/^/  /'
echo "  now the cache holds $(du -sh "$cache/objects" | cut -f1)"
echo
echo "A file written in the mount reaches the origin:"
echo "hello from the mount" > "$mnt/notes.txt"
"$cachefs" sync --mount "$mnt"
echo "  $origin/notes.txt: $(cat "$origin/notes.txt")"
echo
"$cachefs" status --mount "$mnt" | sed 's/^/  /'
echo
echo "Use $mnt like any directory. When done:"
echo "  $cachefs unmount $mnt && kill $origin_pid"
