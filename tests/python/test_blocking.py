"""Blocking list commands with redis-py: wake-up from another connection, order, timeout."""

import threading
import time


def test_blpop_is_woken_by_a_push_from_another_client(ferrocache):
    waiter = ferrocache.client()
    pusher = ferrocache.client()
    result = {}

    def wait():
        result["value"] = waiter.blpop(["queue"], timeout=5)

    thread = threading.Thread(target=wait)
    thread.start()
    time.sleep(0.2)
    assert pusher.info("clients")["blocked_clients"] == 1
    pusher.rpush("queue", "job-1")
    thread.join(5)
    assert result["value"] == (b"queue", b"job-1")
    assert pusher.llen("queue") == 0


def test_blocked_clients_are_served_in_arrival_order(ferrocache):
    results = {}

    def wait(name):
        client = ferrocache.client()
        value = client.brpop(["jobs"], timeout=5)
        results[name] = value[1]

    threads = []
    for name in ("first", "second"):
        thread = threading.Thread(target=wait, args=(name,))
        thread.start()
        threads.append(thread)
        time.sleep(0.2)
    ferrocache.client().lpush("jobs", "a", "b")
    for thread in threads:
        thread.join(5)
    # LPUSH a b leaves [b, a]: the client blocked first pops "a" from the right,
    # whatever order the two threads then run in.
    assert results == {"first": b"a", "second": b"b"}


def test_timeout_returns_nil(ferrocache):
    started = time.time()
    assert ferrocache.client().blpop(["nothing"], timeout=0.3) is None
    assert time.time() - started >= 0.25
