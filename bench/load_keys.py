#!/usr/bin/env python3
"""Emit a RESP stream of SET commands on stdout, for `redis-cli --pipe`.

Keys are `key:%012d` (exactly 16 bytes), the same names redis-benchmark uses
for `-r` random keys, so a preload with this generator makes every GET of the
benchmark a hit. Values are `val:%012d:` padded with `x` to --value-size bytes
(32 by default), unique per key and never integer-looking.

Usage: load_keys.py [--count N] [--value-size B] [--start S] | redis-cli -p PORT --pipe
"""

import argparse
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1_000_000, help="number of keys (default 1000000)")
    ap.add_argument("--value-size", type=int, default=32, help="value length in bytes (default 32)")
    ap.add_argument("--start", type=int, default=0, help="first key index (default 0)")
    args = ap.parse_args()

    if args.count < 0 or args.start < 0 or args.start + args.count > 10**12:
        ap.error("key indices must fit in 12 decimal digits")
    if args.value_size < 17:
        ap.error("--value-size must be at least 17 (the unique `val:%012d:` prefix)")

    vsize = args.value_size
    pad = "x" * (vsize - 17)
    head = b"*3\r\n$3\r\nSET\r\n$16\r\n"
    mid = b"\r\n$%d\r\n" % vsize
    tail = b"\r\n"

    out = sys.stdout.buffer
    batch = []
    for i in range(args.start, args.start + args.count):
        key = b"key:%012d" % i
        val = ("val:%012d:" % i + pad).encode()
        batch.append(head + key + mid + val + tail)
        if len(batch) >= 10_000:
            out.write(b"".join(batch))
            batch.clear()
    if batch:
        out.write(b"".join(batch))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
