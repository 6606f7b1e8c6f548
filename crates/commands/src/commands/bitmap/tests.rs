//! The bitmap commands end to end: requests through dispatch, replies as RESP bytes.
//! Expected replies were taken from redis-server 7.0.

use crate::node::Node;
use crate::testing::*;
use ferrocache_keyspace::{Collection, Item, LockSet};

fn ints(values: &[Option<i64>]) -> String {
    let mut s = format!("*{}\r\n", values.len());
    for v in values {
        match v {
            Some(n) => s.push_str(&int(*n)),
            None => s.push_str(NIL),
        }
    }
    s
}

const SYNTAX: &str = "ERR syntax error";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const OFFSET: &str = "ERR bit offset is not an integer or out of range";
const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

#[test]
fn setbit_getbit() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["SETBIT", "k", "7", "1"]), int(0));
    assert_eq!(c.cmd(&["GET", "k"]), bulk("\u{1}"));
    assert_eq!(c.cmd(&["SETBIT", "k", "7", "1"]), int(1));
    assert_eq!(c.cmd(&["SETBIT", "k", "7", "0"]), int(1));
    assert_eq!(c.cmd(&["SETBIT", "k", "1", "1"]), int(0));
    assert_eq!(c.cmd(&["SETBIT", "k", "23", "1"]), int(0));
    assert_eq!(c.cmd(&["STRLEN", "k"]), int(3));
    assert_eq!(c.cmd(&["GETBIT", "k", "1"]), int(1));
    assert_eq!(c.cmd(&["GETBIT", "k", "0"]), int(0));
    assert_eq!(c.cmd(&["GETBIT", "k", "23"]), int(1));
    assert_eq!(c.cmd(&["GETBIT", "k", "1000"]), int(0));
    assert_eq!(c.cmd(&["GETBIT", "nokey", "3"]), int(0));
    assert_eq!(c.cmd(&["GETBIT", "nokey", "-1"]), err(OFFSET));
    assert_eq!(c.cmd(&["GETBIT", "k", "x"]), err(OFFSET));
    let bit = "ERR bit is not an integer or out of range";
    assert_eq!(c.cmd(&["SETBIT", "k", "0", "2"]), err(bit));
    assert_eq!(c.cmd(&["SETBIT", "k", "0", "-1"]), err(bit));
    assert_eq!(c.cmd(&["SETBIT", "k", "0", "x"]), err(bit));
    assert_eq!(c.cmd(&["SETBIT", "k", "-1", "1"]), err(OFFSET));
    assert_eq!(c.cmd(&["SETBIT", "k", "x", "2"]), err(OFFSET));
    // The limit is proto-max-bulk-len (512MB): 2^32 bits.
    assert_eq!(c.cmd(&["SETBIT", "k", "4294967296", "1"]), err(OFFSET));
    assert_eq!(c.cmd(&["GETBIT", "k", "4294967296"]), err(OFFSET));
    assert_eq!(c.cmd(&["GETBIT", "k", "4294967295"]), int(0));
    // The TTL survives.
    c.cmd(&["SET", "t", "a", "EX", "100"]);
    assert_eq!(c.cmd(&["SETBIT", "t", "6", "1"]), int(0));
    assert_eq!(c.cmd(&["GET", "t"]), bulk("c"));
    assert_eq!(c.cmd(&["SETBIT", "t", "20", "1"]), int(0));
    assert_eq!(c.cmd(&["GET", "t"]), bulk("c\0\u{8}"));
    assert_eq!(c.cmd(&["TTL", "t"]), int(100));
    // Wrong types.
    put_list(&n, "list");
    assert_eq!(c.cmd(&["SETBIT", "list", "0", "1"]), err(WRONGTYPE));
    assert_eq!(c.cmd(&["GETBIT", "list", "0"]), err(WRONGTYPE));
    assert_eq!(c.cmd(&["BITCOUNT", "list"]), err(WRONGTYPE));
    assert_eq!(c.cmd(&["BITCOUNT", "list", "x"]), err(WRONGTYPE));
    assert_eq!(c.cmd(&["BITPOS", "list", "1"]), err(WRONGTYPE));
    assert_eq!(
        c.cmd(&["BITFIELD", "list", "GET", "u8", "0"]),
        err(WRONGTYPE)
    );
    assert_eq!(
        c.cmd(&["BITFIELD", "list", "SET", "u8", "0", "1"]),
        err(WRONGTYPE)
    );
    assert_eq!(
        c.cmd(&["BITFIELD_RO", "list", "GET", "u8", "0"]),
        err(WRONGTYPE)
    );
    assert_eq!(c.cmd(&["BITOP", "AND", "d", "k", "list"]), err(WRONGTYPE));
    assert_eq!(c.cmd(&["EXISTS", "d"]), int(0));
    // The destination may hold any type: it is overwritten.
    assert_eq!(c.cmd(&["BITOP", "OR", "list", "k"]), int(3));
    assert_eq!(c.cmd(&["TYPE", "list"]), "+string\r\n");
    put_list(&n, "list");
    assert_eq!(c.cmd(&["BITOP", "OR", "list", "nokey"]), int(0));
    assert_eq!(c.cmd(&["EXISTS", "list"]), int(0));
}

/// Stores a list at `key` in database 0.
fn put_list(node: &Node, key: &str) {
    let mut set = LockSet::new();
    node.keyspace.add_key(&mut set, 0, key.as_bytes());
    let mut keys = node.keyspace.lock(set);
    let list = Collection::List(ferrocache_keyspace::packedlist::PackedList::from_iter([
        b"a",
    ]));
    keys.insert(
        0,
        Item::new_collection(key.as_bytes(), Box::new(list), None, 0),
    );
}

#[test]
fn offset_limit_follows_proto_max_bulk_len() {
    let n = node();
    let small = n
        .settings()
        .apply(&[("proto-max-bulk-len".into(), "1mb".into())], false)
        .unwrap();
    n.set_settings(small);
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["SETBIT", "k", "8388608", "1"]), err(OFFSET));
    assert_eq!(c.cmd(&["SETBIT", "k", "8388607", "1"]), int(0));
    assert_eq!(c.cmd(&["STRLEN", "k"]), int(1048576));
    assert_eq!(
        c.cmd(&["BITFIELD", "k", "SET", "u8", "#1048576", "1"]),
        err(OFFSET)
    );
    assert_eq!(
        c.cmd(&["BITFIELD", "k", "SET", "u8", "#1048575", "1"]),
        ints(&[Some(1)])
    );
    // A field starting in the last byte may pad the string a little past the limit.
    assert_eq!(
        c.cmd(&["BITFIELD", "k", "SET", "u8", "8388607", "255"]),
        ints(&[Some(128)])
    );
    assert_eq!(c.cmd(&["STRLEN", "k"]), int(1048577));
}

#[test]
fn bitcount() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SET", "s", "foobar"]);
    assert_eq!(c.cmd(&["BITCOUNT", "s"]), int(26));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "0", "0"]), int(4));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "1", "1"]), int(6));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "1", "1", "BYTE"]), int(6));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "5", "30", "BIT"]), int(17));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "5", "30", "bit"]), int(17));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "-2", "-1"]), int(7));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "-13", "-2", "BIT"]), int(5));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "3", "3", "BIT"]), int(0));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "1", "1", "BIT"]), int(1));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "0", "1000"]), int(26));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "-1000", "1000", "BIT"]), int(26));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "4", "2"]), int(0));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "100", "200"]), int(0));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "-1", "-2", "foo"]), int(0));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "0", "1", "foo"]), err(SYNTAX));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "1"]), err(SYNTAX));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "0", "1", "2", "3"]), err(SYNTAX));
    assert_eq!(c.cmd(&["BITCOUNT", "s", "a", "1"]), err(NOT_INT));
    assert_eq!(c.cmd(&["BITCOUNT", "nokey", "a", "b", "c", "d"]), int(0));
    c.cmd(&["SET", "e", ""]);
    assert_eq!(c.cmd(&["BITCOUNT", "e"]), int(0));
    assert_eq!(c.cmd(&["BITCOUNT", "e", "0", "-1", "BIT"]), int(0));
    // Long strings take the word path.
    let long = "\u{7f}".repeat(1000);
    c.cmd(&["SET", "l", &long]);
    assert_eq!(c.cmd(&["BITCOUNT", "l"]), int(7000));
    assert_eq!(c.cmd(&["BITCOUNT", "l", "1", "7998", "BIT"]), int(6999));
}

#[test]
fn bitpos() {
    let n = node();
    let mut c = Conn::new(&n);
    let bit_arg = "ERR The bit argument must be 1 or 0.";
    c.raw(&[b"SET", b"k", b"\xff\xf0\x00"]);
    assert_eq!(c.cmd(&["BITPOS", "k", "0"]), int(12));
    assert_eq!(c.cmd(&["BITPOS", "k", "1"]), int(0));
    assert_eq!(c.cmd(&["BITPOS", "k", "1", "2"]), int(-1));
    assert_eq!(c.cmd(&["BITPOS", "k", "0", "2"]), int(16));
    assert_eq!(c.cmd(&["BITPOS", "k", "1", "1", "-1"]), int(8));
    assert_eq!(c.cmd(&["BITPOS", "k", "0", "0", "0"]), int(-1));
    assert_eq!(c.cmd(&["BITPOS", "k", "1", "7", "15", "BIT"]), int(7));
    assert_eq!(c.cmd(&["BITPOS", "k", "0", "7", "15", "BIT"]), int(12));
    assert_eq!(c.cmd(&["BITPOS", "k", "0", "2", "10", "BIT"]), int(-1));
    assert_eq!(c.cmd(&["BITPOS", "k", "0", "3", "5", "bit"]), int(-1));
    assert_eq!(c.cmd(&["BITPOS", "k", "1", "12", "-1", "BIT"]), int(-1));
    assert_eq!(c.cmd(&["BITPOS", "k", "1", "-12", "-1", "BIT"]), int(-1));
    assert_eq!(c.cmd(&["BITPOS", "k", "0", "-12", "-1", "BIT"]), int(12));
    assert_eq!(c.cmd(&["BITPOS", "k", "1", "5", "3"]), int(-1));
    c.raw(&[b"SET", b"f", b"\xff\xff\xff"]);
    assert_eq!(c.cmd(&["BITPOS", "f", "0"]), int(24));
    assert_eq!(c.cmd(&["BITPOS", "f", "0", "1"]), int(24));
    assert_eq!(c.cmd(&["BITPOS", "f", "0", "1", "-1"]), int(-1));
    assert_eq!(c.cmd(&["BITPOS", "f", "0", "2", "-1", "BYTE"]), int(-1));
    assert_eq!(c.cmd(&["BITPOS", "f", "0", "3", "-1", "BIT"]), int(-1));
    c.raw(&[b"SET", b"z", b"\x00\x00\x00"]);
    assert_eq!(c.cmd(&["BITPOS", "z", "1"]), int(-1));
    assert_eq!(c.cmd(&["BITPOS", "z", "0", "5", "-1", "BIT"]), int(5));
    assert_eq!(c.cmd(&["BITPOS", "nokey", "1"]), int(-1));
    assert_eq!(c.cmd(&["BITPOS", "nokey", "0", "x"]), int(0));
    assert_eq!(c.cmd(&["BITPOS", "nokey", "2"]), err(bit_arg));
    assert_eq!(c.cmd(&["BITPOS", "k", "x"]), err(NOT_INT));
    assert_eq!(c.cmd(&["BITPOS", "k", "1", "a"]), err(NOT_INT));
    assert_eq!(c.cmd(&["BITPOS", "k", "1", "0", "a", "foo"]), err(SYNTAX));
    assert_eq!(c.cmd(&["BITPOS", "k", "1", "0", "a", "bit"]), err(NOT_INT));
    assert_eq!(
        c.cmd(&["BITPOS", "k", "1", "0", "1", "2", "3"]),
        err(SYNTAX)
    );
    c.cmd(&["SET", "e", ""]);
    assert_eq!(c.cmd(&["BITPOS", "e", "0"]), int(-1));
    assert_eq!(c.cmd(&["BITPOS", "e", "1"]), int(-1));
    // Long strings take the word path.
    let mut long = vec![0xffu8; 100];
    long.push(0xfe);
    c.raw(&[b"SET", b"l", &long]);
    assert_eq!(c.cmd(&["BITPOS", "l", "0"]), int(807));
    assert_eq!(c.cmd(&["BITPOS", "l", "0", "3", "-1", "BIT"]), int(807));
    assert_eq!(c.cmd(&["BITPOS", "l", "0", "3", "806", "BIT"]), int(-1));
}

#[test]
fn bitop() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SET", "a", "foobar"]);
    c.cmd(&["SET", "b", "abcdef"]);
    c.cmd(&["SET", "short", "xy"]);
    assert_eq!(c.cmd(&["BITOP", "AND", "d", "a", "b"]), int(6));
    assert_eq!(c.cmd(&["GET", "d"]), bulk("`bc`ab"));
    assert_eq!(c.cmd(&["BITOP", "or", "d", "a", "b"]), int(6));
    assert_eq!(c.cmd(&["GET", "d"]), bulk("goofev"));
    assert_eq!(c.cmd(&["BITOP", "XOR", "d", "a", "b"]), int(6));
    assert_eq!(c.cmd(&["GET", "d"]), bulk("\u{7}\r\u{c}\u{6}\u{4}\u{14}"));
    assert_eq!(c.cmd(&["BITOP", "AND", "d", "a", "short"]), int(6));
    assert_eq!(c.cmd(&["GET", "d"]), bulk("`i\0\0\0\0"));
    assert_eq!(c.cmd(&["BITOP", "AND", "d", "short", "a", "b"]), int(6));
    assert_eq!(c.cmd(&["GET", "d"]), bulk("``\0\0\0\0"));
    assert_eq!(c.cmd(&["BITOP", "OR", "d", "short", "nokey", "a"]), int(6));
    assert_eq!(c.cmd(&["GET", "d"]), bulk("~\u{7f}obar"));
    assert_eq!(c.cmd(&["BITOP", "XOR", "d", "short", "a"]), int(6));
    assert_eq!(c.cmd(&["GET", "d"]), bulk("\u{1e}\u{16}obar"));
    assert_eq!(c.cmd(&["BITOP", "AND", "d", "nokey", "a"]), int(6));
    assert_eq!(c.cmd(&["GET", "d"]), bulk("\0\0\0\0\0\0"));
    c.raw(&[b"SET", b"n", b"\x0f\xf0"]);
    assert_eq!(c.cmd(&["BITOP", "NOT", "d", "n"]), int(2));
    assert_eq!(c.raw(&[b"GET", b"d"]), b"$2\r\n\xf0\x0f\r\n");
    // The destination loses its TTL.
    c.cmd(&["EXPIRE", "d", "100"]);
    assert_eq!(c.cmd(&["BITOP", "NOT", "d", "d"]), int(2));
    assert_eq!(c.cmd(&["TTL", "d"]), int(-1));
    assert_eq!(
        c.cmd(&["BITOP", "NOT", "d", "a", "b"]),
        err("ERR BITOP NOT must be called with a single source key.")
    );
    assert_eq!(
        c.cmd(&["BITOP", "NOT", "d"]),
        err("ERR wrong number of arguments for 'bitop' command")
    );
    assert_eq!(c.cmd(&["BITOP", "nand", "d", "a"]), err(SYNTAX));
    // Empty result: the destination is deleted.
    assert_eq!(c.cmd(&["BITOP", "OR", "d", "nokey", "other"]), int(0));
    assert_eq!(c.cmd(&["EXISTS", "d"]), int(0));
    assert_eq!(c.cmd(&["BITOP", "NOT", "d", "nokey"]), int(0));
    // Long inputs.
    let x = "\u{55}".repeat(1000);
    let y = "\u{0f}".repeat(999);
    c.cmd(&["SET", "x", &x]);
    c.cmd(&["SET", "y", &y]);
    assert_eq!(c.cmd(&["BITOP", "AND", "d", "x", "y"]), int(1000));
    assert_eq!(c.cmd(&["BITCOUNT", "d"]), int(999 * 2));
    assert_eq!(c.cmd(&["BITOP", "XOR", "d", "x", "y", "x"]), int(1000));
    assert_eq!(c.cmd(&["BITCOUNT", "d"]), int(999 * 4));
}

#[test]
fn bitfield() {
    let n = node();
    let mut c = Conn::new(&n);
    let bad_type = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    assert_eq!(
        c.cmd(&[
            "BITFIELD", "k", "SET", "i8", "0", "-100", "GET", "u4", "0", "GET", "i4", "0", "GET",
            "u8", "#1"
        ]),
        ints(&[Some(0), Some(9), Some(-7), Some(0)])
    );
    assert_eq!(c.cmd(&["STRLEN", "k"]), int(1));
    assert_eq!(
        c.cmd(&[
            "BITFIELD", "k", "INCRBY", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2", "102",
            "1", "GET", "u2", "100"
        ]),
        ints(&[Some(1), Some(1), Some(1)])
    );
    assert_eq!(c.cmd(&["STRLEN", "k"]), int(13));
    assert_eq!(
        c.cmd(&[
            "BITFIELD", "mykey", "incrby", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2",
            "102", "1"
        ]),
        ints(&[Some(1), Some(1)])
    );
    let rounds: &[[Option<i64>; 2]] = &[[Some(2), Some(2)], [Some(3), Some(3)], [Some(0), Some(3)]];
    for expected in rounds {
        assert_eq!(
            c.cmd(&[
                "BITFIELD", "mykey", "incrby", "u2", "100", "1", "OVERFLOW", "SAT", "incrby", "u2",
                "102", "1"
            ]),
            ints(expected)
        );
    }
    assert_eq!(
        c.cmd(&["BITFIELD", "mykey", "OVERFLOW", "FAIL", "incrby", "u2", "102", "1"]),
        ints(&[None])
    );
    // Signed and unsigned overflow in every mode.
    assert_eq!(
        c.cmd(&[
            "BITFIELD", "o", "SET", "i8", "0", "127", "INCRBY", "i8", "0", "1", "OVERFLOW", "SAT",
            "INCRBY", "i8", "0", "-200", "OVERFLOW", "FAIL", "INCRBY", "i8", "0", "-1", "OVERFLOW",
            "WRAP", "SET", "i8", "0", "200", "GET", "i8", "0"
        ]),
        ints(&[Some(0), Some(-128), Some(-128), None, Some(-128), Some(-56)])
    );
    assert_eq!(
        c.cmd(&[
            "BITFIELD", "o", "SET", "u8", "0", "-1", "OVERFLOW", "SAT", "SET", "u8", "0", "300",
            "GET", "u8", "0", "OVERFLOW", "FAIL", "SET", "u8", "0", "256", "SET", "u8", "0", "255"
        ]),
        ints(&[Some(200), Some(255), Some(255), None, Some(255)])
    );
    assert_eq!(
        c.cmd(&[
            "BITFIELD",
            "o",
            "SET",
            "i64",
            "0",
            "9223372036854775807",
            "INCRBY",
            "i64",
            "0",
            "1",
            "OVERFLOW",
            "SAT",
            "INCRBY",
            "i64",
            "0",
            "-9223372036854775808",
            "INCRBY",
            "i64",
            "0",
            "-1",
            "GET",
            "u63",
            "0",
            "SET",
            "u63",
            "1",
            "-1"
        ]),
        ints(&[
            Some(-72057594037927936),
            Some(i64::MIN),
            Some(i64::MIN),
            Some(i64::MIN),
            Some(1 << 62),
            Some(0)
        ])
    );
    assert_eq!(
        c.cmd(&["BITFIELD", "o", "GET", "u63", "1", "GET", "i64", "0"]),
        ints(&[Some(i64::MAX), Some(-1)])
    );
    // Reads past the end are zeros, on both paths.
    assert_eq!(
        c.cmd(&["BITFIELD", "o", "GET", "i64", "1000", "SET", "u1", "0", "0", "GET", "u8", "#100"]),
        ints(&[Some(0), Some(1), Some(0)])
    );
    assert_eq!(
        c.cmd(&["BITFIELD", "nokey", "GET", "i64", "1000"]),
        ints(&[Some(0)])
    );
    assert_eq!(c.cmd(&["EXISTS", "nokey"]), int(0));
    assert_eq!(c.cmd(&["BITFIELD", "nokey"]), "*0\r\n");
    assert_eq!(c.cmd(&["BITFIELD", "nokey", "OVERFLOW", "FAIL"]), "*0\r\n");
    // OVERFLOW FAIL still creates or pads the key.
    assert_eq!(
        c.cmd(&["BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "10"]),
        ints(&[None])
    );
    assert_eq!(c.cmd(&["STRLEN", "f"]), int(13));
    // Errors, first one in argument order.
    assert_eq!(c.cmd(&["BITFIELD", "k", "GET", "I8", "0"]), err(bad_type));
    assert_eq!(c.cmd(&["BITFIELD", "k", "GET", "u64", "0"]), err(bad_type));
    assert_eq!(c.cmd(&["BITFIELD", "k", "GET", "i65", "0"]), err(bad_type));
    assert_eq!(c.cmd(&["BITFIELD", "k", "GET", "i0", "0"]), err(bad_type));
    assert_eq!(c.cmd(&["BITFIELD", "k", "GET", "i8", "#a"]), err(OFFSET));
    assert_eq!(c.cmd(&["BITFIELD", "k", "GET", "i8", "-1"]), err(OFFSET));
    assert_eq!(c.cmd(&["BITFIELD", "k", "GET", "i8", "#-1"]), err(OFFSET));
    assert_eq!(c.cmd(&["BITFIELD", "k", "GET", "i8", "#"]), err(OFFSET));
    assert_eq!(
        c.cmd(&["BITFIELD", "k", "OVERFLOW", "foo"]),
        err("ERR Invalid OVERFLOW type specified")
    );
    assert_eq!(c.cmd(&["BITFIELD", "k", "OVERFLOW"]), err(SYNTAX));
    assert_eq!(c.cmd(&["BITFIELD", "k", "GET", "i8"]), err(SYNTAX));
    assert_eq!(c.cmd(&["BITFIELD", "k", "SET", "i8", "0"]), err(SYNTAX));
    assert_eq!(c.cmd(&["BITFIELD", "k", "FOO", "i8", "0"]), err(SYNTAX));
    assert_eq!(
        c.cmd(&["BITFIELD", "k", "INCRBY", "i8", "0", "x"]),
        err(NOT_INT)
    );
    assert_eq!(
        c.cmd(&["BITFIELD", "k", "GET", "u8", "0", "GET", "u64", "0"]),
        err(bad_type)
    );
    // BITFIELD_RO.
    let ro = "ERR BITFIELD_RO only supports the GET subcommand";
    assert_eq!(
        c.cmd(&["BITFIELD_RO", "k", "GET", "i8", "0", "GET", "u4", "4"]),
        ints(&[Some(-100), Some(12)])
    );
    assert_eq!(c.cmd(&["BITFIELD_RO", "k", "SET", "i8", "0", "1"]), err(ro));
    assert_eq!(
        c.cmd(&["BITFIELD_RO", "k", "INCRBY", "i8", "0", "1"]),
        err(ro)
    );
    assert_eq!(
        c.cmd(&["BITFIELD_RO", "k", "GET", "i8", "0", "SET", "i8", "0", "x"]),
        err(NOT_INT)
    );
    assert_eq!(c.cmd(&["BITFIELD_RO", "k"]), "*0\r\n");
    assert_eq!(c.cmd(&["BITFIELD_RO", "k", "OVERFLOW", "SAT"]), "*0\r\n");
    assert_eq!(c.cmd(&["STRLEN", "k"]), int(13));
}

#[test]
fn writes_are_propagated_and_notified() {
    let n = node();
    let events = n
        .settings()
        .apply(&[("notify-keyspace-events".into(), "KEA".into())], false)
        .unwrap();
    n.set_settings(events);
    let mut sub = Conn::new(&n);
    sub.cmd(&["PSUBSCRIBE", "__keyevent@*__:*"]);
    let mut c = Conn::new(&n);
    let mut expect = |command: &[&str], reply: &str, events: &[(&str, &str)]| {
        assert_eq!(c.cmd(command), reply, "{command:?}");
        let pushed = sub.pushed();
        for (channel, key) in events {
            let frame = format!("{}{}", bulk(channel), bulk(key));
            assert!(
                pushed.contains(&frame),
                "{command:?}: {channel} {key} not in {pushed:?}"
            );
        }
        if events.is_empty() {
            assert!(pushed.is_empty(), "{command:?}: unexpected {pushed:?}");
        }
    };
    expect(
        &["SETBIT", "k", "3", "1"],
        &int(0),
        &[("__keyevent@0__:setbit", "k")],
    );
    expect(&["SETBIT", "k", "3", "1"], &int(1), &[]);
    expect(
        &["SETBIT", "k", "3", "0"],
        &int(1),
        &[("__keyevent@0__:setbit", "k")],
    );
    expect(&["SETBIT", "k", "3", "0"], &int(0), &[]);
    expect(
        &["SETBIT", "k", "15", "0"],
        &int(0),
        &[("__keyevent@0__:setbit", "k")],
    );
    expect(
        &["BITFIELD", "k", "SET", "u8", "0", "0"],
        &ints(&[Some(0)]),
        &[],
    );
    expect(
        &["BITFIELD", "k", "SET", "u8", "0", "1"],
        &ints(&[Some(0)]),
        &[("__keyevent@0__:setbit", "k")],
    );
    expect(&["BITFIELD", "k", "GET", "u8", "0"], &ints(&[Some(1)]), &[]);
    expect(
        &["BITOP", "NOT", "d", "k"],
        &int(2),
        &[("__keyevent@0__:set", "d")],
    );
    expect(
        &["BITOP", "AND", "d", "nokey"],
        &int(0),
        &[("__keyevent@0__:del", "d")],
    );
    expect(&["BITOP", "AND", "d", "nokey"], &int(0), &[]);
    expect(&["BITCOUNT", "k"], &int(1), &[]);
    expect(&["SET", "x", "1"], OK, &[("__keyevent@0__:set", "x")]);
}

#[test]
fn watch_sees_bit_writes() {
    let n = node();
    let mut c = Conn::new(&n);
    let mut other = Conn::new(&n);
    c.cmd(&["SET", "k", "a"]);
    for write in [
        &["SETBIT", "k", "0", "1"][..],
        &["BITFIELD", "k", "INCRBY", "u8", "0", "1"],
        &["BITOP", "NOT", "k", "k"],
    ] {
        assert_eq!(c.cmd(&["WATCH", "k"]), OK);
        other.cmd(write);
        c.cmd(&["MULTI"]);
        c.cmd(&["GET", "k"]);
        assert_eq!(c.cmd(&["EXEC"]), "*-1\r\n", "{write:?}");
    }
    // A SETBIT that changes nothing does not touch the key.
    assert_eq!(c.cmd(&["WATCH", "k"]), OK);
    other.cmd(&["SETBIT", "k", "0", "0"]);
    c.cmd(&["MULTI"]);
    c.cmd(&["STRLEN", "k"]);
    assert_eq!(c.cmd(&["EXEC"]), "*1\r\n:1\r\n");
}

#[test]
fn command_table_rows() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(
        c.cmd(&["COMMAND", "GETKEYS", "BITOP", "AND", "d", "a", "b"]),
        "*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n"
    );
    assert_eq!(
        c.cmd(&["COMMAND", "GETKEYS", "BITFIELD", "k", "GET", "u8", "0"]),
        "*1\r\n$1\r\nk\r\n"
    );
    assert_eq!(
        c.cmd(&["SETBIT", "k"]),
        err("ERR wrong number of arguments for 'setbit' command")
    );
    assert_eq!(
        c.cmd(&["GETBIT", "k", "1", "2"]),
        err("ERR wrong number of arguments for 'getbit' command")
    );
    assert_eq!(
        c.cmd(&["BITPOS", "k"]),
        err("ERR wrong number of arguments for 'bitpos' command")
    );
}
