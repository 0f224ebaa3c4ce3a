#!/usr/bin/env bash
# Issue 6, item 4, at full size: a --size-mib file (default 512) on an origin process, read whole through a mount,
# edited in 16 places of 4 KiB with the mount offline by hand, then brought online. Prints the bytes the mount sent
# on the wire (counted by a relay between the mount and the origin) against the file size, and checks the origin's
# file is byte-identical. It is RangedUploadTests through real processes, run at a size too slow for CI.
# Usage: scripts/ranged-upload.sh [--size-mib 512]
set -euo pipefail
cd "$(dirname "$0")/.."

size_mib=512
while [[ $# -gt 0 ]]; do
  case $1 in
    --size-mib) size_mib=$2; shift 2 ;;
    *) echo "usage: $0 [--size-mib N]" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 CACHEFS_RANGED_MIB=$size_mib
dotnet test tests/CacheFs.Cli.Tests -c Release --filter "FullyQualifiedName~Sync.RangedUploadTests" \
  --logger "console;verbosity=detailed" 2>&1 | tee /tmp/cachefs-ranged-upload.log | grep -E "ranged upload:|Test Run|Failed |Error Message" || true
grep -q "Test Run Successful" /tmp/cachefs-ranged-upload.log
