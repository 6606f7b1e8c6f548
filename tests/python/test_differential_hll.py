"""HyperLogLog against redis-server 7.0: same elements, same bytes, same estimates."""

import random

import pytest


@pytest.fixture
def pair(ferrocache, real_redis):
    return ferrocache.client(), real_redis.client()


@pytest.mark.parametrize("size", [0, 1, 7, 100, 1000, 3000, 20000])
def test_same_values_and_estimates(pair, size):
    ours, theirs = pair
    rng = random.Random(size)
    elements = [f"user:{rng.randrange(10 * size + 1)}".encode() for _ in range(size)]
    for client in (ours, theirs):
        client.pfadd("hll")
        for start in range(0, len(elements), 500):
            client.pfadd("hll", *elements[start:start + 500])
    assert ours.pfcount("hll") == theirs.pfcount("hll")
    # The stored values are byte for byte those redis-server builds (sparse or dense).
    assert ours.get("hll") == theirs.get("hll")
    assert ours.execute_command("PFDEBUG", "ENCODING", "hll") == theirs.execute_command("PFDEBUG", "ENCODING", "hll")


def test_merge_and_multi_key_count(pair):
    ours, theirs = pair
    rng = random.Random(7)
    for client in (ours, theirs):
        client.flushall()
    for key in ("a", "b", "c"):
        elements = [str(rng.random()) for _ in range(rng.randrange(1, 4000))]
        for client in (ours, theirs):
            client.pfadd(key, *elements)
    assert ours.pfcount("a", "b", "c") == theirs.pfcount("a", "b", "c")
    for client in (ours, theirs):
        client.pfmerge("m", "a", "b", "c")
    assert ours.pfcount("m") == theirs.pfcount("m")
    assert ours.get("m") == theirs.get("m")


def test_values_move_between_servers(pair):
    """A HyperLogLog built by redis-server keeps working when SET into ferrocache."""
    ours, theirs = pair
    theirs.pfadd("h", *[f"e{i}" for i in range(5000)])
    ours.set("h", theirs.get("h"))
    assert ours.pfcount("h") == theirs.pfcount("h")
    ours.pfadd("h", "new")
    theirs.pfadd("h", "new")
    assert ours.get("h") == theirs.get("h")
