"""Memory limits and eviction in a real process."""

import time

import redis


def test_allkeys_lru_evicts_and_holds_the_limit(ferrocache):
    r = ferrocache.client()
    r.config_set("maxmemory-policy", "allkeys-lru")
    value = "x" * 1000
    pipe = r.pipeline(transaction=False)
    for i in range(2000):
        pipe.set(f"old:{i}", value)
    pipe.execute()
    # The LRU clock counts seconds: let the old keys age.
    time.sleep(2.1)
    limit = int(r.info("memory")["used_memory"]) + 2 * 1024 * 1024
    r.config_set("maxmemory", str(limit))
    for i in range(10000):
        pipe.set(f"new:{i}", value)
    pipe.execute()
    info = r.info()
    assert info["evicted_keys"] > 0
    assert int(info["used_memory"]) <= limit + 1024 * 1024
    old_left = sum(r.exists(f"old:{i}") for i in range(2000)) / 2000
    new_left = sum(r.exists(f"new:{i}") for i in range(10000)) / 10000
    # Sampled LRU, as in redis-server: idle keys go first.
    assert old_left < new_left, (old_left, new_left)


def test_noeviction_returns_oom(ferrocache):
    r = ferrocache.client()
    r.config_set("maxmemory", "1")
    try:
        r.set("k", "v")
        raise AssertionError("SET succeeded over maxmemory")
    except redis.ResponseError as e:
        assert str(e).startswith("command not allowed when used memory > 'maxmemory'")
    assert r.get("k") is None
