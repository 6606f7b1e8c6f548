#!/usr/bin/env bash
# Processor work per request, ferrocache against redis-server 7.0: user and kernel
# instructions and cycles of the server process (perf stat -p), divided by the number of
# requests redis-benchmark sent. Unlike throughput on a shared machine, the user-space
# figures repeat within a few percent from run to run, so they show what a code change
# did. Kernel cycles move with the machine's state (see bench/README.md); kernel
# instructions do not.
#
# Each server runs alone, pinned to core 0 (ferrocache with --threads 1), preloaded
# with the keys redis-benchmark will read; redis-benchmark runs pinned to core 1.
#
# Usage: bench/cycles-per-request.sh [--requests N] [--pipeline P] [--rounds N] [TEST...]
#        (TEST: redis-benchmark -t names, default: get set)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
FERROCACHE_BIN=${FERROCACHE_BIN:-$ROOT/target/release/ferrocache}
REQUESTS=3000000
PIPELINE=16
ROUNDS=2
KEYSPACE=100000
TESTS=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --requests) REQUESTS=${2:?}; shift 2 ;;
        --pipeline) PIPELINE=${2:?}; shift 2 ;;
        --rounds) ROUNDS=${2:?}; shift 2 ;;
        -*) echo "usage: $0 [--requests N] [--pipeline P] [--rounds N] [TEST...]" >&2; exit 2 ;;
        *) TESTS+=("$1"); shift ;;
    esac
done
[[ ${#TESTS[@]} -gt 0 ]] || TESTS=(get set)

die() { echo "cycles-per-request: $*" >&2; exit 1; }
command -v perf >/dev/null || die "perf not found (apt-get install linux-perf)"
command -v redis-benchmark >/dev/null || die "redis-benchmark not found (apt-get install redis-tools)"
[[ -x $FERROCACHE_BIN ]] || die "$FERROCACHE_BIN not found (cargo build --release)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cycles.XXXXXX")
SERVER_PID=""
trap 'stop_server; rm -rf "$WORK"' EXIT

start_server() { # kind port
    if [[ $1 == redis ]]; then
        (cd "$WORK" && exec taskset -c 0 redis-server --port "$2" --save '' --appendonly no) >/dev/null 2>&1 &
    else
        (cd "$WORK" && exec taskset -c 0 "$FERROCACHE_BIN" server --port "$2" --save '' --appendonly no --threads 1) \
            >/dev/null 2>&1 &
    fi
    SERVER_PID=$!
    for _ in $(seq 100); do
        [[ "$(redis-cli -p "$2" PING 2>/dev/null)" == PONG ]] && return 0
        sleep 0.1
    done
    die "$1 did not start"
}

port=$(free_port)
printf '%-6s %-10s %5s %12s %10s %12s %10s\n' test server round "instr:u/req" "cycles:u" "instr:k/req" "cycles:k"
for test in "${TESTS[@]}"; do
    for round in $(seq "$ROUNDS"); do
        for kind in redis ferrocache; do
            start_server "$kind" "$port"
            python3 "$ROOT/bench/load_keys.py" --count "$KEYSPACE" --value-size 32 \
                | redis-cli -p "$port" --pipe >/dev/null
            perf stat -x, -e instructions:u,cycles:u,instructions:k,cycles:k -p "$SERVER_PID" \
                -o "$WORK/perf.csv" &
            perf_pid=$!
            sleep 0.2
            taskset -c 1 redis-benchmark -p "$port" -c 50 -P "$PIPELINE" -n "$REQUESTS" -r "$KEYSPACE" \
                -d 32 -t "$test" -q >/dev/null 2>&1
            kill -INT "$perf_pid"; wait "$perf_pid" || true
            stop_server
            awk -F, -v n="$REQUESTS" -v t="$test" -v k="$kind" -v r="$round" '
                $3 ~ /^(instructions|cycles):[uk]$/ { v[$3] = $1 / n }
                END { printf "%-6s %-10s %5s %12.0f %10.0f %12.0f %10.0f\n", t, k, r,
                      v["instructions:u"], v["cycles:u"], v["instructions:k"], v["cycles:k"] }' "$WORK/perf.csv"
        done
    done
done
