//! The server commands end to end: requests through dispatch, replies as RESP bytes.

use crate::config::Settings;
use crate::node::Node;
use crate::testing::*;
use ferrocache_protocol::RespVersion;
use std::sync::atomic::Ordering;
use std::sync::Arc;

fn node_with(pairs: &[(&str, &str)]) -> Arc<Node> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Node::new(Settings::default().apply(&pairs, true).unwrap())
}

/// The payload of a bulk string reply.
fn body(reply: &str) -> &str {
    let start = reply.find("\r\n").map_or(0, |i| i + 2);
    reply[start..]
        .strip_suffix("\r\n")
        .unwrap_or(&reply[start..])
}

#[test]
fn info_sections_and_counters() {
    let node = node();
    let mut c = Conn::new(&node);
    c.cmd(&["SET", "k", "v"]);
    c.cmd(&["GET", "k"]);
    c.cmd(&["GET", "missing"]);
    c.cmd(&["INCR", "k"]);
    let reply = c.cmd(&["INFO"]);
    let info = body(&reply);
    assert!(info.starts_with("# Server\r\nredis_version:7.0.15\r\n"));
    assert!(info.contains("\r\n\r\n# Clients\r\nconnected_clients:1\r\n"));
    assert!(info.contains("redis_mode:standalone\r\n"));
    assert!(info.contains("# Memory\r\nused_memory:"));
    assert!(info.contains("rdb_changes_since_last_save:1\r\n"));
    assert!(info.contains("total_commands_processed:4\r\n"));
    assert!(info.contains("keyspace_hits:1\r\n"));
    assert!(info.contains("keyspace_misses:1\r\n"));
    assert!(info.contains("total_error_replies:1\r\n"));
    assert!(info.contains("role:master\r\n"));
    assert!(info.contains("# CPU\r\nused_cpu_sys:"));
    assert!(info.contains("# Errorstats\r\nerrorstat_ERR:count=1\r\n"));
    assert!(info.contains("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"));
    assert!(!info.contains("# Commandstats"));
    assert!(info.ends_with("\r\n"));

    let reply = c.cmd(&["INFO", "commandstats"]);
    let stats = body(&reply);
    assert!(stats.starts_with("# Commandstats\r\n"));
    assert!(stats.contains("cmdstat_get:calls=2,usec="));
    assert!(stats.contains("cmdstat_incr:calls=1,usec="));
    assert!(stats.contains(",rejected_calls=0,failed_calls=1\r\n"));
    assert!(stats.contains("cmdstat_info:calls=1,"));
    assert!(!stats.contains("# Server"));

    assert_eq!(c.cmd(&["INFO", "nosuchsection"]), bulk(""));
    let everything = c.cmd(&["INFO", "everything"]);
    for section in [
        "# Commandstats",
        "# Latencystats",
        "# Modules",
        "# Cluster\r\ncluster_enabled:0",
    ] {
        assert!(everything.contains(section), "{section}");
    }

    c.version = RespVersion::Resp3;
    assert!(c.cmd(&["INFO", "server"]).contains("\r\ntxt:# Server"));
}

#[test]
fn info_inside_exec_does_not_deadlock() {
    let node = node();
    let mut c = Conn::new(&node);
    c.cmd(&["SET", "k", "v"]);
    c.cmd(&["WATCH", "k"]);
    c.cmd(&["MULTI"]);
    c.cmd(&["GET", "k"]);
    c.cmd(&["INFO"]);
    c.cmd(&["MEMORY", "STATS"]);
    c.cmd(&["CONFIG", "RESETSTAT"]);
    let reply = c.cmd(&["EXEC"]);
    assert!(reply.starts_with("*4\r\n$1\r\nv\r\n"));
    assert!(reply.contains("# Keyspace\r\n"));
    assert!(!reply.contains("db0:keys"));
}

#[test]
fn config_get_set() {
    let node = node();
    let mut c = Conn::new(&node);
    assert_eq!(
        c.cmd(&["CONFIG", "GET", "maxmemory"]),
        format!("*2\r\n{}{}", bulk("maxmemory"), bulk("0"))
    );
    assert_eq!(
        c.cmd(&[
            "CONFIG",
            "SET",
            "maxmemory",
            "1mb",
            "maxmemory-policy",
            "allkeys-lru"
        ]),
        OK
    );
    assert_eq!(node.settings().maxmemory, 1 << 20);
    assert_eq!(
        c.cmd(&["CONFIG", "GET", "maxmemory", "maxmemory-policy"]),
        format!(
            "*4\r\n{}{}{}{}",
            bulk("maxmemory"),
            bulk("1048576"),
            bulk("maxmemory-policy"),
            bulk("allkeys-lru")
        )
    );
    // Atomic: a bad value leaves every parameter as it was.
    assert_eq!(
        c.cmd(&["CONFIG", "SET", "maxmemory", "2mb", "maxmemory-policy", "bogus"]),
        err("ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction")
    );
    assert_eq!(node.settings().maxmemory, 1 << 20);
    assert_eq!(
        c.cmd(&["CONFIG", "SET", "maxmemory", "1", "maxmemory", "2"]),
        err("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter")
    );
    assert_eq!(
        c.cmd(&["CONFIG", "SET", "maxmemory", "foo", "bogus", "1"]),
        err("ERR Unknown option or number of arguments for CONFIG SET - 'bogus'")
    );
    assert_eq!(
        c.cmd(&["CONFIG", "SET", "dir", "/tmp"]),
        err("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config")
    );
    assert_eq!(
        c.cmd(&["CONFIG", "SET", "a", "b", "c"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["CONFIG", "SET", "a"]),
        err("ERR wrong number of arguments for 'config|set' command")
    );
    assert_eq!(
        c.cmd(&["CONFIG"]),
        err("ERR wrong number of arguments for 'config' command")
    );
    assert_eq!(
        c.cmd(&["CONFIG", "FOO"]),
        err("ERR unknown subcommand 'FOO'. Try CONFIG HELP.")
    );
    let patterns = c.cmd(&["CONFIG", "GET", "slave-read*"]);
    assert_eq!(
        patterns,
        format!("*2\r\n{}{}", bulk("slave-read-only"), bulk("yes"))
    );
    assert!(c.cmd(&["CONFIG", "HELP"]).starts_with(
        "*11\r\n+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"
    ));
}

#[test]
fn config_resetstat_and_rewrite() {
    let node = node();
    let mut c = Conn::new(&node);
    c.cmd(&["SET", "k", "v"]);
    c.cmd(&["GET", "k"]);
    c.cmd(&["NOSUCHCOMMAND"]);
    assert_eq!(c.cmd(&["CONFIG", "RESETSTAT"]), OK);
    let reply = c.cmd(&["INFO", "stats", "commandstats", "errorstats"]);
    // RESETSTAT itself is counted once it ran, as in redis-server.
    assert!(reply.contains("total_commands_processed:1\r\n"));
    assert!(reply.contains("cmdstat_config|resetstat:calls=1,"));
    assert!(reply.contains("keyspace_hits:0\r\n"));
    assert!(reply.contains("total_error_replies:0\r\n"));
    assert!(!reply.contains("cmdstat_get"));
    assert!(!reply.contains("errorstat_"));

    assert_eq!(
        c.cmd(&["CONFIG", "REWRITE"]),
        err("ERR The server is running without a config file")
    );
    let path = std::env::temp_dir().join(format!("ferrocache-rewrite-{}.conf", std::process::id()));
    std::fs::write(&path, "# kept\nmaxmemory 5mb\n").unwrap();
    *node.config_file.lock() = Some(path.clone());
    c.cmd(&["CONFIG", "SET", "maxmemory", "7mb", "hz", "20"]);
    assert_eq!(c.cmd(&["CONFIG", "REWRITE"]), OK);
    let text = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(text.starts_with("# kept\nmaxmemory 7mb\n# Generated by CONFIG REWRITE\n"));
    assert!(text.contains("\nhz 20\n"));
}

#[test]
fn command_introspection() {
    let node = node();
    let mut c = Conn::new(&node);
    let count = node.table.len();
    assert_eq!(c.cmd(&["COMMAND", "COUNT"]), format!(":{count}\r\n"));
    assert!(c
        .cmd(&["COMMAND"])
        .starts_with(&format!("*{count}\r\n*10\r\n")));
    assert_eq!(
        c.cmd(&["COMMAND", "INFO", "get"]),
        "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*0\r\n*0\r\n"
    );
    assert_eq!(c.cmd(&["COMMAND", "INFO", "nosuch"]), "*1\r\n$-1\r\n");
    let config_get = c.cmd(&["COMMAND", "INFO", "CONFIG|GET"]);
    assert!(config_get.starts_with("*1\r\n*10\r\n$10\r\nconfig|get\r\n:-3\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n"));
    let config = c.cmd(&["COMMAND", "INFO", "config"]);
    assert!(config.contains("*5\r\n*10\r\n$10\r\nconfig|get"));
    assert_eq!(
        c.cmd(&["COMMAND", "GETKEYS", "mset", "a", "b", "c", "d"]),
        "*2\r\n$1\r\na\r\n$1\r\nc\r\n"
    );
    assert_eq!(
        c.cmd(&["COMMAND", "GETKEYS", "nosuch", "a"]),
        err("ERR Invalid command specified")
    );
    assert_eq!(
        c.cmd(&["COMMAND", "GETKEYS", "ping", "a"]),
        err("ERR The command has no key arguments")
    );
    assert_eq!(
        c.cmd(&["COMMAND", "GETKEYS", "mset", "a"]),
        err("ERR Invalid number of arguments specified for command")
    );
    assert_eq!(
        c.cmd(&["COMMAND", "GETKEYSANDFLAGS", "get", "x"]),
        "*1\r\n*2\r\n$1\r\nx\r\n*2\r\n+RO\r\n+access\r\n"
    );
    let list = c.cmd(&["COMMAND", "LIST", "FILTERBY", "PATTERN", "config|*"]);
    assert!(list.starts_with("*5\r\n"));
    assert!(list.contains("$10\r\nconfig|get\r\n"));
    assert_eq!(
        c.cmd(&["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"]),
        "*0\r\n"
    );
    assert_eq!(
        c.cmd(&["COMMAND", "LIST", "FILTERBY", "x", "y"]),
        err("ERR syntax error")
    );
    assert!(c
        .cmd(&["COMMAND", "LIST", "FILTERBY", "aclcat", "dangerous"])
        .contains("$8\r\nshutdown\r\n"));
    assert_eq!(
        c.cmd(&["COMMAND", "DOCS", "time", "nosuch"]),
        "*2\r\n$4\r\ntime\r\n*6\r\n$7\r\nsummary\r\n$30\r\nReturn the current server time\r\n$5\r\nsince\r\n$5\r\n2.6.0\r\n$5\r\ngroup\r\n$6\r\nserver\r\n"
    );
}

#[test]
fn time_save_role_shutdown() {
    let node = node();
    let mut c = Conn::new(&node);
    let time = c.cmd(&["TIME"]);
    assert!(time.starts_with("*2\r\n$10\r\n"));
    c.cmd(&["SET", "k", "v"]);
    node.last_save_unix.store(1, Ordering::Relaxed);
    assert_eq!(c.cmd(&["LASTSAVE"]), ":1\r\n");
    assert_eq!(c.cmd(&["SAVE"]), OK);
    assert_ne!(c.cmd(&["LASTSAVE"]), ":1\r\n");
    assert!(c
        .cmd(&["INFO", "persistence"])
        .contains("rdb_changes_since_last_save:0\r\nrdb_bgsave_in_progress:0"));
    assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
    assert_eq!(c.cmd(&["BGSAVE", "x"]), err("ERR syntax error"));
    assert!(c.cmd(&["ROLE"]).starts_with("*3\r\n$6\r\nmaster\r\n:"));
    assert_eq!(c.cmd(&["LOLWUT"]), bulk("Redis ver. 7.0.15\n"));
    assert_eq!(
        c.cmd(&["SHUTDOWN", "ABORT"]),
        err("ERR No shutdown in progress.")
    );
    assert_eq!(
        c.cmd(&["SHUTDOWN", "SAVE", "NOSAVE"]),
        err("ERR syntax error")
    );
    assert_eq!(c.cmd(&["SHUTDOWN", "BOGUS"]), err("ERR syntax error"));
    assert!(!node.shutting_down.load(Ordering::Relaxed));
    assert_eq!(c.cmd(&["SHUTDOWN", "NOSAVE"]), "");
    assert!(node.shutting_down.load(Ordering::Relaxed));
}

#[test]
fn monitor_registers() {
    let node = node();
    let mut c = Conn::new(&node);
    assert_eq!(c.cmd(&["MONITOR"]), OK);
    assert!(node.monitoring.load(Ordering::Relaxed));
    assert_eq!(node.monitors.lock().len(), 1);
    assert!(c.client.shared.info.lock().monitor);
    assert_eq!(c.cmd(&["MONITOR"]), "");
    assert_eq!(node.monitors.lock().len(), 1);
}

#[test]
fn slowlog() {
    let node = node_with(&[("slowlog-log-slower-than", "0")]);
    let mut c = Conn::new(&node);
    c.cmd(&["SET", "k", "v"]);
    let entry = c.cmd(&["SLOWLOG", "GET", "1"]);
    assert!(entry.starts_with("*1\r\n*6\r\n:0\r\n:"));
    assert!(
        entry.contains("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$11\r\n127.0.0.1:1\r\n$0\r\n\r\n")
    );
    assert_eq!(c.cmd(&["SLOWLOG", "LEN"]), ":2\r\n");
    assert_eq!(
        c.cmd(&["SLOWLOG", "GET", "-2"]),
        err("ERR count should be greater than or equal to -1")
    );
    assert_eq!(
        c.cmd(&["SLOWLOG", "GET", "1", "2"]),
        err("ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP.")
    );
    assert_eq!(c.cmd(&["SLOWLOG", "RESET"]), OK);
    // The RESET itself is logged once it ran.
    assert_eq!(c.cmd(&["SLOWLOG", "LEN"]), ":1\r\n");
}

#[test]
fn latency() {
    let node = node();
    let mut c = Conn::new(&node);
    assert_eq!(c.cmd(&["LATENCY", "LATEST"]), "*0\r\n");
    assert_eq!(c.cmd(&["LATENCY", "HISTORY", "command"]), "*0\r\n");
    assert_eq!(
        c.cmd(&["LATENCY", "GRAPH", "command"]),
        err("ERR No samples available for event 'command'")
    );
    assert!(body(&c.cmd(&["LATENCY", "DOCTOR"])).starts_with("I'm sorry, Dave, I can't do that."));
    assert_eq!(c.cmd(&["LATENCY", "RESET"]), ":0\r\n");
    c.cmd(&["CONFIG", "SET", "latency-monitor-threshold", "1"]);
    node.latency_sample("command", 5);
    let latest = c.cmd(&["LATENCY", "LATEST"]);
    assert!(latest.starts_with("*1\r\n*4\r\n$7\r\ncommand\r\n:"));
    assert!(latest.ends_with(":5\r\n:5\r\n"));
    assert!(c
        .cmd(&["LATENCY", "GRAPH", "command"])
        .contains("command - high 5 ms, low 5 ms (all time high 5 ms)"));
    assert_eq!(c.cmd(&["LATENCY", "RESET", "command", "other"]), ":1\r\n");
    assert!(c
        .cmd(&["LATENCY", "HISTOGRAM", "set", "nosuch"])
        .starts_with("*0\r\n"));
    c.cmd(&["SET", "a", "b"]);
    assert_eq!(
        c.cmd(&["LATENCY", "HISTOGRAM", "set"]),
        "*2\r\n$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:1\r\n$14\r\nhistogram_usec\r\n*0\r\n"
    );
}

#[test]
fn memory() {
    let node = node();
    let mut c = Conn::new(&node);
    c.cmd(&["SET", "foo", "bar"]);
    let usage = c.cmd(&["MEMORY", "USAGE", "foo"]);
    assert!(usage.starts_with(':'));
    assert_eq!(c.cmd(&["MEMORY", "USAGE", "nokey"]), "$-1\r\n");
    assert_eq!(c.cmd(&["MEMORY", "USAGE", "foo", "SAMPLES", "0"]), usage);
    assert_eq!(
        c.cmd(&["MEMORY", "USAGE", "foo", "SAMPLES", "-1"]),
        err("ERR syntax error")
    );
    assert_eq!(
        c.cmd(&["MEMORY", "USAGE", "foo", "SAMPLES", "x"]),
        err("ERR value is not an integer or out of range")
    );
    assert_eq!(
        c.cmd(&["MEMORY", "USAGE", "foo", "bogus"]),
        err("ERR syntax error")
    );
    let stats = c.cmd(&["MEMORY", "STATS"]);
    assert!(stats.starts_with("*56\r\n$14\r\npeak.allocated\r\n:"));
    assert!(stats.contains("$4\r\ndb.0\r\n*6\r\n"));
    assert!(stats.contains("$10\r\nkeys.count\r\n:1\r\n"));
    assert!(body(&c.cmd(&["MEMORY", "DOCTOR"])).starts_with("Hi Sam"));
    assert_eq!(c.cmd(&["MEMORY", "PURGE"]), OK);
    assert_eq!(
        c.cmd(&["MEMORY", "MALLOC-STATS"]),
        bulk("Stats not supported for the current allocator")
    );
    assert_eq!(
        c.cmd(&["MEMORY", "FOO"]),
        err("ERR unknown subcommand 'FOO'. Try MEMORY HELP.")
    );
}

#[test]
fn debug_is_refused_by_default() {
    let node = node();
    let mut c = Conn::new(&node);
    assert_eq!(c.cmd(&["DEBUG", "HELP"]), err(super::debug::NOT_ALLOWED));
    let local = node_with(&[("enable-debug-command", "local")]);
    let mut near = Conn::new(&local);
    let mut far = Conn::from(&local, "10.1.2.3:4567");
    assert_eq!(near.cmd(&["DEBUG", "SLEEP", "0"]), OK);
    assert_eq!(
        far.cmd(&["DEBUG", "SLEEP", "0"]),
        err(super::debug::NOT_ALLOWED)
    );
}

#[test]
fn debug_subcommands() {
    let node = node_with(&[("enable-debug-command", "yes")]);
    let mut c = Conn::new(&node);
    assert_eq!(
        c.cmd(&["DEBUG", "DIGEST"]),
        "+0000000000000000000000000000000000000000\r\n"
    );
    c.cmd(&["SET", "foo", "bar"]);
    // The digests redis-server 7.0 gives for the same data.
    assert_eq!(
        c.cmd(&["DEBUG", "DIGEST"]),
        "+d2ab4820c1be0580ea28efbfe8bfa1dc05bb802a\r\n"
    );
    c.cmd(&["SELECT", "1"]);
    c.cmd(&["SET", "k2", "v2"]);
    assert_eq!(
        c.cmd(&["DEBUG", "DIGEST"]),
        "+62ac576fb8afbfb5d277226e627eca9bf4335439\r\n"
    );
    c.cmd(&["SELECT", "0"]);
    c.cmd(&["EXPIRE", "foo", "1000"]);
    assert_eq!(
        c.cmd(&["DEBUG", "DIGEST"]),
        "+b68b2eb48cfbe2e2a04c907d065ff5820375ab87\r\n"
    );
    assert_eq!(
        c.cmd(&["DEBUG", "DIGEST-VALUE", "foo", "nokey"]),
        "*2\r\n+8ec3828f7209dd3abdf6ee448de8b0c0bd53265f\r\n+0000000000000000000000000000000000000000\r\n"
    );
    let object = c.cmd(&["DEBUG", "OBJECT", "foo"]);
    assert!(object.starts_with("+Value at:0x"));
    assert!(object.contains(" refcount:1 encoding:embstr serializedlength:4 lru:"));
    assert_eq!(c.cmd(&["DEBUG", "OBJECT", "nokey"]), err("ERR no such key"));
    assert_eq!(c.cmd(&["DEBUG", "PROTOCOL", "double"]), bulk("3.141"));
    assert_eq!(
        c.cmd(&["DEBUG", "PROTOCOL", "push"]),
        err("ERR RESP2 is not supported by this command")
    );
    assert_eq!(
        c.cmd(&["DEBUG", "PROTOCOL", "map"]),
        "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n"
    );
    assert!(c
        .cmd(&["DEBUG", "PROTOCOL", "x"])
        .starts_with("-ERR Wrong protocol type name."));
    c.version = RespVersion::Resp3;
    assert_eq!(
        c.cmd(&["DEBUG", "PROTOCOL", "bignum"]),
        "(1234567999999999999999999999999999999\r\n"
    );
    assert_eq!(c.cmd(&["DEBUG", "PROTOCOL", "true"]), "#t\r\n");
    c.version = RespVersion::Resp2;
    assert_eq!(c.cmd(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]), OK);
    assert!(!node.active_expire_enabled.load(Ordering::Relaxed));
    assert_eq!(c.cmd(&["DEBUG", "POPULATE", "10", "p", "3"]), OK);
    assert_eq!(c.cmd(&["GET", "p:7"]), bulk("val"));
    assert_eq!(
        c.cmd(&["DEBUG", "POPULATE", "-1"]),
        err("ERR value is out of range, must be positive")
    );
    assert_eq!(
        c.cmd(&["DEBUG", "RELOAD", "BOGUS"]),
        err("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.")
    );
    assert_eq!(c.cmd(&["DEBUG", "RELOAD"]), OK);
    let before = node.replid.lock().clone();
    assert_eq!(c.cmd(&["DEBUG", "CHANGE-REPL-ID"]), OK);
    assert_ne!(*node.replid.lock(), before);
    assert_eq!(
        c.cmd(&["DEBUG", "JMAP"]),
        err("ERR unknown subcommand or wrong number of arguments for 'JMAP'. Try DEBUG HELP.")
    );
    assert_eq!(
        c.cmd(&["DEBUG", "QUICKLIST-PACKED-THRESHOLD", "5gb"]),
        err("ERR argument must be a memory value bigger than 1 and smaller than 4gb")
    );
    assert_eq!(c.cmd(&["DEBUG", "ERROR", "MYERR oops"]), err("MYERR oops"));
    assert_eq!(
        c.cmd(&["DEBUG", "STRINGMATCH-TEST"]),
        "+Apparently Redis did not crash: test passed\r\n"
    );
    // DEBUG inside a transaction locks what it reads up front.
    c.cmd(&["MULTI"]);
    c.cmd(&["DEBUG", "DIGEST"]);
    c.cmd(&["DEBUG", "OBJECT", "foo"]);
    let reply = c.cmd(&["EXEC"]);
    assert!(reply.starts_with("*2\r\n+"));
}
