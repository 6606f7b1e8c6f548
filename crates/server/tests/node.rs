//! A node driven by a real client library (the `redis` crate).

mod common;
use common::{client, node, node_with, Raw};
use redis::Commands;
use std::time::Duration;

#[test]
fn session_walkthrough() {
    let node = node();
    let mut con = client(&node);
    let session = r#"{"username":"john_doe","cart_items":3}"#;
    let _: () = redis::cmd("SET")
        .arg("user:1001:session")
        .arg(session)
        .arg("EX")
        .arg(3600)
        .query(&mut con)
        .unwrap();
    let got: String = con.get("user:1001:session").unwrap();
    assert_eq!(got, session);
    let ttl: i64 = con.ttl("user:1001:session").unwrap_or(3600);
    assert!(ttl > 3590 && ttl <= 3600, "ttl {ttl}");
    node.stop();
}

#[test]
fn set_options() {
    let node = node();
    let mut con = client(&node);
    let nx: Option<String> = redis::cmd("SET")
        .arg("k")
        .arg("1")
        .arg("NX")
        .query(&mut con)
        .unwrap();
    assert_eq!(nx.as_deref(), Some("OK"));
    let again: Option<String> = redis::cmd("SET")
        .arg("k")
        .arg("2")
        .arg("NX")
        .query(&mut con)
        .unwrap();
    assert_eq!(again, None);
    let old: Option<String> = redis::cmd("SET")
        .arg("k")
        .arg("3")
        .arg("GET")
        .query(&mut con)
        .unwrap();
    assert_eq!(old.as_deref(), Some("1"));
    let xx: Option<String> = redis::cmd("SET")
        .arg("missing")
        .arg("1")
        .arg("XX")
        .query(&mut con)
        .unwrap();
    assert_eq!(xx, None);
    let _: () = redis::cmd("SET")
        .arg("t")
        .arg("v")
        .arg("PX")
        .arg(50)
        .query(&mut con)
        .unwrap();
    std::thread::sleep(Duration::from_millis(80));
    let gone: Option<String> = con.get("t").unwrap();
    assert_eq!(gone, None);
    node.stop();
}

#[test]
fn string_commands() {
    let node = node();
    let mut con = client(&node);
    let n: i64 = con.incr("n", 5).unwrap();
    assert_eq!(n, 5);
    let n: i64 = con.decr("n", 7).unwrap();
    assert_eq!(n, -2);
    let f: f64 = redis::cmd("INCRBYFLOAT")
        .arg("f")
        .arg("10.5")
        .query(&mut con)
        .unwrap();
    assert_eq!(f, 10.5);
    let len: i64 = con.append("s", "hello").unwrap();
    assert_eq!(len, 5);
    let len: i64 = con.setrange("s", 6, "world").unwrap();
    assert_eq!(len, 11);
    let s: Vec<u8> = con.get("s").unwrap();
    assert_eq!(s, b"hello\0world");
    let part: String = con.getrange("s", -5, -1).unwrap();
    assert_eq!(part, "world");
    let _: () = con.mset(&[("a", "1"), ("b", "2")]).unwrap();
    let all: Vec<Option<String>> = con.mget(&["a", "b", "nope"]).unwrap();
    assert_eq!(all, vec![Some("1".into()), Some("2".into()), None]);
    let err = redis::cmd("INCR")
        .arg("s")
        .query::<i64>(&mut con)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("value is not an integer or out of range"),
        "{err}"
    );
    let lcs: String = redis::cmd("LCS")
        .arg("x1")
        .arg("x2")
        .query(&mut con)
        .unwrap();
    assert_eq!(lcs, "");
    let _: () = con
        .mset(&[("x1", "ohmytext"), ("x2", "mynewtext")])
        .unwrap();
    let lcs: String = redis::cmd("LCS")
        .arg("x1")
        .arg("x2")
        .query(&mut con)
        .unwrap();
    assert_eq!(lcs, "mytext");
    node.stop();
}

#[test]
fn transactions_are_atomic_and_watch_is_exact() {
    let node = node();
    let mut a = client(&node);
    let mut b = client(&node);
    let (x, y): (i64, i64) = redis::pipe()
        .atomic()
        .incr("x", 1)
        .incr("y", 2)
        .query(&mut a)
        .unwrap();
    assert_eq!((x, y), (1, 2));

    // A watched key changed by another client makes EXEC return nil.
    let _: () = redis::cmd("WATCH").arg("x").query(&mut a).unwrap();
    let _: () = b.set("x", 100).unwrap();
    let result: Option<(i64,)> = redis::pipe().atomic().incr("x", 1).query(&mut a).unwrap();
    assert_eq!(result, None);

    // A different key in the same or another stripe does not.
    let _: () = redis::cmd("WATCH").arg("x").query(&mut a).unwrap();
    let _: () = b.set("unrelated", 1).unwrap();
    let result: Option<(i64,)> = redis::pipe().atomic().incr("x", 1).query(&mut a).unwrap();
    assert_eq!(result, Some((101,)));

    // A queueing error aborts the whole transaction.
    let mut raw = Raw::connect(&node);
    raw.roundtrip(b"MULTI\r\n", b"+OK\r\n");
    raw.roundtrip(b"SET a 1\r\n", b"+QUEUED\r\n");
    raw.roundtrip(
        b"GET\r\n",
        b"-ERR wrong number of arguments for 'get' command\r\n",
    );
    raw.roundtrip(
        b"EXEC\r\n",
        b"-EXECABORT Transaction discarded because of previous errors.\r\n",
    );
    node.stop();
}

#[test]
fn concurrent_increments_are_exact() {
    let node = node_with(&[("threads", "4")]);
    let port = node.port();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            std::thread::spawn(move || {
                let mut con = redis::Client::open(format!("redis://127.0.0.1:{port}/"))
                    .unwrap()
                    .get_connection()
                    .unwrap();
                for i in 0..500 {
                    let _: i64 = con.incr("counter", 1).unwrap();
                    let _: () = redis::cmd("MSET")
                        .arg("p")
                        .arg(i)
                        .arg("q")
                        .arg(i)
                        .query(&mut con)
                        .unwrap();
                    let (p, q): (i64, i64) = redis::cmd("MGET")
                        .arg("p")
                        .arg("q")
                        .query(&mut con)
                        .unwrap();
                    assert_eq!(p, q, "MSET is atomic for MGET");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut con = client(&node);
    let total: i64 = con.get("counter").unwrap();
    assert_eq!(total, 4000);
    node.stop();
}

#[test]
fn publish_reaches_subscribers() {
    let node = node();
    let mut sub_con = client(&node);
    let mut pubsub = sub_con.as_pubsub();
    pubsub.subscribe("news").unwrap();
    pubsub.psubscribe("n*").unwrap();
    let mut con = client(&node);
    let receivers: i64 = con.publish("news", "hello").unwrap();
    assert_eq!(receivers, 2);
    pubsub
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let first = pubsub.get_message().unwrap();
    assert_eq!(first.get_channel_name(), "news");
    assert_eq!(first.get_payload::<String>().unwrap(), "hello");
    let second = pubsub.get_message().unwrap();
    assert_eq!(second.get_pattern::<String>().unwrap(), "n*");
    node.stop();
}

#[test]
fn requirepass_is_enforced() {
    let node = node_with(&[("requirepass", "secret")]);
    let mut raw = Raw::connect(&node);
    raw.roundtrip(b"GET k\r\n", b"-NOAUTH Authentication required.\r\n");
    raw.roundtrip(
        b"AUTH wrong\r\n",
        b"-WRONGPASS invalid username-password pair or user is disabled.\r\n",
    );
    raw.roundtrip(b"AUTH secret\r\n", b"+OK\r\n");
    raw.roundtrip(b"GET k\r\n", b"$-1\r\n");
    // Before authentication, big requests are refused.
    let mut other = Raw::connect(&node);
    other.roundtrip(
        b"*20\r\n",
        b"-ERR Protocol error: unauthenticated multibulk length\r\n",
    );
    node.stop();
}

#[test]
fn maxclients_refuses_extra_connections() {
    let node = node_with(&[("maxclients", "1")]);
    let mut first = Raw::connect(&node);
    first.roundtrip(b"PING\r\n", b"+PONG\r\n");
    let mut second = Raw::connect(&node);
    second.roundtrip(b"PING\r\n", b"-ERR max number of clients reached\r\n");
    node.stop();
}

#[test]
fn maxmemory_noeviction_refuses_writes() {
    let node = node_with(&[("maxmemory", "1"), ("maxmemory-policy", "noeviction")]);
    let mut raw = Raw::connect(&node);
    raw.roundtrip(
        b"SET k v\r\n",
        b"-OOM command not allowed when used memory > 'maxmemory'.\r\n",
    );
    raw.roundtrip(b"GET k\r\n", b"$-1\r\n");
    node.stop();
}
