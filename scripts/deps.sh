#!/usr/bin/env bash
# Installs what building and testing ferrocache needs on Debian 12: the real
# redis-server and redis-tools to compare against, tcl for Redis's own test suite,
# the real memcached, libmemcached-tools and perl for memcached's own test suite,
# and the Python clients (redis-py, pytest, the AWS CLI, boto3, pymemcache). Safe to run again.
set -euo pipefail

SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi

need_apt=()
command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v redis-cli >/dev/null || need_apt+=(redis-tools)
command -v redis-benchmark >/dev/null || need_apt+=(redis-tools)
command -v tclsh >/dev/null || need_apt+=(tcl)
command -v dpkg-source >/dev/null || need_apt+=(dpkg-dev)
command -v memcached >/dev/null || need_apt+=(memcached)
command -v memccapable >/dev/null || need_apt+=(libmemcached-tools)
command -v perl >/dev/null || need_apt+=(perl)
if ((${#need_apt[@]})); then
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# Debian starts a redis-server service on install; the tests start their own.
if command -v systemctl >/dev/null 2>&1; then
    "${SUDO[@]}" systemctl stop redis-server >/dev/null 2>&1 || true
    "${SUDO[@]}" systemctl stop memcached >/dev/null 2>&1 || true
fi

# Python clients: redis-py, the AWS CLI and boto3 (for `ferrocache up`), pymemcache.
if ! python3 -c 'import redis, pytest, boto3, awscli, pymemcache' 2>/dev/null; then
    python3 -m pip install -q redis pytest boto3 awscli pymemcache
fi
