# shellcheck shell=bash
# Helpers shared by the compatibility-suite runners (scripts/redis-suite.sh and
# scripts/memcached-suite.sh); sourced, not run. The runner defines `die`.

# strip_comments FILE: its lines without `# ...` comments and blank lines.
strip_comments() { sed -E 's/(^|[[:space:]])#.*$//; s/[[:space:]]+$//; /^$/d' "$1"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port FIRST COUNT: a port among FIRST .. FIRST+COUNT-1 that nothing listens on.
free_port() {
    local p tries
    for tries in $(seq 1 100); do
        p=$(($1 + RANDOM % $2))
        if ! port_in_use "$p"; then echo "$p"; return 0; fi
    done
    die "no free port found after $tries tries"
}

# proc_alive PID: kill -0 succeeds on zombies, so look at the process state.
proc_alive() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

# server_says PORT REQUEST PREFIX: the first line the server sends back to REQUEST
# starts with PREFIX (an empty PREFIX: any reply at all).
server_says() {
    local reply=""
    {
        exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
        printf '%s\r\n' "$2" >&3
        IFS= read -r -t 5 reply <&3 || true
        exec 3<&-
    } 2>/dev/null
    [[ -n $reply && $reply == "$3"* ]]
}

# launch_server PORT REQUEST PREFIX LOG CMD...: starts CMD in its own session (so
# wrapper scripts are stopped with their child) and waits until it answers;
# sets server_pid.
server_pid=""
launch_server() {
    local port=$1 request=$2 prefix=$3 log=$4
    shift 4
    (exec setsid "$@") >"$log" 2>&1 </dev/null &
    server_pid=$!
    for _ in $(seq 1 100); do
        if server_says "$port" "$request" "$prefix"; then return 0; fi
        proc_alive "$server_pid" || return 1
        sleep 0.1
    done
    return 1
}

stop_server() {
    [[ -n $server_pid ]] || return 0
    kill -TERM -- "-$server_pid" 2>/dev/null || kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        proc_alive "$server_pid" || break
        sleep 0.1
    done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

# write_results TSV HEADER SUMS ROW...: the rows under HEADER and a TOTAL row whose
# columns from the third on are summed where SUMS (one letter per column from the
# third: s sum, - none) says so.
write_results() {
    local tsv=$1 header=$2 sums=$3
    shift 3
    {
        printf '%s\n' "$header"
        printf '%s\n' "$@"
        printf '%s\n' "$@" | awk -F'\t' -v sums="$sums" '
            { for (i = 3; i <= NF; i++) total[i] += $i; n = NF }
            END {
                printf "TOTAL\t-"
                for (i = 3; i <= n; i++)
                    printf "\t%s", (substr(sums, i - 2, 1) == "s" ? sprintf("%d", total[i]) : "-")
                printf "\n"
            }'
    } >"$tsv"
}

# check_floors TSV FLOORS NOUN: every name FLOORS lists passes (third column of TSV)
# at least its floor; prints what falls below and returns 1 then.
check_floors() {
    local tsv=$1 floors=$2 noun=$3 below=0 name floor passed
    while read -r name floor; do
        passed=$(awk -F'\t' -v u="$name" '$1 == u {print $3}' "$tsv")
        [[ -n $passed ]] || continue
        if [[ $passed -lt $floor ]]; then
            echo "BELOW FLOOR: $name passed $passed < $floor"
            below=1
        fi
    done < <(strip_comments "$floors")
    [[ $below -eq 0 ]] || return 1
    echo "all $noun at or above their floors"
}
