//! The hash commands end to end: requests through dispatch, replies as RESP bytes.

use crate::config::Settings;
use crate::node::Node;
use crate::testing::*;
use ferrocache_protocol::RespVersion;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

fn node_with(pairs: &[(&str, &str)]) -> Arc<Node> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Node::new(Settings::default().apply(&pairs, true).unwrap())
}

fn array(items: &[&str]) -> String {
    let mut s = format!("*{}\r\n", items.len());
    for item in items {
        s.push_str(&bulk(item));
    }
    s
}

/// The bulk strings of a flat reply (headers skipped), in order.
fn bulks(reply: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut lines = reply.split("\r\n");
    while let Some(line) = lines.next() {
        if line.starts_with('$') && line != "$-1" {
            items.push(lines.next().unwrap_or_default().to_string());
        }
    }
    items
}

/// The encoded length of a command in the write stream.
fn encoded(args: &[&str]) -> u64 {
    let mut len = format!("*{}\r\n", args.len()).len();
    for a in args {
        len += bulk(a).len();
    }
    len as u64
}

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

#[test]
fn set_get_and_friends() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["HSET", "h", "a", "1", "b", "2", "a", "3"]), int(2));
    assert_eq!(c.cmd(&["HSET", "h", "a", "4", "c", "5"]), int(1));
    assert_eq!(c.cmd(&["TYPE", "h"]), "+hash\r\n");
    assert_eq!(c.cmd(&["HGET", "h", "a"]), bulk("4"));
    assert_eq!(c.cmd(&["HGET", "h", "zz"]), NIL);
    assert_eq!(c.cmd(&["HGET", "nope", "a"]), NIL);
    assert_eq!(
        c.cmd(&["HMGET", "h", "a", "zz", "b"]),
        format!("*3\r\n{}{NIL}{}", bulk("4"), bulk("2"))
    );
    assert_eq!(
        c.cmd(&["HMGET", "nope", "a", "b"]),
        format!("*2\r\n{NIL}{NIL}")
    );
    assert_eq!(c.cmd(&["HLEN", "h"]), int(3));
    assert_eq!(c.cmd(&["HLEN", "nope"]), int(0));
    assert_eq!(c.cmd(&["HEXISTS", "h", "b"]), int(1));
    assert_eq!(c.cmd(&["HEXISTS", "h", "zz"]), int(0));
    assert_eq!(c.cmd(&["HEXISTS", "nope", "b"]), int(0));
    assert_eq!(c.cmd(&["HSET", "h", "long", "hello world"]), int(1));
    assert_eq!(c.cmd(&["HSTRLEN", "h", "long"]), int(11));
    assert_eq!(c.cmd(&["HSTRLEN", "h", "zz"]), int(0));
    assert_eq!(c.cmd(&["HSTRLEN", "nope", "zz"]), int(0));
    assert_eq!(c.cmd(&["HSETNX", "h", "a", "x"]), int(0));
    assert_eq!(c.cmd(&["HGET", "h", "a"]), bulk("4"));
    assert_eq!(c.cmd(&["HSETNX", "h", "d", "x"]), int(1));
    assert_eq!(c.cmd(&["HSETNX", "new", "f", "v"]), int(1));
    assert_eq!(c.cmd(&["HGET", "new", "f"]), bulk("v"));
    assert_eq!(c.cmd(&["HMSET", "m", "a", "1", "b", "2"]), OK);
    assert_eq!(c.cmd(&["HMSET", "m", "a", "9"]), OK);
    assert_eq!(c.cmd(&["HGET", "m", "a"]), bulk("9"));
    // Empty fields and values are fine.
    assert_eq!(c.cmd(&["HSET", "e", "", ""]), int(1));
    assert_eq!(c.cmd(&["HGET", "e", ""]), bulk(""));
}

#[test]
fn arity_and_wrong_type() {
    let n = node();
    let mut c = Conn::new(&n);
    for (command, name) in [
        (&["HSET", "h", "a"][..], "hset"),
        (&["HSET", "h", "a", "1", "b"][..], "hset"),
        (&["HMSET", "h", "a", "1", "b"][..], "hmset"),
        (&["HMSET", "h"][..], "hmset"),
        (&["HGET", "h"][..], "hget"),
        (&["HSCAN", "h"][..], "hscan"),
        (&["HRANDFIELD"][..], "hrandfield"),
    ] {
        assert_eq!(
            c.cmd(command),
            err(&format!(
                "ERR wrong number of arguments for '{name}' command"
            ))
        );
    }
    assert_eq!(c.cmd(&["EXISTS", "h"]), int(0));
    c.cmd(&["SET", "s", "v"]);
    for command in [
        &["HSET", "s", "a", "1"][..],
        &["HSETNX", "s", "a", "1"],
        &["HMSET", "s", "a", "1"],
        &["HGET", "s", "a"],
        &["HMGET", "s", "a"],
        &["HDEL", "s", "a"],
        &["HEXISTS", "s", "a"],
        &["HLEN", "s"],
        &["HSTRLEN", "s", "a"],
        &["HKEYS", "s"],
        &["HVALS", "s"],
        &["HGETALL", "s"],
        &["HINCRBY", "s", "a", "1"],
        &["HINCRBYFLOAT", "s", "a", "1"],
        &["HRANDFIELD", "s"],
        &["HRANDFIELD", "s", "2", "WITHVALUES"],
        &["HSCAN", "s", "0"],
        &["HSCAN", "s", "0", "COUNT", "0"],
    ] {
        assert_eq!(c.cmd(command), err(WRONGTYPE), "{command:?}");
    }
    // Argument errors found before the key is looked up.
    assert_eq!(
        c.cmd(&["HINCRBY", "s", "a", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        c.cmd(&["HINCRBYFLOAT", "s", "a", "x"]),
        err("ERR value is not a valid float")
    );
    assert_eq!(c.cmd(&["HSCAN", "s", "x"]), err("ERR invalid cursor"));
    assert_eq!(
        c.cmd(&["HRANDFIELD", "s", "1", "x"]),
        err("ERR syntax error")
    );
    c.cmd(&["HSET", "h", "a", "1"]);
    assert_eq!(c.cmd(&["GET", "h"]), err(WRONGTYPE));
}

#[test]
fn hdel_removes_emptied_key_and_notifies() {
    let n = node();
    let events = n
        .settings()
        .apply(&[("notify-keyspace-events".into(), "KEA".into())], false)
        .unwrap();
    n.set_settings(events);
    let mut sub = Conn::new(&n);
    sub.cmd(&["PSUBSCRIBE", "__keyevent@*__:*"]);
    sub.pushed();
    let mut c = Conn::new(&n);
    let mut expect = |c: &mut Conn, command: &[&str], reply: &str, events: &[&str]| {
        assert_eq!(c.cmd(command), reply, "{command:?}");
        let pushed = sub.pushed();
        for event in events {
            let frame = format!("{}{}", bulk(&format!("__keyevent@0__:{event}")), bulk("h"));
            assert!(
                pushed.contains(&frame),
                "{command:?}: {event} not in {pushed:?}"
            );
        }
        let published = pushed.matches("pmessage").count();
        assert_eq!(published, events.len(), "{command:?}: {pushed:?}");
    };
    expect(
        &mut c,
        &["HSET", "h", "a", "1", "b", "2"],
        &int(2),
        &["hset"],
    );
    expect(&mut c, &["HMSET", "h", "c", "3"], OK, &["hset"]);
    expect(&mut c, &["HSETNX", "h", "c", "3"], &int(0), &[]);
    expect(&mut c, &["HSETNX", "h", "d", "4"], &int(1), &["hset"]);
    expect(&mut c, &["HINCRBY", "h", "a", "5"], &int(6), &["hincrby"]);
    expect(
        &mut c,
        &["HINCRBYFLOAT", "h", "a", "0.5"],
        &bulk("6.5"),
        &["hincrbyfloat"],
    );
    expect(&mut c, &["HDEL", "h", "zz"], &int(0), &[]);
    expect(&mut c, &["HDEL", "h", "a", "a", "b"], &int(2), &["hdel"]);
    expect(
        &mut c,
        &["HDEL", "h", "c", "d", "zz"],
        &int(2),
        &["hdel", "del"],
    );
    assert_eq!(c.cmd(&["EXISTS", "h"]), int(0));
    expect(&mut c, &["HDEL", "h", "c"], &int(0), &[]);
    // Reads publish nothing.
    expect(&mut c, &["HSET", "h", "a", "1"], &int(1), &["hset"]);
    expect(
        &mut c,
        &["HGETALL", "h"],
        "*2\r\n$1\r\na\r\n$1\r\n1\r\n",
        &[],
    );
}

#[test]
fn writes_keep_the_ttl_and_touch_watchers() {
    let n = node();
    let mut c = Conn::new(&n);
    let mut other = Conn::new(&n);
    c.cmd(&["HSET", "h", "a", "1"]);
    c.cmd(&["EXPIRE", "h", "100"]);
    c.cmd(&["HSET", "h", "b", "2"]);
    c.cmd(&["HINCRBY", "h", "n", "1"]);
    c.cmd(&["HDEL", "h", "a"]);
    assert_eq!(c.cmd(&["TTL", "h"]), int(100));

    for (command, changes) in [
        (&["HSET", "h", "a", "1"][..], true),
        (&["HSETNX", "h", "a", "1"], false),
        (&["HDEL", "h", "zz"], false),
        (&["HDEL", "h", "a"], true),
        (&["HINCRBY", "h", "n", "0"], true),
        (&["HINCRBY", "h", "n", "x"], false),
        (&["HGETALL", "h"], false),
    ] {
        c.cmd(&["WATCH", "h"]);
        c.cmd(&["MULTI"]);
        c.cmd(&["PING"]);
        other.cmd(command);
        let exec = c.cmd(&["EXEC"]);
        assert_eq!(exec == "*-1\r\n", changes, "{command:?}: {exec}");
    }
}

#[test]
fn getall_keys_vals_in_both_protocols() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["HGETALL", "nope"]), "*0\r\n");
    assert_eq!(c.cmd(&["HKEYS", "nope"]), "*0\r\n");
    assert_eq!(c.cmd(&["HVALS", "nope"]), "*0\r\n");
    c.cmd(&["HSET", "h", "a", "1", "b", "2", "c", "3"]);
    let all = c.cmd(&["HGETALL", "h"]);
    assert!(all.starts_with("*6\r\n"), "{all}");
    let items = bulks(&all);
    let pairs: HashMap<_, _> = items
        .chunks(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    assert_eq!(pairs.len(), 3);
    assert_eq!(pairs["b"], "2");
    let keys = c.cmd(&["HKEYS", "h"]);
    let vals = c.cmd(&["HVALS", "h"]);
    assert!(keys.starts_with("*3\r\n") && vals.starts_with("*3\r\n"));
    // Keys and values come in the same order.
    for (k, v) in bulks(&keys).iter().zip(bulks(&vals)) {
        assert_eq!(pairs[k], v);
    }

    c.version = RespVersion::Resp3;
    assert_eq!(c.cmd(&["HGETALL", "nope"]), "%0\r\n");
    assert_eq!(c.cmd(&["HGET", "nope", "a"]), "_\r\n");
    assert_eq!(c.cmd(&["HRANDFIELD", "nope"]), "_\r\n");
    let all = c.cmd(&["HGETALL", "h"]);
    assert!(all.starts_with("%3\r\n"), "{all}");
    assert!(c.cmd(&["HKEYS", "h"]).starts_with("*3\r\n"));
}

#[test]
fn hincrby() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["HINCRBY", "h", "n", "5"]), int(5));
    assert_eq!(c.cmd(&["HINCRBY", "h", "n", "-7"]), int(-2));
    assert_eq!(c.cmd(&["HGET", "h", "n"]), bulk("-2"));
    assert_eq!(c.cmd(&["HINCRBY", "h", "m", "1"]), int(1));
    c.cmd(&[
        "HSET",
        "h",
        "s",
        "abc",
        "sp",
        " 1",
        "big",
        "9223372036854775807",
    ]);
    let not_integer = err("ERR hash value is not an integer");
    assert_eq!(c.cmd(&["HINCRBY", "h", "s", "1"]), not_integer);
    assert_eq!(c.cmd(&["HINCRBY", "h", "sp", "1"]), not_integer);
    assert_eq!(
        c.cmd(&["HINCRBY", "h", "big", "1"]),
        err("ERR increment or decrement would overflow")
    );
    assert_eq!(
        c.cmd(&["HINCRBY", "h", "big", "-1"]),
        int(9223372036854775806)
    );
    c.cmd(&["HSET", "h", "low", "-9223372036854775808"]);
    assert_eq!(
        c.cmd(&["HINCRBY", "h", "low", "-1"]),
        err("ERR increment or decrement would overflow")
    );
    assert_eq!(
        c.cmd(&["HINCRBY", "h", "n", "1.5"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        c.cmd(&["HINCRBY", "h", "n", "9223372036854775808"]),
        err("ERR value is not an integer or out of range")
    );
    // A failed increment on a missing key creates nothing.
    assert_eq!(
        c.cmd(&["HINCRBY", "x", "n", "z"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(c.cmd(&["EXISTS", "x"]), int(0));
}

#[test]
fn hincrbyfloat_and_its_propagation() {
    let n = recording_node();
    let mut c = Conn::new(&n);
    let before = n.stream.offset();
    assert_eq!(c.cmd(&["HINCRBYFLOAT", "h", "f", "10.5"]), bulk("10.5"));
    assert_eq!(
        n.stream.offset() - before,
        encoded(&["HSET", "h", "f", "10.5"])
    );
    assert_eq!(c.cmd(&["HINCRBYFLOAT", "h", "f", "0.1"]), bulk("10.6"));
    assert_eq!(c.cmd(&["HINCRBYFLOAT", "h", "f", "-10.6"]), bulk("0"));
    assert_eq!(c.cmd(&["HINCRBYFLOAT", "h", "g", "5.0e3"]), bulk("5000"));
    assert_eq!(c.cmd(&["HSET", "h", "i", "17179869184"]), int(1));
    assert_eq!(
        c.cmd(&["HINCRBYFLOAT", "h", "i", "1.5"]),
        bulk("17179869185.5")
    );
    assert_eq!(c.cmd(&["HGET", "h", "i"]), bulk("17179869185.5"));

    c.cmd(&["HSET", "h", "s", "abc", "inf", "inf", "nan", "nan"]);
    let before = n.stream.offset();
    let not_float = err("ERR hash value is not a float");
    assert_eq!(c.cmd(&["HINCRBYFLOAT", "h", "s", "1"]), not_float);
    assert_eq!(c.cmd(&["HINCRBYFLOAT", "h", "nan", "1"]), not_float);
    assert_eq!(
        c.cmd(&["HINCRBYFLOAT", "h", "inf", "1"]),
        err("ERR increment would produce NaN or Infinity")
    );
    assert_eq!(
        c.cmd(&["HINCRBYFLOAT", "h", "f", "inf"]),
        err("ERR value is NaN or Infinity")
    );
    for bad in ["nan", "abc", " 1", "1e5000", "-1e5000", "1e-5000", ""] {
        assert_eq!(
            c.cmd(&["HINCRBYFLOAT", "h", "f", bad]),
            err("ERR value is not a valid float"),
            "{bad:?}"
        );
    }
    assert_eq!(n.stream.offset(), before);
    assert_eq!(c.cmd(&["HGET", "h", "f"]), bulk("0"));
}

#[test]
fn hrandfield_arguments() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["HRANDFIELD", "nope"]), NIL);
    assert_eq!(c.cmd(&["HRANDFIELD", "nope", "5"]), "*0\r\n");
    assert_eq!(c.cmd(&["HRANDFIELD", "nope", "-5", "WITHVALUES"]), "*0\r\n");
    assert_eq!(
        c.cmd(&["HRANDFIELD", "nope", "1", "foo"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["HRANDFIELD", "nope", "1", "withvalues", "x"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["HRANDFIELD", "nope", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        c.cmd(&["HRANDFIELD", "nope", "-9223372036854775808"]),
        err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
    );
    for extreme in [
        "4611686018427387904",
        "-4611686018427387904",
        "-9223372036854775807",
    ] {
        assert_eq!(
            c.cmd(&["HRANDFIELD", "nope", extreme, "WITHVALUES"]),
            err("ERR value is out of range"),
            "{extreme}"
        );
    }
    assert_eq!(
        c.cmd(&["HRANDFIELD", "nope", "4611686018427387903", "WITHVALUES"]),
        "*0\r\n"
    );
    c.cmd(&["HSET", "h", "a", "1"]);
    assert_eq!(c.cmd(&["HRANDFIELD", "h", "0"]), "*0\r\n");
    assert_eq!(c.cmd(&["HRANDFIELD", "h", "0", "WITHVALUES"]), "*0\r\n");
    assert_eq!(c.cmd(&["HRANDFIELD", "h"]), bulk("a"));
    assert_eq!(
        c.cmd(&["HRANDFIELD", "h", "9223372036854775807"]),
        array(&["a"])
    );
    assert_eq!(c.cmd(&["HRANDFIELD", "h", "-3"]), array(&["a", "a", "a"]));
    assert_eq!(
        c.cmd(&["HRANDFIELD", "h", "-2", "WITHVALUES"]),
        array(&["a", "1", "a", "1"])
    );
    c.version = RespVersion::Resp3;
    assert_eq!(
        c.cmd(&["HRANDFIELD", "h", "-2", "WITHVALUES"]),
        "*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    );
    assert_eq!(
        c.cmd(&["HRANDFIELD", "h", "5", "WITHVALUES"]),
        "*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    );
}

#[test]
fn hrandfield_picks() {
    let n = node();
    let mut c = Conn::new(&n);
    let mut args = vec!["HSET".to_string(), "h".to_string()];
    for i in 0..300 {
        args.push(format!("f{i}"));
        args.push(format!("v{i}"));
    }
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(c.cmd(&args_ref), int(300));
    let value_of = |field: &str| format!("v{}", &field[1..]);

    // Distinct fields, however many are asked for.
    for count in [1usize, 5, 150, 299, 300, 1000] {
        let reply = c.cmd(&["HRANDFIELD", "h", &count.to_string(), "WITHVALUES"]);
        let expected = count.min(300);
        assert!(
            reply.starts_with(&format!("*{}\r\n", expected * 2)),
            "{count}"
        );
        let items = bulks(&reply);
        let fields: HashSet<_> = items.chunks(2).map(|p| p[0].clone()).collect();
        assert_eq!(fields.len(), expected);
        for pair in items.chunks(2) {
            assert_eq!(pair[1], value_of(&pair[0]));
        }
    }
    // Repetition: exactly -count picks, all real fields.
    for count in [1usize, 7, 299, 300, 2000] {
        let reply = c.cmd(&["HRANDFIELD", "h", &format!("-{count}")]);
        assert!(reply.starts_with(&format!("*{count}\r\n")));
        let items = bulks(&reply);
        assert_eq!(items.len(), count);
        assert!(items
            .iter()
            .all(|f| f.starts_with('f') && f[1..].parse::<u32>().unwrap() < 300));
    }
    let many = bulks(&c.cmd(&["HRANDFIELD", "h", "-3000"]));
    assert!(many.iter().collect::<HashSet<_>>().len() > 200);
    let mut seen = HashSet::new();
    for _ in 0..2000 {
        seen.insert(c.cmd(&["HRANDFIELD", "h"]));
    }
    assert!(seen.len() > 250, "{}", seen.len());
}

#[test]
fn hrandfield_runaway_count_disconnects() {
    let n = node_with(&[("client-output-buffer-limit", "normal 100000 0 0")]);
    let mut c = Conn::new(&n);
    c.cmd(&["HSET", "h", "a", "1"]);
    // Within the limit: served.
    assert_eq!(bulks(&c.cmd(&["HRANDFIELD", "h", "-1000"])).len(), 1000);
    assert!(!c.client.shared.is_killed());
    // Far past it: nothing is written and the client is closed.
    assert_eq!(c.cmd(&["HRANDFIELD", "h", "-9223372036854775807"]), "");
    assert!(c.client.shared.is_killed());

    // Fewer picks than fields, but large values.
    let mut c = Conn::new(&n);
    let big = "x".repeat(20_000);
    for i in 0..10 {
        c.cmd(&["HSET", "big", &format!("f{i}"), &big]);
    }
    assert_eq!(bulks(&c.cmd(&["HRANDFIELD", "big", "-4"])).len(), 4);
    assert_eq!(c.cmd(&["HRANDFIELD", "big", "-9", "WITHVALUES"]), "");
    assert!(c.client.shared.is_killed());
}

#[test]
fn hscan_small_hashes() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["HSCAN", "nope", "0"]), "*2\r\n$1\r\n0\r\n*0\r\n");
    // Options are not checked on a missing key, as redis-server does.
    assert_eq!(
        c.cmd(&["HSCAN", "nope", "0", "COUNT", "0"]),
        "*2\r\n$1\r\n0\r\n*0\r\n"
    );
    assert_eq!(c.cmd(&["HSCAN", "nope", "x"]), err("ERR invalid cursor"));
    c.cmd(&["HSET", "h", "a", "1", "b", "2", "cc", "3"]);
    assert_eq!(
        c.cmd(&["HSCAN", "h", "0", "COUNT", "0"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["HSCAN", "h", "0", "COUNT", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        c.cmd(&["HSCAN", "h", "0", "TYPE", "string"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["HSCAN", "h", "0", "MATCH"]),
        err("ERR syntax error")
    );
    let reply = c.cmd(&["HSCAN", "h", "0", "COUNT", "1"]);
    assert!(reply.starts_with("*2\r\n$1\r\n0\r\n*6\r\n"), "{reply}");
    let reply = c.cmd(&["HSCAN", "h", "0", "MATCH", "?"]);
    assert!(reply.starts_with("*2\r\n$1\r\n0\r\n*4\r\n"), "{reply}");
    let items = bulks(&reply);
    let pairs: HashMap<_, _> = items[1..]
        .chunks(2)
        .map(|p| (p[0].clone(), p[1].clone()))
        .collect();
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs["a"], "1");
    assert_eq!(pairs["b"], "2");
    assert_eq!(
        c.cmd(&["HSCAN", "h", "0", "match", "c*", "count", "5"]),
        "*2\r\n$1\r\n0\r\n*2\r\n$2\r\ncc\r\n$1\r\n3\r\n"
    );
}

#[test]
fn hscan_large_hash_returns_every_field_once() {
    let n = node();
    let mut c = Conn::new(&n);
    let mut args = vec!["HSET".to_string(), "h".to_string()];
    for i in 0..5000 {
        args.push(format!("f{i}"));
        args.push(format!("v{i}"));
    }
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(c.cmd(&args_ref), int(5000));

    for (count, pattern) in [("10", "*"), ("1000", "*"), ("100000", "*"), ("10", "f1*")] {
        let mut cursor = "0".to_string();
        let mut seen = Vec::new();
        let mut calls = 0;
        loop {
            let reply = c.cmd(&["HSCAN", "h", &cursor, "COUNT", count, "MATCH", pattern]);
            let items = bulks(&reply);
            cursor = items[0].clone();
            for pair in items[1..].chunks(2) {
                assert_eq!(pair[1], format!("v{}", &pair[0][1..]));
                seen.push(pair[0].clone());
            }
            calls += 1;
            if cursor == "0" {
                break;
            }
            // A field deleted and one added mid-iteration do not disturb the others.
            if calls == 2 && count == "10" && pattern == "*" {
                c.cmd(&["HSET", "h", "extra", "vxtra"]);
            }
        }
        assert!(calls <= 18, "{count}: {calls} calls");
        let total = seen.len();
        let unique: HashSet<_> = seen.into_iter().filter(|f| f != "extra").collect();
        let expected = (0..5000)
            .map(|i| format!("f{i}"))
            .filter(|f| pattern == "*" || f.starts_with("f1"))
            .count();
        assert_eq!(unique.len(), expected, "{count} {pattern}");
        assert!(total <= expected + 1, "{count} {pattern}: duplicates");
        c.cmd(&["HDEL", "h", "extra"]);
    }
}
