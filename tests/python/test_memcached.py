"""The memcached engine with a real client library (pymemcache)."""

import time

import pytest
from pymemcache.client.base import Client
from pymemcache.exceptions import MemcacheClientError, MemcacheServerError

from mc_servers import fc_mc, raw, real_mc, start_ferrocache_mc  # noqa: F401


@pytest.fixture
def client(fc_mc):
    c = Client(fc_mc.address, connect_timeout=2, timeout=5)
    yield c
    c.close()


def test_storage_commands(client):
    assert client.set("k", b"v") is True
    assert client.get("k") == b"v"
    assert client.add("k", b"x", noreply=False) is False
    assert client.add("new", b"x", noreply=False) is True
    assert client.replace("k", b"v2", noreply=False) is True
    assert client.replace("missing", b"v2", noreply=False) is False
    assert client.append("k", b"-end", noreply=False) is True
    assert client.prepend("k", b"start-", noreply=False) is True
    assert client.get("k") == b"start-v2-end"
    assert client.get_many(["k", "new", "missing"]) == {"k": b"start-v2-end", "new": b"x"}
    assert client.delete("k", noreply=False) is True
    assert client.delete("k", noreply=False) is False
    assert client.get("k") is None


def test_cas(client):
    client.set("c", b"1")
    value, cas = client.gets("c")
    assert value == b"1" and int(cas) > 0
    assert client.cas("c", b"2", cas, noreply=False) is True
    assert client.cas("c", b"3", cas, noreply=False) is False
    assert client.cas("nothing", b"3", cas, noreply=False) is None
    assert client.get("c") == b"2"
    _, newer = client.gets("c")
    assert int(newer) > int(cas)


def test_incr_decr(client):
    client.set("n", b"10")
    assert client.incr("n", 5, noreply=False) == 15
    assert client.decr("n", 100, noreply=False) == 0
    assert client.incr("missing", 1, noreply=False) is None
    client.set("n", b"18446744073709551615")
    assert client.incr("n", 2, noreply=False) == 1
    client.set("text", b"abc")
    with pytest.raises(MemcacheClientError):
        client.incr("text", 1, noreply=False)


def test_flags_and_noreply(client):
    client.set("f", b"v", noreply=True)
    raw_reply = client.raw_command(b"get f", end_tokens=b"END\r\n")
    assert raw_reply.startswith(b"VALUE f 0 1")
    client.set("f2", b"v", flags=4294967295, noreply=False)
    assert client.get("f2") == b"v"
    assert client.raw_command(b"get f2", end_tokens=b"END\r\n").startswith(b"VALUE f2 4294967295 1")


def test_expiry_touch_and_gat(client):
    # Expiry counts whole seconds from the server's clock (as memcached's does), so an
    # exptime of 1 may end within milliseconds; 2 leaves at least a second for the
    # touch and the gat, and still runs out before the sleep below ends.
    client.set("e", b"v", expire=1)
    client.set("t", b"v", expire=2)
    assert client.touch("t", expire=100, noreply=False) is True
    assert client.touch("nothing", expire=100, noreply=False) is False
    client.set("g", b"v", expire=2)
    assert client.raw_command(b"gat 100 g", end_tokens=b"END\r\n").startswith(b"VALUE g 0 1\r\nv")
    client.set("neg", b"v", expire=-1)
    assert client.get("neg") is None
    time.sleep(2.1)
    assert client.get("e") is None
    assert client.get("t") == b"v"
    assert client.get("g") == b"v"


def test_flush_all_and_stats(client):
    client.set("a", b"1")
    client.get("a")
    client.get("zzz")
    stats = client.stats()
    assert stats[b"curr_items"] >= 1
    assert stats[b"get_hits"] >= 1
    assert stats[b"get_misses"] >= 1
    assert stats[b"cmd_set"] >= 1
    assert stats[b"version"] == b"1.6.18"
    assert client.flush_all(noreply=False) is True
    assert client.get("a") is None
    assert client.stats()[b"curr_items"] == 0
    settings = client.stats("settings")
    assert settings[b"maxbytes"] == 64 * 1024 * 1024
    assert client.version() == b"1.6.18"


def test_delayed_flush(client):
    client.set("d", b"1")
    assert client.flush_all(delay=2, noreply=False) is True
    assert client.get("d") == b"1"
    time.sleep(3.1)
    assert client.get("d") is None


def test_large_values_and_limits(client):
    big = b"x" * (1024 * 1024 - 512)
    assert client.set("big", big, noreply=False) is True
    assert client.get("big") == big
    with pytest.raises(MemcacheServerError):
        client.set("huge", b"x" * (1024 * 1024 + 1), noreply=False)
    with pytest.raises(MemcacheClientError):
        client.set("k" * 251, b"v", noreply=False)


def test_memory_limit_evicts_lru(tmp_path):
    server = start_ferrocache_mc(tmp_path, "-m", "8")
    try:
        c = Client(server.address, timeout=5)
        value = b"v" * 1000
        for i in range(20000):
            c.set(f"key:{i}", value, noreply=True)
        stats = c.stats()
        assert stats[b"evictions"] > 0
        assert stats[b"curr_items"] < 20000
        assert c.get("key:19999") == value
        c.close()
    finally:
        server.stop()


def test_dash_M_refuses_when_full(tmp_path):
    server = start_ferrocache_mc(tmp_path, "-m", "8", "-M")
    try:
        c = Client(server.address, timeout=5)
        value = b"v" * 1000
        failed = 0
        for i in range(20000):
            try:
                c.set(f"key:{i}", value, noreply=False)
            except MemcacheServerError as e:
                assert "out of memory" in str(e)
                failed += 1
        assert failed > 0
        assert c.stats()[b"evictions"] == 0
        c.close()
    finally:
        server.stop()


def test_http_request_closes_connection(fc_mc):
    assert raw(fc_mc, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n") == b""


def test_meta_commands(fc_mc):
    reply = raw(fc_mc, b"ms m 2 T0 F5 c\r\nhi\r\nmg m v f t s k Oxyz\r\nmn\r\n")
    lines = reply.split(b"\r\n")
    assert lines[0].startswith(b"HD c")
    assert lines[1] == b"VA 2 f5 t-1 s2 km Oxyz"
    assert lines[2] == b"hi"
    assert lines[3] == b"MN"
    assert raw(fc_mc, b"mg missing v\r\nmg missing v q\r\nmn\r\n") == b"EN\r\nMN\r\n"
    assert raw(fc_mc, b"ma cnt N0 J10 v\r\nma cnt v\r\nma cnt MD D3 v\r\n") == (
        b"VA 2\r\n10\r\nVA 2\r\n11\r\nVA 1\r\n8\r\n"
    )
    assert raw(fc_mc, b"md m q\r\nmd m\r\nmn\r\n") == b"NF\r\nMN\r\n"
