#!/usr/bin/env python3
"""Collections side by side: ferrocache vs redis-server 7.0.

Memory: resident memory (RSS) of a fresh server after loading each data set,
  - 1,000 hashes of 1,000 small fields (HSET, 8-byte fields, 8-byte values),
  - 1,000 sorted sets of 1,000 members (ZADD, 8-byte members, integer scores),
  - one sorted set of 1,000,000 members,
  - 100,000 small hashes, sorted sets, sets and lists of 10 elements (the compact
    encodings: listpack, intset),
and the ratio ours/redis (goal: at most 0.8).

Throughput: redis-benchmark (server pinned to one core, client to the other, 50
clients) for LPUSH, LPOP, SADD, HSET, ZADD and ZRANGE over a 100-member sorted set;
ratio ours/redis (goal: at least 1.0).

This only prints numbers; it never fails on a ratio. Usage:
  bench/collections-bench.py [--requests N] [--runs N] [--skip-memory] [--skip-throughput]
Environment: FERROCACHE_BIN, REDIS_SERVER_BIN, BENCH_SERVER_CPU (0), BENCH_CLIENT_CPU (1).
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FERROCACHE = os.environ.get("FERROCACHE_BIN", str(ROOT / "target" / "release" / "ferrocache"))
REDIS = os.environ.get("REDIS_SERVER_BIN") or shutil.which("redis-server") or "redis-server"
SERVER_CPU = os.environ.get("BENCH_SERVER_CPU", "0")
CLIENT_CPU = os.environ.get("BENCH_CLIENT_CPU", "1")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, kind, workdir):
        self.kind = kind
        self.port = free_port()
        common = ["--port", str(self.port), "--save", "", "--appendonly", "no"]
        if kind == "redis":
            argv = [REDIS, *common]
        else:
            argv = [FERROCACHE, "server", *common, "--threads", "1"]
        self.proc = subprocess.Popen(["taskset", "-c", SERVER_CPU, *argv], cwd=workdir,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.cli("PING").strip() == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError(f"{kind} did not start")

    def cli(self, *args):
        result = subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True)
        return result.stdout

    def rss_kib(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def load(self, commands):
        """Sends RESP commands through `redis-cli --pipe`."""
        def resp(args):
            out = [f"*{len(args)}\r\n".encode()]
            for a in args:
                a = a if isinstance(a, bytes) else str(a).encode()
                out.append(b"$%d\r\n%s\r\n" % (len(a), a))
            return b"".join(out)
        pipe = subprocess.Popen(["taskset", "-c", CLIENT_CPU, "redis-cli", "-p", str(self.port), "--pipe"],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        batch = []
        for command in commands:
            batch.append(resp(command))
            if len(batch) >= 10000:
                pipe.stdin.write(b"".join(batch))
                batch = []
        pipe.stdin.write(b"".join(batch))
        pipe.stdin.close()
        pipe.wait()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def hashes():
    for h in range(1000):
        for start in range(0, 1000, 100):
            args = ["HSET", f"hash:{h:06d}"]
            for f in range(start, start + 100):
                args += [f"f{f:07d}", f"v{f:07d}"]
            yield args


def zsets():
    for z in range(1000):
        for start in range(0, 1000, 100):
            args = ["ZADD", f"zset:{z:06d}"]
            for m in range(start, start + 100):
                args += [m, f"m{m:07d}"]
            yield args


def big_zset():
    for start in range(0, 1_000_000, 100):
        args = ["ZADD", "leaderboard"]
        for m in range(start, start + 100):
            args += [m, f"m{m:07d}"]
        yield args


def small(command, value):
    """100,000 small collections of 10 elements each (compact encodings)."""
    def generate():
        for k in range(100_000):
            args = [command, f"{command.lower()}:{k:07d}"]
            for e in range(10):
                args += value(e)
            yield args
    return generate


DATASETS = [
    ("1,000 hashes x 1,000 fields", hashes),
    ("1,000 sorted sets x 1,000 members", zsets),
    ("1 sorted set x 1,000,000 members", big_zset),
    ("100,000 hashes x 10 fields", small("HSET", lambda e: [f"field{e}", f"value{e}"])),
    ("100,000 sorted sets x 10 members", small("ZADD", lambda e: [e, f"member{e}"])),
    ("100,000 sets x 10 integers", small("SADD", lambda e: [1000 + e])),
    ("100,000 sets x 10 strings", small("SADD", lambda e: [f"member{e}"])),
    ("100,000 lists x 10 items", small("RPUSH", lambda e: [f"item{e}"])),
]

WORKLOADS = [
    ("LPUSH", ["-t", "lpush"]),
    ("LPOP", ["-t", "lpop"]),
    ("SADD", ["-t", "sadd"]),
    ("HSET", ["-t", "hset"]),
    ("ZADD", ["-t", "zadd"]),
    ("ZRANGE 0 9 (100 members)", ["ZRANGE", "bench:zset", "0", "9"]),
]


def memory(workdir):
    rows = []
    for name, generate in DATASETS:
        rss = {}
        for kind in ("redis", "ferrocache"):
            server = Server(kind, workdir)
            try:
                server.load(generate())
                time.sleep(0.5)
                rss[kind] = server.rss_kib()
            finally:
                server.stop()
        rows.append((name, rss["redis"], rss["ferrocache"]))
    print("\n| data set | redis RSS MiB | ferrocache RSS MiB | ratio (goal <= 0.8) |")
    print("|---|---:|---:|---:|")
    for name, redis_kib, ours_kib in rows:
        print(f"| {name} | {redis_kib / 1024:.1f} | {ours_kib / 1024:.1f} | {ours_kib / redis_kib:.2f} |")


def throughput(workdir, requests, runs):
    """Both servers run side by side (pinned to the same core, only one under load at
    a time); each workload alternates between them `runs` times and the medians are
    compared, so slow phases of a shared machine hit both alike."""
    servers = {kind: Server(kind, workdir) for kind in ("redis", "ferrocache")}
    samples = {}
    try:
        for server in servers.values():
            server.load([["ZADD", "bench:zset", *sum(([i, f"member:{i}"] for i in range(100)), [])]])
        for name, args in WORKLOADS:
            for _ in range(runs):
                for kind, server in servers.items():
                    if name == "LPOP":
                        server.load([["RPUSH", "mylist", *["x" * 3] * 1000] for _ in range(requests // 1000 + 1)])
                    out = subprocess.run(
                        ["taskset", "-c", CLIENT_CPU, "redis-benchmark", "-p", str(server.port), "-c", "50",
                         "-n", str(requests), "-r", "100000", "-q", "--csv", *args],
                        capture_output=True, text=True).stdout
                    lines = [l for l in out.splitlines() if l.startswith('"') and not l.startswith('"test"')]
                    rps = float(lines[-1].split(",")[1].strip('"')) if lines else 0.0
                    samples.setdefault((kind, name), []).append(rps)
    finally:
        for server in servers.values():
            server.stop()
    results = {key: sorted(values)[len(values) // 2] for key, values in samples.items()}
    print(f"\n(median of {runs} alternating runs, {requests:,} requests each)")
    print("\n| command | redis rps | ferrocache rps | ratio (goal >= 1.0) |")
    print("|---|---:|---:|---:|")
    for name, _ in WORKLOADS:
        r, f = results[("redis", name)], results[("ferrocache", name)]
        print(f"| {name} | {r:,.0f} | {f:,.0f} | {f / r if r else 0:.2f} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--skip-throughput", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        if not args.skip_memory:
            memory(workdir)
        if not args.skip_throughput:
            throughput(workdir, args.requests, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
