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
# With --memcached the pair is memcached 1.6 and ferrocache's memcached engine (both
# -t 1), loaded with 100,000 items and driven by memaslap for --seconds (workloads: get,
# 90% gets and 10% sets on the stored items; set, sets only), per operation memaslap
# counted.
#
# Usage: bench/cycles-per-request.sh [--requests N] [--pipeline P] [--rounds N] [TEST...]
#        bench/cycles-per-request.sh --memcached [--seconds N] [--rounds N] [TEST...]
#        (TEST: redis-benchmark -t names, or get/set with --memcached; default: get set)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
FERROCACHE_BIN=${FERROCACHE_BIN:-$ROOT/target/release/ferrocache}
REQUESTS=3000000
PIPELINE=16
ROUNDS=2
KEYSPACE=100000
MEMCACHED=0
SECONDS_PER_RUN=3
TESTS=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --requests) REQUESTS=${2:?}; shift 2 ;;
        --pipeline) PIPELINE=${2:?}; shift 2 ;;
        --rounds) ROUNDS=${2:?}; shift 2 ;;
        --memcached) MEMCACHED=1; shift ;;
        --seconds) SECONDS_PER_RUN=${2:?}; shift 2 ;;
        -*) echo "usage: $0 [--memcached] [--requests N] [--pipeline P] [--seconds N] [--rounds N] [TEST...]" >&2; exit 2 ;;
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
    local cmd
    if (( MEMCACHED )); then
        if [[ $1 == redis ]]; then cmd=(memcached); [[ $(id -u) -eq 0 ]] && cmd+=(-u root)
        else cmd=("$FERROCACHE_BIN" server --engine memcached); fi
        cmd+=(-p "$2" -U 0 -l 127.0.0.1 -t 1 -m 1024 -c 4096)
    elif [[ $1 == redis ]]; then
        cmd=(redis-server --port "$2" --save '' --appendonly no)
    else
        cmd=("$FERROCACHE_BIN" server --port "$2" --save '' --appendonly no --threads 1)
    fi
    (cd "$WORK" && exec taskset -c 0 "${cmd[@]}") >/dev/null 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do
        if (( MEMCACHED )); then
            python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$2)); s.sendall(b'version\r\n'); sys.exit(0 if s.recv(9)==b'VERSION 1' else 1)" \
                2>/dev/null && return 0
        else
            [[ "$(redis-cli -p "$2" PING 2>/dev/null)" == PONG ]] && return 0
        fi
        sleep 0.1
    done
    die "$1 did not start"
}

# load PORT: the keys or items the workload reads.
load() {
    if (( MEMCACHED )); then
        python3 "$ROOT/bench/mc_load.py" --port "$1" --count "$KEYSPACE" --value-size 32 >/dev/null
    else
        python3 "$ROOT/bench/load_keys.py" --count "$KEYSPACE" --value-size 32 \
            | redis-cli -p "$1" --pipe >/dev/null
    fi
}

# drive PORT TEST: runs the load; prints the number of requests it made.
drive() {
    if (( MEMCACHED )); then
        local get=0.9 set=0.1
        [[ $2 == set ]] && get=0.0 set=1.0
        printf 'key\n16 16 1\nvalue\n32 32 1\ncmd\n0 %s\n1 %s\n' "$set" "$get" >"$WORK/memaslap.cfg"
        taskset -c 1 memcaslap -s "127.0.0.1:$1" -T 1 -c 32 -t "${SECONDS_PER_RUN}s" -F "$WORK/memaslap.cfg" 2>&1 \
            | awk '/^Run time:/ { for (i = 1; i <= NF; i++) if ($i == "Ops:") print $(i+1) }'
    else
        taskset -c 1 redis-benchmark -p "$1" -c 50 -P "$PIPELINE" -n "$REQUESTS" -r "$KEYSPACE" \
            -d 32 -t "$2" -q >/dev/null 2>&1
        echo "$REQUESTS"
    fi
}

if (( MEMCACHED )); then
    command -v memcaslap >/dev/null || die "memcaslap not found (apt-get install libmemcached-tools)"
    command -v memcached >/dev/null || die "memcached not found (apt-get install memcached)"
    PEERS=(memcached ferrocache)
else
    PEERS=(redis ferrocache)
fi

port=$(free_port)
printf '%-6s %-10s %5s %12s %10s %12s %10s\n' test server round "instr:u/req" "cycles:u" "instr:k/req" "cycles:k"
for test in "${TESTS[@]}"; do
    for round in $(seq "$ROUNDS"); do
        for peer in "${PEERS[@]}"; do
            kind=$([[ $peer == ferrocache ]] && echo ferrocache || echo redis)
            start_server "$kind" "$port"
            load "$port"
            perf stat -x, -e instructions:u,cycles:u,instructions:k,cycles:k -p "$SERVER_PID" \
                -o "$WORK/perf.csv" &
            perf_pid=$!
            sleep 0.2
            requests=$(drive "$port" "$test")
            kill -INT "$perf_pid"; wait "$perf_pid" || true
            stop_server
            awk -F, -v n="${requests:-0}" -v t="$test" -v k="$peer" -v r="$round" '
                $3 ~ /^(instructions|cycles):[uk]$/ { v[$3] = n > 0 ? $1 / n : 0 }
                END { printf "%-6s %-10s %5s %12.0f %10.0f %12.0f %10.0f\n", t, k, r,
                      v["instructions:u"], v["cycles:u"], v["instructions:k"], v["cycles:k"] }' "$WORK/perf.csv"
        done
    done
done
