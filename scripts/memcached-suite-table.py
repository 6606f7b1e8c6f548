#!/usr/bin/env python3
"""Prints the markdown comparison of two memcached-suite runs (ferrocache and the
real memcached, from target/memcached-suite/*.tsv): passes per file, the total, and
the average per-file ratio over the files memcached passes at least one test of."""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "target" / "memcached-suite"


def load(name):
    with open(OUT / f"{name}.tsv") as f:
        return {row["file"]: int(row["passed"]) for row in csv.DictReader(f, delimiter="\t")
                if row["file"] != "TOTAL"}


def main():
    ours, theirs = load("ferrocache"), load("memcached")
    files = sorted(set(ours) | set(theirs))
    print("| file | ferrocache | memcached 1.6.18 |")
    print("|---|---:|---:|")
    ratios = []
    for f in files:
        o, t = ours.get(f, 0), theirs.get(f, 0)
        print(f"| {f} | {o} | {t} |")
        if t > 0:
            ratios.append(min(o, t) / t)
    total_o = sum(min(ours.get(f, 0), theirs.get(f, 0)) for f in files if theirs.get(f, 0) > 0)
    total_t = sum(theirs.values())
    print(f"| **all tests** | **{sum(ours.values())}** | **{total_t}** |")
    print()
    print(f"Over all tests: {total_o / total_t:.2%} of memcached's passes "
          f"(counting at most memcached's passes per file).")
    print(f"Average over the {len(ratios)} files memcached passes tests in: "
          f"{sum(ratios) / len(ratios):.2%}.")


if __name__ == "__main__":
    sys.exit(main())
