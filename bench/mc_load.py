#!/usr/bin/env python3
"""Loads N items into a memcached-protocol server with pipelined `set ... noreply`
(16-byte keys `key:%012d`, values of --value-size bytes), then waits for the server
to answer `version`, so every item is stored when it exits.

Usage: mc_load.py --port P [--count 1000000] [--value-size 32]
"""

import argparse
import socket


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--value-size", type=int, default=32)
    args = ap.parse_args()
    pad = b"x" * (args.value_size - 17)
    with socket.create_connection(("127.0.0.1", args.port)) as s:
        batch = []
        for i in range(args.count):
            batch.append(b"set key:%012d 0 0 %d noreply\r\nval:%012d:%s\r\n" % (i, args.value_size, i, pad))
            if len(batch) == 10_000:
                s.sendall(b"".join(batch))
                batch.clear()
        s.sendall(b"".join(batch) + b"version\r\n")
        reply = b""
        while b"VERSION" not in reply:
            chunk = s.recv(4096)
            if not chunk:
                raise SystemExit("server closed the connection")
            reply += chunk
        if not reply.startswith(b"VERSION"):
            raise SystemExit(f"unexpected reply: {reply[:200]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
