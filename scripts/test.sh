#!/usr/bin/env bash
# Runs every check and test of the project: formatting, lints, unit and integration
# tests, the Python client tests, and Redis's and memcached's own test suites with
# the published floors. Exits non-zero when anything fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

step() { printf '\n==> %s\n' "$*"; }

step "dependencies"
scripts/deps.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --workspace --all-targets"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo build --release"
cargo build --release --quiet

step "cargo test --workspace"
cargo test --workspace --quiet

step "python tests: ferrocache up with the AWS CLI, boto3 and Terraform; redis-py, redis-cli, pymemcache, libmemcached-tools; differential against redis-server and memcached"
python3 -m pytest -q tests/python

step "Redis 7.0 test suite against ferrocache (floors: tests/redis-suite/floors.txt)"
scripts/redis-suite.sh --check

step "memcached 1.6 test suite against ferrocache's memcached engine (floors: tests/memcached-suite/floors.txt)"
scripts/memcached-suite.sh --check
