"""Memory limits and eviction in a real process."""

import redis


def test_allkeys_lru_evicts_and_holds_the_limit(ferrocache):
    r = ferrocache.client()
    used = int(r.info("memory")["used_memory"])
    limit = used + 4 * 1024 * 1024
    r.config_set("maxmemory-policy", "allkeys-lru")
    r.config_set("maxmemory", str(limit))
    value = "x" * 1000
    pipe = r.pipeline(transaction=False)
    for i in range(20000):
        pipe.set(f"key:{i}", value)
    pipe.execute()
    info = r.info()
    assert info["evicted_keys"] > 0
    assert int(info["used_memory"]) <= limit + 1024 * 1024
    # The most recent keys survive.
    assert r.get("key:19999") == value.encode()


def test_noeviction_returns_oom(ferrocache):
    r = ferrocache.client()
    r.config_set("maxmemory", "1")
    try:
        r.set("k", "v")
        raise AssertionError("SET succeeded over maxmemory")
    except redis.ResponseError as e:
        assert str(e).startswith("command not allowed when used memory > 'maxmemory'")
    assert r.get("k") is None
