#!/usr/bin/env bash
# Runs Redis 7.0's own TCL test suite (external-server mode) against
# ferrocache or the real redis-server. See tests/redis-suite/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/suite-lib.sh
source "$ROOT/scripts/suite-lib.sh"
CONF_DIR=$ROOT/tests/redis-suite
SRC_CACHE=$ROOT/target/redis-src
OUT_DIR=$ROOT/target/redis-suite

server=ferrocache
units_arg=""
check=0
unit_timeout=900      # hard limit per unit (seconds)
progress_timeout=180  # runtest --timeout: max seconds without any test finishing
# Capabilities a cache server is not expected to have (see README.md).
tags="-needs:repl -needs:debug -needs:pfdebug -needs:local-process"
ferrocache_bin=${FERROCACHE_BIN:-$ROOT/target/release/ferrocache}
redis_bin=${REDIS_SERVER_BIN:-}

usage() {
    cat <<'EOF'
Usage: scripts/redis-suite.sh [options]
  --server ferrocache|redis   target server (default: ferrocache)
  --units "unit/a unit/b"     units to run (default: tests/redis-suite/units.txt)
  --check                     exit 1 if a unit passes fewer tests than floors.txt
  --tags "-tag ..."           runtest --tags value (default: see script)
  --unit-timeout SECONDS      hard timeout per unit (default: 900)
  --bin PATH                  server binary (default: target/release/ferrocache
                              or redis-server from PATH)
EOF
}

die() { echo "redis-suite: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --server) server=${2:?}; shift 2 ;;
        --units) units_arg=${2:?}; shift 2 ;;
        --check) check=1; shift ;;
        --tags) tags=${2?}; shift 2 ;;
        --unit-timeout) unit_timeout=${2:?}; shift 2 ;;
        --bin) ferrocache_bin=${2:?}; redis_bin=${2:?}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option: $1" ;;
    esac
done
[[ $server == ferrocache || $server == redis ]] || die "--server must be ferrocache or redis"

SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi

# --- prerequisites -------------------------------------------------------

have_deb_src() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        if grep -qE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' "$f"; then return 0; fi
    done
    return 1
}

add_deb_src() {
    local main=/etc/apt/sources.list.d/debian.sources
    local dst=/etc/apt/sources.list.d/debian-src.sources
    echo "redis-suite: adding deb-src entries ($dst)"
    if [[ -f $main ]]; then
        # Same stanzas (URIs, suites, keys) as the binary entries.
        sed -E 's/^Types:.*/Types: deb-src/' "$main" | "${SUDO[@]}" tee "$dst" >/dev/null
    else
        "${SUDO[@]}" tee "$dst" >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    fi
}

apt_updated=0
apt_update() {
    if [[ $apt_updated -eq 0 ]]; then
        "${SUDO[@]}" apt-get update -q >/dev/null
        apt_updated=1
    fi
}

install_packages() {
    local pkgs=()
    command -v tclsh >/dev/null || pkgs+=(tcl)
    command -v redis-server >/dev/null || pkgs+=(redis-server)
    command -v redis-cli >/dev/null || pkgs+=(redis-tools)
    command -v dpkg-source >/dev/null || pkgs+=(dpkg-dev)
    command -v timeout >/dev/null || pkgs+=(coreutils)
    if [[ ${#pkgs[@]} -gt 0 ]]; then
        echo "redis-suite: installing ${pkgs[*]}"
        apt_update
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${pkgs[@]}" >/dev/null
    fi
}

find_suite() {
    local d
    for d in "$SRC_CACHE"/redis-7.0.*/; do
        if [[ -x $d/runtest && -f $d/tests/test_helper.tcl ]]; then
            echo "${d%/}"
            return 0
        fi
    done
    return 1
}

fetch_suite() {
    if find_suite >/dev/null; then return 0; fi
    have_deb_src || { add_deb_src; apt_updated=0; }
    apt_update
    mkdir -p "$SRC_CACHE"
    echo "redis-suite: apt-get source redis -> $SRC_CACHE"
    (cd "$SRC_CACHE" && apt-get source -q redis >/dev/null)
    find_suite >/dev/null || die "no redis-7.0.* source in $SRC_CACHE (is this Debian 12?)"
}

install_packages
fetch_suite
SUITE=$(find_suite)

if [[ $server == redis ]]; then
    redis_bin=${redis_bin:-$(command -v redis-server)}
    [[ -x $redis_bin ]] || die "redis-server not found"
    server_bin=$redis_bin
else
    [[ -x $ferrocache_bin ]] || die "$ferrocache_bin not found (cargo build --release first)"
    server_bin=$ferrocache_bin
fi

# --- inputs --------------------------------------------------------------

units=()
if [[ -n $units_arg ]]; then
    read -r -a units <<<"$units_arg"
else
    mapfile -t units < <(strip_comments "$CONF_DIR/units.txt")
fi
for i in "${!units[@]}"; do
    [[ ${units[$i]} == unit/* || ${units[$i]} == integration/* ]] || units[i]=unit/${units[$i]}
    [[ -f $SUITE/tests/${units[$i]}.tcl ]] || die "no such unit: ${units[$i]}"
done
[[ ${#units[@]} -gt 0 ]] || die "no units to run"

# Per-server copy of the suite: tests/ plus src/ shims for the binaries
# some tests exec directly (src/redis-server, src/redis-cli).
RUN_DIR=$OUT_DIR/$server
TREE=$RUN_DIR/suite
rm -rf "$TREE"
mkdir -p "$TREE/src"
cp -a "$SUITE/runtest" "$SUITE/tests" "$TREE/"
# Each server block starts with FLUSHALL + FUNCTION FLUSH; an error there
# aborts the whole unit, so don't let a missing FUNCTION command do that.
sed -i 's/^\([[:space:]]*\)r function flush$/\1catch {r function flush}/' "$TREE/tests/support/server.tcl"
grep -q 'catch {r function flush}' "$TREE/tests/support/server.tcl" ||
    echo "redis-suite: warning: FUNCTION FLUSH patch did not apply" >&2
if [[ $server == redis ]]; then
    ln -s "$server_bin" "$TREE/src/redis-server"
else
    printf '#!/bin/sh\nexec %q server "$@"\n' "$server_bin" >"$TREE/src/redis-server"
    chmod +x "$TREE/src/redis-server"
fi
for tool in redis-cli redis-benchmark; do
    if command -v "$tool" >/dev/null; then ln -s "$(command -v "$tool")" "$TREE/src/$tool"; fi
done

# skip.txt: "<pattern>  # reason"; the reason is mandatory.
skipfile=$TREE/skip.txt
: >"$skipfile"
while IFS= read -r line; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    # The first " # " separates the pattern from the reason.
    [[ $line =~ ^[[:space:]]*(.*[^[:space:]])[[:space:]]+#[[:space:]]+[^[:space:]] ]] ||
        die "skip.txt: missing '# reason': $line"
    pattern=$(sed -E 's/^[[:space:]]*//; s/[[:space:]]+#[[:space:]].*$//' <<<"$line")
    printf '%s\n' "$pattern" >>"$skipfile"
done <"$CONF_DIR/skip.txt"

# --- server control ------------------------------------------------------

start_server() { # port workdir logfile
    local cmd=("$server_bin")
    [[ $server == ferrocache ]] && cmd+=(server)
    cmd+=(--port "$1" --save '' --appendonly no)
    mkdir -p "$2"
    # Any reply (+PONG, -NOAUTH, ...) means the server is up and responsive.
    launch_server "$1" PING "" "$3" env -C "$2" "${cmd[@]}"
}

runner_pid=""
cleanup() {
    if [[ -n $runner_pid ]]; then
        kill -TERM "$runner_pid" 2>/dev/null || true
        wait "$runner_pid" 2>/dev/null || true
    fi
    stop_server
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- run -----------------------------------------------------------------

count() { grep -c -- "$1" "$2" || true; }

tsv=$OUT_DIR/$server.tsv
mkdir -p "$OUT_DIR"
rows=()
for unit in "${units[@]}"; do
    log=$RUN_DIR/$unit.log
    mkdir -p "$(dirname "$log")"
    work=$RUN_DIR/work/$unit
    rm -rf "$work"
    port=$(free_port 30000 2700)
    start=$SECONDS
    status=ok
    if ! start_server "$port" "$work" "$RUN_DIR/$unit.server.log"; then
        echo "server failed to start, see $RUN_DIR/$unit.server.log" >"$log"
        status=nostart
    else
        rc=0
        # timeout runs runtest in its own process group and kills all of it.
        (cd "$TREE" && exec env TERM=dumb timeout -k 10 "$unit_timeout" ./runtest \
            --host 127.0.0.1 --port "$port" --clients 1 --timeout "$progress_timeout" \
            --durable --ignore-encoding --ignore-digest --tags "$tags" \
            --skipfile "$skipfile" --single "$unit") >"$log" 2>&1 </dev/null &
        runner_pid=$!
        wait "$runner_pid" || rc=$?
        runner_pid=""
        if [[ $rc -eq 124 || $rc -eq 137 ]]; then
            status=timeout
        elif ! proc_alive "$server_pid"; then
            status=crashed
        elif ! server_says "$port" PING ""; then
            status=hung
        elif grep -q '^\[TIMEOUT\]' "$log"; then
            status=timeout
        elif grep -q '^\[exception\]' "$log"; then
            status=exception
        elif ! grep -q '^\[[0-9]*/[0-9]* done\]' "$log"; then
            status=aborted
        elif [[ $rc -ne 0 ]]; then
            status=failed
        fi
    fi
    stop_server
    row=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s' "$unit" "$status" \
        "$(count '^\[ok\]: ' "$log")" "$(count '^\[err\]: ' "$log")" \
        "$(count '^\[skip\]: ' "$log")" "$(count '^\[ignore\]: ' "$log")" \
        "$((SECONDS - start))")
    rows+=("$row")
    printf '%s\n' "$row" | awk -F'\t' '{printf "%-22s %-9s ok=%s err=%s (%ss)\n", $1, $2, $3, $4, $7}'
done

write_results "$tsv" "$(printf 'unit\tstatus\tpassed\tfailed\tskipped\tignored\tseconds')" sssss "${rows[@]}"

echo
echo "== $server ($(basename "$SUITE")) =="
awk -F'\t' '{printf "%-24s %-9s %7s %7s %8s %8s %8s\n", $1, $2, $3, $4, $5, $6, $7}' "$tsv"
echo "results: $tsv; logs: $RUN_DIR/"

# --- floors --------------------------------------------------------------

if [[ $check -eq 1 ]]; then
    check_floors "$tsv" "$CONF_DIR/floors.txt" units || exit 1
fi
