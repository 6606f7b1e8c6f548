#!/usr/bin/env python3
"""Prints the README's compatibility table from the last runs of scripts/redis-suite.sh
against redis-server (target/redis-suite/redis.tsv) and ferrocache (ferrocache.tsv)."""

import csv
import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "target" / "redis-suite"


def read(name):
    path = OUT / f"{name}.tsv"
    if not path.exists():
        sys.exit(f"{path} is missing: run scripts/redis-suite.sh --server {name} first")
    with path.open() as f:
        return {row["unit"]: row for row in csv.DictReader(f, delimiter="\t") if row["unit"] != "TOTAL"}


def main():
    redis, ours = read("redis"), read("ferrocache")
    units = [u for u in redis if u in ours] + [u for u in ours if u not in redis]
    print("| unit | redis-server 7.0.15 passed | ferrocache passed | ferrocache failed | ratio |")
    print("|---|---:|---:|---:|---:|")
    total_redis = total_ours = 0
    for unit in units:
        r = int(redis.get(unit, {}).get("passed", 0) or 0)
        o = int(ours[unit]["passed"])
        failed = ours[unit]["failed"]
        total_redis += r
        total_ours += o
        ratio = f"{o / r:.0%}" if r else "-"
        print(f"| {unit} | {r} | {o} | {failed} | {ratio} |")
    ratio = f"{total_ours / total_redis:.1%}" if total_redis else "-"
    print(f"| **total** | **{total_redis}** | **{total_ours}** | | **{ratio}** |")
    target = math.ceil(total_redis * 0.9)
    print(f"\nTarget (90% of redis-server's passes): {target}.", file=sys.stderr)


if __name__ == "__main__":
    main()
