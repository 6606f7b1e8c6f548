"""Random command sequences sent to ferrocache and to redis-server 7.0: same replies."""

import random

import pytest
import redis

KEYS = [f"k{i}" for i in range(6)]
VALUES = ["", "0", "1", "-7", "42", "3.5", "abc", "hello world", "9223372036854775807", "x" * 50]


def random_command(rng):
    k = rng.choice(KEYS)
    v = rng.choice(VALUES)
    choices = [
        ["SET", k, v],
        ["SET", k, v, "NX"],
        ["SET", k, v, "XX", "GET"],
        ["SET", k, v, "KEEPTTL"],
        ["SET", k, v, "EX", str(rng.randint(100, 1000))],
        ["SET", k, v, "NX", "XX"],
        ["SET", k, v, "EX", rng.choice(["0", "-1", "x"])],
        ["GET", k],
        ["GETDEL", k],
        ["GETSET", k, v],
        ["GETEX", k, "PERSIST"],
        ["SETNX", k, v],
        ["APPEND", k, v],
        ["STRLEN", k],
        ["INCR", k],
        ["DECR", k],
        ["INCRBY", k, str(rng.randint(-100, 100))],
        ["DECRBY", k, rng.choice(["5", "x", "-9223372036854775808"])],
        ["INCRBYFLOAT", k, rng.choice(["1.5", "-0.25", "abc", "1e3"])],
        ["GETRANGE", k, str(rng.randint(-5, 5)), str(rng.randint(-5, 5))],
        ["SETRANGE", k, str(rng.randint(0, 8)), v],
        ["MSET", k, v, rng.choice(KEYS), rng.choice(VALUES)],
        ["MSETNX", k, v, rng.choice(KEYS), v],
        ["MGET", k, rng.choice(KEYS), "missing"],
        ["LCS", k, rng.choice(KEYS)],
        ["LCS", k, rng.choice(KEYS), "LEN"],
        ["LCS", k, rng.choice(KEYS), "IDX", "WITHMATCHLEN"],
        ["SUBSTR", k, "0", "2"],
        ["ECHO", v],
    ]
    return rng.choice(choices)


def run(client, command):
    try:
        return ("ok", client.execute_command(*command))
    except redis.ResponseError as e:
        return ("err", str(e))


@pytest.mark.parametrize("seed", range(8))
def test_string_commands_match_redis(ferrocache, real_redis, seed):
    rng = random.Random(seed)
    ours = ferrocache.client()
    theirs = real_redis.client()
    for step in range(300):
        command = random_command(rng)
        assert run(ours, command) == run(theirs, command), f"step {step}: {command}"
