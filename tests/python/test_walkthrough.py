"""The seed walk-through, exactly as a user types it: redis-cli, then redis-py."""

import subprocess

import redis

SESSION = '{"username":"john_doe","cart_items":3}'


def cli(port, *args):
    out = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), *args], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_redis_cli_session(ferrocache):
    assert cli(ferrocache.port, "SET", "user:1001:session", SESSION, "EX", "3600") == "OK"
    assert cli(ferrocache.port, "GET", "user:1001:session") == SESSION
    ttl = int(cli(ferrocache.port, "TTL", "user:1001:session"))
    assert 3590 <= ttl <= 3600


def test_redis_cli_interactive_lines(ferrocache):
    # The same lines typed into an interactive redis-cli session.
    script = f"SET user:1001:session '{SESSION}' EX 3600\nGET user:1001:session\n"
    out = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(ferrocache.port)], input=script, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["OK", SESSION]


def test_redis_py_session(ferrocache):
    r = redis.Redis(host="127.0.0.1", port=ferrocache.port, db=0)
    r.set("user:1001:session", SESSION, ex=3600)
    session_data = r.get("user:1001:session")
    assert session_data == SESSION.encode()
    assert 3590 <= r.ttl("user:1001:session") <= 3600


def test_redis_py_resp3_and_pipeline(ferrocache):
    r = redis.Redis(host="127.0.0.1", port=ferrocache.port, protocol=3)
    pipe = r.pipeline(transaction=True)
    pipe.set("a", 1).incr("a").get("a")
    assert pipe.execute() == [True, 2, b"2"]
    hello = r.execute_command("HELLO", "3")
    assert hello[b"proto"] == 3
