"""Random stream command sequences against ferrocache and redis-server 7.0.

IDs are always explicit (`<ms>-<seq>` or `<ms>-*`), never `*`, so both servers
generate the same ones. Replies that carry times (idle milliseconds, delivery and
seen times) are compared with those fields zeroed, and XINFO STREAM's
`radix-tree-nodes` (an internal of redis-server's radix tree) is left out.
"""

import random
import threading
import time

import pytest

KEYS = ["s1", "s2", "str"]
GROUPS = ["g1", "g2"]
CONSUMERS = ["alice", "bob", "carol"]
FIELDS = ["f", "g", "field", ""]
VALUES = ["v", "1", "x y", ""]


def raw_client(server):
    client = server.client()
    # Raw RESP values: no per-command reply parsing, so both sides compare alike.
    client.response_callbacks = {}
    return client


def run(client, command):
    try:
        return ("ok", client.execute_command(*command))
    except Exception as e:  # noqa: BLE001 - error replies are part of the comparison
        return ("err", str(e))


class Ids:
    """Random IDs near the ones already used, some of them too small on purpose."""

    def __init__(self, rng):
        self.rng = rng
        self.ms = 1

    def new(self):
        r = self.rng.random()
        if r < 0.1:
            return f"{max(self.ms - 1, 0)}-{self.rng.randint(0, 3)}"  # often rejected
        if r < 0.3:
            return f"{self.ms}-*"
        self.ms += self.rng.randint(0, 3)
        return f"{self.ms}-{self.rng.randint(0, 5)}"

    def any(self):
        r = self.rng.random()
        if r < 0.1:
            return self.rng.choice(["-", "+"])
        ms = self.rng.randint(0, self.ms + 1)
        if r < 0.3:
            return str(ms)
        seq = self.rng.randint(0, 5)
        if r < 0.4:
            return f"({ms}-{seq}"
        return f"{ms}-{seq}"

    def strict(self):
        return f"{self.rng.randint(0, self.ms + 1)}-{self.rng.randint(0, 5)}"


def fields(rng):
    pairs = []
    for _ in range(rng.randint(1, 3)):
        pairs += [rng.choice(FIELDS), rng.choice(VALUES)]
    return pairs


def trim_options(rng, ids):
    if rng.random() < 0.5:
        options = ["MAXLEN", rng.choice(["=", "~", None]), str(rng.randint(0, 12))]
    else:
        options = ["MINID", rng.choice(["=", "~", None]), ids.strict()]
    options = [o for o in options if o is not None]
    if options[1] == "~" and rng.random() < 0.3:
        options += ["LIMIT", str(rng.randint(0, 10))]
    return options


def command(rng, ids):
    k = rng.choice(KEYS)
    g = rng.choice(GROUPS)
    c = rng.choice(CONSUMERS)
    count = str(rng.randint(0, 4))
    choices = [
        lambda: ["XADD", k, ids.new()] + fields(rng),
        lambda: ["XADD", k, ids.new()] + fields(rng),
        lambda: ["XADD", k] + trim_options(rng, ids) + [ids.new()] + fields(rng),
        lambda: ["XADD", k, "NOMKSTREAM", ids.new(), "f", "v"],
        lambda: ["XLEN", k],
        lambda: ["XRANGE", k, ids.any(), ids.any()],
        lambda: ["XRANGE", k, "-", "+", "COUNT", count],
        lambda: ["XREVRANGE", k, ids.any(), ids.any(), "COUNT", count],
        lambda: ["XDEL", k, ids.strict(), ids.strict()],
        lambda: ["XTRIM", k] + trim_options(rng, ids),
        lambda: ["XREAD", "COUNT", count, "STREAMS", "s1", "s2", ids.strict(), ids.strict()],
        lambda: ["XREAD", "STREAMS", k, rng.choice(["$", "0", ids.strict()])],
        lambda: ["XGROUP", "CREATE", k, g, rng.choice(["$", "0", ids.strict()])]
        + rng.choice([[], ["MKSTREAM"], ["ENTRIESREAD", str(rng.randint(-1, 5))]]),
        lambda: ["XGROUP", "SETID", k, g, rng.choice(["$", "0", ids.strict()])],
        lambda: ["XGROUP", "DESTROY", k, g],
        lambda: ["XGROUP", "CREATECONSUMER", k, g, c],
        lambda: ["XGROUP", "DELCONSUMER", k, g, c],
        lambda: ["XREADGROUP", "GROUP", g, c, "COUNT", count, "STREAMS", k, ">"],
        lambda: ["XREADGROUP", "GROUP", g, c, "NOACK", "STREAMS", k, ">"],
        lambda: ["XREADGROUP", "GROUP", g, c, "STREAMS", k, rng.choice(["0", ids.strict()])],
        lambda: ["XACK", k, g, ids.strict(), ids.strict()],
        lambda: ["XPENDING", k, g],
        lambda: ["XPENDING", k, g, "-", "+", count] + rng.choice([[], [c]]),
        lambda: ["XCLAIM", k, g, c, "0", ids.strict(), ids.strict()]
        + rng.choice([[], ["JUSTID"], ["FORCE"], ["RETRYCOUNT", "7"]]),
        lambda: ["XAUTOCLAIM", k, g, c, "0", ids.any(), "COUNT", str(rng.randint(1, 4))]
        + rng.choice([[], ["JUSTID"]]),
        lambda: ["XINFO", "GROUPS", k],
        lambda: ["XINFO", "CONSUMERS", k, g],
        lambda: ["XINFO", "STREAM", k],
        lambda: ["XSETID", k, ids.strict()],
        lambda: ["TYPE", k],
        lambda: ["DEL", k] if rng.random() < 0.2 else ["EXISTS", k],
    ]
    return rng.choice(choices)()


TIMES = {b"idle", b"seen-time"}


def strip_times(value):
    """Maps (dicts, or flat key-value lists) with their time fields zeroed."""
    if isinstance(value, dict):
        return {k: 0 if k in TIMES else strip_times(v) for k, v in value.items() if k != b"radix-tree-nodes"}
    if isinstance(value, list):
        keys = value[::2]
        if value and len(value) % 2 == 0 and all(isinstance(k, bytes) for k in keys) and keys[0] in (b"name", b"length"):
            pairs = [(k, 0 if k in TIMES else strip_times(v)) for k, v in zip(keys, value[1::2])]
            return [(k, v) for k, v in pairs if k != b"radix-tree-nodes"]
        return [strip_times(v) for v in value]
    return value


def normalise(command, reply):
    """Zero the time fields of replies that carry them."""
    kind, value = reply
    if kind != "ok":
        return reply
    name = command[0].upper()
    if name == "XPENDING" and len(command) > 3 and isinstance(value, list):
        return (kind, [[row[0], row[1], 0, row[3]] for row in value])
    if name == "XINFO":
        return (kind, strip_times(value))
    return reply


@pytest.mark.parametrize("seed", range(8))
def test_streams_match_redis(ferrocache, real_redis, seed):
    rng = random.Random(2000 + seed)
    ids = Ids(rng)
    ours = raw_client(ferrocache)
    theirs = raw_client(real_redis)
    for client in (ours, theirs):
        client.execute_command("SET", "str", "text")
        if seed % 2:
            client.execute_command("CONFIG", "SET", "stream-node-max-entries", "3")
    for step in range(600):
        cmd = command(rng, ids)
        mine = normalise(cmd, run(ours, cmd))
        reference = normalise(cmd, run(theirs, cmd))
        assert mine == reference, f"step {step}: {cmd}"
    for key in KEYS:
        for cmd in (["XRANGE", key, "-", "+"], ["XINFO", "GROUPS", key], ["TYPE", key]):
            assert normalise(cmd, run(ours, cmd)) == normalise(cmd, run(theirs, cmd)), cmd


def blocked_read(server, command, then):
    """Runs `command` on one connection while `then` runs on another once it blocks."""
    reader = raw_client(server)
    writer = server.client()
    result = {}
    thread = threading.Thread(target=lambda: result.update(reply=run(reader, command)))
    thread.start()
    deadline = time.time() + 5
    while int(writer.info("clients")["blocked_clients"]) < 1 and time.time() < deadline:
        time.sleep(0.01)
    for step in then:
        writer.execute_command(*step)
    thread.join(timeout=5)
    return result.get("reply")


@pytest.mark.parametrize(
    "setup, command, then",
    [
        # New entries after `$` wake the reader; entries before it are not served.
        ([["XADD", "s", "1-0", "old", "x"]], ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"],
         [["XADD", "s", "2-0", "new", "y"]]),
        # A stream deleted and added again still serves entries after the remembered ID.
        ([["XADD", "s", "5-0", "a", "1"]], ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"],
         [["DEL", "s"], ["XADD", "s", "3-0", "b", "2"], ["XADD", "s", "6-0", "c", "3"]]),
        # A group reader gets what the group has not delivered yet.
        ([["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]],
         ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"],
         [["XADD", "s", "7-0", "f", "v"]]),
        # ... and an error when its group or stream goes away.
        ([["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]],
         ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"],
         [["XGROUP", "DESTROY", "s", "g"]]),
        ([["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]],
         ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"],
         [["SET", "s", "x"]]),
    ],
)
def test_blocked_reads_match_redis(ferrocache, real_redis, setup, command, then):
    replies = []
    for server in (ferrocache, real_redis):
        client = raw_client(server)
        for step in setup:
            client.execute_command(*step)
        replies.append(blocked_read(server, command, then))
    assert replies[0] == replies[1]
    assert replies[0] is not None
