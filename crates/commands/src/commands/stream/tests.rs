//! The stream commands end to end: requests through dispatch, replies as RESP bytes.

use crate::testing::*;
use std::sync::atomic::Ordering;

/// `[id, [field, value, ...]]`
fn entry(id: &str, items: &[&str]) -> String {
    let mut s = format!("*2\r\n{}*{}\r\n", bulk(id), items.len());
    for item in items {
        s.push_str(&bulk(item));
    }
    s
}

/// XREAD's reply for one stream.
fn read_reply(key: &str, entries: &[String]) -> String {
    array(&[format!("*2\r\n{}{}", bulk(key), array(entries))])
}

const NIL_ARRAY: &str = "*-1\r\n";
const EMPTY: &str = "*0\r\n";
const INVALID_ID: &str = "ERR Invalid stream ID specified as stream command argument";

#[test]
fn add_range_len_del() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["XADD", "s", "1-1", "a", "1"]), bulk("1-1"));
    assert_eq!(c.cmd(&["XADD", "s", "1-*", "b", "2"]), bulk("1-2"));
    assert_eq!(c.cmd(&["XADD", "s", "5", "c", "3", "d", "4"]), bulk("5-0"));
    assert_eq!(c.cmd(&["TYPE", "s"]), "+stream\r\n");
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "s"]), bulk("stream"));
    assert_eq!(c.cmd(&["XLEN", "s"]), int(3));
    assert_eq!(
        c.cmd(&["XRANGE", "s", "-", "+"]),
        array(&[
            entry("1-1", &["a", "1"]),
            entry("1-2", &["b", "2"]),
            entry("5-0", &["c", "3", "d", "4"]),
        ])
    );
    assert_eq!(
        c.cmd(&["XREVRANGE", "s", "+", "(1-1", "COUNT", "1"]),
        array(&[entry("5-0", &["c", "3", "d", "4"])])
    );
    assert_eq!(
        c.cmd(&["XRANGE", "s", "1", "1"]),
        array(&[entry("1-1", &["a", "1"]), entry("1-2", &["b", "2"])])
    );
    assert_eq!(c.cmd(&["XRANGE", "s", "-", "+", "COUNT", "0"]), NIL_ARRAY);
    assert_eq!(c.cmd(&["XRANGE", "nokey", "-", "+"]), EMPTY);
    assert_eq!(c.cmd(&["XRANGE", "s", "(-", "+"]), err(INVALID_ID));
    assert_eq!(
        c.cmd(&["XRANGE", "s", "-", "(0-0"]),
        err("ERR invalid end ID for the interval")
    );
    assert_eq!(
        c.cmd(&["XADD", "s", "5-0", "x", "y"]),
        err("ERR The ID specified in XADD is equal or smaller than the target stream top item")
    );
    assert_eq!(
        c.cmd(&["XADD", "t", "0-0", "x", "y"]),
        err("ERR The ID specified in XADD must be greater than 0-0")
    );
    assert_eq!(c.cmd(&["EXISTS", "t"]), int(0));
    assert_eq!(
        c.cmd(&["XADD", "s", "*", "x"]),
        err("ERR wrong number of arguments for 'xadd' command")
    );
    assert_eq!(c.cmd(&["XADD", "t", "NOMKSTREAM", "*", "x", "y"]), NIL);
    assert_eq!(c.cmd(&["XDEL", "s", "1-2", "9-9"]), int(1));
    assert_eq!(c.cmd(&["XDEL", "s", "bad"]), err(INVALID_ID));
    assert_eq!(c.cmd(&["XLEN", "s"]), int(2));
    c.cmd(&["SET", "str", "x"]);
    assert_eq!(
        c.cmd(&["XLEN", "str"]),
        err("WRONGTYPE Operation against a key holding the wrong kind of value")
    );
}

#[test]
fn trimming() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(
        c.cmd(&["CONFIG", "SET", "stream-node-max-entries", "10"]),
        OK
    );
    for ms in 1..=100 {
        c.cmd(&["XADD", "s", &ms.to_string(), "f", "v"]);
    }
    // Approximate: whole nodes of 10 only.
    assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "~", "55"]), int(40));
    assert_eq!(c.cmd(&["XTRIM", "s", "MAXLEN", "=", "55"]), int(5));
    assert_eq!(c.cmd(&["XTRIM", "s", "MINID", "50"]), int(4));
    assert_eq!(c.cmd(&["XLEN", "s"]), int(51));
    assert_eq!(
        c.cmd(&["XTRIM", "s", "MAXLEN", "1", "LIMIT", "30"]),
        err("ERR syntax error, LIMIT cannot be used without the special ~ option")
    );
    assert_eq!(
        c.cmd(&["XTRIM", "s", "MAXLEN", "1", "MINID", "1"]),
        err("ERR syntax error, MAXLEN and MINID options at the same time are not compatible")
    );
    assert_eq!(
        c.cmd(&["XTRIM", "s", "MAXLEN", "-1"]),
        err("ERR The MAXLEN argument must be >= 0.")
    );
    assert_eq!(
        c.cmd(&["XADD", "s", "MAXLEN", "2", "*", "f", "v"]).len(),
        bulk("1234567890123-0").len()
    );
    assert_eq!(c.cmd(&["XLEN", "s"]), int(2));
    assert_eq!(c.cmd(&["XSETID", "nokey", "1-1"]), err("ERR no such key"));
    assert_eq!(
        c.cmd(&["XSETID", "s", "1-1"]),
        err("ERR The ID specified in XSETID is smaller than the target stream top item")
    );
}

#[test]
fn read_without_blocking() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["XADD", "a", "1", "f", "1"]);
    c.cmd(&["XADD", "a", "2", "f", "2"]);
    assert_eq!(
        c.cmd(&["XREAD", "COUNT", "1", "STREAMS", "none", "a", "0", "0"]),
        read_reply("a", &[entry("1-0", &["f", "1"])])
    );
    assert_eq!(c.cmd(&["XREAD", "STREAMS", "a", "$"]), NIL_ARRAY);
    assert_eq!(
        c.cmd(&["XREAD", "STREAMS", "a", "b", "c"]),
        err("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.")
    );
    assert_eq!(
        c.cmd(&["XREAD", "STREAMS", "a", ">"]),
        err("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.")
    );
    assert_eq!(
        c.cmd(&["XREAD", "BLOCK", "-1", "STREAMS", "a", "0"]),
        err("ERR timeout is negative")
    );
    // Inside a transaction a read never blocks.
    assert_eq!(c.cmd(&["MULTI"]), OK);
    assert_eq!(
        c.cmd(&["XREAD", "BLOCK", "0", "STREAMS", "a", "$"]),
        "+QUEUED\r\n"
    );
    assert_eq!(c.cmd(&["EXEC"]), format!("*1\r\n{NIL_ARRAY}"));
}

#[test]
fn blocked_read_wakes_on_add_only_for_new_entries() {
    let n = node();
    let mut reader = Conn::new(&n);
    let mut writer = Conn::new(&n);
    writer.cmd(&["XADD", "s", "1", "old", "x"]);
    let args = ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"];
    let (reply, blocked) = reader.run(&args);
    assert_eq!(reply, "");
    let blocked = blocked.expect("blocks");
    assert_eq!(n.blocking.blocked_clients(), 1);
    // Another key's write leaves it waiting; a write to its key that adds nothing
    // wakes it, and it waits again.
    writer.cmd(&["SET", "other", "x"]);
    assert!(!blocked.waiter.woken.load(Ordering::Relaxed));
    writer.cmd(&["XTRIM", "s", "MAXLEN", "5"]);
    assert!(blocked.waiter.woken.load(Ordering::Relaxed));
    let (reply, again) = reader.rerun(&blocked, &args);
    assert_eq!(reply, "");
    let blocked = again.expect("waits again");
    writer.cmd(&["XADD", "s", "2", "new", "y"]);
    assert!(blocked.waiter.woken.load(Ordering::Relaxed));
    writer.cmd(&["XADD", "s", "3", "newer", "z"]);
    let (reply, again) = reader.rerun(&blocked, &args);
    assert!(again.is_none());
    assert_eq!(
        reply,
        read_reply(
            "s",
            &[entry("2-0", &["new", "y"]), entry("3-0", &["newer", "z"])]
        )
    );
    assert_eq!(n.blocking.blocked_clients(), 0);
}

#[test]
fn blocked_group_reader_learns_its_group_is_gone() {
    let n = node();
    let mut reader = Conn::new(&n);
    let mut writer = Conn::new(&n);
    assert_eq!(
        writer.cmd(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]),
        OK
    );
    let args = [
        "XREADGROUP",
        "GROUP",
        "g",
        "alice",
        "BLOCK",
        "0",
        "STREAMS",
        "s",
        ">",
    ];
    let (_, blocked) = reader.run(&args);
    let blocked = blocked.expect("blocks");
    assert_eq!(writer.cmd(&["XGROUP", "DESTROY", "s", "g"]), int(1));
    assert!(blocked.waiter.woken.load(Ordering::Relaxed));
    let (reply, _) = reader.rerun(&blocked, &args);
    assert_eq!(
        reply,
        err("NOGROUP the consumer group this client was blocked on no longer exists")
    );

    writer.cmd(&["XGROUP", "CREATE", "s", "g", "$"]);
    let (_, blocked) = reader.run(&args);
    let blocked = blocked.expect("blocks");
    writer.cmd(&["DEL", "s"]);
    let (reply, _) = reader.rerun(&blocked, &args);
    assert_eq!(reply, err("UNBLOCKED the stream key no longer exists"));
}

#[test]
fn consumer_groups() {
    let n = node();
    let mut c = Conn::new(&n);
    for ms in 1..=3 {
        c.cmd(&["XADD", "s", &ms.to_string(), "f", &ms.to_string()]);
    }
    assert_eq!(
        c.cmd(&["XGROUP", "CREATE", "nokey", "g", "$"]),
        err("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.")
    );
    assert_eq!(c.cmd(&["XGROUP", "CREATE", "s", "g", "0"]), OK);
    assert_eq!(
        c.cmd(&["XGROUP", "CREATE", "s", "g", "0"]),
        err("BUSYGROUP Consumer Group name already exists")
    );
    assert_eq!(
        c.cmd(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "alice",
            "COUNT",
            "2",
            "STREAMS",
            "s",
            ">"
        ]),
        read_reply("s", &[entry("1-0", &["f", "1"]), entry("2-0", &["f", "2"])])
    );
    assert_eq!(
        c.cmd(&["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"]),
        read_reply("s", &[entry("3-0", &["f", "3"])])
    );
    assert_eq!(
        c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"]),
        read_reply("s", &[entry("1-0", &["f", "1"]), entry("2-0", &["f", "2"])])
    );
    assert_eq!(
        c.cmd(&["XREADGROUP", "GROUP", "nog", "alice", "STREAMS", "s", ">"]),
        err("NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option")
    );
    assert_eq!(
        c.cmd(&["XPENDING", "s", "g"]),
        format!(
            "*4\r\n{}{}{}*2\r\n*2\r\n{}{}*2\r\n{}{}",
            int(3),
            bulk("1-0"),
            bulk("3-0"),
            bulk("alice"),
            bulk("2"),
            bulk("bob"),
            bulk("1")
        )
    );
    assert_eq!(c.cmd(&["XACK", "s", "g", "1-0", "9-0"]), int(1));
    assert_eq!(c.cmd(&["XACK", "s", "g", "bad"]), err(INVALID_ID));
    assert_eq!(
        c.cmd(&["XCLAIM", "s", "g", "carol", "0", "2-0", "JUSTID"]),
        array(&[bulk("2-0")])
    );
    assert_eq!(
        c.cmd(&["XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "5"]),
        format!(
            "*3\r\n{}{}{EMPTY}",
            bulk("0-0"),
            array(&[entry("2-0", &["f", "2"]), entry("3-0", &["f", "3"])])
        )
    );
    assert_eq!(
        c.cmd(&["XAUTOCLAIM", "s", "g", "carol", "0", "0", "COUNT", "0"]),
        err("ERR COUNT must be > 0")
    );
    assert_eq!(c.cmd(&["XGROUP", "DELCONSUMER", "s", "g", "carol"]), int(2));
    assert_eq!(
        c.cmd(&["XGROUP", "CREATECONSUMER", "s", "g", "dave"]),
        int(1)
    );
    assert_eq!(
        c.cmd(&["XGROUP", "CREATECONSUMER", "s", "g", "dave"]),
        int(0)
    );
    assert_eq!(
        c.cmd(&["XGROUP", "SETID", "s", "nog", "0"]),
        err("NOGROUP No such consumer group 'nog' for key name 's'")
    );
    assert_eq!(c.cmd(&["XGROUP", "SETID", "s", "g", "0"]), OK);
    let groups = c.cmd(&["XINFO", "GROUPS", "s"]);
    assert!(groups.contains(&bulk("last-delivered-id")), "{groups}");
    assert!(c
        .cmd(&["XINFO", "STREAM", "s", "FULL"])
        .starts_with("*18\r\n"));
    assert!(c.cmd(&["XINFO", "STREAM", "s"]).starts_with("*20\r\n"));
    assert_eq!(c.cmd(&["XGROUP", "DESTROY", "s", "g"]), int(1));
    assert_eq!(c.cmd(&["XGROUP", "DESTROY", "s", "g"]), int(0));
}

#[test]
fn copy_and_rename_keep_groups() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["XADD", "s", "1", "f", "v"]);
    c.cmd(&["XGROUP", "CREATE", "s", "g", "0"]);
    assert_eq!(c.cmd(&["COPY", "s", "t"]), int(1));
    assert_eq!(c.cmd(&["RENAME", "s", "u"]), OK);
    for key in ["t", "u"] {
        assert_eq!(
            c.cmd(&["XREADGROUP", "GROUP", "g", "a", "STREAMS", key, ">"]),
            read_reply(key, &[entry("1-0", &["f", "v"])])
        );
    }
}
