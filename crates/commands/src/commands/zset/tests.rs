//! The sorted set commands end to end: requests through dispatch, replies as RESP.

use crate::dispatch::execute;
use crate::testing::*;
use ferrocache_protocol::{Reply, RespVersion};

/// Replays the tab-separated commands of the file named by `ZSET_SCRIPT`, one per
/// line, printing each raw reply on a line (for comparison with redis-server).
#[test]
#[ignore]
fn replay() {
    let Ok(path) = std::env::var("ZSET_SCRIPT") else {
        return;
    };
    let n = node();
    let mut c = Conn::new(&n);
    let mut events = Conn::new(&n);
    events.cmd(&["PSUBSCRIBE", "__keyevent@0__:*"]);
    let _ = events.pushed();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        if line.is_empty() {
            continue;
        }
        let args: Vec<&[u8]> = line.split('\t').map(str::as_bytes).collect();
        let reply = String::from_utf8_lossy(&c.raw(&args)).into_owned();
        println!("{}", reply.replace('\r', "\\r").replace('\n', "\\n"));
    }
    let _ = c.pushed();
    if let Ok(path) = std::env::var("ZSET_EVENTS") {
        std::fs::write(path, events.pushed()).unwrap();
    }
}

fn arr(items: &[&str]) -> String {
    let mut s = format!("*{}\r\n", items.len());
    for item in items {
        s.push_str(&bulk(item));
    }
    s
}

#[test]
fn zadd_options_and_errors() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["ZADD", "z", "1", "a", "2", "b"]), int(2));
    assert_eq!(
        c.cmd(&["ZADD", "z", "NX", "XX", "1", "a"]),
        err("ERR XX and NX options at the same time are not compatible")
    );
    assert_eq!(
        c.cmd(&["ZADD", "z", "GT", "LT", "1", "a"]),
        err("ERR GT, LT, and/or NX options at the same time are not compatible")
    );
    assert_eq!(
        c.cmd(&["ZADD", "z", "INCR", "1", "a", "1", "b"]),
        err("ERR INCR option supports a single increment-element pair")
    );
    assert_eq!(
        c.cmd(&["ZADD", "z", "x", "a"]),
        err("ERR value is not a valid float")
    );
    assert_eq!(
        c.cmd(&["ZADD", "z", "1", "a", "2"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["ZADD", "z", "CH", "5", "a", "2", "b", "3", "c"]),
        int(2)
    );
    assert_eq!(c.cmd(&["ZADD", "z", "GT", "CH", "1", "a"]), int(0));
    assert_eq!(c.cmd(&["ZADD", "z", "INCR", "LT", "1", "a"]), NIL);
    assert_eq!(c.cmd(&["ZADD", "z", "INCR", "1.5", "a"]), bulk("6.5"));
    assert_eq!(c.cmd(&["ZADD", "z", "XX", "1", "new"]), int(0));
    assert_eq!(c.cmd(&["ZADD", "i", "+inf", "a"]), int(1));
    assert_eq!(
        c.cmd(&["ZINCRBY", "i", "-inf", "a"]),
        err("ERR resulting score is not a number (NaN)")
    );
    assert_eq!(c.cmd(&["ZSCORE", "i", "a"]), bulk("inf"));
    assert_eq!(c.cmd(&["ZADD", "f", "0.1", "a"]), int(1));
    assert_eq!(c.cmd(&["ZSCORE", "f", "a"]), bulk("0.10000000000000001"));
    c.cmd(&["SET", "s", "v"]);
    assert_eq!(
        c.cmd(&["ZADD", "s", "1", "a"]),
        err("WRONGTYPE Operation against a key holding the wrong kind of value")
    );
}

#[test]
fn ranges_by_rank_score_and_lex() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"]);
    assert_eq!(
        c.cmd(&["ZRANGE", "z", "0", "-1"]),
        arr(&["a", "b", "c", "d"])
    );
    assert_eq!(c.cmd(&["ZRANGE", "z", "-2", "-1", "REV"]), arr(&["b", "a"]));
    assert_eq!(
        c.cmd(&["ZRANGE", "z", "0", "0", "WITHSCORES"]),
        arr(&["a", "1"])
    );
    assert_eq!(
        c.cmd(&["ZRANGE", "z", "(1", "+inf", "BYSCORE", "LIMIT", "1", "1"]),
        arr(&["c"])
    );
    assert_eq!(
        c.cmd(&["ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "0", "2"]),
        arr(&["d", "c"])
    );
    assert_eq!(c.cmd(&["ZRANGEBYSCORE", "z", "2", "(4"]), arr(&["b", "c"]));
    assert_eq!(
        c.cmd(&["ZREVRANGEBYSCORE", "z", "(4", "2"]),
        arr(&["c", "b"])
    );
    assert_eq!(
        c.cmd(&["ZRANGE", "z", "0", "-1", "LIMIT", "0", "1"]),
        err(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
        )
    );
    assert_eq!(
        c.cmd(&["ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"]),
        err("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
    );
    assert_eq!(
        c.cmd(&["ZRANGEBYSCORE", "z", "x", "1"]),
        err("ERR min or max is not a float")
    );
    assert_eq!(
        c.cmd(&["ZRANGEBYLEX", "z", "a", "+"]),
        err("ERR min or max not valid string range item")
    );
    c.cmd(&["ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"]);
    assert_eq!(c.cmd(&["ZRANGEBYLEX", "l", "(a", "[c"]), arr(&["b", "c"]));
    assert_eq!(c.cmd(&["ZREVRANGEBYLEX", "l", "+", "(b"]), arr(&["d", "c"]));
    assert_eq!(c.cmd(&["ZLEXCOUNT", "l", "-", "+"]), int(4));
    assert_eq!(c.cmd(&["ZCOUNT", "z", "(1", "3"]), int(2));
    assert_eq!(c.cmd(&["ZRANK", "z", "c"]), int(2));
    assert_eq!(c.cmd(&["ZREVRANK", "z", "c"]), int(1));
    assert_eq!(c.cmd(&["ZRANK", "z", "x"]), NIL);
    assert_eq!(c.cmd(&["ZRANGESTORE", "d", "z", "1", "2"]), int(2));
    assert_eq!(c.cmd(&["ZRANGE", "d", "0", "-1"]), arr(&["b", "c"]));
    assert_eq!(c.cmd(&["ZRANGESTORE", "d", "z", "5", "6"]), int(0));
    assert_eq!(c.cmd(&["EXISTS", "d"]), int(0));
    assert_eq!(c.cmd(&["ZREMRANGEBYSCORE", "z", "(1", "2"]), int(1));
    assert_eq!(c.cmd(&["ZREMRANGEBYRANK", "z", "0", "0"]), int(1));
    assert_eq!(c.cmd(&["ZREMRANGEBYLEX", "l", "-", "+"]), int(4));
    assert_eq!(c.cmd(&["EXISTS", "l"]), int(0));
}

#[test]
fn resp3_scores_are_doubles_and_pairs_nest() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["HELLO", "3"]);
    c.cmd(&["ZADD", "z", "1.5", "a", "2", "b"]);
    assert_eq!(c.cmd(&["ZSCORE", "z", "a"]), ",1.5\r\n");
    assert_eq!(
        c.cmd(&["ZRANGE", "z", "0", "0", "WITHSCORES"]),
        "*1\r\n*2\r\n$1\r\na\r\n,1.5\r\n"
    );
    assert_eq!(c.cmd(&["ZPOPMIN", "z"]), "*2\r\n$1\r\na\r\n,1.5\r\n");
    assert_eq!(
        c.cmd(&["ZPOPMAX", "z", "1"]),
        "*1\r\n*2\r\n$1\r\nb\r\n,2\r\n"
    );
}

#[test]
fn pops_and_notifications() {
    let n = node();
    let mut c = Conn::new(&n);
    let mut events = Conn::new(&n);
    c.cmd(&["CONFIG", "SET", "notify-keyspace-events", "KEA"]);
    events.cmd(&["PSUBSCRIBE", "__keyevent@0__:*"]);
    let _ = events.pushed();
    c.cmd(&["ZADD", "z", "1", "a", "2", "b", "3", "c"]);
    assert_eq!(c.cmd(&["ZPOPMIN", "z", "2"]), arr(&["a", "1", "b", "2"]));
    assert_eq!(
        c.cmd(&["ZMPOP", "2", "none", "z", "MAX", "COUNT", "5"]),
        "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"
    );
    assert_eq!(c.cmd(&["ZMPOP", "1", "z", "MIN"]), "*-1\r\n");
    assert_eq!(
        c.cmd(&["ZPOPMIN", "z", "-1"]),
        err("ERR value is out of range, must be positive")
    );
    let pushed = events.pushed();
    let order: Vec<&str> = ["zadd", "zpopmin", "zpopmax", "del"]
        .iter()
        .map(|e| {
            assert!(pushed.contains(&format!("__keyevent@0__:{e}")), "{e}");
            *e
        })
        .collect();
    assert_eq!(order.len(), 4);
    assert!(pushed.find(":zpopmax").unwrap() < pushed.find(":del").unwrap());
}

#[test]
fn blocking_pops_wait_and_zadd_wakes_them() {
    let n = node();
    let mut a = Conn::new(&n);
    let mut b = Conn::new(&n);
    let mut out = Reply::new(RespVersion::Resp2);
    let args: Vec<&[u8]> = vec![b"BZPOPMIN", b"k", b"0"];
    let blocked = execute(&n, &mut a.client, &mut out, &args).expect("blocks");
    assert!(out.buf.is_empty());
    assert_eq!(blocked.block.keys, vec![(0, b"k".to_vec())]);
    b.cmd(&["ZADD", "k", "1", "x"]);
    assert!(blocked
        .waiter
        .woken
        .load(std::sync::atomic::Ordering::Relaxed));
    crate::dispatch::forget_blocked(&n, &blocked);
    assert_eq!(a.cmd(&["BZPOPMIN", "k", "0"]), arr(&["k", "x", "1"]));
    assert_eq!(a.cmd(&["BZMPOP", "0.01", "1", "k", "MIN"]), "*-1\r\n");
}

#[test]
fn set_operations() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["ZADD", "a", "1", "x", "2", "y"]);
    c.cmd(&["ZADD", "b", "10", "y", "20", "z"]);
    c.cmd(&["SADD", "s", "y"]);
    assert_eq!(
        c.cmd(&["ZUNION", "2", "a", "b", "WITHSCORES"]),
        arr(&["x", "1", "y", "12", "z", "20"])
    );
    assert_eq!(
        c.cmd(&[
            "ZINTER",
            "3",
            "a",
            "b",
            "s",
            "AGGREGATE",
            "MAX",
            "WITHSCORES"
        ]),
        arr(&["y", "10"])
    );
    assert_eq!(c.cmd(&["ZDIFF", "2", "a", "b"]), arr(&["x"]));
    assert_eq!(c.cmd(&["ZINTERCARD", "2", "a", "b", "LIMIT", "5"]), int(1));
    assert_eq!(
        c.cmd(&["ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "2", "1"]),
        int(3)
    );
    assert_eq!(
        c.cmd(&["ZRANGE", "d", "0", "-1", "WITHSCORES"]),
        arr(&["x", "2", "y", "14", "z", "20"])
    );
    assert_eq!(
        c.cmd(&["ZUNION", "0", "a"]),
        err("ERR at least 1 input key is needed for 'zunion' command")
    );
    assert_eq!(
        c.cmd(&["ZUNION", "1", "a", "WEIGHTS", "x"]),
        err("ERR weight value is not a float")
    );
    assert_eq!(c.cmd(&["ZINTERSTORE", "d", "2", "a", "nokey"]), int(0));
    assert_eq!(c.cmd(&["EXISTS", "d"]), int(0));
}

#[test]
fn encoding_and_scan() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["ZADD", "z", "1", "a", "2", "b"]);
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "z"]), bulk("listpack"));
    assert_eq!(
        c.cmd(&["ZSCAN", "z", "0"]),
        "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"
    );
    let long = "x".repeat(65);
    c.cmd(&["ZADD", "z", "3", &long]);
    c.cmd(&["ZREM", "z", &long]);
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "z"]), bulk("skiplist"));
    for i in 0..200 {
        c.cmd(&["ZADD", "big", &i.to_string(), &format!("m{i}")]);
    }
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "big"]), bulk("skiplist"));
    let mut cursor = "0".to_string();
    let mut seen = 0;
    loop {
        let reply = c.cmd(&["ZSCAN", "big", &cursor, "COUNT", "20"]);
        let lines: Vec<&str> = reply.split("\r\n").collect();
        cursor = lines[2].to_string();
        seen += lines.iter().filter(|l| l.starts_with('m')).count();
        if cursor == "0" {
            break;
        }
    }
    assert_eq!(seen, 200);
    assert_eq!(
        c.cmd(&["ZRANDMEMBER", "z", "-3"]).matches("$1\r\n").count(),
        3
    );
    assert_eq!(c.cmd(&["ZRANDMEMBER", "nokey"]), NIL);
}
