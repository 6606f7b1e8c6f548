#!/usr/bin/env bash
# Side-by-side benchmark: ferrocache vs redis-server 7.0.
#
# Runs both servers pinned to one core, drives them in turn with redis-benchmark
# pinned to another core (each workload on one server, then at once on the
# other), and prints ours/redis ratios for throughput (the median of the
# back-to-back pairs) and latency, plus memory usage for 1,000,000 keys. This only prints numbers: the
# targets shown next to the ratios are informational and never change the exit
# status. See bench/README.md for the method.
#
# With --ceiling a third server takes its turn in every throughput run: the null_server
# example (crates/server/examples), which answers every command and keeps nothing.
# Where the server core is the limit no cache can beat it; where redis-benchmark's core
# is, every server measures about the same, it included; near the client's limit it
# bounds nothing (bench/README.md).
#
# Usage: bench/redis-bench.sh [--quick] [--runs N] [--out FILE]
#                             [--skip-throughput] [--skip-memory] [--ceiling]
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/lib.sh
source "$SCRIPT_DIR/lib.sh"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

usage() {
    cat <<'EOF'
Usage: bench/redis-bench.sh [options]

Options:
  --quick            short runs (~1 s per workload, 1 run unless --runs given)
  --runs N           repetitions per server, median reported (default 9)
  --out FILE         markdown report path (default target/bench/redis-bench.md)
  --skip-throughput  only run the memory measurement
  --skip-memory      only run the throughput/latency workloads
  --ceiling          also run the null_server example (the ceiling for any server)
  -h, --help         this help

Environment:
  FERROCACHE_BIN       ferrocache binary (default target/release/ferrocache)
  REDIS_SERVER_BIN     redis-server binary (default: redis-server in PATH)
  NULL_SERVER_BIN      null_server binary (default target/release/examples/null_server)
  BENCH_RUNS           same as --runs
  BENCH_REQUESTS_P1    requests per workload at pipeline 1  (default 500000; --quick 300000)
  BENCH_REQUESTS_P16   requests per workload at pipeline 16 (default 3000000; --quick 2000000)
  BENCH_CLIENTS        redis-benchmark connections (default 50)
  BENCH_KEYSPACE       random keyspace size, -r (default 100000)
  BENCH_VALUE_SIZE     value size in bytes, -d (default 32)
  BENCH_MEMORY_KEYS    keys loaded for the memory measurement (default 1000000)
  BENCH_SERVER_CPU     core the servers are pinned to (default 0)
  BENCH_CLIENT_CPU     core the clients are pinned to (default 1)
  BENCH_OUT            same as --out
  BENCH_KEEP_WORK=1    keep the temporary directory (logs, raw CSV)
EOF
}

# ---------------------------------------------------------------- options
QUICK=0
RUNS="${BENCH_RUNS:-}"
OUT="${BENCH_OUT:-$REPO_ROOT/target/bench/redis-bench.md}"
DO_THROUGHPUT=1
DO_MEMORY=1
CEILING=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift ;;
        --runs=*) RUNS="${1#--runs=}" ;;
        --out) OUT="${2:?--out needs a value}"; shift ;;
        --out=*) OUT="${1#--out=}" ;;
        --skip-throughput) DO_THROUGHPUT=0 ;;
        --skip-memory) DO_MEMORY=0 ;;
        --ceiling) CEILING=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done

if [[ $QUICK -eq 1 ]]; then
    REQ_P1="${BENCH_REQUESTS_P1:-300000}"
    REQ_P16="${BENCH_REQUESTS_P16:-2000000}"
    RUNS="${RUNS:-1}"
else
    REQ_P1="${BENCH_REQUESTS_P1:-500000}"
    REQ_P16="${BENCH_REQUESTS_P16:-3000000}"
    RUNS="${RUNS:-9}"
fi
CLIENTS="${BENCH_CLIENTS:-50}"
KEYSPACE="${BENCH_KEYSPACE:-100000}"
VALUE_SIZE="${BENCH_VALUE_SIZE:-32}"
MEMORY_KEYS="${BENCH_MEMORY_KEYS:-1000000}"
SERVER_CPU="${BENCH_SERVER_CPU:-0}"
CLIENT_CPU="${BENCH_CLIENT_CPU:-1}"
FERROCACHE_BIN="${FERROCACHE_BIN:-$REPO_ROOT/target/release/ferrocache}"
REDIS_SERVER_BIN="${REDIS_SERVER_BIN:-redis-server}"
NULL_SERVER_BIN="${NULL_SERVER_BIN:-$REPO_ROOT/target/release/examples/null_server}"
PIPELINES=(1 16)

die() { echo "redis-bench: error: $*" >&2; exit 1; }
log() { echo "redis-bench: $*" >&2; }

for v in RUNS REQ_P1 REQ_P16 CLIENTS KEYSPACE VALUE_SIZE MEMORY_KEYS SERVER_CPU CLIENT_CPU; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer (got '${!v}')"
done
[[ $RUNS -ge 1 ]] || die "--runs must be >= 1"
[[ $KEYSPACE -ge 1 && $KEYSPACE -le 1000000000000 ]] || die "BENCH_KEYSPACE out of range"
[[ $VALUE_SIZE -ge 17 ]] || die "BENCH_VALUE_SIZE must be >= 17"

# ---------------------------------------------------------------- prerequisites
for tool in redis-benchmark redis-cli taskset python3 awk; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found in PATH"
done
command -v "$REDIS_SERVER_BIN" >/dev/null 2>&1 || die "redis-server not found ($REDIS_SERVER_BIN)"
[[ -x "$FERROCACHE_BIN" ]] || die "ferrocache binary not found at $FERROCACHE_BIN (build it with 'cargo build --release' or set FERROCACHE_BIN)"
[[ $CEILING -eq 0 || -x "$NULL_SERVER_BIN" ]] || die "null_server not found at $NULL_SERVER_BIN (build it with 'cargo build --release -p ferrocache-server --example null_server')"
taskset -c "$SERVER_CPU" true 2>/dev/null || die "cannot pin to core $SERVER_CPU (set BENCH_SERVER_CPU)"
taskset -c "$CLIENT_CPU" true 2>/dev/null || die "cannot pin to core $CLIENT_CPU (set BENCH_CLIENT_CPU)"
[[ "$SERVER_CPU" != "$CLIENT_CPU" ]] || log "warning: server and client share core $SERVER_CPU; numbers will be client-bound"

REDIS_VERSION="$("$REDIS_SERVER_BIN" --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')"
[[ "$REDIS_VERSION" == 7.0.* ]] || log "warning: expected redis-server 7.0.x, found '${REDIS_VERSION:-unknown}'"
CLK_TCK="$(getconf CLK_TCK)"
LOAD1="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$LOAD1" 'BEGIN { exit !(l > 0.5) }'; then
    log "warning: load average is $LOAD1 before starting; other work on this machine will make the numbers noisy"
fi

# ---------------------------------------------------------------- work dir and cleanup
WORK="$(mktemp -d "${TMPDIR:-/tmp}/redis-bench.XXXXXX")"
SERVER_PID=""
BG_PIDS=()
declare -A PORTS=() PIDS=()   # the servers of the throughput runs, by kind

cleanup() {
    local rc=$?
    set +e
    for p in "${BG_PIDS[@]}" "${PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null
    done
    if [[ -n "$SERVER_PID" ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    if [[ $rc -ne 0 || "${BENCH_KEEP_WORK:-0}" == 1 ]]; then
        echo "redis-bench: logs and raw output kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- helpers

# start_server KIND -> sets SERVER_PID and PORT
start_server() {
    local kind=$1 logf
    PORT="$(free_port)"
    logf="$WORK/$kind-server.log"
    echo "--- start $(date -Is) port $PORT" >>"$logf"
    if [[ $kind == redis ]]; then
        (cd "$WORK" && exec taskset -c "$SERVER_CPU" "$REDIS_SERVER_BIN" \
            --port "$PORT" --save '' --appendonly no) >>"$logf" 2>&1 &
    elif [[ $kind == null ]]; then
        (cd "$WORK" && exec taskset -c "$SERVER_CPU" "$NULL_SERVER_BIN" --port "$PORT") >>"$logf" 2>&1 &
    else
        (cd "$WORK" && exec taskset -c "$SERVER_CPU" "$FERROCACHE_BIN" server \
            --port "$PORT" --save '' --appendonly no --threads 1) >>"$logf" 2>&1 &
    fi
    SERVER_PID=$!
    for _ in $(seq 100); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -n 20 "$logf" >&2
            die "$kind server exited during startup (log: $logf)"
        fi
        if [[ "$(redis-cli -h 127.0.0.1 -p "$PORT" PING 2>/dev/null)" == PONG ]]; then
            return 0
        fi
        sleep 0.1
    done
    tail -n 20 "$logf" >&2
    die "$kind server did not answer PING on port $PORT within 10 s"
}

# Replaces lib.sh's stop_server: escalates to KILL when TERM is not enough.
stop_server() {
    [[ -n "$SERVER_PID" ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

cli() { redis-cli -h 127.0.0.1 -p "$PORT" "$@" | tr -d '\r'; }

# load_keys COUNT: SET key:000000000000 .. key:COUNT-1 through redis-cli --pipe
load_keys() {
    local count=$1 out="$WORK/pipe.out"
    taskset -c "$CLIENT_CPU" python3 "$SCRIPT_DIR/load_keys.py" --count "$count" --value-size "$VALUE_SIZE" \
        | taskset -c "$CLIENT_CPU" redis-cli -h 127.0.0.1 -p "$PORT" --pipe >"$out" 2>&1 \
        || { cat "$out" >&2; die "redis-cli --pipe failed"; }
    grep -q "errors: 0, replies: $count\$" "$out" || { cat "$out" >&2; die "redis-cli --pipe reported errors"; }
    local n
    n="$(cli DBSIZE)"
    [[ "$n" == "$count" ]] || die "DBSIZE is '$n' after loading $count keys"
}

# CPU ticks (user+system, all threads) consumed so far by the server process
server_ticks() {
    [[ -r "/proc/$SERVER_PID/stat" ]] || die "server process $SERVER_PID is gone"
    sed 's/.*) //' "/proc/$SERVER_PID/stat" | awk '{print $12 + $13}'
}
now_ns() { date +%s%N; }

# parse_csv FILE TEST -> "rps p50 p99"
parse_csv() {
    awk -F'","' -v t="$2" '
        { gsub(/^"|"\r?$/, "") }
        $1 == t { print $2, $5, $7; found = 1 }
        END { if (!found) exit 1 }' "$1"
}

# bench_one TEST PIPELINE REQUESTS CLIENTS TAG -> raw CSV in $WORK/TAG.csv
bench_one() {
    local test=$1 pipe=$2 n=$3 c=$4 tag=$5
    # In the background so a TERM/INT trap runs at once (bash defers traps
    # while a foreground child runs); cleanup() stops it via BG_PIDS.
    taskset -c "$CLIENT_CPU" redis-benchmark -h 127.0.0.1 -p "$PORT" -c "$c" -n "$n" \
        -r "$KEYSPACE" -d "$VALUE_SIZE" -P "$pipe" -t "$test" --csv \
        >"$WORK/$tag.csv" 2>"$WORK/$tag.err" &
    BG_PIDS=("$!")
    local rc=0
    wait "$!" || rc=$?
    BG_PIDS=()
    return "$rc"
}

# core_busy "B0 T0" "B1 T1" -> percent of the interval the core was busy
core_busy() {
    awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ");
        t = y[2] - x[2]; printf "%.0f", (t > 0 ? 100 * (y[1] - x[1]) / t : 0) }'
}

# cpu_stats TICKS NANOSECONDS REQUESTS -> "<server cpu %> <server cpu µs per request>"
cpu_stats() {
    awk -v c="$1" -v hz="$CLK_TCK" -v ns="$2" -v n="$3" \
        'BEGIN { printf "%.1f %.3f", 100 * c / hz / (ns / 1e9), 1e6 * c / hz / n }'
}

RESULTS="$WORK/results.tsv"   # run kind workload pipeline rps p50 p99 cpu% us/op mixskew client-core%
: >"$RESULTS"

# measure_one KIND RUN TEST PIPELINE REQUESTS: one redis-benchmark run against KIND
measure_one() {
    local kind=$1 run=$2 test=$3 pipe=$4 n=$5 tag vals t0 t1 c0 c1 cpu k0 k1 busy
    tag="$kind-r$run-$test-p$pipe"
    c0=$(server_ticks); t0=$(now_ns); k0=$(core_ticks "$CLIENT_CPU")
    bench_one "$test" "$pipe" "$n" "$CLIENTS" "$tag" \
        || { cat "$WORK/$tag.err" >&2; die "redis-benchmark failed ($tag)"; }
    c1=$(server_ticks); t1=$(now_ns); k1=$(core_ticks "$CLIENT_CPU")
    vals="$(parse_csv "$WORK/$tag.csv" "${test^^}")" \
        || { cat "$WORK/$tag.csv" "$WORK/$tag.err" >&2; die "no ${test^^} result in redis-benchmark output ($tag)"; }
    cpu="$(cpu_stats "$((c1 - c0))" "$((t1 - t0))" "$n")"
    busy="$(core_busy "$k0" "$k1")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t-\t%s\n' "$run" "$kind" "${test^^}" "$pipe" "${vals// /$'\t'}" "${cpu/ /$'\t'}" \
        "$busy" >>"$RESULTS"
    log "  $kind run $run ${test^^} P$pipe: rps/p50/p99 = $vals, server cpu %/us-per-op = $cpu, client core $busy% busy"
}

# use_server KIND: the helpers below talk to that one of the two running servers
use_server() {
    PORT=${PORTS[$1]}
    SERVER_PID=${PIDS[$1]}
}

# 1:10 SET:GET mix: two concurrent redis-benchmark processes, SET with k
# connections and GET with 10k connections, each connection issuing the same
# number of requests: the request split is exactly 1:10, and a server that is
# fair across connections keeps both processes running for the same time.
# The achieved overlap is recorded (see bench/README.md).
measure_mix() {
    local kind=$1 run=$2 pipe=$3 n=$4 k nset nget tag t0 t1 c0 c1 cpu pset pget k0 k1 rc=0
    k=$(( (CLIENTS + 5) / 11 )); [[ $k -ge 1 ]] || k=1
    nset=$(( n / 11 )); [[ $nset -ge $k ]] || nset=$k
    nget=$(( nset * 10 ))
    tag="$kind-r$run-mix-p$pipe"
    c0=$(server_ticks); t0=$(now_ns); k0=$(core_ticks "$CLIENT_CPU")
    taskset -c "$CLIENT_CPU" redis-benchmark -h 127.0.0.1 -p "$PORT" -c "$k" -n "$nset" \
        -r "$KEYSPACE" -d "$VALUE_SIZE" -P "$pipe" -t set --csv \
        >"$WORK/$tag-set.csv" 2>"$WORK/$tag-set.err" &
    pset=$!
    taskset -c "$CLIENT_CPU" redis-benchmark -h 127.0.0.1 -p "$PORT" -c "$((k * 10))" -n "$nget" \
        -r "$KEYSPACE" -d "$VALUE_SIZE" -P "$pipe" -t get --csv \
        >"$WORK/$tag-get.csv" 2>"$WORK/$tag-get.err" &
    pget=$!
    BG_PIDS=("$pset" "$pget")
    wait "$pset" || rc=$?
    wait "$pget" || rc=$?
    BG_PIDS=()
    c1=$(server_ticks); t1=$(now_ns); k1=$(core_ticks "$CLIENT_CPU")
    [[ $rc -eq 0 ]] || { cat "$WORK/$tag-set.err" "$WORK/$tag-get.err" >&2; die "redis-benchmark failed ($tag)"; }
    local vs vg
    vs="$(parse_csv "$WORK/$tag-set.csv" SET)" || die "no SET result in mix output ($tag)"
    vg="$(parse_csv "$WORK/$tag-get.csv" GET)" || die "no GET result in mix output ($tag)"
    cpu="$(cpu_stats "$((c1 - c0))" "$((t1 - t0))" "$((nset + nget))")"
    # Aggregate throughput = all requests / duration of the slower process
    # (duration_i = n_i / rps_i); latency = max of the two percentiles, an
    # upper bound of the combined distribution's percentile.
    awk -v ns="$nset" -v ng="$nget" -v vs="$vs" -v vg="$vg" -v run="$run" -v kind="$kind" \
        -v pipe="$pipe" -v cpu="$cpu" -v core="$(core_busy "$k0" "$k1")" 'BEGIN {
            split(vs, s, " "); split(vg, g, " ")
            ds = ns / s[1]; dg = ng / g[1]; d = (ds > dg) ? ds : dg
            p50 = (s[2] > g[2]) ? s[2] : g[2]; p99 = (s[3] > g[3]) ? s[3] : g[3]
            skew = (ds > dg ? ds - dg : dg - ds) / d
            split(cpu, u, " ")
            printf "%s\t%s\tSET:GET 1:10\t%s\t%.2f\t%s\t%s\t%s\t%s\t%.3f\t%s\n", run, kind, pipe, (ns + ng) / d, p50, p99, u[1], u[2], skew, core
        }' >>"$RESULTS"
    log "  $kind run $run MIX P$pipe: set($k conn) $vs | get($((k * 10)) conn) $vg, server cpu %/us-per-op = $cpu"
}

MEMORY="$WORK/memory.tsv"   # kind rss_empty_kb rss_kb used_memory dbsize
: >"$MEMORY"

measure_memory() {
    local kind=$1 rss0 rss used n
    start_server "$kind"
    sleep 0.5
    rss0="$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status")"
    load_keys "$MEMORY_KEYS"
    n="$(cli DBSIZE)"
    [[ "$n" == "$MEMORY_KEYS" ]] || die "$kind: DBSIZE is $n, expected $MEMORY_KEYS"
    sleep 1
    rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status")"
    used="$( (cli INFO memory || true) | awk -F: '$1 == "used_memory" { print $2 }')"
    printf '%s\t%s\t%s\t%s\t%s\n' "$kind" "$rss0" "$rss" "${used:--}" "$n" >>"$MEMORY"
    log "  $kind: DBSIZE $n, VmRSS ${rss} kB (empty ${rss0} kB), used_memory ${used:-n/a}"
    stop_server
}

# ---------------------------------------------------------------- run
log "redis-server $REDIS_VERSION ($(command -v "$REDIS_SERVER_BIN")) vs ferrocache ($FERROCACHE_BIN)"
log "servers on core $SERVER_CPU, clients on core $CLIENT_CPU; runs=$RUNS, requests P1=$REQ_P1 P16=$REQ_P16, clients=$CLIENTS, keyspace=$KEYSPACE, value=${VALUE_SIZE}B"

if [[ $DO_THROUGHPUT -eq 1 ]]; then
    # Both servers run at once (the idle one sleeps) and take turns on each workload,
    # the order alternating: the machine's speed drifts over minutes, and a ratio of
    # runs seconds apart is far steadier than one of runs a minute apart.
    kinds=(redis ours)
    [[ $CEILING -eq 0 ]] || kinds+=(null)
    for kind in "${kinds[@]}"; do
        start_server "$kind"
        PORTS[$kind]=$PORT
        PIDS[$kind]=$SERVER_PID
        # The null server keeps nothing: there is nothing to load.
        [[ $kind == null ]] || load_keys "$KEYSPACE"
    done
    turn=0
    for run in $(seq "$RUNS"); do
        log "run $run/$RUNS"
        for pipe in "${PIPELINES[@]}"; do
            if [[ $pipe -eq 1 ]]; then n=$REQ_P1; else n=$REQ_P16; fi
            for test in set get mix; do
                turn=$((turn + 1))
                if (( turn % 2 == 1 )); then order=(redis ours); else order=(ours redis); fi
                [[ $CEILING -eq 0 ]] || order+=(null)
                for kind in "${order[@]}"; do
                    use_server "$kind"
                    if [[ $test == mix ]]; then
                        measure_mix "$kind" "$run" "$pipe" "$n"
                    else
                        measure_one "$kind" "$run" "$test" "$pipe" "$n"
                    fi
                done
            done
        done
    done
    for kind in "${kinds[@]}"; do
        use_server "$kind"
        stop_server
        unset "PIDS[$kind]"
    done
fi

if [[ $DO_MEMORY -eq 1 ]]; then
    log "memory: $MEMORY_KEYS keys, 16-byte keys, ${VALUE_SIZE}-byte values"
    for kind in redis ours; do
        measure_memory "$kind"
    done
fi

# ---------------------------------------------------------------- report
mkdir -p "$(dirname "$OUT")"
GIT_REV="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
CPU_MODEL="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"

BENCH_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')" BENCH_REV="$GIT_REV" BENCH_REDIS="$REDIS_VERSION" \
BENCH_CPU_MODEL="$CPU_MODEL" BENCH_KERNEL="$(uname -r)" BENCH_RUNS="$RUNS" BENCH_REQ_P1="$REQ_P1" \
BENCH_REQ_P16="$REQ_P16" BENCH_CLIENTS="$CLIENTS" BENCH_KEYSPACE="$KEYSPACE" \
BENCH_VALUE_SIZE="$VALUE_SIZE" BENCH_MEMORY_KEYS="$MEMORY_KEYS" BENCH_BIN="${FERROCACHE_BIN#"$REPO_ROOT"/}" \
python3 - "$RESULTS" "$MEMORY" "$OUT" <<'PY'
import os, statistics, sys

results_path, memory_path, out_path = sys.argv[1:4]
env = os.environ
meta = {
    "date": env["BENCH_DATE"],
    "rev": env["BENCH_REV"],
    "redis": env["BENCH_REDIS"],
    "cpu": env["BENCH_CPU_MODEL"],
    "kernel": env["BENCH_KERNEL"],
    "runs": int(env["BENCH_RUNS"]),
    "req_p1": int(env["BENCH_REQ_P1"]),
    "req_p16": int(env["BENCH_REQ_P16"]),
    "clients": int(env["BENCH_CLIENTS"]),
    "keyspace": int(env["BENCH_KEYSPACE"]),
    "vsize": int(env["BENCH_VALUE_SIZE"]),
    "memkeys": int(env["BENCH_MEMORY_KEYS"]),
    "bin": env["BENCH_BIN"],
}

rows = {}
for line in open(results_path):
    run, kind, wl, pipe, rps, p50, p99, cpu, usop, skew, core = line.rstrip("\n").split("\t")
    d = rows.setdefault((wl, int(pipe)), {}).setdefault(
        kind, {"rps": [], "p50": [], "p99": [], "cpu": [], "usop": [], "skew": [], "core": []})
    d.setdefault("by_run", {})[run] = float(rps)
    d["rps"].append(float(rps)); d["p50"].append(float(p50)); d["p99"].append(float(p99))
    d["cpu"].append(float(cpu)); d["usop"].append(float(usop)); d["core"].append(float(core))
    if skew != "-":
        d["skew"].append(float(skew))

def med(kind_d, key):
    return statistics.median(kind_d[key]) if kind_d and kind_d[key] else None

def ratio(a, b):
    return a / b if (a is not None and b) else None

def pair_ratios(r, o):
    """ours/redis throughput of each run; a run's two measurements are back to back,
    so both usually saw the machine in the same state."""
    if not r or not o:
        return []
    return [o["by_run"][k] / r["by_run"][k] for k in r["by_run"] if k in o["by_run"] and r["by_run"][k]]

def paired(r, o):
    """Median over runs of the pair ratios."""
    pairs = pair_ratios(r, o)
    return statistics.median(pairs) if pairs else None

def pair_range(r, o):
    pairs = sorted(pair_ratios(r, o))
    return "-" if not pairs else f"{pairs[0]:.2f}-{pairs[-1]:.2f}"

def fmt_rps(v): return "-" if v is None else f"{v:,.0f}"
def fmt_ms(v): return "-" if v is None else f"{v:.3f}"

def fmt_ratio(r, target=None, higher=True):
    if r is None:
        return "-"
    s = f"{r:.2f}"
    if target is not None:
        ok = r >= target if higher else r <= target
        s += f" ({'>=' if higher else '<='}{target:.1f} {'ok' if ok else 'miss'})"
    return s

order = {"SET": 0, "GET": 1, "SET:GET 1:10": 2}
header = ["workload", "pipeline", "redis rps", "ours rps", "ratio", "pairs min-max",
          "redis p50 ms", "ours p50 ms", "ratio", "redis p99 ms", "ours p99 ms", "ratio"]
ceiling = any("null" in kinds for kinds in rows.values())
if ceiling:
    header += ["ceiling rps", "ceiling ratio"]
table = []
cpu_table = []
skews = []
for (wl, pipe) in sorted(rows, key=lambda k: (k[1], order.get(k[0], 9))):
    r, o = rows[(wl, pipe)].get("redis"), rows[(wl, pipe)].get("ours")
    rr, orr = med(r, "rps"), med(o, "rps")
    r50, o50 = med(r, "p50"), med(o, "p50")
    r99, o99 = med(r, "p99"), med(o, "p99")
    tgt = 1.3 if pipe >= 16 else 1.1
    table.append([wl, str(pipe), fmt_rps(rr), fmt_rps(orr), fmt_ratio(paired(r, o), tgt), pair_range(r, o),
                  fmt_ms(r50), fmt_ms(o50), fmt_ratio(ratio(o50, r50)),
                  fmt_ms(r99), fmt_ms(o99), fmt_ratio(ratio(o99, r99), 1.0, higher=False)])
    if ceiling:
        n = rows[(wl, pipe)].get("null")
        table[-1] += [fmt_rps(med(n, "rps")), fmt_ratio(paired(r, n))]
    rc, oc = med(r, "cpu"), med(o, "cpu")
    ru, ou = med(r, "usop"), med(o, "usop")
    pct = lambda v: "-" if v is None else f"{v:.0f}%"
    us = lambda v: "-" if v is None else f"{v:.2f}"
    ov = lambda d: f"{100 * (1 - statistics.median(d['skew'])):.0f}%" if d and d["skew"] else "-"
    overlap = "-" if not wl.startswith("SET:GET") else f"{ov(r)} / {ov(o)}"
    cpu_table.append([wl, str(pipe), pct(rc), pct(oc), pct(med(r, "core")), pct(med(o, "core")),
                      us(ru), us(ou), fmt_ratio(ratio(ou, ru)), overlap])
    for d in (r, o):
        if d and d["skew"]:
            skews.append(max(d["skew"]))
cpu_header = ["workload", "pipeline", "redis cpu", "ours cpu", "client core (redis)", "client core (ours)",
              "redis us/op", "ours us/op", "ratio", "mix overlap redis/ours"]

mem = {}
for line in open(memory_path):
    kind, rss0, rss, used, n = line.rstrip("\n").split("\t")
    mem[kind] = {"rss0": int(rss0), "rss": int(rss), "used": None if used == "-" else int(used), "n": int(n)}

def mib(kb_or_b, unit_kb=True):
    if kb_or_b is None:
        return "n/a"
    b = kb_or_b * 1024 if unit_kb else kb_or_b
    return f"{b / 1048576:.1f} MiB"

mem_lines = []
if mem:
    r, o = mem.get("redis"), mem.get("ours")
    def line_for(name, d):
        per_key = (d["rss"] - d["rss0"]) * 1024 / d["n"] if d["n"] else 0
        used = mib(d["used"], unit_kb=False) + (f" ({d['used']:,} B)" if d["used"] is not None else "")
        return (f"{name}: DBSIZE {d['n']:,}, RSS {mib(d['rss'])} ({d['rss']:,} kB; empty {mib(d['rss0'])}, "
                f"~{per_key:.0f} B/key), used_memory {used}")
    if r: mem_lines.append(line_for("redis     ", r))
    if o: mem_lines.append(line_for("ferrocache", o))
    if r and o:
        mem_lines.append("RSS ratio ours/redis: " + fmt_ratio(o["rss"] / r["rss"], 0.6, higher=False))
        if r["used"] and o["used"] is not None:
            mem_lines.append(f"used_memory ratio ours/redis: {o['used'] / r['used']:.2f}")

# ---- terminal output
def print_table(hdr, body):
    widths = [max(len(h), *(len(row[i]) for row in body)) for i, h in enumerate(hdr)]
    line = lambda cells: "  ".join(c.rjust(w) if i > 1 else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(hdr))
    print("  ".join("-" * w for w in widths))
    for row in body:
        print(line(row))

setup = (f"redis-server {meta['redis']} vs ferrocache {meta['rev']} ({meta['bin']}); "
         f"{meta['cpu'] or 'unknown CPU'}, Linux {meta['kernel']}; server on 1 core, redis-benchmark on another")
if table:
    setup += (f"; -c {meta['clients']} -r {meta['keyspace']} -d {meta['vsize']}; "
              f"-n {meta['req_p1']:,} (P1) / {meta['req_p16']:,} (P16); median of {meta['runs']} run(s), "
              "throughput ratio: median of the back-to-back pairs")
print()
print(f"== ferrocache vs redis ({meta['date']})")
print(setup)
if table:
    print()
    print_table(header, table)
    print()
    print("Targets (informational): throughput ratio >=1.3 at P16, >=1.1 at P1; p99 ratio <=1.0.")
    if ceiling:
        print("Ceiling: the null_server example, which answers and keeps nothing; where the server core is the limit, its ratio bounds any server's (bench/README.md).")
    print()
    print("Diagnostics (medians): server CPU utilisation and how busy the client core was (near 100% means")
    print("redis-benchmark, not the server, sets the rate), server CPU time per request, and for the mix the share")
    print("of the run during which both processes were active:")
    print_table(cpu_header, cpu_table)
    if skews and max(skews) > 0.2:
        print(f"note: in the mix the SET and GET processes finished up to {max(skews) * 100:.0f}% of the run apart "
              "(see bench/README.md); mix throughput is counted over the longer of the two.")
if mem_lines:
    print()
    print(f"Memory, {meta['memkeys']:,} keys (16-byte keys, {meta['vsize']}-byte values), loaded with redis-cli --pipe:")
    for l in mem_lines:
        print("  " + l)
    print("Target (informational): RSS ratio <=0.6.")

# ---- markdown
md = [f"### ferrocache vs redis-server {meta['redis']}", "", f"_{meta['date']}; {setup}._", ""]
if table:
    md.append("| " + " | ".join(header) + " |")
    md.append("|" + "|".join(["---"] * 2 + ["---:"] * (len(header) - 2)) + "|")
    for row in table:
        md.append("| " + " | ".join(row) + " |")
    md.append("")
    md.append("Targets (informational): throughput ratio >=1.3 at pipeline 16, >=1.1 at pipeline 1; p99 ratio <=1.0.")
    if ceiling:
        md.append("Ceiling: the null_server example, which answers and keeps nothing; where the server core is the limit, its ratio bounds any server's (bench/README.md).")
    md.append("")
    md.append("Diagnostics (medians): server CPU utilisation, client core busy (near 100%: redis-benchmark sets "
              "the rate), server CPU time per request, mix overlap.")
    md.append("")
    md.append("| " + " | ".join(cpu_header) + " |")
    md.append("|" + "|".join(["---"] * 2 + ["---:"] * (len(cpu_header) - 2)) + "|")
    for row in cpu_table:
        md.append("| " + " | ".join(row) + " |")
    md.append("")
if mem_lines:
    md.append(f"Memory, {meta['memkeys']:,} keys (16-byte keys, {meta['vsize']}-byte values):")
    md.append("")
    for l in mem_lines:
        md.append("- " + l.replace("redis     :", "redis:"))
    md.append("")
    md.append("Target (informational): RSS ratio <=0.6.")
    md.append("")
with open(out_path, "w") as f:
    f.write("\n".join(md))
print()
print(f"markdown written to {out_path}")
PY
