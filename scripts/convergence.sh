#!/usr/bin/env bash
# The long run of the offline issue's randomized convergence test (CI runs a short one): two mounts and an origin as
# separate processes, random operations, origin kills, mounts cut off by hand and mounts killed with SIGKILL; after
# every round the three trees must agree and no version written may be missing.
# Usage: scripts/convergence.sh [--rounds 8] [--ops 40] [--runs 3] [--seed N]
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=8
ops=40
runs=3
seed=
while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --ops) ops=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--ops N] [--runs N] [--seed N]" >&2; exit 2 ;;
  esac
done

./scripts/setup.sh >/dev/null
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build tests/CacheFs.Cli.Tests -c Release -nologo -v quiet >/dev/null
failed=0
for run in $(seq 1 "$runs"); do
  run_seed=${seed:-$RANDOM$RANDOM}
  log=$(mktemp /tmp/cachefs-convergence.XXXXXX.log)
  if CACHEFS_CONVERGENCE_ROUNDS=$rounds CACHEFS_CONVERGENCE_OPS=$ops CACHEFS_CONVERGENCE_SEED=$run_seed \
     dotnet test tests/CacheFs.Cli.Tests -c Release --no-build --filter "FullyQualifiedName~ConvergenceTests" \
       --logger "console;verbosity=detailed" >"$log" 2>&1; then
    echo "run $run: seed $run_seed: $rounds rounds x $ops operations per mount: converged, nothing lost"
    rm -f "$log"
  else
    echo "run $run: seed $run_seed: FAILED (log: $log; repeat with --seed $run_seed)"
    failed=$((failed + 1))
  fi
done
echo "convergence: $((runs - failed)) of $runs runs passed"
[[ $failed -eq 0 ]]
