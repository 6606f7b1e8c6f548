//! The set commands end to end: requests through dispatch, replies as RESP bytes.

use crate::testing::*;
use ferrocache_protocol::RespVersion;

/// The members a command replies, sorted.
fn sorted_members(c: &mut Conn, args: &[&str]) -> Vec<String> {
    let mut members = bulks(&c.cmd(args));
    members.sort();
    members
}

/// The bulk strings of a reply, in order (array headers skipped).
fn bulks(reply: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut lines = reply.split("\r\n");
    while let Some(line) = lines.next() {
        if line.starts_with('$') && line != "$-1" {
            found.push(lines.next().unwrap_or_default().to_string());
        }
    }
    found
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const EMPTY: &str = "*0\r\n";

#[test]
fn sadd_srem_scard_sismember() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["SADD", "s", "a", "b", "a", "c"]), int(3));
    assert_eq!(c.cmd(&["SADD", "s", "a", "d"]), int(1));
    assert_eq!(c.cmd(&["SADD", "s", "a"]), int(0));
    assert_eq!(c.cmd(&["TYPE", "s"]), "+set\r\n");
    assert_eq!(c.cmd(&["SCARD", "s"]), int(4));
    assert_eq!(c.cmd(&["SCARD", "nope"]), int(0));
    assert_eq!(c.cmd(&["SISMEMBER", "s", "a"]), int(1));
    assert_eq!(c.cmd(&["SISMEMBER", "s", "z"]), int(0));
    assert_eq!(c.cmd(&["SISMEMBER", "nope", "a"]), int(0));
    assert_eq!(
        c.cmd(&["SMISMEMBER", "s", "a", "z", "d"]),
        "*3\r\n:1\r\n:0\r\n:1\r\n"
    );
    assert_eq!(
        c.cmd(&["SMISMEMBER", "nope", "a", "b"]),
        "*2\r\n:0\r\n:0\r\n"
    );
    assert_eq!(
        sorted_members(&mut c, &["SMEMBERS", "s"]),
        strings(&["a", "b", "c", "d"])
    );
    assert_eq!(c.cmd(&["SMEMBERS", "nope"]), EMPTY);
    assert_eq!(c.cmd(&["SREM", "s", "a", "a", "z"]), int(1));
    assert_eq!(c.cmd(&["SREM", "nope", "a"]), int(0));
    assert_eq!(c.cmd(&["SREM", "s", "b", "c", "d", "e"]), int(3));
    assert_eq!(c.cmd(&["EXISTS", "s"]), int(0));

    // Binary members.
    let member: &[u8] = b"\x00\xff\r\n bin";
    assert_eq!(c.raw(&[b"SADD", b"b", member]), b":1\r\n");
    assert_eq!(c.raw(&[b"SISMEMBER", b"b", member]), b":1\r\n");
    let mut expected = b"*1\r\n$8\r\n".to_vec();
    expected.extend_from_slice(member);
    expected.extend_from_slice(b"\r\n");
    assert_eq!(c.raw(&[b"SMEMBERS", b"b"]), expected);

    // Wrong types, arity.
    c.cmd(&["SET", "str", "x"]);
    for command in [
        &["SADD", "str", "a"][..],
        &["SREM", "str", "a"],
        &["SMEMBERS", "str"],
        &["SISMEMBER", "str", "a"],
        &["SMISMEMBER", "str", "a"],
        &["SCARD", "str"],
        &["SPOP", "str"],
        &["SPOP", "str", "0"],
        &["SRANDMEMBER", "str"],
        &["SRANDMEMBER", "str", "2"],
        &["SSCAN", "str", "0"],
    ] {
        assert_eq!(c.cmd(command), err(WRONGTYPE), "{command:?}");
    }
    assert_eq!(
        c.cmd(&["SADD", "s"]),
        err("ERR wrong number of arguments for 'sadd' command")
    );
    assert_eq!(
        c.cmd(&["SMISMEMBER", "s"]),
        err("ERR wrong number of arguments for 'smismember' command")
    );
}

#[test]
fn small_integer_sets_reply_in_order() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SADD", "n", "3", "-1", "10", "2"]);
    let ordered = strings(&["-1", "2", "3", "10"]);
    assert_eq!(bulks(&c.cmd(&["SMEMBERS", "n"])), ordered);
    assert_eq!(bulks(&c.cmd(&["SUNION", "n", "nope"])), ordered);
    assert_eq!(bulks(&c.cmd(&["SINTER", "n", "n"])), ordered);
    assert_eq!(bulks(&c.cmd(&["SRANDMEMBER", "n", "10"])), ordered);
    assert_eq!(bulks(&c.cmd(&["SSCAN", "n", "0"]))[1..], ordered);
}

#[test]
fn resp3_replies_are_sets() {
    let n = node();
    let mut c = Conn::new(&n);
    c.version = RespVersion::Resp3;
    c.cmd(&["SADD", "s", "a"]);
    assert_eq!(c.cmd(&["SMEMBERS", "s"]), "~1\r\n$1\r\na\r\n");
    assert_eq!(c.cmd(&["SMEMBERS", "nope"]), "~0\r\n");
    assert_eq!(c.cmd(&["SINTER", "s", "nope"]), "~0\r\n");
    assert_eq!(c.cmd(&["SUNION", "s", "nope"]), "~1\r\n$1\r\na\r\n");
    assert_eq!(c.cmd(&["SDIFF", "s", "nope"]), "~1\r\n$1\r\na\r\n");
    assert_eq!(c.cmd(&["SPOP", "nope", "3"]), "~0\r\n");
    assert_eq!(c.cmd(&["SRANDMEMBER", "s", "3"]), "*1\r\n$1\r\na\r\n");
    assert_eq!(c.cmd(&["SRANDMEMBER", "nope", "3"]), EMPTY);
    assert_eq!(c.cmd(&["SRANDMEMBER", "nope"]), "_\r\n");
    assert_eq!(c.cmd(&["SPOP", "s", "1"]), "~1\r\n$1\r\na\r\n");
    assert_eq!(c.cmd(&["SPOP", "nope"]), "_\r\n");
}

#[test]
fn spop() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["SPOP", "nope"]), NIL);
    assert_eq!(c.cmd(&["SPOP", "nope", "2"]), EMPTY);
    assert_eq!(
        c.cmd(&["SPOP", "nope", "-1"]),
        err("ERR value is out of range, must be positive")
    );
    assert_eq!(
        c.cmd(&["SPOP", "nope", "x"]),
        err("ERR value is out of range, must be positive")
    );
    assert_eq!(c.cmd(&["SPOP", "nope", "1", "2"]), err("ERR syntax error"));

    c.cmd(&["SADD", "s", "a", "b", "c", "d", "e"]);
    assert_eq!(c.cmd(&["SPOP", "s", "0"]), EMPTY);
    let one = bulks(&c.cmd(&["SPOP", "s"]));
    assert_eq!(one.len(), 1);
    assert_eq!(c.cmd(&["SISMEMBER", "s", &one[0]]), int(0));
    let two = sorted_members(&mut c, &["SPOP", "s", "2"]);
    assert_eq!(two.len(), 2);
    assert_ne!(two[0], two[1]);
    assert_eq!(c.cmd(&["SCARD", "s"]), int(2));
    let rest = sorted_members(&mut c, &["SPOP", "s", "9223372036854775807"]);
    assert_eq!(rest.len(), 2);
    assert_eq!(c.cmd(&["EXISTS", "s"]), int(0));
    let mut all: Vec<String> = one.into_iter().chain(two).chain(rest).collect();
    all.sort();
    assert_eq!(all, strings(&["a", "b", "c", "d", "e"]));

    // Popping the last member deletes the key.
    c.cmd(&["SADD", "s", "x"]);
    assert_eq!(c.cmd(&["SPOP", "s"]), bulk("x"));
    assert_eq!(c.cmd(&["EXISTS", "s"]), int(0));

    // Every member comes out exactly once, whatever the counts.
    let members: Vec<String> = (0..300).map(|i| format!("m{i}")).collect();
    let mut sadd = vec!["SADD", "big"];
    sadd.extend(members.iter().map(String::as_str));
    c.cmd(&sadd);
    let mut popped = Vec::new();
    for count in ["1", "7", "100", "150", "100"] {
        popped.extend(sorted_members(&mut c, &["SPOP", "big", count]));
    }
    popped.sort();
    let mut expected = members.clone();
    expected.sort();
    assert_eq!(popped, expected);
    assert_eq!(c.cmd(&["EXISTS", "big"]), int(0));
}

#[test]
fn spop_propagation() {
    let n = recording_node();
    let mut c = Conn::new(&n);
    c.cmd(&["SADD", "s", "a", "b", "c"]);
    // SPOP s -> SREM s <member>
    let before = n.stream.offset();
    c.cmd(&["SPOP", "s"]);
    assert_eq!(
        n.stream.offset() - before,
        "*3\r\n$4\r\nSREM\r\n$1\r\ns\r\n$1\r\na\r\n".len() as u64
    );
    // SPOP s 1 -> SREM s <member>
    let before = n.stream.offset();
    c.cmd(&["SPOP", "s", "1"]);
    assert_eq!(
        n.stream.offset() - before,
        "*3\r\n$4\r\nSREM\r\n$1\r\ns\r\n$1\r\na\r\n".len() as u64
    );
    // The rest -> DEL s
    let before = n.stream.offset();
    c.cmd(&["SPOP", "s", "5"]);
    assert_eq!(
        n.stream.offset() - before,
        "*2\r\n$3\r\nDEL\r\n$1\r\ns\r\n".len() as u64
    );
    // Nothing popped, nothing propagated.
    let before = n.stream.offset();
    c.cmd(&["SPOP", "s", "5"]);
    c.cmd(&["SPOP", "s"]);
    assert_eq!(n.stream.offset(), before);
}

#[test]
fn srandmember() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["SRANDMEMBER", "nope"]), NIL);
    assert_eq!(c.cmd(&["SRANDMEMBER", "nope", "5"]), EMPTY);
    assert_eq!(c.cmd(&["SRANDMEMBER", "nope", "-5"]), EMPTY);
    assert_eq!(
        c.cmd(&["SRANDMEMBER", "nope", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        c.cmd(&["SRANDMEMBER", "nope", "-9223372036854775808"]),
        err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
    );
    assert_eq!(
        c.cmd(&["SRANDMEMBER", "nope", "1", "2"]),
        err("ERR syntax error")
    );

    c.cmd(&["SADD", "s", "a", "b", "c", "d", "e"]);
    let all = strings(&["a", "b", "c", "d", "e"]);
    assert!(all.contains(&bulks(&c.cmd(&["SRANDMEMBER", "s"]))[0]));
    assert_eq!(c.cmd(&["SRANDMEMBER", "s", "0"]), EMPTY);
    assert_eq!(sorted_members(&mut c, &["SRANDMEMBER", "s", "5"]), all);
    assert_eq!(
        sorted_members(&mut c, &["SRANDMEMBER", "s", "9223372036854775807"]),
        all
    );
    for count in ["1", "2", "3", "4"] {
        let got = sorted_members(&mut c, &["SRANDMEMBER", "s", count]);
        assert_eq!(got.len().to_string(), count);
        assert!(got.windows(2).all(|w| w[0] != w[1]), "{got:?}");
        assert!(got.iter().all(|m| all.contains(m)));
    }
    for count in ["-1", "-3", "-5", "-100"] {
        let got = sorted_members(&mut c, &["SRANDMEMBER", "s", count]);
        assert_eq!(format!("-{}", got.len()), count);
        assert!(got.iter().all(|m| all.contains(m)));
    }
    // Many draws reach every member.
    let mut drawn = sorted_members(&mut c, &["SRANDMEMBER", "s", "-1000"]);
    drawn.dedup();
    assert_eq!(drawn, all);
    assert_eq!(c.cmd(&["SCARD", "s"]), int(5));
}

#[test]
fn srandmember_huge_negative_count_is_cut_off() {
    let n = node();
    let limits = n
        .settings()
        .apply(
            &[("client-output-buffer-limit".into(), "normal 1mb 0 0".into())],
            false,
        )
        .unwrap();
    n.set_settings(limits);
    let mut c = Conn::new(&n);
    c.cmd(&["SADD", "s", "a"]);
    let reply = c.cmd(&["SRANDMEMBER", "s", "-9223372036854775807"]);
    assert!(reply.starts_with("*9223372036854775807\r\n$1\r\na\r\n"));
    assert!(reply.len() < 2 * 1024 * 1024);
    assert!(c.client.shared.is_killed());
}

#[test]
fn smove() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SADD", "src", "a", "b"]);
    c.cmd(&["SET", "str", "x"]);
    assert_eq!(c.cmd(&["SMOVE", "nope", "src", "a"]), int(0));
    assert_eq!(c.cmd(&["SMOVE", "nope", "str", "a"]), int(0));
    assert_eq!(c.cmd(&["SMOVE", "str", "src", "a"]), err(WRONGTYPE));
    assert_eq!(c.cmd(&["SMOVE", "src", "str", "a"]), err(WRONGTYPE));
    assert_eq!(c.cmd(&["SMOVE", "src", "src", "a"]), int(1));
    assert_eq!(c.cmd(&["SMOVE", "src", "src", "z"]), int(0));
    assert_eq!(c.cmd(&["SMOVE", "src", "dst", "z"]), int(0));
    assert_eq!(c.cmd(&["EXISTS", "dst"]), int(0));
    assert_eq!(c.cmd(&["SMOVE", "src", "dst", "a"]), int(1));
    assert_eq!(
        sorted_members(&mut c, &["SMEMBERS", "src"]),
        strings(&["b"])
    );
    assert_eq!(
        sorted_members(&mut c, &["SMEMBERS", "dst"]),
        strings(&["a"])
    );
    c.cmd(&["SADD", "dst", "b"]);
    // Already in the destination: removed from the source only, which empties it.
    assert_eq!(c.cmd(&["SMOVE", "src", "dst", "b"]), int(1));
    assert_eq!(c.cmd(&["EXISTS", "src"]), int(0));
    assert_eq!(
        sorted_members(&mut c, &["SMEMBERS", "dst"]),
        strings(&["a", "b"])
    );
}

#[test]
fn sinter_sunion_sdiff() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SADD", "a", "1", "2", "3", "4"]);
    c.cmd(&["SADD", "b", "2", "3", "5"]);
    c.cmd(&["SADD", "c", "3", "2", "9"]);
    c.cmd(&["SET", "str", "x"]);
    assert_eq!(
        sorted_members(&mut c, &["SINTER", "a", "b", "c"]),
        strings(&["2", "3"])
    );
    assert_eq!(
        sorted_members(&mut c, &["SINTER", "a"]),
        strings(&["1", "2", "3", "4"])
    );
    assert_eq!(
        sorted_members(&mut c, &["SINTER", "a", "a"]),
        strings(&["1", "2", "3", "4"])
    );
    assert_eq!(c.cmd(&["SINTER", "a", "nope"]), EMPTY);
    assert_eq!(c.cmd(&["SINTER", "nope", "str"]), err(WRONGTYPE));
    assert_eq!(c.cmd(&["SINTER", "a", "str"]), err(WRONGTYPE));
    assert_eq!(
        sorted_members(&mut c, &["SUNION", "a", "nope", "b"]),
        strings(&["1", "2", "3", "4", "5"])
    );
    assert_eq!(c.cmd(&["SUNION", "nope"]), EMPTY);
    assert_eq!(c.cmd(&["SUNION", "a", "str"]), err(WRONGTYPE));
    assert_eq!(
        sorted_members(&mut c, &["SDIFF", "a", "b", "c"]),
        strings(&["1", "4"])
    );
    assert_eq!(
        sorted_members(&mut c, &["SDIFF", "a", "nope"]),
        strings(&["1", "2", "3", "4"])
    );
    assert_eq!(c.cmd(&["SDIFF", "nope", "a"]), EMPTY);
    assert_eq!(c.cmd(&["SDIFF", "a", "b", "a"]), EMPTY);
    assert_eq!(c.cmd(&["SDIFF", "nope", "str"]), err(WRONGTYPE));
}

#[test]
fn store_variants() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SADD", "a", "1", "2", "3", "4"]);
    c.cmd(&["SADD", "b", "2", "3", "5"]);
    c.cmd(&["SET", "str", "x"]);
    c.cmd(&["SET", "d", "old", "EX", "100"]);
    assert_eq!(c.cmd(&["SINTERSTORE", "d", "a", "b"]), int(2));
    assert_eq!(c.cmd(&["TTL", "d"]), int(-1));
    assert_eq!(
        sorted_members(&mut c, &["SMEMBERS", "d"]),
        strings(&["2", "3"])
    );
    assert_eq!(c.cmd(&["SUNIONSTORE", "d", "a", "b"]), int(5));
    assert_eq!(c.cmd(&["SDIFFSTORE", "d", "a", "b"]), int(2));
    assert_eq!(
        sorted_members(&mut c, &["SMEMBERS", "d"]),
        strings(&["1", "4"])
    );
    // The destination may be a source.
    assert_eq!(c.cmd(&["SUNIONSTORE", "a", "a", "b"]), int(5));
    assert_eq!(c.cmd(&["SCARD", "a"]), int(5));
    // An empty result deletes the destination.
    assert_eq!(c.cmd(&["SINTERSTORE", "d", "a", "nope"]), int(0));
    assert_eq!(c.cmd(&["EXISTS", "d"]), int(0));
    c.cmd(&["SET", "d", "x"]);
    assert_eq!(c.cmd(&["SDIFFSTORE", "d", "b", "a"]), int(0));
    assert_eq!(c.cmd(&["EXISTS", "d"]), int(0));
    c.cmd(&["SET", "d", "x"]);
    assert_eq!(c.cmd(&["SUNIONSTORE", "d", "nope"]), int(0));
    assert_eq!(c.cmd(&["EXISTS", "d"]), int(0));
    // A wrong type among the sources leaves the destination alone; a wrong-typed
    // destination is replaced.
    c.cmd(&["SET", "d", "x"]);
    assert_eq!(c.cmd(&["SINTERSTORE", "d", "a", "str"]), err(WRONGTYPE));
    assert_eq!(c.cmd(&["GET", "d"]), bulk("x"));
    assert_eq!(c.cmd(&["SUNIONSTORE", "str", "b"]), int(3));
    assert_eq!(c.cmd(&["TYPE", "str"]), "+set\r\n");
}

#[test]
fn sintercard() {
    let n = node();
    let mut c = Conn::new(&n);
    c.cmd(&["SADD", "a", "1", "2", "3", "4"]);
    c.cmd(&["SADD", "b", "2", "3", "4", "5"]);
    c.cmd(&["SET", "str", "x"]);
    assert_eq!(c.cmd(&["SINTERCARD", "2", "a", "b"]), int(3));
    assert_eq!(c.cmd(&["SINTERCARD", "1", "a"]), int(4));
    assert_eq!(c.cmd(&["SINTERCARD", "2", "a", "b", "LIMIT", "2"]), int(2));
    assert_eq!(c.cmd(&["SINTERCARD", "2", "a", "b", "limit", "0"]), int(3));
    assert_eq!(c.cmd(&["SINTERCARD", "2", "a", "b", "LIMIT", "10"]), int(3));
    assert_eq!(c.cmd(&["SINTERCARD", "2", "a", "nope"]), int(0));
    assert_eq!(c.cmd(&["SINTERCARD", "2", "nope", "str"]), err(WRONGTYPE));
    let numkeys = err("ERR numkeys should be greater than 0");
    assert_eq!(c.cmd(&["SINTERCARD", "0", "a"]), numkeys);
    assert_eq!(c.cmd(&["SINTERCARD", "-1", "a"]), numkeys);
    assert_eq!(c.cmd(&["SINTERCARD", "x", "a"]), numkeys);
    assert_eq!(
        c.cmd(&["SINTERCARD", "3", "a", "b"]),
        err("ERR Number of keys can't be greater than number of args")
    );
    let limit = err("ERR LIMIT can't be negative");
    assert_eq!(c.cmd(&["SINTERCARD", "1", "a", "LIMIT", "-1"]), limit);
    assert_eq!(c.cmd(&["SINTERCARD", "1", "a", "LIMIT", "x"]), limit);
    assert_eq!(
        c.cmd(&["SINTERCARD", "1", "a", "LIMIT"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["SINTERCARD", "1", "a", "b"]),
        err("ERR syntax error")
    );
}

#[test]
fn sscan() {
    let n = node();
    let mut c = Conn::new(&n);
    assert_eq!(c.cmd(&["SSCAN", "nope", "0"]), "*2\r\n$1\r\n0\r\n*0\r\n");
    assert_eq!(
        c.cmd(&["SSCAN", "nope", "0", "bad"]),
        "*2\r\n$1\r\n0\r\n*0\r\n"
    );
    assert_eq!(c.cmd(&["SSCAN", "nope", "x"]), err("ERR invalid cursor"));
    c.cmd(&["SADD", "s", "a1", "a2", "b1"]);
    assert_eq!(
        c.cmd(&["SSCAN", "s", "0", "COUNT", "0"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["SSCAN", "s", "0", "COUNT", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        c.cmd(&["SSCAN", "s", "0", "TYPE", "set"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["SSCAN", "s", "0", "MATCH"]),
        err("ERR syntax error")
    );
    let reply = c.cmd(&["SSCAN", "s", "0", "MATCH", "a*", "COUNT", "1"]);
    assert!(reply.starts_with("*2\r\n$1\r\n0\r\n*2\r\n"), "{reply}");
    let mut got = bulks(&reply)[1..].to_vec();
    got.sort();
    assert_eq!(got, strings(&["a1", "a2"]));

    // A large set, iterated in several calls, while it changes.
    let members: Vec<String> = (0..3000).map(|i| format!("m{i}")).collect();
    let mut sadd = vec!["SADD", "big"];
    sadd.extend(members.iter().map(String::as_str));
    c.cmd(&sadd);
    let mut seen = Vec::new();
    let mut cursor = "0".to_string();
    let mut calls = 0;
    loop {
        let reply = c.cmd(&["SSCAN", "big", &cursor, "COUNT", "100"]);
        let mut found = bulks(&reply);
        cursor = found.remove(0);
        seen.extend(found);
        calls += 1;
        c.cmd(&["SADD", "big", &format!("extra{calls}")]);
        if cursor == "0" {
            break;
        }
        assert!(calls < 50);
    }
    assert!(calls > 1);
    for member in &members {
        assert_eq!(seen.iter().filter(|m| *m == member).count(), 1, "{member}");
    }
}

#[test]
fn notifications() {
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
    let mut expect = |command: &[&str], events: &[(&str, &str)]| {
        c.cmd(command);
        let pushed = sub.pushed();
        let mut expected = String::new();
        for (event, key) in events {
            expected.push_str(&format!(
                "*4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@*__:*\r\n{}{}",
                bulk(&format!("__keyevent@0__:{event}")),
                bulk(key)
            ));
        }
        assert_eq!(pushed, expected, "{command:?}");
    };
    expect(&["SADD", "s", "a", "b"], &[("sadd", "s")]);
    expect(&["SADD", "s", "a"], &[]);
    expect(&["SREM", "s", "z"], &[]);
    expect(&["SREM", "s", "a"], &[("srem", "s")]);
    expect(
        &["SMOVE", "s", "t", "b"],
        &[("srem", "s"), ("del", "s"), ("sadd", "t")],
    );
    expect(&["SADD", "s", "b"], &[("sadd", "s")]);
    expect(&["SMOVE", "s", "t", "b"], &[("srem", "s"), ("del", "s")]);
    expect(&["SPOP", "t"], &[("spop", "t"), ("del", "t")]);
    expect(&["SADD", "s", "a", "b", "c"], &[("sadd", "s")]);
    expect(&["SPOP", "s", "1"], &[("spop", "s")]);
    expect(&["SPOP", "s", "0"], &[]);
    expect(&["SPOP", "s", "5"], &[("spop", "s"), ("del", "s")]);
    expect(&["SADD", "a", "1", "2"], &[("sadd", "a")]);
    expect(&["SINTERSTORE", "d", "a"], &[("sinterstore", "d")]);
    expect(&["SUNIONSTORE", "d", "a"], &[("sunionstore", "d")]);
    expect(&["SDIFFSTORE", "d", "a"], &[("sdiffstore", "d")]);
    expect(&["SDIFFSTORE", "d", "a", "a"], &[("del", "d")]);
    expect(&["SINTERSTORE", "d", "nope"], &[]);
    expect(&["SREM", "a", "1", "2"], &[("srem", "a"), ("del", "a")]);
}

#[test]
fn watch_sees_set_writes() {
    let n = node();
    let mut c = Conn::new(&n);
    let mut other = Conn::new(&n);
    c.cmd(&["SADD", "s", "a"]);
    c.cmd(&["WATCH", "s"]);
    other.cmd(&["SADD", "s", "a"]);
    c.cmd(&["MULTI"]);
    c.cmd(&["SCARD", "s"]);
    // A no-op SADD does not touch the key.
    assert_eq!(c.cmd(&["EXEC"]), "*1\r\n:1\r\n");
    c.cmd(&["WATCH", "s"]);
    other.cmd(&["SREM", "s", "a"]);
    c.cmd(&["MULTI"]);
    c.cmd(&["SCARD", "s"]);
    assert_eq!(c.cmd(&["EXEC"]), "*-1\r\n");
    // SINTERCARD's keys come from numkeys, inside MULTI too.
    c.cmd(&["SADD", "x", "1", "2"]);
    c.cmd(&["SADD", "y", "2"]);
    c.cmd(&["MULTI"]);
    c.cmd(&["SINTERCARD", "2", "x", "y"]);
    assert_eq!(c.cmd(&["EXEC"]), "*1\r\n:1\r\n");
}
