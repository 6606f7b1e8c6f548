# Helpers shared by the benchmark scripts (sourced, not run).

# free_port -> a TCP port on 127.0.0.1 that nothing listens on now
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# core_ticks CPU -> "<busy ticks> <total ticks>" of one core so far (/proc/stat): the
# client core's load, softirq work for loopback TCP included
core_ticks() {
    awk -v cpu="cpu$1" '$1 == cpu { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat
}

# stop_server: stops the server in SERVER_PID (if any), waits for it, clears SERVER_PID
stop_server() {
    [[ -n ${SERVER_PID:-} ]] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}
