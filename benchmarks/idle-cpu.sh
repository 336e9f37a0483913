#!/usr/bin/env bash
# What an idle session costs: a remote and a local proxy as processes, one session of two subflows
# and no traffic; prints the CPU seconds each used over the measured time (from /proc/PID/stat).
#
#   benchmarks/idle-cpu.sh [SECONDS] [WARMUP_SECONDS]     (after: dotnet build -c Release src/Cli)
set -euo pipefail
seconds=${1:-60}
warmup=${2:-30}
cli="$(cd "$(dirname "$0")/.." && pwd)/src/Cli/bin/Release/net10.0/progmp.dll"
dir=$(mktemp -d)
tick=$(getconf CLK_TCK)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

dotnet "$cli" proxy remote --listen 127.0.0.1:0 --insecure-plaintext >"$dir/remote.out" 2>"$dir/remote.err" &
pids+=($!)
for _ in $(seq 200); do grep -q '^listening' "$dir/remote.out" 2>/dev/null && break; sleep 0.1; done
address=$(sed -n 's/^listening on \([0-9.:]*\).*/\1/p' "$dir/remote.out")
dotnet "$cli" proxy local --path "$address" --path "$address" --forward 127.0.0.1:0=127.0.0.1:9 --insecure-plaintext >"$dir/local.out" 2>"$dir/local.err" &
pids+=($!)
for _ in $(seq 200); do [ "$(grep -c 'subflow .* established' "$dir/local.err" || true)" -ge 2 ] && break; sleep 0.1; done

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sleep "$warmup"
remote0=$(cpu "${pids[0]}"); local0=$(cpu "${pids[1]}")
sleep "$seconds"
remote1=$(cpu "${pids[0]}"); local1=$(cpu "${pids[1]}")
awk -v r=$((remote1 - remote0)) -v l=$((local1 - local0)) -v t="$tick" -v s="$seconds" \
    'BEGIN { printf "idle session, %d s: remote proxy %.2f CPU-s, local proxy %.2f CPU-s\n", s, r / t, l / t }'
