//! HyperLogLog commands end to end; expected replies as redis-server 7.0 gives them.

use crate::testing::Conn;

#[test]
fn pfadd_pfcount_and_the_cache_byte() {
    let mut c = Conn::fresh();
    assert_eq!(c.cmd(&["pfadd", "hll"]), ":1\r\n");
    assert_eq!(c.cmd(&["pfcount", "hll"]), ":0\r\n");
    assert_eq!(c.cmd(&["strlen", "hll"]), ":18\r\n");
    assert_eq!(c.cmd(&["pfadd", "hll", "a", "b", "c"]), ":1\r\n");
    assert_eq!(c.cmd(&["pfadd", "hll", "a", "b", "c"]), ":0\r\n");
    assert_eq!(c.cmd(&["pfcount", "hll"]), ":3\r\n");
    assert_eq!(
        c.raw(&[b"getrange", b"hll", b"15", b"15"]),
        b"$1\r\n\x00\r\n"
    );
    assert_eq!(c.cmd(&["pfadd", "hll", "1", "2", "3"]), ":1\r\n");
    assert_eq!(
        c.raw(&[b"getrange", b"hll", b"15", b"15"]),
        b"$1\r\n\x80\r\n"
    );
    assert!(c.cmd(&["pfdebug", "decode", "hll"]).contains(" v:"));
}

#[test]
fn errors_match_redis() {
    let mut c = Conn::fresh();
    c.cmd(&["set", "s", "bar"]);
    assert_eq!(
        c.cmd(&["pfadd", "s", "x"]),
        "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"
    );
    c.cmd(&["lpush", "l", "x"]);
    assert!(c
        .cmd(&["pfcount", "l"])
        .starts_with("-WRONGTYPE Operation against a key"));
    c.cmd(&["pfadd", "h", "a", "b"]);
    c.cmd(&["append", "h", "hello"]);
    assert_eq!(
        c.cmd(&["pfcount", "h"]),
        "-INVALIDOBJ Corrupted HLL object detected\r\n"
    );
    assert_eq!(
        c.cmd(&["pfmerge", "dest", "s"]),
        "-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"
    );
}

#[test]
fn pfmerge_unions() {
    let mut c = Conn::fresh();
    c.cmd(&["pfadd", "h1", "a", "b", "c"]);
    c.cmd(&["pfadd", "h2", "b", "c", "d"]);
    c.cmd(&["pfadd", "h3", "c", "d", "e"]);
    assert_eq!(c.cmd(&["pfmerge", "h", "h1", "h2", "h3"]), "+OK\r\n");
    assert_eq!(c.cmd(&["pfcount", "h"]), ":5\r\n");
    assert_eq!(c.cmd(&["pfcount", "h1", "h2", "missing"]), ":4\r\n");
    assert_eq!(c.cmd(&["pfmerge", "empty", "missing"]), "+OK\r\n");
    assert_eq!(c.cmd(&["pfcount", "empty"]), ":0\r\n");
    assert_eq!(c.cmd(&["pfdebug", "encoding", "h"]), "+sparse\r\n");
    assert_eq!(c.cmd(&["pfdebug", "todense", "h"]), ":1\r\n");
    assert_eq!(c.cmd(&["pfdebug", "encoding", "h"]), "+dense\r\n");
    assert_eq!(c.cmd(&["pfcount", "h"]), ":5\r\n");
}
