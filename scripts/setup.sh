#!/usr/bin/env bash
# Installs what CacheFs needs beyond the .NET SDK. Safe to run again; does nothing when all is present.
set -euo pipefail

need=()
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v git >/dev/null 2>&1 || need+=(git)
# The FUSE host: libfuse3 and fusermount3, its headers (the binding's layout test compiles against them), gcc for that
# test, and setfattr/getfattr for the xattr tests through a mount.
command -v fusermount3 >/dev/null 2>&1 || need+=(fuse3)
test -f /usr/include/fuse3/fuse.h || need+=(libfuse3-dev)
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v setfattr >/dev/null 2>&1 || need+=(attr)
# Real programs the CLI tests run through a mount (git, sqlite3 and tar are above or in every Debian), and the crash
# test's workload and the memory-mapping test, which are Python.
command -v rsync >/dev/null 2>&1 || need+=(rsync)
command -v python3 >/dev/null 2>&1 || need+=(python3)

if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
