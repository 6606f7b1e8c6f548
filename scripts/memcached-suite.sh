#!/usr/bin/env bash
# Runs memcached 1.6's own test suite (t/*.t from Debian's memcached source
# package) against a running ferrocache memcached node, or against the real
# memcached, through the suite's T_MEMD_USE_DAEMON=host:port mode.
# See tests/memcached-suite/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/suite-lib.sh
source "$ROOT/scripts/suite-lib.sh"
CONF_DIR=$ROOT/tests/memcached-suite
SRC_CACHE=$ROOT/target/memcached-src
OUT_DIR=$ROOT/target/memcached-suite

server=ferrocache
files_arg=""
check=0
file_timeout=60    # hard limit per test file (seconds)
ferrocache_bin=${FERROCACHE_BIN:-$ROOT/target/release/ferrocache}
memcached_bin=${MEMCACHED_BIN:-}
# Both servers start the same way; the suite's own flags are ignored in daemon mode.
server_flags=(-m 64 -c 1024 -t 4 -U 0 -l 127.0.0.1)

usage() {
    cat <<'USAGE'
Usage: scripts/memcached-suite.sh [options]
  --server ferrocache|memcached   target server (default: ferrocache)
  --files "cas.t flags.t"         test files to run (default: every t/*.t not in skip.txt)
  --check                         exit 1 if a file passes fewer tests than floors.txt
  --bin PATH                      server binary
USAGE
}

die() { echo "memcached-suite: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --server) server=${2:?}; shift 2 ;;
        --files) files_arg=${2:?}; shift 2 ;;
        --check) check=1; shift ;;
        --bin) ferrocache_bin=${2:?}; memcached_bin=${2:?}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
done
[[ $server == ferrocache || $server == memcached ]] || die "--server must be ferrocache or memcached"

SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi

# --- prerequisites -------------------------------------------------------

install_packages() {
    local pkgs=()
    command -v perl >/dev/null || pkgs+=(perl)
    command -v memcached >/dev/null || pkgs+=(memcached)
    command -v dpkg-source >/dev/null || pkgs+=(dpkg-dev)
    if [[ ${#pkgs[@]} -gt 0 ]]; then
        echo "memcached-suite: installing ${pkgs[*]}"
        "${SUDO[@]}" apt-get update -q >/dev/null
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >/dev/null
    fi
}

find_suite() {
    local d
    for d in "$SRC_CACHE"/memcached-1.6.*/; do
        if [[ -f $d/t/lib/MemcachedTest.pm ]]; then
            echo "${d%/}"
            return 0
        fi
    done
    return 1
}

fetch_suite() {
    if find_suite >/dev/null; then return 0; fi
    mkdir -p "$SRC_CACHE"
    echo "memcached-suite: apt-get source memcached -> $SRC_CACHE"
    (cd "$SRC_CACHE" && apt-get source -q memcached >/dev/null) ||
        die "apt-get source memcached failed (deb-src entries configured?)"
    find_suite >/dev/null || die "no memcached-1.6.* source in $SRC_CACHE"
}

install_packages
fetch_suite
SUITE=$(find_suite)

if [[ $server == memcached ]]; then
    memcached_bin=${memcached_bin:-$(command -v memcached)}
    [[ -x $memcached_bin ]] || die "memcached not found"
    server_cmd=("$memcached_bin")
    [[ $(id -u) -eq 0 ]] && server_cmd+=(-u root)
else
    [[ -x $ferrocache_bin ]] || die "$ferrocache_bin not found (cargo build --release first)"
    server_cmd=("$ferrocache_bin" server --engine memcached)
fi

# --- inputs --------------------------------------------------------------

# skip.txt: "<file>  # reason"; the reason is mandatory.
declare -A skipped=()
while IFS= read -r line; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    [[ $line =~ ^[[:space:]]*([^[:space:]]+)[[:space:]]+#[[:space:]]+[^[:space:]] ]] ||
        die "skip.txt: missing '# reason': $line"
    skipped[${BASH_REMATCH[1]}]=1
done <"$CONF_DIR/skip.txt"

files=()
if [[ -n $files_arg ]]; then
    read -r -a files <<<"$files_arg"
else
    for f in "$SUITE"/t/*.t; do
        f=$(basename "$f")
        [[ -n ${skipped[$f]:-} ]] || files+=("$f")
    done
fi
for f in "${files[@]}"; do
    [[ -f $SUITE/t/$f ]] || die "no such test file: $f"
done
[[ ${#files[@]} -gt 0 ]] || die "no test files to run"

# Per-server copy of the suite. MemcachedTest.pm wants ./memcached-debug (for -h
# feature probes and for the few tests that run the binary themselves) and
# ./timedrun: both are shims for the server under test.
RUN_DIR=$OUT_DIR/$server
TREE=$RUN_DIR/suite
rm -rf "$TREE"
mkdir -p "$TREE"
cp -a "$SUITE/t" "$TREE/"
printf '#!/bin/sh\nexec %s "$@"\n' "$(printf '%q ' "${server_cmd[@]}")" >"$TREE/memcached-debug"
printf '#!/bin/sh\nshift\nexec "$@"\n' >"$TREE/timedrun"
chmod +x "$TREE/memcached-debug" "$TREE/timedrun"

# --- server control ------------------------------------------------------

start_server() { # port logfile
    launch_server "$1" version VERSION "$2" "${server_cmd[@]}" -p "$1" "${server_flags[@]}"
}

runner_pid=""
cleanup() {
    if [[ -n $runner_pid ]]; then kill -KILL -- "-$runner_pid" 2>/dev/null || true; fi
    stop_server
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- run -----------------------------------------------------------------

count() { grep -caE -- "$1" "$2" || true; }

tsv=$OUT_DIR/$server.tsv
mkdir -p "$OUT_DIR"
rows=()
for f in "${files[@]}"; do
    log=$RUN_DIR/$f.log
    port=$(free_port 20000 9000)
    start=$SECONDS
    status=ok
    if ! start_server "$port" "$RUN_DIR/$f.server.log"; then
        echo "server failed to start, see $RUN_DIR/$f.server.log" >"$log"
        status=nostart
    else
        rc=0
        # Own session, so servers a file starts itself (through ./memcached-debug)
        # are stopped with it.
        (cd "$TREE" && exec setsid env T_MEMD_USE_DAEMON="127.0.0.1:$port" \
            timeout -k 10 "$file_timeout" perl "t/$f") >"$log" 2>&1 </dev/null &
        runner_pid=$!
        wait "$runner_pid" || rc=$?
        kill -KILL -- "-$runner_pid" 2>/dev/null || true
        runner_pid=""
        if [[ $rc -eq 124 || $rc -eq 137 ]]; then
            status=timeout
        elif ! proc_alive "$server_pid"; then
            status=crashed
        elif [[ $rc -ne 0 ]]; then
            status=failed
        fi
    fi
    stop_server
    planned=$(grep -a -m1 -oE '^1\.\.[0-9]+' "$log" | cut -c4- || true)
    row=$(printf '%s\t%s\t%s\t%s\t%s\t%s' "$f" "$status" \
        "$(count '^ok [0-9]+' "$log")" "$(count '^not ok [0-9]+' "$log")" \
        "${planned:--}" "$((SECONDS - start))")
    rows+=("$row")
    printf '%s\n' "$row" | awk -F'\t' '{printf "%-26s %-8s ok=%s not_ok=%s planned=%s (%ss)\n", $1, $2, $3, $4, $5, $6}'
done

write_results "$tsv" "$(printf 'file\tstatus\tpassed\tfailed\tplanned\tseconds')" ss-s "${rows[@]}"

echo
echo "== $server ($(basename "$SUITE")) =="
awk -F'\t' '{printf "%-26s %-8s %8s %8s %8s %8s\n", $1, $2, $3, $4, $5, $6}' "$tsv"
echo "results: $tsv; logs: $RUN_DIR/"

# --- floors --------------------------------------------------------------

if [[ $check -eq 1 ]]; then
    check_floors "$tsv" "$CONF_DIR/floors.txt" files || exit 1
fi
