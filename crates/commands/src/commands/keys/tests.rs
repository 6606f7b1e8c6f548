//! The keyspace commands end to end: requests through dispatch, replies as RESP bytes.

use crate::testing::*;

fn ttl_of(c: &mut Conn, command: &str, key: &str) -> i64 {
    let reply = c.cmd(&[command, key]);
    reply.trim_start_matches(':').trim_end().parse().unwrap()
}

#[test]
fn del_unlink_exists_type_touch() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["SET", "b", "2"]);
    c.cmd(&["SET", "c", "3"]);
    assert_eq!(c.cmd(&["EXISTS", "a", "a", "nope", "b"]), int(3));
    assert_eq!(c.cmd(&["TYPE", "a"]), "+string\r\n");
    assert_eq!(c.cmd(&["TYPE", "nope"]), "+none\r\n");
    assert_eq!(c.cmd(&["TOUCH", "a", "b", "nope"]), int(2));
    assert_eq!(c.cmd(&["DEL", "a", "a", "nope"]), int(1));
    assert_eq!(c.cmd(&["UNLINK", "b", "c"]), int(2));
    assert_eq!(c.cmd(&["EXISTS", "a", "b", "c"]), int(0));
    assert_eq!(
        c.cmd(&["DEL"]),
        err("ERR wrong number of arguments for 'del' command")
    );
}

#[test]
fn expire_options_and_errors() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["EXPIRE", "k", "100"]), int(0));
    c.cmd(&["SET", "k", "v"]);
    assert_eq!(
        c.cmd(&["EXPIRE", "k", "100", "foo"]),
        err("ERR Unsupported option foo")
    );
    assert_eq!(
        c.cmd(&["EXPIRE", "k", "abc", "nx", "xx"]),
        err("ERR NX and XX, GT or LT options at the same time are not compatible")
    );
    assert_eq!(
        c.cmd(&["PEXPIRE", "k", "100", "gt", "lt"]),
        err("ERR GT and LT options at the same time are not compatible")
    );
    assert_eq!(
        c.cmd(&["EXPIRE", "k", "abc"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        c.cmd(&["EXPIRE", "k", "9223372036854775807"]),
        err("ERR invalid expire time in 'expire' command")
    );
    assert_eq!(
        c.cmd(&["PEXPIRE", "k", "9223372036854775807"]),
        err("ERR invalid expire time in 'pexpire' command")
    );

    // No TTL: XX and GT fail, LT and NX succeed.
    assert_eq!(c.cmd(&["EXPIRE", "k", "100", "XX"]), int(0));
    assert_eq!(c.cmd(&["EXPIRE", "k", "100", "GT"]), int(0));
    assert_eq!(ttl_of(&mut c, "TTL", "k"), -1);
    assert_eq!(c.cmd(&["EXPIRE", "k", "100", "LT"]), int(1));
    assert_eq!(ttl_of(&mut c, "TTL", "k"), 100);
    assert_eq!(c.cmd(&["EXPIRE", "k", "200", "NX"]), int(0));
    assert_eq!(c.cmd(&["EXPIRE", "k", "50", "GT"]), int(0));
    assert_eq!(c.cmd(&["EXPIRE", "k", "200", "GT"]), int(1));
    assert_eq!(c.cmd(&["EXPIRE", "k", "300", "LT"]), int(0));
    assert_eq!(c.cmd(&["EXPIRE", "k", "150", "XX", "LT"]), int(1));
    let pttl = ttl_of(&mut c, "PTTL", "k");
    assert!(pttl > 149_000 && pttl <= 150_000, "{pttl}");

    // Absolute forms and the *TIME readers.
    assert_eq!(c.cmd(&["EXPIREAT", "k", "33177600000"]), int(1));
    assert_eq!(ttl_of(&mut c, "EXPIRETIME", "k"), 33_177_600_000);
    assert_eq!(ttl_of(&mut c, "PEXPIRETIME", "k"), 33_177_600_000_000);
    assert_eq!(c.cmd(&["PEXPIREAT", "k", "33177600000499"]), int(1));
    assert_eq!(ttl_of(&mut c, "EXPIRETIME", "k"), 33_177_600_000);
    assert_eq!(c.cmd(&["PEXPIREAT", "k", "33177600000500"]), int(1));
    assert_eq!(ttl_of(&mut c, "EXPIRETIME", "k"), 33_177_600_001);

    // PERSIST, then the missing-key answers.
    assert_eq!(c.cmd(&["PERSIST", "k"]), int(1));
    assert_eq!(c.cmd(&["PERSIST", "k"]), int(0));
    assert_eq!(ttl_of(&mut c, "PEXPIRETIME", "k"), -1);
    for command in ["TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"] {
        assert_eq!(ttl_of(&mut c, command, "missing"), -2);
    }
    assert_eq!(c.cmd(&["PERSIST", "missing"]), int(0));

    // A time in the past deletes the key.
    assert_eq!(c.cmd(&["EXPIRE", "k", "-1"]), int(1));
    assert_eq!(c.cmd(&["EXISTS", "k"]), int(0));
    c.cmd(&["SET", "k", "v"]);
    assert_eq!(c.cmd(&["PEXPIREAT", "k", "1"]), int(1));
    assert_eq!(c.cmd(&["EXISTS", "k"]), int(0));
}

#[test]
fn expire_is_propagated_as_pexpireat() {
    let n = recording_node();
    let mut c = Conn::new(&n);
    c.cmd(&["SET", "k", "v"]);
    let before = n.stream.offset();
    assert_eq!(c.cmd(&["EXPIREAT", "k", "33177600000", "NX"]), int(1));
    // PEXPIREAT k 33177600000000 NX
    let expected = "*4\r\n$9\r\nPEXPIREAT\r\n$1\r\nk\r\n$14\r\n33177600000000\r\n$2\r\nNX\r\n";
    assert_eq!(n.stream.offset() - before, expected.len() as u64);

    // A refused condition writes nothing.
    let before = n.stream.offset();
    assert_eq!(c.cmd(&["EXPIRE", "k", "10", "NX"]), int(0));
    assert_eq!(n.stream.offset(), before);

    // A past time is propagated as DEL.
    assert_eq!(c.cmd(&["EXPIRE", "k", "0"]), int(1));
    assert_eq!(
        n.stream.offset() - before,
        "*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n".len() as u64
    );
}

#[test]
fn keys_scan_randomkey_dbsize() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["RANDOMKEY"]), NIL);
    assert_eq!(c.cmd(&["KEYS", "*"]), "*0\r\n");
    for i in 0..50 {
        c.cmd(&["SET", &format!("user:{i}"), "x"]);
    }
    c.cmd(&["SET", "other", "y"]);
    assert_eq!(c.cmd(&["DBSIZE"]), int(51));
    assert!(c.cmd(&["KEYS", "*"]).starts_with("*51\r\n"));
    assert!(c.cmd(&["KEYS", "user:*"]).starts_with("*50\r\n"));
    assert_eq!(
        c.cmd(&["KEYS", "oth?r"]),
        format!("*1\r\n{}", bulk("other"))
    );
    assert!(c.cmd(&["RANDOMKEY"]).starts_with('$'));

    // A full iteration returns every key once.
    let mut cursor = "0".to_string();
    let mut seen = Vec::new();
    loop {
        let reply = c.cmd(&["SCAN", &cursor, "COUNT", "3", "MATCH", "user:*"]);
        let lines: Vec<&str> = reply.split("\r\n").collect();
        assert_eq!(lines[0], "*2");
        cursor = lines[2].to_string();
        let count: usize = lines[3][1..].parse().unwrap();
        for i in 0..count {
            seen.push(lines[5 + 2 * i].to_string());
        }
        if cursor == "0" {
            break;
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 50);
    assert!(seen.iter().all(|k| k.starts_with("user:")));

    let all = c.cmd(&["SCAN", "0", "COUNT", "1000", "TYPE", "STRING"]);
    assert!(all.starts_with("*2\r\n$1\r\n0\r\n*51\r\n"), "{all}");
    assert_eq!(
        c.cmd(&["SCAN", "0", "COUNT", "1000", "TYPE", "list"]),
        "*2\r\n$1\r\n0\r\n*0\r\n"
    );
    assert_eq!(c.cmd(&["SCAN", "x"]), err("ERR invalid cursor"));
    assert_eq!(c.cmd(&["SCAN", "0", "COUNT", "0"]), err("ERR syntax error"));
    assert_eq!(
        c.cmd(&["SCAN", "0", "COUNT", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(c.cmd(&["SCAN", "0", "MATCH"]), err("ERR syntax error"));
    assert_eq!(
        c.cmd(&["SCAN", "99999", "COUNT", "5"]),
        "*2\r\n$1\r\n0\r\n*0\r\n"
    );
}

#[test]
fn rename_and_renamenx() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["RENAME", "nokey", "a"]), err("ERR no such key"));
    assert_eq!(c.cmd(&["RENAMENX", "nokey", "a"]), err("ERR no such key"));
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["EXPIRE", "a", "100"]);
    assert_eq!(c.cmd(&["RENAME", "a", "a"]), OK);
    assert_eq!(c.cmd(&["RENAMENX", "a", "a"]), int(0));
    assert_eq!(c.cmd(&["RENAME", "a", "b"]), OK);
    assert_eq!(c.cmd(&["EXISTS", "a"]), int(0));
    assert_eq!(c.cmd(&["GET", "b"]), bulk("1"));
    assert_eq!(ttl_of(&mut c, "TTL", "b"), 100);
    c.cmd(&["SET", "c", "2"]);
    assert_eq!(c.cmd(&["RENAMENX", "b", "c"]), int(0));
    assert_eq!(c.cmd(&["RENAMENX", "b", "d"]), int(1));
    assert_eq!(c.cmd(&["RENAME", "d", "c"]), OK);
    assert_eq!(c.cmd(&["GET", "c"]), bulk("1"));
    assert_eq!(ttl_of(&mut c, "TTL", "c"), 100);
    assert_eq!(c.cmd(&["DBSIZE"]), int(1));
}

#[test]
fn copy_and_move_between_databases() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SET", "k", "v"]);
    c.cmd(&["PEXPIRE", "k", "100000"]);
    assert_eq!(
        c.cmd(&["COPY", "k", "k"]),
        err("ERR source and destination objects are the same")
    );
    assert_eq!(
        c.cmd(&["COPY", "k", "k", "DB", "0"]),
        err("ERR source and destination objects are the same")
    );
    assert_eq!(
        c.cmd(&["COPY", "k", "j", "DB", "99"]),
        err("ERR DB index is out of range")
    );
    assert_eq!(
        c.cmd(&["COPY", "k", "j", "DB", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(c.cmd(&["COPY", "k", "j", "DB"]), err("ERR syntax error"));
    assert_eq!(c.cmd(&["COPY", "k", "j", "foo"]), err("ERR syntax error"));
    assert_eq!(c.cmd(&["COPY", "nope", "j"]), int(0));
    assert_eq!(c.cmd(&["COPY", "k", "j"]), int(1));
    assert_eq!(c.cmd(&["COPY", "k", "j"]), int(0));
    assert_eq!(c.cmd(&["COPY", "k", "k", "DB", "1"]), int(1));
    assert_eq!(c.cmd(&["COPY", "k", "k", "DB", "1"]), int(0));
    assert_eq!(c.cmd(&["COPY", "k", "k", "DB", "1", "REPLACE"]), int(1));
    assert!(ttl_of(&mut c, "PTTL", "j") > 99_000);
    assert_eq!(c.cmd(&["SELECT", "1"]), OK);
    assert_eq!(c.cmd(&["GET", "k"]), bulk("v"));
    assert!(ttl_of(&mut c, "PTTL", "k") > 99_000);

    // MOVE k from db 1 to db 2.
    assert_eq!(
        c.cmd(&["MOVE", "k", "1"]),
        err("ERR source and destination objects are the same")
    );
    assert_eq!(
        c.cmd(&["MOVE", "k", "99"]),
        err("ERR DB index is out of range")
    );
    assert_eq!(
        c.cmd(&["MOVE", "k", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        c.cmd(&["MOVE", "k", "99999999999"]),
        err("ERR value is out of range, value must between -2147483648 and 2147483647")
    );
    assert_eq!(c.cmd(&["MOVE", "nope", "2"]), int(0));
    assert_eq!(c.cmd(&["MOVE", "k", "2"]), int(1));
    assert_eq!(c.cmd(&["EXISTS", "k"]), int(0));
    // Moving onto an existing key does nothing.
    c.cmd(&["SET", "k", "again"]);
    assert_eq!(c.cmd(&["MOVE", "k", "2"]), int(0));
    c.cmd(&["SELECT", "2"]);
    assert_eq!(c.cmd(&["GET", "k"]), bulk("v"));
    assert!(ttl_of(&mut c, "PTTL", "k") > 99_000);
}

#[test]
fn transactions_lock_the_other_database() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SET", "k", "v"]);
    c.cmd(&["MULTI"]);
    c.cmd(&["COPY", "k", "copied", "DB", "3"]);
    c.cmd(&["MOVE", "k", "4"]);
    c.cmd(&["SWAPDB", "3", "5"]);
    assert_eq!(
        c.cmd(&["EXEC"]),
        format!("*3\r\n{}{}{}", int(1), int(1), OK)
    );
    c.cmd(&["SELECT", "5"]);
    assert_eq!(c.cmd(&["GET", "copied"]), bulk("v"));
    c.cmd(&["SELECT", "4"]);
    assert_eq!(c.cmd(&["GET", "k"]), bulk("v"));
}

#[test]
fn object_subcommands() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SET", "small", "100"]);
    c.cmd(&["SET", "big", "123456"]);
    c.cmd(&["SET", "text", "hello"]);
    c.cmd(&["SET", "long", &"x".repeat(45)]);
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "small"]), bulk("int"));
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "text"]), bulk("embstr"));
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "long"]), bulk("raw"));
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "nope"]), NIL);
    assert_eq!(c.cmd(&["OBJECT", "REFCOUNT", "small"]), int(2147483647));
    assert_eq!(c.cmd(&["OBJECT", "REFCOUNT", "big"]), int(1));
    assert_eq!(c.cmd(&["OBJECT", "REFCOUNT", "text"]), int(1));
    assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "text"]), int(0));
    assert_eq!(
        c.cmd(&["OBJECT", "FREQ", "text"]),
        err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
    );
    assert_eq!(c.cmd(&["OBJECT", "FREQ", "nope"]), NIL);
    assert_eq!(
        c.cmd(&["OBJECT", "foo", "text"]),
        err("ERR unknown subcommand 'foo'. Try OBJECT HELP.")
    );
    assert_eq!(
        c.cmd(&["OBJECT", "ENCODING"]),
        err("ERR wrong number of arguments for 'object|encoding' command")
    );
    assert!(c
        .cmd(&["OBJECT", "HELP"])
        .starts_with("*15\r\n+OBJECT <subcommand>"));

    let lfu = n
        .settings()
        .apply(&[("maxmemory-policy".into(), "allkeys-lfu".into())], false)
        .unwrap();
    n.set_settings(lfu);
    assert_eq!(
        c.cmd(&["OBJECT", "IDLETIME", "text"]),
        err("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
    );
    c.cmd(&["SET", "fresh", "v"]);
    assert_eq!(c.cmd(&["OBJECT", "FREQ", "fresh"]), int(5));
}

#[test]
fn flush_and_swap() {
    let n = recording_node();
    let mut c = Conn::new(&n);
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["SELECT", "1"]);
    c.cmd(&["SET", "b", "1"]);
    c.cmd(&["SET", "c", "1"]);
    assert_eq!(
        c.cmd(&["SWAPDB", "0", "x"]),
        err("ERR invalid second DB index")
    );
    assert_eq!(
        c.cmd(&["SWAPDB", "x", "0"]),
        err("ERR invalid first DB index")
    );
    assert_eq!(
        c.cmd(&["SWAPDB", "0", "99"]),
        err("ERR DB index is out of range")
    );
    assert_eq!(
        c.cmd(&["SWAPDB", "0", "99999999999"]),
        err("ERR invalid second DB index")
    );
    assert_eq!(c.cmd(&["SWAPDB", "1", "1"]), OK);
    assert_eq!(c.cmd(&["SWAPDB", "0", "1"]), OK);
    assert_eq!(c.cmd(&["DBSIZE"]), int(1));
    assert_eq!(c.cmd(&["GET", "a"]), bulk("1"));
    assert_eq!(c.cmd(&["FLUSHDB", "bogus"]), err("ERR syntax error"));
    assert_eq!(
        c.cmd(&["FLUSHDB", "SYNC", "ASYNC"]),
        err("ERR syntax error")
    );
    assert_eq!(c.cmd(&["FLUSHDB", "ASYNC"]), OK);
    assert_eq!(c.cmd(&["DBSIZE"]), int(0));
    c.cmd(&["SELECT", "0"]);
    assert_eq!(c.cmd(&["DBSIZE"]), int(2));
    // Flushing an empty database is still propagated.
    c.cmd(&["SELECT", "7"]);
    let before = n.stream.offset();
    assert_eq!(c.cmd(&["FLUSHDB"]), OK);
    assert!(n.stream.offset() > before);
    assert_eq!(c.cmd(&["FLUSHALL", "SYNC"]), OK);
    c.cmd(&["SELECT", "0"]);
    assert_eq!(c.cmd(&["DBSIZE"]), int(0));
}

#[test]
fn watch_sees_keyspace_writes() {
    let n = node();
    let mut c = Conn::new(&n);
    let mut other = Conn::new(&n);
    c.cmd(&["SET", "w", "1"]);
    // `c` watches `key` in db 0 while `other` runs `write`: does EXEC abort?
    let aborts = |c: &mut Conn, other: &mut Conn, key: &str, write: &[&str]| {
        c.cmd(&["WATCH", key]);
        other.cmd(write);
        c.cmd(&["MULTI"]);
        c.cmd(&["PING"]);
        c.cmd(&["EXEC"]) == "*-1\r\n"
    };
    assert!(aborts(&mut c, &mut other, "w", &["EXPIRE", "w", "100"]));
    assert!(aborts(&mut c, &mut other, "w", &["PERSIST", "w"]));
    assert!(!aborts(&mut c, &mut other, "w", &["PERSIST", "w"]));
    assert!(aborts(&mut c, &mut other, "w", &["RENAME", "w", "w2"]));
    assert!(aborts(&mut c, &mut other, "w", &["RENAME", "w2", "w"]));
    assert!(!aborts(
        &mut c,
        &mut other,
        "w",
        &["COPY", "w", "w", "DB", "1"]
    ));
    assert!(aborts(&mut c, &mut other, "w", &["SWAPDB", "0", "3"]));
    // `w` is now in db 3 only: swapping it back changes db 0's `w` too.
    assert!(aborts(&mut c, &mut other, "w", &["SWAPDB", "3", "0"]));
    other.cmd(&["SELECT", "1"]);
    assert!(!aborts(&mut c, &mut other, "w", &["DEL", "w"]));
    other.cmd(&["SET", "m", "1"]);
    assert!(aborts(
        &mut c,
        &mut other,
        "m2",
        &["COPY", "m", "m2", "DB", "0"]
    ));
    assert!(aborts(&mut c, &mut other, "m", &["MOVE", "m", "0"]));
    assert!(aborts(&mut c, &mut other, "w", &["FLUSHALL"]));
}

#[test]
fn keyspace_notifications() {
    let n = node();
    let events = n
        .settings()
        .apply(&[("notify-keyspace-events".into(), "KEA".into())], false)
        .unwrap();
    n.set_settings(events);
    let mut sub = Conn::new(&n);
    sub.cmd(&["PSUBSCRIBE", "__keyevent@*__:*"]);
    let mut c = Conn::new(&n);
    c.cmd(&["SET", "a", "1"]);
    sub.pushed();
    let expect = |sub: &mut Conn, c: &mut Conn, command: &[&str], events: &[(&str, &str)]| {
        c.cmd(command);
        let pushed = sub.pushed();
        for (channel, key) in events {
            let frame = format!("{}{}", bulk(channel), bulk(key));
            assert!(
                pushed.contains(&frame),
                "{command:?}: {channel} {key} not in {pushed:?}"
            );
        }
    };
    expect(
        &mut sub,
        &mut c,
        &["EXPIRE", "a", "100"],
        &[("__keyevent@0__:expire", "a")],
    );
    expect(
        &mut sub,
        &mut c,
        &["PERSIST", "a"],
        &[("__keyevent@0__:persist", "a")],
    );
    expect(
        &mut sub,
        &mut c,
        &["RENAME", "a", "b"],
        &[
            ("__keyevent@0__:rename_from", "a"),
            ("__keyevent@0__:rename_to", "b"),
        ],
    );
    expect(
        &mut sub,
        &mut c,
        &["COPY", "b", "c", "DB", "2"],
        &[("__keyevent@2__:copy_to", "c")],
    );
    expect(
        &mut sub,
        &mut c,
        &["MOVE", "b", "1"],
        &[
            ("__keyevent@0__:move_from", "b"),
            ("__keyevent@1__:move_to", "b"),
        ],
    );
    c.cmd(&["SET", "d", "1"]);
    expect(
        &mut sub,
        &mut c,
        &["DEL", "d"],
        &[("__keyevent@0__:del", "d")],
    );
    c.cmd(&["SET", "d", "1"]);
    expect(
        &mut sub,
        &mut c,
        &["EXPIRE", "d", "-5"],
        &[("__keyevent@0__:del", "d")],
    );
    // Nothing happens, nothing is published.
    c.cmd(&["DEL", "d"]);
    c.cmd(&["PERSIST", "nope"]);
    assert_eq!(sub.pushed(), "");
}
