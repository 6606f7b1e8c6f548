#!/usr/bin/env bash
# Side-by-side benchmark: ferrocache's memcached engine vs memcached 1.6 (Debian).
#
# Each server runs alone with one worker thread (-t 1), pinned to one core; the load
# generator, memaslap (`memcaslap`, from Debian's libmemcached-tools), is pinned to the
# other core. Prints get/set throughput of both and the ratio ours/memcached, then the
# resident memory of each after 1,000,000 items (16-byte keys, 32-byte values), measured
# once after the throughput rounds.
# In each of --rounds rounds both servers run at once and take turns on each workload
# (the order alternating between rounds), so the two runs compared are seconds apart:
# on a shared machine the speed of the same binary moves by 2x from minute to minute.
# The median of each figure is reported; the ratio is the median of the rounds'
# ratios. Beside them: the server's CPU time per operation and how busy the client
# core was (near 100%: memaslap, not the server, sets the rate). Only prints numbers;
# never fails on a ratio.
#
# With --ceiling a third server takes its turn in each round: the null_server example
# (crates/server/examples) with --memcached, which answers every request and keeps
# nothing. While the server core is the limit (near 100% busy, the client core not), no
# cache can beat it, so its ratio to memcached is the most any server could reach on
# this machine, where the kernel's TCP work is most of a request's cost (see
# bench/README.md for when it bounds nothing).
#
# Usage: bench/memcached-bench.sh [--seconds N] [--concurrency N] [--items N] [--rounds N] [--ceiling]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
SECONDS_PER_RUN=${BENCH_SECONDS:-4}
CONCURRENCY=${BENCH_CONCURRENCY:-32}
ITEMS=${BENCH_ITEMS:-1000000}
ROUNDS=${BENCH_ROUNDS:-5}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
FERROCACHE_BIN=${FERROCACHE_BIN:-$ROOT/target/release/ferrocache}
NULL_BIN=${NULL_BIN:-$ROOT/target/release/examples/null_server}
CEILING=0
MEMCACHED_BIN=${MEMCACHED_BIN:-$(command -v memcached || true)}

while [[ $# -gt 0 ]]; do
    case $1 in
        --seconds) SECONDS_PER_RUN=${2:?}; shift 2 ;;
        --concurrency) CONCURRENCY=${2:?}; shift 2 ;;
        --items) ITEMS=${2:?}; shift 2 ;;
        --rounds) ROUNDS=${2:?}; shift 2 ;;
        --ceiling) CEILING=1; shift ;;
        *) echo "usage: $0 [--seconds N] [--concurrency N] [--items N] [--rounds N] [--ceiling]" >&2; exit 2 ;;
    esac
done

die() { echo "memcached-bench: $*" >&2; exit 1; }
command -v memcaslap >/dev/null || die "memcaslap not found (apt-get install libmemcached-tools)"
[[ -x $MEMCACHED_BIN ]] || die "memcached not found (apt-get install memcached)"
[[ -x $FERROCACHE_BIN ]] || die "$FERROCACHE_BIN not found (cargo build --release)"
(( CEILING == 0 )) || [[ -x $NULL_BIN ]] || die "$NULL_BIN not found (cargo build --release -p ferrocache-server --example null_server)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/memcached-bench.XXXXXX")
SERVER_PID=""
declare -A PORTS=() PIDS=()
# Every server still running (a throughput round runs both at once) is stopped on exit.
trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; stop_server; rm -rf "$WORK"' EXIT

start_server() { # name port memory_mb
    local name=$1 port=$2 mem=$3 cmd
    if [[ $name == ferrocache ]]; then
        cmd=("$FERROCACHE_BIN" server --engine memcached)
    elif [[ $name == ceiling ]]; then
        cmd=("$NULL_BIN" --memcached)
    else
        cmd=("$MEMCACHED_BIN")
        [[ $(id -u) -eq 0 ]] && cmd+=(-u root)
    fi
    taskset -c "$SERVER_CPU" "${cmd[@]}" -p "$port" -U 0 -l 127.0.0.1 -t 1 -m "$mem" -c 4096 \
        >"$WORK/$name.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        if python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$port)); s.sendall(b'version\r\n'); sys.exit(0 if s.recv(9)==b'VERSION 1' else 1)" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    die "$name did not start (see $WORK/$name.log)"
}

# memaslap workload: 16-byte keys, 32-byte values; get:set as given.
workload() { # file get_ratio set_ratio
    cat >"$1" <<CFG
key
16 16 1
value
32 32 1
cmd
0 $3
1 $2
CFG
}
workload "$WORK/get.cfg" 0.9 0.1
workload "$WORK/set.cfg" 0.0 1.0

# throughput PORT CFG -> "ops/s cpu-us-per-op client-core-busy%" (the server's CPU
# time over the run; the client core's load, softirq work for loopback TCP included)
throughput() {
    local before after out core0 core1
    before=$(cpu_ticks "$SERVER_PID"); core0=$(core_ticks "$CLIENT_CPU")
    out=$(taskset -c "$CLIENT_CPU" memcaslap -s "127.0.0.1:$1" -T 1 -c "$CONCURRENCY" -t "${SECONDS_PER_RUN}s" \
        -F "$2" 2>&1 | awk '/^Run time:/ { for (i = 1; i <= NF; i++) { if ($i == "Ops:") ops = $(i+1); if ($i == "TPS:") tps = $(i+1) } }
                           END { print tps, ops }')
    after=$(cpu_ticks "$SERVER_PID"); core1=$(core_ticks "$CLIENT_CPU")
    awk -v o="$out" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v c0="$core0" -v c1="$core1" \
        'BEGIN { split(o, a, " "); split(c0, x, " "); split(c1, y, " ")
                 printf "%s %.2f %.0f", a[1], (a[2] > 0 ? 1e6 * t / hz / a[2] : 0),
                        (y[2] > x[2] ? 100 * (y[1] - x[1]) / (y[2] - x[2]) : 0) }'
}

cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

RAW="$WORK/raw.tsv"   # round server workload value us/op client-core%
: >"$RAW"
# Both servers run at once (the idle one sleeps), and each workload runs on one right
# after the other: the machine's speed drifts over minutes, and a ratio of runs seconds
# apart is far steadier than one of runs a minute apart.
for round in $(seq 1 "$ROUNDS"); do
    if (( round % 2 == 1 )); then order=(memcached ferrocache); else order=(ferrocache memcached); fi
    (( CEILING == 0 )) || order+=(ceiling)
    for name in "${order[@]}"; do
        PORTS[$name]=$(free_port)
        start_server "$name" "${PORTS[$name]}" 1024
        PIDS[$name]=$SERVER_PID
    done
    for workload in set get; do
        for name in "${order[@]}"; do
            SERVER_PID=${PIDS[$name]}
            read -r ops us core <<<"$(throughput "${PORTS[$name]}" "$WORK/$workload.cfg")"
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$workload" "$ops" "$us" "$core" >>"$RAW"
        done
    done
    for name in "${order[@]}"; do
        SERVER_PID=${PIDS[$name]}
        stop_server
        unset "PIDS[$name]"
    done
    for name in "${order[@]}"; do
        echo "round $round/$ROUNDS $name: $(awk -v r="$round" -v n="$name" '$1 == r && $2 == n { printf "%s %s (%s us/op, client core %s%%)  ", $3, $4, $5, $6 }' "$RAW")" >&2
    done
done
# Resident memory once, after the throughput rounds (it repeats to the KiB, and loading
# and freeing a million items between rounds left the next round's first run slow).
for name in memcached ferrocache; do
    port=$(free_port)
    start_server "$name" "$port" 1024
    python3 "$ROOT/bench/mc_load.py" --port "$port" --count "$ITEMS" --value-size 32
    sleep 1
    printf '1\t%s\trss\t%s\t-\t-\n' "$name" "$(rss_kb "$SERVER_PID")" >>"$RAW"
    stop_server
done

echo
echo "memcached engine vs memcached $("$MEMCACHED_BIN" -V | awk '{print $2}') — one server thread, server on core $SERVER_CPU, memaslap on core $CLIENT_CPU, $CONCURRENCY connections, ${SECONDS_PER_RUN}s per run, median of $ROUNDS rounds"
python3 - "$RAW" "$ITEMS" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
def med(server, workload, col):
    return statistics.median(float(r[col]) for r in rows if r[1] == server and r[2] == workload)
def pairs(workload, server="ferrocache"):
    """server/memcached of each round, whose runs were back to back."""
    by = {(r[0], r[1]): float(r[3]) for r in rows if r[2] == workload}
    return sorted(by[(k, server)] / by[(k, "memcached")]
                  for (k, name) in by if name == "memcached" and by[(k, name)] > 0 and (k, server) in by)
def ratio_row(label, workload, server="ferrocache"):
    ours, theirs = med(server, workload, 3), med("memcached", workload, 3)
    p = pairs(workload, server)
    print(f"{label:<28} {ours:>14,.0f} {theirs:>14,.0f} {statistics.median(p):>8.2f} {f'{p[0]:.2f}-{p[-1]:.2f}':>15}")
print(f"{'workload':<28} {'ferrocache':>14} {'memcached':>14} {'ratio':>8} {'rounds min-max':>15}")
for workload, label in (("set", "set (ops/s)"), ("get", "get 90% / set 10% (ops/s)"), ("rss", f"RSS, {sys.argv[2]} items (KiB)")):
    ratio_row(label, workload)
if any(r[1] == "ceiling" for r in rows):
    for workload, label in (("set", "ceiling: set (ops/s)"), ("get", "ceiling: get 90% (ops/s)")):
        ratio_row(label, workload, "ceiling")
for workload, label in (("set", "set: server CPU us/op"), ("get", "get: server CPU us/op")):
    ours, theirs = med("ferrocache", workload, 4), med("memcached", workload, 4)
    print(f"{label:<28} {ours:>14.2f} {theirs:>14.2f} {ours / theirs:>8.2f}")
for workload, label in (("set", "set: client core busy %"), ("get", "get: client core busy %")):
    ours, theirs = med("ferrocache", workload, 5), med("memcached", workload, 5)
    print(f"{label:<28} {ours:>14.0f} {theirs:>14.0f}")
PY
