//! SORT and SORT_RO end to end: requests through dispatch, replies as RESP bytes.

use crate::node::Node;
use crate::testing::*;
use ferrocache_keyspace::zset::ZSet;
use ferrocache_keyspace::{Collection, Item, LockSet};
use std::sync::Arc;

/// An array of bulk strings; `None` is a nil bulk.
fn arr(items: &[Option<&str>]) -> String {
    let mut s = format!("*{}\r\n", items.len());
    for item in items {
        match item {
            Some(v) => s.push_str(&format!("${}\r\n{v}\r\n", v.len())),
            None => s.push_str("$-1\r\n"),
        }
    }
    s
}

fn bulks(items: &[&str]) -> String {
    arr(&items.iter().map(|s| Some(*s)).collect::<Vec<_>>())
}

const BAD: &str = "ERR One or more scores can't be converted into double";

fn list_fixture(c: &mut Conn) {
    c.cmd(&["RPUSH", "l", "3", "1", "2", "10"]);
    c.cmd(&["MSET", "w_3", "1", "w_1", "3", "w_2", "2", "w_10", "0"]);
    c.cmd(&["HSET", "h_3", "f", "c"]);
    c.cmd(&["HSET", "h_1", "f", "a"]);
    c.cmd(&["HSET", "h_10", "f", "b"]);
}

#[test]
fn numeric_alpha_and_order() {
    let n = node();
    let mut c = Conn::new(&n);
    list_fixture(&mut c);
    assert_eq!(c.cmd(&["SORT", "l"]), bulks(&["1", "2", "3", "10"]));
    assert_eq!(c.cmd(&["SORT", "l", "DESC"]), bulks(&["10", "3", "2", "1"]));
    assert_eq!(
        c.cmd(&["SORT", "l", "ALPHA"]),
        bulks(&["1", "10", "2", "3"])
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "alpha", "desc"]),
        bulks(&["3", "2", "10", "1"])
    );
    assert_eq!(
        c.cmd(&["SORT_RO", "l", "desc", "asc"]),
        bulks(&["1", "2", "3", "10"])
    );
    assert_eq!(c.cmd(&["SORT", "nothing"]), "*0\r\n");
    c.cmd(&["RPUSH", "f", "1.5", "-inf", " 2", "", "0x10", "inf", "1e2"]);
    assert_eq!(
        c.cmd(&["SORT", "f"]),
        bulks(&["-inf", "", "1.5", " 2", "0x10", "1e2", "inf"])
    );
    for bad in ["1 ", "nan", "1e400", "1e-310", "+", "abc"] {
        c.cmd(&["DEL", "b"]);
        c.cmd(&["RPUSH", "b", "1", bad]);
        assert_eq!(c.cmd(&["SORT", "b"]), err(BAD), "{bad}");
        assert!(
            c.cmd(&["SORT", "b", "ALPHA"]).starts_with("*2\r\n"),
            "{bad}"
        );
    }
}

#[test]
fn by_and_get_patterns() {
    let n = node();
    let mut c = Conn::new(&n);
    list_fixture(&mut c);
    assert_eq!(
        c.cmd(&["SORT", "l", "BY", "w_*"]),
        bulks(&["10", "3", "2", "1"])
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "BY", "w_*", "DESC"]),
        bulks(&["1", "2", "3", "10"])
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "BY", "h_*->f", "ALPHA"]),
        bulks(&["2", "1", "10", "3"])
    );
    assert_eq!(c.cmd(&["SORT", "l", "BY", "h_*->f"]), err(BAD));
    assert_eq!(
        c.cmd(&["SORT", "l", "GET", "#", "GET", "w_*"]),
        bulks(&["1", "3", "2", "2", "3", "1", "10", "0"])
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "GET", "h_*->f", "GET", "x"]),
        arr(&[
            Some("a"),
            None,
            None,
            None,
            Some("c"),
            None,
            Some("b"),
            None
        ])
    );
    // A trailing `->` is part of the key name, not a field reference.
    assert_eq!(
        c.cmd(&["SORT", "l", "BY", "w_*->", "GET", "h_*->"]),
        arr(&[None; 4])
    );
    // GET on a key of the wrong type gives nil.
    assert_eq!(
        c.cmd(&["SORT", "l", "GET", "h_*", "LIMIT", "0", "1"]),
        arr(&[None])
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "GET", "w_*->f", "LIMIT", "0", "1"]),
        arr(&[None])
    );
}

#[test]
fn nosort_and_limit() {
    let n = node();
    let mut c = Conn::new(&n);
    list_fixture(&mut c);
    assert_eq!(
        c.cmd(&["SORT", "l", "BY", "nosort"]),
        bulks(&["3", "1", "2", "10"])
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "BY", "nosort", "DESC"]),
        bulks(&["10", "2", "1", "3"])
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "BY", "nosort", "LIMIT", "1", "2"]),
        bulks(&["1", "2"])
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"]),
        bulks(&["2", "1"])
    );
    assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "1", "2"]), bulks(&["2", "3"]));
    assert_eq!(
        c.cmd(&["SORT", "l", "LIMIT", "-5", "2"]),
        bulks(&["1", "2"])
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "LIMIT", "2", "-1"]),
        bulks(&["3", "10"])
    );
    assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "10", "2"]), "*0\r\n");
    assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "0", "0"]), "*0\r\n");
    assert_eq!(
        c.cmd(&[
            "SORT",
            "l",
            "LIMIT",
            "9223372036854775807",
            "9223372036854775807"
        ]),
        "*0\r\n"
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "LIMIT", "1", "9223372036854775807"]),
        bulks(&["2", "3", "10"])
    );
    assert_eq!(
        c.cmd(&[
            "SORT",
            "l",
            "BY",
            "nosort",
            "LIMIT",
            "-9223372036854775808",
            "9223372036854775807"
        ]),
        bulks(&["3", "1", "2", "10"])
    );
    assert_eq!(
        c.cmd(&["SORT", "l", "BY", "w_*", "LIMIT", "1", "2"]),
        bulks(&["3", "2"])
    );
}

#[test]
fn errors() {
    let n = node();
    let mut c = Conn::new(&n);
    list_fixture(&mut c);
    assert_eq!(
        c.cmd(&["SORT", "l", "LIMIT", "a", "1"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(c.cmd(&["SORT", "l", "LIMIT", "1"]), err("ERR syntax error"));
    assert_eq!(c.cmd(&["SORT", "l", "foo"]), err("ERR syntax error"));
    assert_eq!(c.cmd(&["SORT", "l", "BY"]), err("ERR syntax error"));
    assert_eq!(c.cmd(&["SORT", "l", "STORE"]), err("ERR syntax error"));
    assert_eq!(
        c.cmd(&["SORT_RO", "l", "STORE", "x"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["SORT"]),
        err("ERR wrong number of arguments for 'sort' command")
    );
    c.cmd(&["SET", "str", "x"]);
    let wrongtype = err("WRONGTYPE Operation against a key holding the wrong kind of value");
    assert_eq!(c.cmd(&["SORT", "str"]), wrongtype);
    assert_eq!(c.cmd(&["SORT", "h_1"]), wrongtype);
    // Syntax errors come first.
    assert_eq!(c.cmd(&["SORT", "str", "foo"]), err("ERR syntax error"));
}

#[test]
fn sets_and_store() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SADD", "s", "c", "a", "b"]);
    c.cmd(&["MSET", "w_a", "3", "w_b", "2", "w_c", "1"]);
    assert_eq!(c.cmd(&["SORT", "s", "ALPHA"]), bulks(&["a", "b", "c"]));
    assert_eq!(c.cmd(&["SORT", "s"]), err(BAD));
    // BY nosort on a set with STORE sorts anyway.
    assert_eq!(c.cmd(&["SORT", "s", "BY", "nosort", "STORE", "d"]), int(3));
    assert_eq!(c.cmd(&["LRANGE", "d", "0", "-1"]), bulks(&["a", "b", "c"]));
    assert_eq!(
        c.cmd(&["SORT", "s", "BY", "nosort", "ALPHA", "LIMIT", "0", "1", "STORE", "d2"]),
        int(1)
    );
    assert_eq!(c.cmd(&["LRANGE", "d2", "0", "-1"]), bulks(&["a"]));
    assert_eq!(c.cmd(&["SORT", "s", "BY", "w_*", "STORE", "d"]), int(3));
    assert_eq!(c.cmd(&["LRANGE", "d", "0", "-1"]), bulks(&["c", "b", "a"]));
    c.cmd(&["SET", "str", "x", "EX", "100"]);
    assert_eq!(
        c.cmd(&["SORT", "s", "BY", "w_*", "GET", "#", "GET", "w_*", "GET", "no_*", "STORE", "str"]),
        int(9)
    );
    assert_eq!(
        c.cmd(&["LRANGE", "str", "0", "-1"]),
        bulks(&["c", "1", "", "b", "2", "", "a", "3", ""])
    );
    assert_eq!(c.cmd(&["TTL", "str"]), int(-1));
    // A conversion error stores nothing.
    assert_eq!(c.cmd(&["SORT", "s", "GET", "x_*", "STORE", "d"]), err(BAD));
    assert_eq!(c.cmd(&["LLEN", "d"]), int(3));
    // An empty result deletes the destination, and creates nothing.
    assert_eq!(c.cmd(&["SORT", "nothing", "STORE", "d"]), int(0));
    assert_eq!(c.cmd(&["EXISTS", "d"]), int(0));
    assert_eq!(
        c.cmd(&["SORT", "s", "ALPHA", "LIMIT", "5", "1", "STORE", "d"]),
        int(0)
    );
    assert_eq!(c.cmd(&["EXISTS", "d"]), int(0));
    // The source may be its own destination.
    c.cmd(&["RPUSH", "self", "2", "1"]);
    assert_eq!(c.cmd(&["SORT", "self", "STORE", "self"]), int(2));
    assert_eq!(c.cmd(&["LRANGE", "self", "0", "-1"]), bulks(&["1", "2"]));
}

#[test]
fn store_signals_watch_even_when_empty() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["LPUSH", "foo", "bar"]);
    c.cmd(&["WATCH", "foo"]);
    assert_eq!(c.cmd(&["SORT", "emptylist", "STORE", "foo"]), int(0));
    c.cmd(&["MULTI"]);
    c.cmd(&["PING"]);
    assert_eq!(c.cmd(&["EXEC"]), "*-1\r\n");
}

#[test]
fn store_notifications() {
    let n = node();
    let mut c = Conn::new(&n);
    let mut sub = Conn::new(&n);
    c.cmd(&["CONFIG", "SET", "notify-keyspace-events", "KEA"]);
    sub.cmd(&["PSUBSCRIBE", "__keyevent@0__:*"]);
    sub.pushed();
    c.cmd(&["RPUSH", "l", "2", "1"]);
    sub.pushed();
    c.cmd(&["SORT", "l", "STORE", "d"]);
    assert!(sub.pushed().contains("__keyevent@0__:sortstore"));
    c.cmd(&["SORT", "nothing", "STORE", "d"]);
    assert!(sub.pushed().contains("__keyevent@0__:del"));
    c.cmd(&["SORT", "nothing", "STORE", "d"]);
    assert_eq!(sub.pushed(), "");
}

#[test]
fn command_info_flags() {
    let n = node();
    let mut c = Conn::new(&n);
    let info = c.cmd(&["COMMAND", "INFO", "sort", "sort_ro"]);
    assert!(info.contains("movablekeys"));
    assert!(info.contains("denyoom"));
}

/// Stores a sorted set directly in the keyspace (db 0).
fn zadd(n: &Arc<Node>, key: &str, members: &[(f64, &str)]) {
    let mut zset = ZSet::new();
    for (score, member) in members {
        zset.insert(member.as_bytes(), *score);
    }
    let mut set = LockSet::new();
    n.keyspace.add_key(&mut set, 0, key.as_bytes());
    let mut keys = n.keyspace.lock(set);
    let item = Item::new_collection(key.as_bytes(), Box::new(Collection::ZSet(zset)), None, 0);
    keys.insert(0, item);
}

#[test]
fn sorted_sets() {
    let n = node();
    let mut c = Conn::new(&n);
    zadd(
        &n,
        "z",
        &[
            (5.0, "a"),
            (1.0, "b"),
            (2.0, "c"),
            (10.0, "d"),
            (3.0, "e"),
            (0.0, "f"),
            (2.0, "aa"),
            (-1.0, "g"),
        ],
    );
    zadd(
        &n,
        "zi",
        &[
            (1.0, "x"),
            (f64::NEG_INFINITY, "y"),
            (f64::INFINITY, "w"),
            (0.0, "v"),
        ],
    );
    let all = ["g", "f", "b", "aa", "c", "e", "a", "d"];
    assert_eq!(
        c.cmd(&["SORT", "z", "ALPHA"]),
        bulks(&["a", "aa", "b", "c", "d", "e", "f", "g"])
    );
    assert_eq!(c.cmd(&["SORT", "z"]), err(BAD));
    assert_eq!(c.cmd(&["SORT", "z", "BY", "nosort"]), bulks(&all));
    assert_eq!(
        c.cmd(&["SORT", "z", "BY", "nosort", "DESC"]),
        bulks(&["d", "a", "e", "c", "aa", "b", "f", "g"])
    );
    assert_eq!(
        c.cmd(&["SORT", "z", "BY", "nosort", "LIMIT", "2", "3"]),
        bulks(&["b", "aa", "c"])
    );
    assert_eq!(
        c.cmd(&["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "2", "3"]),
        bulks(&["e", "c", "aa"])
    );
    assert_eq!(
        c.cmd(&["SORT", "z", "BY", "nosort", "LIMIT", "-3", "100"]),
        bulks(&all)
    );
    assert_eq!(
        c.cmd(&["SORT", "z", "BY", "nosort", "DESC", "LIMIT", "7", "100"]),
        bulks(&["g"])
    );
    assert_eq!(
        c.cmd(&["SORT", "z", "BY", "nosort", "LIMIT", "9", "1"]),
        "*0\r\n"
    );
    assert_eq!(c.cmd(&["SORT", "z", "BY", "nosort", "STORE", "d"]), int(8));
    assert_eq!(c.cmd(&["LRANGE", "d", "0", "-1"]), bulks(&all));
    assert_eq!(
        c.cmd(&["SORT", "zi", "BY", "nosort"]),
        bulks(&["y", "v", "x", "w"])
    );
    assert_eq!(
        c.cmd(&["SORT", "zi", "BY", "nosort", "DESC", "LIMIT", "1", "2"]),
        bulks(&["x", "v"])
    );
}
