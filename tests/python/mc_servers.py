"""Memcached-engine ferrocache nodes and real memcached processes for the tests."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FERROCACHE = os.environ.get("FERROCACHE_BIN", str(ROOT / "target" / "release" / "ferrocache"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"version\r\n")
            return s.recv(100).startswith(b"VERSION")
    except OSError:
        return False


class McServer:
    """A memcached-protocol server process, stopped by stop()."""

    def __init__(self, argv, port, workdir, env=None):
        self.port = port
        self.log = open(workdir / f"mc-{port}.log", "w")
        self.proc = subprocess.Popen(
            argv, cwd=workdir, stdout=self.log, stderr=subprocess.STDOUT, env=env
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            if _answers(port):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"server on port {port} did not start: {argv}")

    @property
    def address(self):
        return ("127.0.0.1", self.port)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def start_ferrocache_mc(tmp_path, *extra, env=None):
    port = free_port()
    argv = [FERROCACHE, "server", "--engine", "memcached", "-p", str(port), "-U", "0",
            "-l", "127.0.0.1", *extra]
    return McServer(argv, port, tmp_path, env=env)


def start_memcached(tmp_path, *extra):
    binary = shutil.which("memcached")
    if binary is None:
        pytest.skip("memcached is not installed")
    port = free_port()
    argv = [binary, "-p", str(port), "-U", "0", "-l", "127.0.0.1", *extra]
    if os.getuid() == 0:
        argv += ["-u", "root"]
    return McServer(argv, port, tmp_path)


def raw(server, payload, wait=0.3, timeout=2.0):
    """Sends bytes on a fresh connection; returns everything received until the
    server goes quiet for `wait` seconds (or closes)."""
    with socket.create_connection(server.address, timeout=timeout) as s:
        s.sendall(payload)
        s.settimeout(wait)
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
        return data


@pytest.fixture
def fc_mc(tmp_path):
    server = start_ferrocache_mc(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def real_mc(tmp_path):
    server = start_memcached(tmp_path)
    yield server
    server.stop()
