"""The memcached engine with libmemcached's command-line tools (Debian
libmemcached-tools): copy, read, remove, touch, flush, stats, and memccapable, the
library's own protocol conformance checker (text and binary)."""

import shutil
import subprocess

import pytest

from mc_servers import fc_mc  # noqa: F401


def tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install libmemcached-tools)")
    return path


def run(*argv, check=True):
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=check)


def servers(server):
    return f"--servers=127.0.0.1:{server.port}"


def test_copy_cat_remove(fc_mc, tmp_path):  # noqa: F811
    data = tmp_path / "greeting"
    data.write_text("hello from libmemcached")
    run(tool("memccp"), servers(fc_mc), str(data))
    assert run(tool("memccat"), servers(fc_mc), "greeting").stdout.rstrip("\n") == "hello from libmemcached"
    assert run(tool("memcexist"), servers(fc_mc), "greeting").returncode == 0
    run(tool("memctouch"), servers(fc_mc), "--expire=100", "greeting")
    run(tool("memcrm"), servers(fc_mc), "greeting")
    assert run(tool("memcexist"), servers(fc_mc), "greeting", check=False).returncode != 0


def test_binary_protocol_tools(fc_mc, tmp_path):  # noqa: F811
    data = tmp_path / "bin"
    data.write_text("over the binary protocol")
    run(tool("memccp"), servers(fc_mc), "--binary", str(data))
    out = run(tool("memccat"), servers(fc_mc), "--binary", "bin").stdout.rstrip("\n")
    assert out == "over the binary protocol"
    run(tool("memcflush"), servers(fc_mc), "--binary")
    assert run(tool("memccat"), servers(fc_mc), "bin", check=False).returncode != 0


def test_stat_and_ping(fc_mc):  # noqa: F811
    out = run(tool("memcstat"), servers(fc_mc)).stdout
    assert "curr_items" in out and "version: 1.6.18" in out
    run(tool("memcping"), servers(fc_mc))


@pytest.mark.parametrize("mode", ["-a", "-b"])
def test_memccapable(fc_mc, mode):  # noqa: F811
    # -a: text protocol only, -b: binary protocol only.
    result = run(tool("memccapable"), "-h", "127.0.0.1", "-p", str(fc_mc.port), mode, check=False)
    assert "FAIL" not in result.stdout, result.stdout
    assert result.returncode == 0, result.stdout + result.stderr
