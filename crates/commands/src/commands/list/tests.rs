//! The list commands end to end: requests through dispatch, replies as RESP bytes.

use crate::testing::*;
use ferrocache_protocol::RespVersion;

/// `[key, [elements...]]`, as LMPOP replies.
fn keyed(key: &str, items: &[&str]) -> String {
    format!("*2\r\n{}{}", bulk(key), bulks(items))
}

const NIL_ARRAY: &str = "*-1\r\n";
const EMPTY: &str = "*0\r\n";
const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

#[test]
fn push_pop_len_range() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["LPUSHX", "l", "a"]), int(0));
    assert_eq!(c.cmd(&["RPUSHX", "l", "a", "b"]), int(0));
    assert_eq!(c.cmd(&["EXISTS", "l"]), int(0));
    assert_eq!(c.cmd(&["RPUSH", "l", "c", "d"]), int(2));
    assert_eq!(c.cmd(&["LPUSH", "l", "b", "a"]), int(4));
    assert_eq!(c.cmd(&["TYPE", "l"]), "+list\r\n");
    assert_eq!(
        c.cmd(&["LRANGE", "l", "0", "-1"]),
        bulks(&["a", "b", "c", "d"])
    );
    assert_eq!(c.cmd(&["LPUSHX", "l", "z"]), int(5));
    assert_eq!(c.cmd(&["RPUSHX", "l", "y", "x"]), int(7));
    assert_eq!(c.cmd(&["LLEN", "l"]), int(7));
    assert_eq!(c.cmd(&["LPOP", "l"]), bulk("z"));
    assert_eq!(c.cmd(&["RPOP", "l"]), bulk("x"));
    assert_eq!(c.cmd(&["LPOP", "l", "2"]), bulks(&["a", "b"]));
    assert_eq!(c.cmd(&["RPOP", "l", "2"]), bulks(&["y", "d"]));
    assert_eq!(c.cmd(&["LPOP", "l", "0"]), EMPTY);
    // A huge count pops what there is; the emptied list is deleted.
    assert_eq!(c.cmd(&["RPOP", "l", "9223372036854775807"]), bulks(&["c"]));
    assert_eq!(c.cmd(&["EXISTS", "l"]), int(0));
    assert_eq!(c.cmd(&["LPOP", "l"]), NIL);
    assert_eq!(c.cmd(&["LPOP", "l", "0"]), NIL_ARRAY);
    assert_eq!(c.cmd(&["LPOP", "l", "3"]), NIL_ARRAY);
    assert_eq!(c.cmd(&["LLEN", "l"]), int(0));
    assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), EMPTY);

    let positive = err("ERR value is out of range, must be positive");
    assert_eq!(c.cmd(&["LPOP", "l", "-1"]), positive);
    assert_eq!(c.cmd(&["LPOP", "l", "x"]), positive);
    assert_eq!(
        c.cmd(&["LPOP", "l", "1", "2"]),
        err("ERR wrong number of arguments for 'lpop' command")
    );
    assert_eq!(
        c.cmd(&["RPUSH", "l"]),
        err("ERR wrong number of arguments for 'rpush' command")
    );
}

#[test]
fn wrong_type() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SET", "s", "v"]);
    c.cmd(&["RPUSH", "l", "a"]);
    for command in [
        &["LPUSH", "s", "a"][..],
        &["RPUSHX", "s", "a"],
        &["LPOP", "s"],
        &["RPOP", "s", "0"],
        &["LLEN", "s"],
        &["LINDEX", "s", "0"],
        &["LINDEX", "s", "x"],
        &["LSET", "s", "0", "a"],
        &["LRANGE", "s", "0", "1"],
        &["LTRIM", "s", "0", "1"],
        &["LREM", "s", "0", "a"],
        &["LINSERT", "s", "before", "a", "b"],
        &["LPOS", "s", "a"],
        &["LMOVE", "s", "l", "left", "left"],
        &["LMOVE", "l", "s", "left", "left"],
        &["RPOPLPUSH", "s", "l"],
        &["LMPOP", "2", "nope", "s", "left"],
        &["BLPOP", "nope", "s", "0"],
        &["BLMOVE", "s", "l", "left", "left", "0"],
        &["BLMPOP", "0", "1", "s", "right"],
    ] {
        assert_eq!(c.cmd(command), WRONGTYPE, "{command:?}");
    }
    // Nothing moved.
    assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), bulks(&["a"]));
    assert_eq!(c.cmd(&["GET", "s"]), bulk("v"));
    // A key found earlier wins over a later key of another type.
    assert_eq!(c.cmd(&["LMPOP", "2", "l", "s", "left"]), keyed("l", &["a"]));
}

#[test]
fn index_set_insert() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["RPUSH", "l", "a", "b", "c"]);
    assert_eq!(c.cmd(&["LINDEX", "l", "0"]), bulk("a"));
    assert_eq!(c.cmd(&["LINDEX", "l", "-1"]), bulk("c"));
    assert_eq!(c.cmd(&["LINDEX", "l", "3"]), NIL);
    assert_eq!(c.cmd(&["LINDEX", "l", "-4"]), NIL);
    assert_eq!(c.cmd(&["LINDEX", "l", "-9223372036854775808"]), NIL);
    assert_eq!(
        c.cmd(&["LINDEX", "l", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(c.cmd(&["LINDEX", "nope", "x"]), NIL);

    assert_eq!(c.cmd(&["LSET", "l", "1", "B"]), OK);
    assert_eq!(c.cmd(&["LSET", "l", "-1", "C"]), OK);
    assert_eq!(
        c.cmd(&["LSET", "l", "3", "x"]),
        err("ERR index out of range")
    );
    assert_eq!(
        c.cmd(&["LSET", "l", "-4", "x"]),
        err("ERR index out of range")
    );
    assert_eq!(c.cmd(&["LSET", "nope", "0", "x"]), err("ERR no such key"));
    assert_eq!(c.cmd(&["LSET", "nope", "x", "x"]), err("ERR no such key"));
    assert_eq!(
        c.cmd(&["LSET", "l", "x", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), bulks(&["a", "B", "C"]));

    assert_eq!(c.cmd(&["LINSERT", "l", "BEFORE", "a", "0"]), int(4));
    assert_eq!(c.cmd(&["LINSERT", "l", "after", "C", "D"]), int(5));
    assert_eq!(c.cmd(&["LINSERT", "l", "after", "a", "A"]), int(6));
    assert_eq!(c.cmd(&["LINSERT", "l", "after", "zz", "A"]), int(-1));
    assert_eq!(c.cmd(&["LINSERT", "nope", "after", "a", "A"]), int(0));
    assert_eq!(
        c.cmd(&["LINSERT", "l", "middle", "a", "A"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["LINSERT", "nope", "middle", "a", "A"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["LRANGE", "l", "0", "-1"]),
        bulks(&["0", "a", "A", "B", "C", "D"])
    );
    assert_eq!(c.cmd(&["EXISTS", "nope"]), int(0));
}

#[test]
fn ranges_and_trims() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["RPUSH", "l", "0", "1", "2", "3", "4", "5"]);
    assert_eq!(c.cmd(&["LRANGE", "l", "1", "2"]), bulks(&["1", "2"]));
    assert_eq!(c.cmd(&["LRANGE", "l", "-2", "100"]), bulks(&["4", "5"]));
    assert_eq!(c.cmd(&["LRANGE", "l", "-100", "0"]), bulks(&["0"]));
    assert_eq!(c.cmd(&["LRANGE", "l", "3", "2"]), EMPTY);
    assert_eq!(c.cmd(&["LRANGE", "l", "6", "10"]), EMPTY);
    assert_eq!(c.cmd(&["LRANGE", "l", "0", "-7"]), EMPTY);
    assert_eq!(
        c.cmd(&["LRANGE", "l", "-9223372036854775808", "9223372036854775807"]),
        bulks(&["0", "1", "2", "3", "4", "5"])
    );
    assert_eq!(
        c.cmd(&["LRANGE", "nope", "x", "0"]),
        err("ERR value is not an integer or out of range")
    );

    assert_eq!(c.cmd(&["LTRIM", "l", "1", "-2"]), OK);
    assert_eq!(
        c.cmd(&["LRANGE", "l", "0", "-1"]),
        bulks(&["1", "2", "3", "4"])
    );
    assert_eq!(c.cmd(&["LTRIM", "l", "-100", "100"]), OK);
    assert_eq!(c.cmd(&["LLEN", "l"]), int(4));
    assert_eq!(c.cmd(&["LTRIM", "l", "2", "2"]), OK);
    assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), bulks(&["3"]));
    assert_eq!(c.cmd(&["LTRIM", "l", "1", "0"]), OK);
    assert_eq!(c.cmd(&["EXISTS", "l"]), int(0));
    assert_eq!(c.cmd(&["LTRIM", "nope", "0", "1"]), OK);
    assert_eq!(
        c.cmd(&["LTRIM", "nope", "0", "x"]),
        err("ERR value is not an integer or out of range")
    );
}

#[test]
fn lrem_both_directions() {
    let n = node();
    let mut c = Conn::new(&n);
    let fill = |c: &mut Conn| {
        c.cmd(&["DEL", "l"]);
        c.cmd(&["RPUSH", "l", "a", "b", "a", "c", "a", "b"]);
    };
    fill(&mut c);
    assert_eq!(c.cmd(&["LREM", "l", "2", "a"]), int(2));
    assert_eq!(
        c.cmd(&["LRANGE", "l", "0", "-1"]),
        bulks(&["b", "c", "a", "b"])
    );
    fill(&mut c);
    assert_eq!(c.cmd(&["LREM", "l", "-2", "a"]), int(2));
    assert_eq!(
        c.cmd(&["LRANGE", "l", "0", "-1"]),
        bulks(&["a", "b", "c", "b"])
    );
    fill(&mut c);
    assert_eq!(c.cmd(&["LREM", "l", "0", "a"]), int(3));
    assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), bulks(&["b", "c", "b"]));
    fill(&mut c);
    assert_eq!(c.cmd(&["LREM", "l", "-9223372036854775808", "b"]), int(2));
    assert_eq!(c.cmd(&["LREM", "l", "5", "zz"]), int(0));
    assert_eq!(c.cmd(&["LREM", "l", "0", "a"]), int(3));
    assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), bulks(&["c"]));
    assert_eq!(c.cmd(&["LREM", "l", "-1", "c"]), int(1));
    assert_eq!(c.cmd(&["EXISTS", "l"]), int(0));
    assert_eq!(c.cmd(&["LREM", "l", "0", "c"]), int(0));
    assert_eq!(
        c.cmd(&["LREM", "l", "x", "c"]),
        err("ERR value is not an integer or out of range")
    );
}

#[test]
fn lpos_options() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["RPUSH", "l", "a", "b", "a", "c", "a"]);
    assert_eq!(c.cmd(&["LPOS", "l", "a"]), int(0));
    assert_eq!(c.cmd(&["LPOS", "l", "c"]), int(3));
    assert_eq!(c.cmd(&["LPOS", "l", "zz"]), NIL);
    assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK", "2"]), int(2));
    assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK", "-1"]), int(4));
    assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK", "-3"]), int(0));
    assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK", "4"]), NIL);
    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "RANK", "9223372036854775807"]),
        NIL
    );
    // redis-server's overflow on negation makes this one behave as -1.
    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "RANK", "-9223372036854775808"]),
        int(4)
    );
    assert_eq!(c.cmd(&["LPOS", "l", "a", "COUNT", "0"]), ints(&[0, 2, 4]));
    assert_eq!(c.cmd(&["LPOS", "l", "a", "COUNT", "2"]), ints(&[0, 2]));
    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "COUNT", "9223372036854775807"]),
        ints(&[0, 2, 4])
    );
    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "COUNT", "2", "RANK", "2"]),
        ints(&[2, 4])
    );
    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "RANK", "-1", "COUNT", "0"]),
        ints(&[4, 2, 0])
    );
    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "RANK", "-1", "MAXLEN", "2", "COUNT", "0"]),
        ints(&[4])
    );
    assert_eq!(c.cmd(&["LPOS", "l", "a", "MAXLEN", "2", "RANK", "2"]), NIL);
    assert_eq!(c.cmd(&["LPOS", "l", "zz", "COUNT", "0"]), EMPTY);
    assert_eq!(c.cmd(&["LPOS", "nope", "a", "COUNT", "0"]), EMPTY);
    assert_eq!(c.cmd(&["LPOS", "nope", "a"]), NIL);

    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "RANK", "0"]),
        err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
    );
    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "RANK", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "COUNT", "-1"]),
        err("ERR COUNT can't be negative")
    );
    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "COUNT", "x"]),
        err("ERR COUNT can't be negative")
    );
    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "MAXLEN", "-1"]),
        err("ERR MAXLEN can't be negative")
    );
    assert_eq!(c.cmd(&["LPOS", "l", "a", "RANK"]), err("ERR syntax error"));
    assert_eq!(
        c.cmd(&["LPOS", "l", "a", "FOO", "1"]),
        err("ERR syntax error")
    );
}

#[test]
fn lmove_and_rpoplpush() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["RPUSH", "src", "a", "b", "c"]);
    assert_eq!(c.cmd(&["LMOVE", "src", "dst", "LEFT", "RIGHT"]), bulk("a"));
    assert_eq!(c.cmd(&["LMOVE", "src", "dst", "right", "left"]), bulk("c"));
    assert_eq!(c.cmd(&["LRANGE", "dst", "0", "-1"]), bulks(&["c", "a"]));
    assert_eq!(c.cmd(&["RPOPLPUSH", "src", "dst"]), bulk("b"));
    assert_eq!(c.cmd(&["EXISTS", "src"]), int(0));
    assert_eq!(
        c.cmd(&["LRANGE", "dst", "0", "-1"]),
        bulks(&["b", "c", "a"])
    );
    assert_eq!(c.cmd(&["LMOVE", "src", "dst", "left", "left"]), NIL);
    assert_eq!(c.cmd(&["RPOPLPUSH", "src", "dst"]), NIL);
    // Rotation of a list onto itself.
    assert_eq!(c.cmd(&["RPOPLPUSH", "dst", "dst"]), bulk("a"));
    assert_eq!(
        c.cmd(&["LRANGE", "dst", "0", "-1"]),
        bulks(&["a", "b", "c"])
    );
    assert_eq!(c.cmd(&["LMOVE", "dst", "dst", "left", "right"]), bulk("a"));
    assert_eq!(
        c.cmd(&["LRANGE", "dst", "0", "-1"]),
        bulks(&["b", "c", "a"])
    );
    // A single element moved onto its own list stays.
    c.cmd(&["RPUSH", "one", "x"]);
    assert_eq!(c.cmd(&["LMOVE", "one", "one", "left", "left"]), bulk("x"));
    assert_eq!(c.cmd(&["LRANGE", "one", "0", "-1"]), bulks(&["x"]));
    assert_eq!(
        c.cmd(&["LMOVE", "one", "dst", "up", "left"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["LMOVE", "one", "dst", "left", "down"]),
        err("ERR syntax error")
    );
}

#[test]
fn lmpop_arguments_and_replies() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["RPUSH", "b", "1", "2", "3"]);
    assert_eq!(c.cmd(&["LMPOP", "2", "a", "b", "LEFT"]), keyed("b", &["1"]));
    assert_eq!(
        c.cmd(&["LMPOP", "2", "a", "b", "right", "COUNT", "10"]),
        keyed("b", &["3", "2"])
    );
    assert_eq!(c.cmd(&["EXISTS", "b"]), int(0));
    assert_eq!(c.cmd(&["LMPOP", "2", "a", "b", "left"]), NIL_ARRAY);

    let numkeys = err("ERR numkeys should be greater than 0");
    let count = err("ERR count should be greater than 0");
    let syntax = err("ERR syntax error");
    assert_eq!(c.cmd(&["LMPOP", "0", "a", "left"]), numkeys);
    assert_eq!(c.cmd(&["LMPOP", "x", "a", "left"]), numkeys);
    assert_eq!(c.cmd(&["LMPOP", "-1", "a", "left"]), numkeys);
    assert_eq!(c.cmd(&["LMPOP", "2", "a", "left"]), syntax);
    assert_eq!(
        c.cmd(&["LMPOP", "9223372036854775807", "a", "left"]),
        syntax
    );
    assert_eq!(c.cmd(&["LMPOP", "1", "a", "middle"]), syntax);
    assert_eq!(c.cmd(&["LMPOP", "1", "a", "left", "count", "0"]), count);
    assert_eq!(c.cmd(&["LMPOP", "1", "a", "left", "count", "x"]), count);
    assert_eq!(c.cmd(&["LMPOP", "1", "a", "left", "count"]), syntax);
    assert_eq!(
        c.cmd(&["LMPOP", "1", "a", "left", "count", "1", "count", "1"]),
        syntax
    );
    assert_eq!(c.cmd(&["LMPOP", "1", "a", "left", "foo"]), syntax);
}

#[test]
fn blocking_commands_without_waiting() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["RPUSH", "b", "1", "2", "3", "4"]);
    assert_eq!(c.cmd(&["BLPOP", "a", "b", "0"]), bulks(&["b", "1"]));
    assert_eq!(c.cmd(&["BRPOP", "a", "b", "0.5"]), bulks(&["b", "4"]));
    assert_eq!(
        c.cmd(&["BLMPOP", "1", "2", "a", "b", "left", "count", "5"]),
        keyed("b", &["2", "3"])
    );
    assert_eq!(c.cmd(&["EXISTS", "b"]), int(0));
    // Nothing to pop: the command blocks; when the timeout expires it replies this.
    assert_eq!(c.cmd(&["BLPOP", "a", "b", "0.01"]), NIL_ARRAY);
    assert_eq!(c.cmd(&["BRPOP", "a", "0"]), NIL_ARRAY);
    assert_eq!(c.cmd(&["BLMPOP", "0.01", "1", "a", "left"]), NIL_ARRAY);
    assert_eq!(
        c.cmd(&["BLMOVE", "a", "b", "left", "left", "0.01"]),
        NIL_ARRAY
    );
    assert_eq!(c.cmd(&["BRPOPLPUSH", "a", "b", "0.01"]), NIL_ARRAY);

    c.cmd(&["RPUSH", "a", "x", "y"]);
    assert_eq!(
        c.cmd(&["BLMOVE", "a", "b", "right", "left", "0"]),
        bulk("y")
    );
    assert_eq!(c.cmd(&["BRPOPLPUSH", "a", "b", "0"]), bulk("x"));
    assert_eq!(c.cmd(&["LRANGE", "b", "0", "-1"]), bulks(&["x", "y"]));

    let not_float = err("ERR timeout is not a float or out of range");
    let negative = err("ERR timeout is negative");
    assert_eq!(c.cmd(&["BLPOP", "b", "x"]), not_float);
    assert_eq!(c.cmd(&["BLPOP", "b", "nan"]), not_float);
    assert_eq!(c.cmd(&["BLPOP", "b", " 1"]), not_float);
    assert_eq!(c.cmd(&["BLPOP", "b", "-1"]), negative);
    assert_eq!(c.cmd(&["BLPOP", "b", "inf"]), negative);
    assert_eq!(c.cmd(&["BLPOP", "b", "1e16"]), negative);
    assert_eq!(c.cmd(&["BRPOP", "b", "-0.01"]), negative);
    assert_eq!(c.cmd(&["BLMOVE", "b", "c", "left", "left", "-1"]), negative);
    assert_eq!(
        c.cmd(&["BLMOVE", "b", "c", "up", "left", "-1"]),
        err("ERR syntax error")
    );
    assert_eq!(c.cmd(&["BRPOPLPUSH", "b", "c", "x"]), not_float);
    // BLMPOP checks its options before its timeout.
    assert_eq!(
        c.cmd(&["BLMPOP", "x", "0", "b", "left"]),
        err("ERR numkeys should be greater than 0")
    );
    assert_eq!(c.cmd(&["BLMPOP", "x", "1", "b", "left"]), not_float);
    // Errors leave the lists alone.
    assert_eq!(c.cmd(&["LRANGE", "b", "0", "-1"]), bulks(&["x", "y"]));
}

#[test]
fn inside_multi() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["RPUSH", "l", "a", "b"]);
    assert_eq!(c.cmd(&["MULTI"]), OK);
    for command in [
        &["LPUSH", "l", "z"][..],
        &["BLPOP", "nope", "l", "0"],
        &["BLPOP", "nope", "0"],
        &["BLMOVE", "nope", "l", "left", "left", "0"],
        &["BRPOPLPUSH", "l", "m", "0"],
        &["LMPOP", "1", "l", "right", "count", "5"],
        &["BLMPOP", "0", "1", "l", "left"],
    ] {
        assert_eq!(c.cmd(command), "+QUEUED\r\n");
    }
    let expected = [
        "*7\r\n".to_string(),
        int(3),
        bulks(&["l", "z"]),
        NIL_ARRAY.to_string(),
        NIL.to_string(),
        bulk("b"),
        keyed("l", &["a"]),
        NIL_ARRAY.to_string(),
    ]
    .concat();
    assert_eq!(c.cmd(&["EXEC"]), expected);
    assert_eq!(c.cmd(&["LRANGE", "m", "0", "-1"]), bulks(&["b"]));
}

#[test]
fn resp3_nulls() {
    let n = node();
    let mut c = Conn::new(&n);
    c.version = RespVersion::Resp3;
    for command in [
        &["LPOP", "nope"][..],
        &["LPOP", "nope", "1"],
        &["LINDEX", "nope", "0"],
        &["LPOS", "nope", "a"],
        &["LMPOP", "1", "nope", "left"],
        &["BLPOP", "nope", "0"],
        &["BLMOVE", "nope", "x", "left", "left", "0"],
    ] {
        assert_eq!(c.cmd(command), "_\r\n", "{command:?}");
    }
}

#[test]
fn watch_sees_list_writes() {
    let n = node();
    let mut c = Conn::new(&n);
    let mut other = Conn::new(&n);
    c.cmd(&["RPUSH", "l", "a", "b"]);
    for (write, changes) in [
        (&["RPUSH", "l", "c"][..], true),
        (&["LSET", "l", "0", "x"], true),
        (&["LREM", "l", "0", "nothing"], false),
        (&["LINSERT", "l", "before", "nothing", "y"], false),
        (&["LTRIM", "l", "0", "-1"], true),
        (&["LMOVE", "o", "l", "left", "left"], false),
        (&["RPOPLPUSH", "l", "o"], true),
        (&["BLPOP", "l", "0"], true),
    ] {
        c.cmd(&["WATCH", "l"]);
        other.cmd(write);
        c.cmd(&["MULTI"]);
        c.cmd(&["PING"]);
        let aborted = c.cmd(&["EXEC"]) == NIL_ARRAY;
        assert_eq!(aborted, changes, "{write:?}");
    }
}

#[test]
fn propagation() {
    let n = recording_node();
    let mut c = Conn::new(&n);
    let written = |c: &mut Conn, command: &[&str]| {
        let before = n.stream.offset();
        c.cmd(command);
        n.stream.offset() - before
    };
    let encoded = |args: &[&str]| {
        let mut s = format!("*{}\r\n", args.len());
        for a in args {
            s.push_str(&bulk(a));
        }
        s.len() as u64
    };
    assert_eq!(
        written(&mut c, &["RPUSH", "l", "a", "b", "c", "d"]),
        encoded(&["RPUSH", "l", "a", "b", "c", "d"])
    );
    assert_eq!(
        written(&mut c, &["BLPOP", "x", "l", "0"]),
        encoded(&["LPOP", "l"])
    );
    assert_eq!(
        written(&mut c, &["LMPOP", "1", "l", "right", "count", "1"]),
        encoded(&["RPOP", "l", "1"])
    );
    assert_eq!(
        written(&mut c, &["BLMOVE", "l", "m", "left", "left", "1"]),
        encoded(&["LMOVE", "l", "m", "left", "left"])
    );
    assert_eq!(
        written(&mut c, &["BRPOPLPUSH", "l", "m", "1"]),
        encoded(&["RPOPLPUSH", "l", "m"])
    );
    assert_eq!(
        written(&mut c, &["BLMPOP", "1", "1", "m", "left", "count", "100"]),
        encoded(&["LPOP", "m", "2"])
    );
    // Nothing popped, nothing changed: nothing propagated.
    assert_eq!(written(&mut c, &["BLPOP", "x", "0"]), 0);
    assert_eq!(written(&mut c, &["LPOP", "x"]), 0);
    assert_eq!(written(&mut c, &["LMPOP", "1", "x", "left"]), 0);
    c.cmd(&["RPUSH", "l", "a", "b"]);
    assert_eq!(written(&mut c, &["LTRIM", "l", "0", "-1"]), 0);
    assert_eq!(written(&mut c, &["LREM", "l", "0", "zz"]), 0);
    assert_eq!(written(&mut c, &["LPOP", "l", "0"]), 0);
    assert_eq!(
        written(&mut c, &["LTRIM", "l", "1", "-1"]),
        encoded(&["LTRIM", "l", "1", "-1"])
    );
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
    sub.pushed();
    let mut c = Conn::new(&n);
    let expect = |sub: &mut Conn, c: &mut Conn, command: &[&str], events: &[(&str, &str)]| {
        c.cmd(command);
        let pushed = sub.pushed();
        let mut at = 0;
        for (event, key) in events {
            let frame = format!("{}{}", bulk(&format!("__keyevent@0__:{event}")), bulk(key));
            match pushed[at..].find(&frame) {
                Some(found) => at += found + frame.len(),
                None => panic!("{command:?}: {event} {key} not in order in {pushed:?}"),
            }
        }
        assert_eq!(
            pushed.matches("pmessage").count(),
            events.len(),
            "{command:?}: {pushed:?}"
        );
    };
    expect(
        &mut sub,
        &mut c,
        &["RPUSH", "l", "a", "b", "c", "d"],
        &[("rpush", "l")],
    );
    expect(&mut sub, &mut c, &["LPUSH", "l", "z"], &[("lpush", "l")]);
    expect(&mut sub, &mut c, &["LPUSHX", "nope", "z"], &[]);
    expect(&mut sub, &mut c, &["LSET", "l", "0", "y"], &[("lset", "l")]);
    expect(
        &mut sub,
        &mut c,
        &["LINSERT", "l", "before", "a", "x"],
        &[("linsert", "l")],
    );
    expect(
        &mut sub,
        &mut c,
        &["LINSERT", "l", "before", "zz", "x"],
        &[],
    );
    expect(&mut sub, &mut c, &["LREM", "l", "0", "x"], &[("lrem", "l")]);
    expect(&mut sub, &mut c, &["LREM", "l", "0", "x"], &[]);
    expect(
        &mut sub,
        &mut c,
        &["LTRIM", "l", "0", "-1"],
        &[("ltrim", "l")],
    );
    expect(&mut sub, &mut c, &["LPOP", "l"], &[("lpop", "l")]);
    expect(&mut sub, &mut c, &["RPOP", "l", "1"], &[("rpop", "l")]);
    expect(&mut sub, &mut c, &["LPOP", "l", "0"], &[]);
    expect(
        &mut sub,
        &mut c,
        &["LMOVE", "l", "m", "left", "right"],
        &[("rpush", "m"), ("lpop", "l")],
    );
    expect(
        &mut sub,
        &mut c,
        &["BLPOP", "x", "l", "1"],
        &[("lpop", "l")],
    );
    expect(&mut sub, &mut c, &["BLPOP", "x", "1"], &[]);
    expect(
        &mut sub,
        &mut c,
        &["LMPOP", "1", "l", "left"],
        &[("lpop", "l"), ("del", "l")],
    );
    expect(
        &mut sub,
        &mut c,
        &["RPOPLPUSH", "m", "m"],
        &[("lpush", "m"), ("rpop", "m")],
    );
    expect(
        &mut sub,
        &mut c,
        &["BRPOPLPUSH", "m", "l", "0"],
        &[("lpush", "l"), ("rpop", "m"), ("del", "m")],
    );
    expect(
        &mut sub,
        &mut c,
        &["LTRIM", "l", "1", "0"],
        &[("ltrim", "l"), ("del", "l")],
    );
    c.cmd(&["RPUSH", "l", "a"]);
    sub.pushed();
    expect(
        &mut sub,
        &mut c,
        &["LREM", "l", "1", "a"],
        &[("lrem", "l"), ("del", "l")],
    );
}
