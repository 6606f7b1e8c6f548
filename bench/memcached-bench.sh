#!/usr/bin/env bash
# Side-by-side benchmark: ferrocache's memcached engine vs memcached 1.6 (Debian).
#
# Each server runs alone with one worker thread (-t 1), pinned to one core; the load
# generator, memaslap (`memcaslap`, from Debian's libmemcached-tools), is pinned to the
# other core. Prints get/set throughput of both and the ratio ours/memcached, then the
# resident memory of each after 1,000,000 items (16-byte keys, 32-byte values).
# Only prints numbers; never fails on a ratio.
#
# Usage: bench/memcached-bench.sh [--seconds N] [--concurrency N] [--items N]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
CONCURRENCY=${BENCH_CONCURRENCY:-32}
ITEMS=${BENCH_ITEMS:-1000000}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
FERROCACHE_BIN=${FERROCACHE_BIN:-$ROOT/target/release/ferrocache}
MEMCACHED_BIN=${MEMCACHED_BIN:-$(command -v memcached || true)}

while [[ $# -gt 0 ]]; do
    case $1 in
        --seconds) SECONDS_PER_RUN=${2:?}; shift 2 ;;
        --concurrency) CONCURRENCY=${2:?}; shift 2 ;;
        --items) ITEMS=${2:?}; shift 2 ;;
        *) echo "usage: $0 [--seconds N] [--concurrency N] [--items N]" >&2; exit 2 ;;
    esac
done

die() { echo "memcached-bench: $*" >&2; exit 1; }
command -v memcaslap >/dev/null || die "memcaslap not found (apt-get install libmemcached-tools)"
[[ -x $MEMCACHED_BIN ]] || die "memcached not found (apt-get install memcached)"
[[ -x $FERROCACHE_BIN ]] || die "$FERROCACHE_BIN not found (cargo build --release)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/memcached-bench.XXXXXX")
SERVER_PID=""
stop_server() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() { # name port memory_mb
    local name=$1 port=$2 mem=$3 cmd
    if [[ $name == ferrocache ]]; then
        cmd=("$FERROCACHE_BIN" server --engine memcached)
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

throughput() { # port cfg -> ops/s
    taskset -c "$CLIENT_CPU" memcaslap -s "127.0.0.1:$1" -T 1 -c "$CONCURRENCY" -t "${SECONDS_PER_RUN}s" \
        -F "$2" 2>&1 | awk '/^Run time:/ { for (i = 1; i <= NF; i++) if ($i == "Ops:") ops = $(i+1); tps = $0 }
                           END { sub(/.*TPS: /, "", tps); sub(/ .*/, "", tps); print tps }'
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

declare -A GET SET RSS
for name in memcached ferrocache; do
    port=$(free_port)
    start_server "$name" "$port" 1024
    SET[$name]=$(throughput "$port" "$WORK/set.cfg")
    GET[$name]=$(throughput "$port" "$WORK/get.cfg")
    stop_server
    port=$(free_port)
    start_server "$name" "$port" 1024
    python3 "$ROOT/bench/mc_load.py" --port "$port" --count "$ITEMS" --value-size 32
    sleep 1
    RSS[$name]=$(rss_kb "$SERVER_PID")
    stop_server
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo
echo "memcached engine vs memcached $("$MEMCACHED_BIN" -V | awk '{print $2}') — one server thread, server on core $SERVER_CPU, memaslap on core $CLIENT_CPU, $CONCURRENCY connections, ${SECONDS_PER_RUN}s per run"
printf '%-28s %14s %14s %8s\n' "workload" "ferrocache" "memcached" "ratio"
printf '%-28s %14s %14s %8s\n' "set (ops/s)" "${SET[ferrocache]}" "${SET[memcached]}" "$(ratio "${SET[ferrocache]}" "${SET[memcached]}")"
printf '%-28s %14s %14s %8s\n' "get 90% / set 10% (ops/s)" "${GET[ferrocache]}" "${GET[memcached]}" "$(ratio "${GET[ferrocache]}" "${GET[memcached]}")"
printf '%-28s %14s %14s %8s\n' "RSS, $ITEMS items (KiB)" "${RSS[ferrocache]}" "${RSS[memcached]}" "$(ratio "${RSS[ferrocache]}" "${RSS[memcached]}")"
