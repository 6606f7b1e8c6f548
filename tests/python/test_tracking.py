"""CLIENT TRACKING (client-side caching) against ferrocache and redis-server 7.0:
the same conversation on raw sockets, the invalidation bytes compared."""

import socket
import time


class Raw:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.settimeout(0.15)

    def send(self, *args):
        out = f"*{len(args)}\r\n".encode()
        for a in args:
            a = a.encode() if isinstance(a, str) else a
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)
        return self.drain()

    def drain(self):
        time.sleep(0.03)
        data = b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return data
            if not chunk:
                return data
            data += chunk


def conversation(port):
    """Every reply and push a tracking conversation produces, in order."""
    seen = []
    a, b, r = Raw(port), Raw(port), Raw(port)
    a.send("HELLO", "3")
    # Default mode: a read is remembered, the next write to the key invalidates it once.
    seen.append(a.send("CLIENT", "TRACKING", "ON"))
    seen.append(a.send("GET", "foo"))
    seen.append(b.send("SET", "foo", "1"))
    seen.append(a.drain())
    seen.append(b.send("SET", "foo", "2"))
    seen.append(a.drain())  # nothing: foo was not read again
    seen.append(a.send("MGET", "k1", "k2"))
    seen.append(b.send("DEL", "k2"))
    seen.append(a.drain())
    # NOLOOP: the client's own writes are not sent back to it.
    seen.append(a.send("CLIENT", "TRACKING", "ON", "NOLOOP"))
    seen.append(a.send("GET", "own"))
    seen.append(a.send("SET", "own", "x"))
    seen.append(a.drain())
    seen.append(a.send("CLIENT", "TRACKING", "OFF"))
    # OPTIN: only reads after CLIENT CACHING YES count.
    seen.append(a.send("CLIENT", "TRACKING", "ON", "OPTIN"))
    seen.append(a.send("GET", "skipped"))
    seen.append(a.send("CLIENT", "CACHING", "YES"))
    seen.append(a.send("GET", "cached"))
    seen.append(b.send("MSET", "skipped", "1", "cached", "1"))
    seen.append(a.drain())
    seen.append(a.send("CLIENT", "TRACKING", "OFF"))
    # BCAST with a prefix: every write under the prefix, read or not.
    seen.append(a.send("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:"))
    seen.append(b.send("SET", "user:1", "x"))
    seen.append(b.send("SET", "other", "x"))
    seen.append(a.drain())
    # FLUSHALL: a null invalidation (everything is stale).
    seen.append(b.send("FLUSHALL"))
    seen.append(a.drain())
    seen.append(a.send("CLIENT", "TRACKING", "OFF"))
    # RESP2 with REDIRECT: messages on __redis__:invalidate to the subscribed client.
    rid = r.send("CLIENT", "ID").strip().lstrip(b":")
    seen.append(r.send("SUBSCRIBE", "__redis__:invalidate"))
    c = Raw(port)
    seen.append(c.send("CLIENT", "TRACKING", "ON", "REDIRECT", rid))
    seen.append(c.send("GET", "redirected"))
    seen.append(b.send("SET", "redirected", "1"))
    seen.append(r.drain())
    for conn in (a, b, r, c):
        conn.sock.close()
    return seen


def test_invalidations_match_redis(ferrocache, real_redis):
    ours = conversation(ferrocache.port)
    theirs = conversation(real_redis.port)
    for step, (mine, reference) in enumerate(zip(ours, theirs)):
        assert mine == reference, f"step {step}"
    # The conversation did produce invalidations (the comparison is not vacuous).
    assert any(b"invalidate" in frame for frame in ours)


def table_conversation(port):
    """INFO's tracking figures as the table fills, then shrinks to
    tracking-table-max-keys, and the invalidations the shrinking sends."""
    r, c, w = Raw(port), Raw(port), Raw(port)
    rid = r.send("CLIENT", "ID").strip().lstrip(b":")
    r.send("SUBSCRIBE", "__redis__:invalidate")
    c.send("CLIENT", "TRACKING", "ON", "REDIRECT", rid)
    for key in ("k1", "k2", "k3"):
        c.send("GET", key)
    w.send("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p:", "PREFIX", "q:")

    def figures():
        info = w.send("INFO", "stats").decode() + w.send("INFO", "clients").decode()
        names = ("tracking_clients", "tracking_total_keys", "tracking_total_items",
                 "tracking_total_prefixes")
        return {line.split(":")[0]: int(line.split(":")[1]) for line in info.split("\r\n")
                if line.split(":")[0] in names}

    seen = [figures()]
    w.send("CONFIG", "SET", "tracking-table-max-keys", "1")
    invalidated = r.drain()
    # Two of the three keys are dropped (which two is random), one message each.
    seen.append(invalidated.count(b"message"))
    seen.append(figures())
    w.send("CONFIG", "SET", "tracking-table-max-keys", "1000000")
    for conn in (r, c, w):
        conn.sock.close()
    return seen


def test_table_figures_and_limit_match_redis(ferrocache, real_redis):
    ours = table_conversation(ferrocache.port)
    assert ours == table_conversation(real_redis.port)
    assert ours[0]["tracking_total_keys"] == 3 and ours[1] == 2


def broken_redirect_conversation(port):
    """A RESP3 tracking client whose REDIRECT target quits: the push it gets when an
    invalidation is lost, and what CLIENT TRACKINGINFO says."""
    r, c, w = Raw(port), Raw(port), Raw(port)
    rid = r.send("CLIENT", "ID").strip().lstrip(b":")
    c.send("HELLO", "3")
    c.send("CLIENT", "TRACKING", "ON", "REDIRECT", rid)
    c.send("GET", "cached")
    r.send("QUIT")
    r.sock.close()
    time.sleep(0.1)
    w.send("SET", "cached", "1")
    as_id = b":" + rid + b"\r\n"
    seen = [c.drain().replace(as_id, b":ID\r\n"),
            c.send("CLIENT", "TRACKINGINFO").replace(as_id, b":ID\r\n")]
    c.send("CLIENT", "TRACKING", "OFF")
    seen.append(c.send("CLIENT", "TRACKING", "ON", "REDIRECT", rid))
    for conn in (c, w):
        conn.sock.close()
    return seen


def test_broken_redirect_matches_redis(ferrocache, real_redis):
    ours = broken_redirect_conversation(ferrocache.port)
    assert ours == broken_redirect_conversation(real_redis.port)
    assert b"tracking-redir-broken" in ours[0] and b"broken_redirect" in ours[1]
