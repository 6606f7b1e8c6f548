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


def test_a_message_published_while_blocked_is_delivered(ferrocache):
    """A RESP3 subscriber blocked in BLPOP still gets what was published to it."""
    import socket

    def send(sock, *args):
        sock.sendall(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))

    sock = socket.create_connection(("127.0.0.1", ferrocache.port), timeout=5)
    send(sock, b"HELLO", b"3")
    send(sock, b"SUBSCRIBE", b"news")
    send(sock, b"BLPOP", b"queue", b"0")
    other = ferrocache.client()
    deadline = time.time() + 5
    while other.info("clients")["blocked_clients"] != 1 and time.time() < deadline:
        time.sleep(0.02)
    assert other.publish("news", "while-blocked") == 1
    other.rpush("queue", "job")
    # Both promptly: the server's idle-client cron would deliver a stuck frame too,
    # but seconds later.
    deadline = time.time() + 1
    sock.settimeout(1)
    received = b""
    while time.time() < deadline and not (b"while-blocked" in received and b"job" in received):
        received += sock.recv(65536)
    assert b"while-blocked" in received and b"job" in received, received
