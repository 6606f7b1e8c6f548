"""Fixtures: real ferrocache and redis-server processes on free loopback ports."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
FERROCACHE = os.environ.get("FERROCACHE_BIN", str(ROOT / "target" / "release" / "ferrocache"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server process started for a test, stopped afterwards."""

    def __init__(self, argv, port, workdir):
        self.port = port
        self.log = open(workdir / f"server-{port}.log", "w")
        self.proc = subprocess.Popen(argv, cwd=workdir, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                if redis.Redis(port=port).ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server on port {port} did not start: {argv}")

    def client(self, **kwargs):
        return redis.Redis(host="127.0.0.1", port=self.port, **kwargs)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def start_ferrocache(tmp_path, *extra):
    port = free_port()
    argv = [FERROCACHE, "server", "--port", str(port), "--save", "", "--appendonly", "no", *extra]
    return Server(argv, port, tmp_path)


def start_redis(tmp_path, *extra):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    argv = [binary, "--port", str(port), "--save", "", "--appendonly", "no", *extra]
    return Server(argv, port, tmp_path)


@pytest.fixture
def ferrocache(tmp_path):
    server = start_ferrocache(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def real_redis(tmp_path):
    server = start_redis(tmp_path)
    yield server
    server.stop()
