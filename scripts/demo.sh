#!/usr/bin/env bash
# Runs CacheFs for real: builds the `cachefs` command, mounts a volume in the background on a temporary directory,
# puts a few sample files in it and lists them. Until the origin arrives (issue 4) the volume is local to this machine.
# Usage: scripts/demo.sh [directory]   (default: a new /tmp/cachefs-demo.XXXXXX)
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build src/CacheFs.Cli/CacheFs.Cli.csproj -c Release -nologo -v quiet
cachefs=$PWD/src/CacheFs.Cli/bin/Release/net10.0/cachefs

demo=${1:-$(mktemp -d /tmp/cachefs-demo.XXXXXX)}
mnt=$demo/mnt
cache=$demo/cache
mkdir -p "$mnt"
"$cachefs" mount "$mnt" --cache "$cache" --background

# A few sample files: what a team would keep on the origin.
mkdir -p "$mnt/projects/trailer/shots" "$mnt/projects/level-03"
printf 'Files in this directory live in the cache at %s.\n' "$cache" > "$mnt/README.txt"
head -c 8M /dev/urandom > "$mnt/projects/trailer/shots/shot-010.mov"
head -c 2M /dev/urandom > "$mnt/projects/level-03/terrain.bin"
printf 'scene = "level-03"\nterrain = "terrain.bin"\n' > "$mnt/projects/level-03/level.toml"
ln -s ../trailer/shots/shot-010.mov "$mnt/projects/level-03/intro.mov"
sync "$mnt/projects/trailer/shots/shot-010.mov"

echo
echo "CacheFs is mounted on $mnt (cache: $cache):"
(cd "$mnt" && find . -mindepth 1 \( -type l -printf '  %M %9s  %P -> %l\n' \) -o -printf '  %M %9s  %P\n' | sort -k3)
echo
df -h "$mnt"
echo
echo "Use it like any directory. When done:"
echo "  $cachefs unmount $mnt"
echo "Mount the same cache again (in the foreground; Ctrl-C unmounts):"
echo "  $cachefs mount $mnt --cache $cache"
