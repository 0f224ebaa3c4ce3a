#!/usr/bin/env bash
# The whole test suite: builds with warnings as errors, then runs every test project.
# Usage: scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build CacheFs.sln -c Release -warnaserror -nologo -v quiet
log=$(mktemp /tmp/cachefs-test.XXXXXX.log)
status=0
# The randomized convergence test (Category=Convergence) still fails about one run in three (see the README's
# "Reconciling"), so it runs from scripts/convergence.sh, not here, until it is reliable.
args=("$@")
[[ ${#args[@]} -eq 0 ]] && args=(--filter "Category!=Convergence")
dotnet test CacheFs.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "${args[@]}" 2>&1 | tee "$log" || status=$?

# One closing line that any CI reader understands.
# A green run prints no "Failed:" line: grep then exits 1, which must not end the script under pipefail.
passed=$({ grep -aEo '^ +Passed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
failed=$({ grep -aEo '^ +Failed: +[0-9]+' "$log" || true; } | awk '{s+=$2} END {print s+0}')
# CI keeps only the tail of the output: name each failed test and its message again here.
if [[ $failed -ne 0 ]]; then
    echo "failed tests:"
    awk '/^ +Failed [A-Za-z]/ {show=1; n=0}
         /^ +Stack Trace:/ {show=0}
         show && n++ < 25 {print}' "$log"
fi
echo "tests: ${passed} passed, ${failed} failed"
[[ $status -eq 0 && $failed -eq 0 && $passed -gt 0 ]]
