"""Differential tests: the same bytes sent to ferrocache's memcached engine and to
the real memcached 1.6 (Debian package) must get the same replies. CAS values differ
between servers, so they are normalised before comparing."""

import re
import socket
import threading
import time

import pytest

from mc_servers import fc_mc, raw, real_mc  # noqa: F401

CASES = {
    "storage": b"set a 0 0 1\r\n1\r\nadd a 0 0 1\r\n2\r\nadd b 5 0 1\r\n2\r\n"
    b"replace a 7 0 2\r\n33\r\nreplace zz 0 0 1\r\n1\r\nappend a 0 0 1\r\nx\r\n"
    b"prepend a 0 0 1\r\ny\r\nappend nope 0 0 1\r\nx\r\nget a b nope\r\n",
    "bad lengths": b"set k 0 0 -1\r\nset k 0 0 4294967295\r\nset k 0 0 4294967296\r\n\r\n"
    b"set k 0 0 abc\r\nset k abc 0 1\r\nset k 0 abc 1\r\nget k\r\n",
    "token counts": b"set k 0 0\r\nset\r\nget\r\ngets\r\nincr k\r\ndelete\r\ntouch k\r\n"
    b"cas k 0 0 1\r\nflush_all 1 2 3\r\nverbosity\r\nx\r\n\r\n",
    "bad data chunk": b"set k 0 0 3\r\nabcde\r\nget k\r\n",
    # One request per case: memcached drops replies still queued on the connection
    # when a multi-get fails, so pipelined cases around a bad get are not comparable.
    "key too long set": b"set " + b"k" * 251 + b" 0 0 1\r\n1\r\nversion\r\n",
    "key too long get": b"get a " + b"k" * 251 + b"\r\nversion\r\n",
    "key too long delete": b"delete " + b"k" * 251 + b"\r\nincr " + b"k" * 251 + b" 1\r\n",
    "key of 250": b"set " + b"k" * 250 + b" 0 0 1\r\n1\r\nget " + b"k" * 250 + b"\r\n",
    "too large": b"set big 0 0 2000000\r\n" + b"x" * 2000000 + b"\r\nget big\r\nversion\r\n",
    "too large replaces": b"set big 0 0 1\r\n1\r\nset big 0 0 1048576\r\n" + b"x" * 1048576
    + b"\r\nget big\r\n",
    "incr decr": b"set n 0 0 3\r\n100\r\ndecr n 1\r\nget n\r\nincr n 18446744073709551615\r\n"
    b"decr n 500\r\nget n\r\nincr n -1\r\nincr n abc\r\nset t 0 0 2\r\nab\r\nincr t 1\r\n"
    b"incr missing 1\r\nset z 0 0 0\r\n\r\nincr z 1\r\nset l 0 0 2\r\n 5\r\nincr l 1\r\n",
    "delete forms": b"set d 0 0 1\r\n1\r\ndelete d 0\r\ndelete d 1\r\ndelete d noreply\r\n"
    b"delete d 0 noreply\r\ndelete d x y\r\ndelete d\r\n",
    "noreply": b"set q 0 0 1 noreply\r\n1\r\nadd q 0 0 1 noreply\r\n2\r\nincr q 5 noreply\r\n"
    b"get q\r\nincr q x noreply\r\nset q 0 0 -1 noreply\r\nget q\r\n",
    "cas": b"cas c 0 0 1 5\r\n1\r\nset c 0 0 1\r\n1\r\ncas c 0 0 1 0\r\n2\r\n"
    b"cas c 0 0 1 abc\r\n2\r\nget c\r\n",
    "flags": b"set f 4294967295 0 1\r\n1\r\nset g 4294967296 0 1\r\n1\r\nset h -1 0 1\r\n1\r\n"
    b"get f g h\r\n",
    "exptime": b"set e 0 -1 1\r\n1\r\nget e\r\nset p 0 100 1\r\n1\r\ntouch p -1\r\nget p\r\n"
    b"touch p abc\r\ngat abc p\r\ngat 100 nothing\r\n",
    "unknown": b"foo\r\nGET a\r\nst\r\nm\r\nmz a\r\nversion\r\nverbosity 1\r\nverbosity 0 noreply\r\n",
    "flush": b"set a 0 0 1\r\n1\r\nflush_all\r\nget a\r\nflush_all 0\r\nflush_all noreply\r\n"
    b"flush_all x\r\nflush_all -1\r\n",
    "bare newline": b"set a 0 0 1\n1\r\nget a\n",
    "meta get": b"ms mk 3 F7 T100\r\nabc\r\nmg mk v f s k Oab q\r\nmg mk\r\nmg nope v\r\n"
    b"mg nope v q k Ox\r\nmg mk v v\r\nmg mk !\r\nmg mk Tx\r\nmn\r\n",
    "meta set": b"ms a 2\r\nhi\r\nms a 2 ME\r\nhi\r\nms a 2 MA\r\nyo\r\nmg a v\r\nms a 2 MX\r\nhi\r\n"
    b"ms a -1\r\nms a\r\nms a 2 q\r\nzz\r\nms b 2 MR\r\nzz\r\nms a 2 C1\r\nzz\r\nmn\r\n",
    "meta delete arith": b"ms d 1\r\n1\r\nmd d q\r\nmd d\r\nmd d q\r\nma n\r\nma n N0 J5\r\n"
    b"ma n MD D10 v\r\nma n MX\r\nma n D1x\r\nmn\r\n",
    "meta base64": b"ms Zm9v 2 b\r\nhi\r\nget foo\r\nmg Zm9v b v k\r\nmg !!!! b v\r\nmn\r\n",
    "meta stale": b"ms s 1 T100\r\n1\r\nmd s I T30\r\nmg s v c\r\nmg s v\r\n",
}


def normalise(data):
    data = re.sub(rb"(VALUE \S+ \d+ \d+) \d+", rb"\1 CAS", data)
    return re.sub(rb" c\d+", b" cCAS", data)


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_replies(fc_mc, real_mc, name):  # noqa: F811
    payload = CASES[name]
    ours = normalise(raw(fc_mc, payload))
    theirs = normalise(raw(real_mc, payload))
    assert ours == theirs


def test_line_without_newline_closes(fc_mc, real_mc):  # noqa: F811
    payload = b"x" * 3000
    assert raw(fc_mc, payload) == raw(real_mc, payload) == b""


def test_stats_fields_match(fc_mc, real_mc):  # noqa: F811
    def names(server, group=b""):
        reply = raw(server, b"stats" + group + b"\r\n")
        return [line.split(b" ")[1] for line in reply.split(b"\r\n") if line.startswith(b"STAT ")]

    assert names(fc_mc) == names(real_mc)
    ours = set(names(fc_mc, b" settings"))
    theirs = set(names(real_mc, b" settings"))
    missing = {n for n in theirs - ours if not n.startswith((b"ext_", b"ssl_", b"slab_automove_f"))}
    assert not missing
    assert raw(fc_mc, b"stats reset\r\n") == raw(real_mc, b"stats reset\r\n") == b"RESET\r\n"
    assert raw(fc_mc, b"stats nope\r\n") == raw(real_mc, b"stats nope\r\n")


def cas_story(server):
    """What happens to an item's CAS through reads and every kind of change, as
    comparisons (the values themselves differ between servers)."""
    from pymemcache.client.base import Client

    c = Client(server.address, connect_timeout=2, timeout=5)

    def gets(key):
        return int(c.gets(key)[1])

    def cmd(line):
        return c.raw_command(line, b"\r\n")

    story = []
    c.set("k", b"1")
    first = gets("k")
    c.get("k")
    story.append(("reads keep it", gets("k") == first))
    c.touch("k", 100)
    story.append(("touch keeps it", gets("k") == first))
    c.raw_command(b"gat 200 k", b"END\r\n")
    story.append(("gat keeps it", gets("k") == first))
    c.incr("k", 1)
    after_incr = gets("k")
    story.append(("incr renews it", after_incr > first))
    story.append(("cas with the old one", c.cas("k", b"9", first, noreply=False)))
    c.append("k", b"0")
    after_append = gets("k")
    story.append(("append renews it", after_append > after_incr))
    c.set("k", b"2")
    story.append(("cas after a set", c.cas("k", b"3", after_append, noreply=False)))
    current = gets("k")
    story.append(("set renewed it", current > after_append))
    story.append(("cas with the current one", c.cas("k", b"4", current, noreply=False)))
    story.append(("cas stored a newer one", gets("k") > current))
    story.append(("mg c twice", cmd(b"mg k c") == cmd(b"mg k c")))
    story.append(("mg c matches gets", cmd(b"mg k c") == b"HD c%d" % gets("k")))
    held = gets("k")
    c.set("k", b"5")
    story.append(("ms I with an older CAS", cmd(b"ms k 1 I C%d\r\n6" % held)))
    story.append(("stale after it", cmd(b"mg k")))
    story.append(("md with an old CAS", cmd(b"md k C%d" % held)))
    c.set("k", b"7")
    before = gets("k")
    story.append(("md I", cmd(b"md k I T30")))
    story.append(("md I renews it", int(cmd(b"mg k c").split()[1][1:]) > before))
    story.append(("ms I after md I", cmd(b"ms k 1 I C%d\r\n8" % before)))
    story.append(("ma c", cmd(b"ma n N0 J1 c").startswith(b"HD c")))
    c.close()
    return story


def test_cas_story(fc_mc, real_mc):  # noqa: F811
    assert cas_story(fc_mc) == cas_story(real_mc)


def metadump_cas(server):
    """The CAS `lru_crawler metadump` shows for an item set without one being asked
    for, and the CAS `gets` shows afterwards."""
    raw(server, b"set dumped 0 0 1\r\n1\r\n")
    dump = raw(server, b"lru_crawler metadump all\r\n")
    shown = re.search(rb"key=dumped .*cas=(\d+) ", dump)
    assert shown, dump
    got = re.search(rb"VALUE dumped 0 1 (\d+)", raw(server, b"gets dumped\r\n"))
    return int(shown.group(1)), int(got.group(1))


def test_metadump_shows_the_cas_gets_shows(fc_mc, real_mc):  # noqa: F811
    for server in (fc_mc, real_mc):
        dumped, fetched = metadump_cas(server)
        assert dumped != 0 and dumped == fetched


def pipeline_outrunning_the_socket(server, requests=3000, value=8192):
    """Sends `requests` gets of a `value`-byte item without reading a reply until all
    are sent: the replies (24 MB) fill both socket buffers long before, so the server
    must stop reading this client until it can write again, then carry on."""
    with socket.create_connection(server.address, timeout=30) as s:
        s.sendall(b"set big 0 0 %d\r\n%s\r\n" % (value, b"v" * value))
        assert s.recv(100) == b"STORED\r\n"
        sender = threading.Thread(target=s.sendall, args=(b"get big\r\n" * requests,))
        sender.start()
        time.sleep(0.5)
        expected = requests * len(b"VALUE big 0 %d\r\n%s\r\nEND\r\n" % (value, b"v" * value))
        received = 0
        ends = 0
        tail = b""
        while received < expected:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            received += len(chunk)
            ends += (tail + chunk).count(b"\r\nEND\r\n")
            tail = chunk[-6:]
        sender.join()
        s.sendall(b"version\r\n")
        return received, ends, s.recv(100).startswith(b"VERSION ")


def test_a_pipeline_that_outruns_the_socket(fc_mc, real_mc):  # noqa: F811
    ours = pipeline_outrunning_the_socket(fc_mc)
    assert ours == pipeline_outrunning_the_socket(real_mc)
    assert ours[1] == 3000 and ours[2]
