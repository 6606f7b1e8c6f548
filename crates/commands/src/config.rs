//! Configuration: redis.conf parameters, CONFIG GET/SET, and the typed values the hot
//! path reads.
//!
//! [`Settings`] is immutable once published: CONFIG SET builds a new one and swaps it in
//! ([`arc_swap`]), so a command reads its configuration without taking a lock. Each
//! parameter is one row of [`PARAMS`]: its kind decides how values are validated and
//! shown, exactly with redis-server's error texts.

use ferrocache_keyspace::{EvictionPolicy, PackLimits};
use std::collections::BTreeMap;

/// How a parameter's value is read and checked.
#[derive(Clone, Copy)]
pub enum ParamKind {
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    Memory {
        max: u64,
    },
    Enum(&'static [&'static str]),
    /// Several enum words (notify-keyspace-events is its own kind).
    Str,
    Special(fn(&str) -> Result<String, String>),
}

pub struct Param {
    pub name: &'static str,
    pub alias: Option<&'static str>,
    pub kind: ParamKind,
    pub default: &'static str,
    pub immutable: bool,
    /// Only shown when asked for by its exact name, never by a pattern.
    pub hidden: bool,
    /// Never shown by CONFIG GET patterns and REWRITE? (for secrets: still shown, as
    /// redis does; kept for symmetry with protected configs).
    pub protected: bool,
}

const fn p(name: &'static str, kind: ParamKind, default: &'static str) -> Param {
    Param {
        name,
        alias: None,
        kind,
        default,
        immutable: false,
        hidden: false,
        protected: false,
    }
}

const fn hidden(name: &'static str, kind: ParamKind, default: &'static str) -> Param {
    Param {
        name,
        alias: None,
        kind,
        default,
        immutable: false,
        hidden: true,
        protected: false,
    }
}

const fn fixed(name: &'static str, kind: ParamKind, default: &'static str) -> Param {
    Param {
        name,
        alias: None,
        kind,
        default,
        immutable: true,
        hidden: false,
        protected: false,
    }
}

const fn aliased(
    name: &'static str,
    alias: &'static str,
    kind: ParamKind,
    default: &'static str,
) -> Param {
    Param {
        name,
        alias: Some(alias),
        kind,
        default,
        immutable: false,
        hidden: false,
        protected: false,
    }
}

use ParamKind::*;

const INT: ParamKind = Int {
    min: i32::MIN as i64,
    max: i32::MAX as i64,
};
const UINT: ParamKind = Int {
    min: 0,
    max: i32::MAX as i64,
};
const LONG: ParamKind = Int {
    min: i64::MIN,
    max: i64::MAX,
};
const MEM: ParamKind = Memory {
    max: i64::MAX as u64,
};
const POLICIES: &[&str] = &[
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "noeviction",
];

/// Every parameter a node knows, in redis.conf order where it matters.
pub static PARAMS: &[Param] = &[
    p("port", Int { min: 0, max: 65535 }, "6379"),
    p("bind", Str, "* -::*"),
    Param {
        name: "replicaof",
        alias: Some("slaveof"),
        kind: Str,
        default: "",
        immutable: true,
        hidden: false,
        protected: false,
    },
    hidden("key-load-delay", INT, "0"),
    hidden("rdb-key-save-delay", INT, "0"),
    fixed(
        "databases",
        Int {
            min: 1,
            max: i32::MAX as i64,
        },
        "16",
    ),
    fixed("daemonize", Bool, "no"),
    fixed(
        "supervised",
        Enum(&["upstart", "systemd", "auto", "no"]),
        "no",
    ),
    fixed("io-threads", Int { min: 1, max: 128 }, "1"),
    fixed("io-threads-do-reads", Bool, "no"),
    fixed("threads", Int { min: 0, max: 1024 }, "0"),
    fixed("tcp-backlog", UINT, "511"),
    fixed("unixsocket", Str, ""),
    fixed("unixsocketperm", UINT, "0"),
    fixed("pidfile", Str, ""),
    fixed("always-show-logo", Bool, "no"),
    fixed("set-proc-title", Bool, "yes"),
    fixed("cluster-enabled", Bool, "no"),
    fixed(
        "enable-protected-configs",
        Enum(&["no", "yes", "local"]),
        "no",
    ),
    fixed("enable-debug-command", Enum(&["no", "yes", "local"]), "no"),
    fixed("enable-module-command", Enum(&["no", "yes", "local"]), "no"),
    fixed("tls-port", Int { min: 0, max: 65535 }, "0"),
    fixed("engine", Enum(&["redis", "memcached"]), "redis"),
    p("protected-mode", Bool, "yes"),
    p("requirepass", Str, ""),
    p("masterauth", Str, ""),
    p("masteruser", Str, ""),
    p("timeout", UINT, "0"),
    p("tcp-keepalive", UINT, "300"),
    p(
        "loglevel",
        Enum(&["debug", "verbose", "notice", "warning", "nothing"]),
        "notice",
    ),
    p("logfile", Str, ""),
    p("syslog-enabled", Bool, "no"),
    p("dir", Special(check_dir), ""),
    p("dbfilename", Str, "dump.rdb"),
    p("save", Special(check_save), "3600 1 300 100 60 10000"),
    p("appendonly", Bool, "no"),
    p("appendfilename", Str, "appendonly.aof"),
    p("appenddirname", Str, "appendonlydir"),
    p(
        "appendfsync",
        Enum(&["always", "everysec", "no"]),
        "everysec",
    ),
    p("no-appendfsync-on-rewrite", Bool, "no"),
    p("auto-aof-rewrite-percentage", UINT, "100"),
    p("auto-aof-rewrite-min-size", MEM, "67108864"),
    p("aof-use-rdb-preamble", Bool, "yes"),
    p("aof-timestamp-enabled", Bool, "no"),
    p("rdbcompression", Bool, "yes"),
    p("rdbchecksum", Bool, "yes"),
    p("stop-writes-on-bgsave-error", Bool, "yes"),
    p(
        "maxclients",
        Int {
            min: 1,
            max: i32::MAX as i64,
        },
        "10000",
    ),
    p("maxmemory", MEM, "0"),
    p("maxmemory-policy", Enum(POLICIES), "noeviction"),
    p("maxmemory-samples", Int { min: 1, max: 64 }, "5"),
    p(
        "maxmemory-eviction-tenacity",
        Int { min: 0, max: 100 },
        "10",
    ),
    p("maxmemory-clients", Special(check_memory_or_percent), "0"),
    p("active-expire-effort", Int { min: 1, max: 10 }, "1"),
    p("lfu-log-factor", UINT, "10"),
    p("lfu-decay-time", UINT, "1"),
    p("lazyfree-lazy-eviction", Bool, "no"),
    p("lazyfree-lazy-expire", Bool, "no"),
    p("lazyfree-lazy-server-del", Bool, "no"),
    p("lazyfree-lazy-user-del", Bool, "no"),
    p("lazyfree-lazy-user-flush", Bool, "no"),
    p(
        "hz",
        Int {
            min: 0,
            max: i32::MAX as i64,
        },
        "10",
    ),
    p("dynamic-hz", Bool, "yes"),
    p("activerehashing", Bool, "yes"),
    p("activedefrag", Bool, "no"),
    p(
        "proto-max-bulk-len",
        Memory {
            max: i64::MAX as u64,
        },
        "536870912",
    ),
    p(
        "client-query-buffer-limit",
        Memory {
            max: i64::MAX as u64,
        },
        "1073741824",
    ),
    p(
        "client-output-buffer-limit",
        Special(check_obuf),
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
    ),
    p("notify-keyspace-events", Special(check_notify), ""),
    p("slowlog-log-slower-than", LONG, "10000"),
    p("slowlog-max-len", UINT, "128"),
    p("latency-monitor-threshold", LONG, "0"),
    p("latency-tracking", Bool, "yes"),
    p(
        "latency-tracking-info-percentiles",
        Special(check_percentiles),
        "50 99 99.9",
    ),
    aliased("replica-read-only", "slave-read-only", Bool, "yes"),
    aliased(
        "replica-serve-stale-data",
        "slave-serve-stale-data",
        Bool,
        "yes",
    ),
    aliased("replica-priority", "slave-priority", UINT, "100"),
    aliased("replica-lazy-flush", "slave-lazy-flush", Bool, "no"),
    p("replica-announced", Bool, "yes"),
    p("repl-backlog-size", MEM, "1048576"),
    p("repl-backlog-ttl", UINT, "3600"),
    p(
        "repl-timeout",
        Int {
            min: 1,
            max: i32::MAX as i64,
        },
        "60",
    ),
    p(
        "repl-ping-replica-period",
        Int {
            min: 1,
            max: i32::MAX as i64,
        },
        "10",
    ),
    p("repl-diskless-sync", Bool, "yes"),
    p("repl-diskless-sync-delay", UINT, "5"),
    p(
        "repl-diskless-load",
        Enum(&["disabled", "on-empty-db", "swapdb"]),
        "disabled",
    ),
    aliased("min-replicas-to-write", "min-slaves-to-write", UINT, "0"),
    aliased("min-replicas-max-lag", "min-slaves-max-lag", UINT, "10"),
    p("lua-time-limit", LONG, "5000"),
    p("busy-reply-threshold", LONG, "5000"),
    p("cluster-node-timeout", LONG, "15000"),
    aliased(
        "hash-max-listpack-entries",
        "hash-max-ziplist-entries",
        MEM,
        "128",
    ),
    aliased(
        "hash-max-listpack-value",
        "hash-max-ziplist-value",
        MEM,
        "64",
    ),
    aliased("list-max-listpack-size", "list-max-ziplist-size", INT, "-2"),
    p("list-compress-depth", UINT, "0"),
    p("set-max-intset-entries", MEM, "512"),
    aliased(
        "zset-max-listpack-entries",
        "zset-max-ziplist-entries",
        MEM,
        "128",
    ),
    aliased(
        "zset-max-listpack-value",
        "zset-max-ziplist-value",
        MEM,
        "64",
    ),
    p("stream-node-max-bytes", MEM, "4096"),
    p("stream-node-max-entries", UINT, "100"),
    p("hll-sparse-max-bytes", MEM, "3000"),
    p(
        "oom-score-adj",
        Enum(&["no", "yes", "relative", "absolute"]),
        "no",
    ),
    p("crash-log-enabled", Bool, "yes"),
    p("crash-memcheck-enabled", Bool, "yes"),
    p("disable-thp", Bool, "yes"),
    p("jemalloc-bg-thread", Bool, "yes"),
    p("tracking-table-max-keys", MEM, "1000000"),
    p("acllog-max-len", UINT, "128"),
    p("aclfile", Str, ""),
    p("lazyfree-lazy-user-flush", Bool, "no"),
    p("shutdown-timeout", UINT, "10"),
    p("shutdown-on-sigint", Str, "default"),
    p("shutdown-on-sigterm", Str, "default"),
    p(
        "propagation-error-behavior",
        Enum(&["ignore", "panic", "panic-on-replicas"]),
        "ignore",
    ),
    p("replica-ignore-disk-write-errors", Bool, "no"),
];

/// Looks a parameter up by name or alias, case-insensitively.
pub fn param(name: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| {
        p.name.eq_ignore_ascii_case(name) || p.alias.is_some_and(|a| a.eq_ignore_ascii_case(name))
    })
}

/// Parses `1gb`, `100mb`, `10k` like redis-server's `memtoull` (k = 1000, kb = 1024).
pub fn parse_memory(s: &str) -> Option<u64> {
    let lower = s.to_ascii_lowercase();
    let (digits, mul) = [
        ("gb", 1u64 << 30),
        ("mb", 1 << 20),
        ("kb", 1 << 10),
        ("g", 1_000_000_000),
        ("m", 1_000_000),
        ("k", 1000),
        ("b", 1),
    ]
    .iter()
    .find_map(|(suffix, mul)| lower.strip_suffix(suffix).map(|d| (d.to_string(), *mul)))
    .unwrap_or((lower.clone(), 1));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok()?.checked_mul(mul)
}

/// A memory value, or a percentage of maxmemory (`10%`).
fn check_memory_or_percent(v: &str) -> Result<String, String> {
    if let Some(percent) = v.strip_suffix('%') {
        return match percent.parse::<u64>() {
            Ok(p) if p <= 100 => Ok(v.to_string()),
            Ok(_) => Err("percentage argument must be less or equal to 100".into()),
            Err(_) => Err("argument must be a memory or percent value".into()),
        };
    }
    parse_memory(v)
        .map(|n| n.to_string())
        .ok_or_else(|| "argument must be a memory or percent value".into())
}

fn check_dir(v: &str) -> Result<String, String> {
    if v.is_empty() {
        return std::env::current_dir()
            .map(|d| d.display().to_string())
            .map_err(|e| e.to_string());
    }
    std::env::set_current_dir(v).map_err(|e| e.to_string())?;
    std::env::current_dir()
        .map(|d| d.display().to_string())
        .map_err(|e| e.to_string())
}

fn check_save(v: &str) -> Result<String, String> {
    let parts: Vec<&str> = v.split_whitespace().collect();
    if !parts.len().is_multiple_of(2) || parts.iter().any(|p| p.parse::<u64>().is_err()) {
        return Err("Invalid save parameters".into());
    }
    Ok(parts.join(" "))
}

fn check_percentiles(v: &str) -> Result<String, String> {
    for part in v.split_whitespace() {
        match part.parse::<f64>() {
            Ok(x) if (0.0..=100.0).contains(&x) => {}
            _ => {
                return Err(
                    "latency-tracking-info-percentiles values must be between 0 and 100".into(),
                )
            }
        }
    }
    Ok(v.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Output buffer limits per client class: (hard bytes, soft bytes, soft seconds).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutputLimit {
    pub hard: u64,
    pub soft: u64,
    pub soft_seconds: u64,
}

fn parse_obuf(v: &str) -> Result<[OutputLimit; 3], String> {
    let mut limits = [
        OutputLimit::default(),
        OutputLimit {
            hard: 268435456,
            soft: 67108864,
            soft_seconds: 60,
        },
        OutputLimit {
            hard: 33554432,
            soft: 8388608,
            soft_seconds: 60,
        },
    ];
    let parts: Vec<&str> = v.split_whitespace().collect();
    if !parts.len().is_multiple_of(4) {
        return Err("Wrong number of arguments in buffer limit configuration.".into());
    }
    for chunk in parts.chunks(4) {
        let class = match chunk[0].to_ascii_lowercase().as_str() {
            "normal" => 0,
            "slave" | "replica" => 1,
            "pubsub" => 2,
            _ => {
                return Err("Invalid client class specified in buffer limit configuration.".into())
            }
        };
        let hard = parse_memory(chunk[1]);
        let soft = parse_memory(chunk[2]);
        let secs = chunk[3].parse::<u64>().ok();
        match (hard, soft, secs) {
            (Some(hard), Some(soft), Some(soft_seconds)) => {
                limits[class] = OutputLimit {
                    hard,
                    soft,
                    soft_seconds,
                }
            }
            _ => {
                return Err(
                    "Error in hard, soft or soft_seconds setting in buffer limit configuration."
                        .into(),
                )
            }
        }
    }
    Ok(limits)
}

fn format_obuf(l: &[OutputLimit; 3]) -> String {
    format!(
        "normal {} {} {} slave {} {} {} pubsub {} {} {}",
        l[0].hard,
        l[0].soft,
        l[0].soft_seconds,
        l[1].hard,
        l[1].soft,
        l[1].soft_seconds,
        l[2].hard,
        l[2].soft,
        l[2].soft_seconds
    )
}

fn check_obuf(v: &str) -> Result<String, String> {
    parse_obuf(v).map(|l| format_obuf(&l))
}

/// Keyspace notification classes (`notify-keyspace-events`).
pub mod notify {
    pub const KEYSPACE: u32 = 1 << 0;
    pub const KEYEVENT: u32 = 1 << 1;
    pub const GENERIC: u32 = 1 << 2;
    pub const STRING: u32 = 1 << 3;
    pub const LIST: u32 = 1 << 4;
    pub const SET: u32 = 1 << 5;
    pub const HASH: u32 = 1 << 6;
    pub const ZSET: u32 = 1 << 7;
    pub const EXPIRED: u32 = 1 << 8;
    pub const EVICTED: u32 = 1 << 9;
    pub const STREAM: u32 = 1 << 10;
    pub const KEY_MISS: u32 = 1 << 11;
    pub const MODULE: u32 = 1 << 12;
    pub const NEW: u32 = 1 << 13;
    /// `A`: every class but key-miss and new.
    pub const ALL: u32 =
        GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    pub fn parse(s: &str) -> Option<u32> {
        let mut flags = 0;
        for c in s.chars() {
            flags |= match c {
                'A' => ALL,
                'g' => GENERIC,
                '$' => STRING,
                'l' => LIST,
                's' => SET,
                'h' => HASH,
                'z' => ZSET,
                'x' => EXPIRED,
                'e' => EVICTED,
                'K' => KEYSPACE,
                'E' => KEYEVENT,
                't' => STREAM,
                'm' => KEY_MISS,
                'd' => MODULE,
                'n' => NEW,
                _ => return None,
            };
        }
        Some(flags)
    }

    pub fn format(flags: u32) -> String {
        let mut s = String::new();
        if flags & ALL == ALL {
            s.push('A');
        } else {
            for (bit, c) in [
                (GENERIC, 'g'),
                (STRING, '$'),
                (LIST, 'l'),
                (SET, 's'),
                (HASH, 'h'),
                (ZSET, 'z'),
                (EXPIRED, 'x'),
                (EVICTED, 'e'),
                (STREAM, 't'),
                (MODULE, 'd'),
            ] {
                if flags & bit != 0 {
                    s.push(c);
                }
            }
        }
        for (bit, c) in [
            (KEYSPACE, 'K'),
            (KEYEVENT, 'E'),
            (KEY_MISS, 'm'),
            (NEW, 'n'),
        ] {
            if flags & bit != 0 {
                s.push(c);
            }
        }
        s
    }
}

fn check_notify(v: &str) -> Result<String, String> {
    notify::parse(v)
        .map(notify::format)
        .ok_or_else(|| "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".into())
}

/// Validates and normalises `value` for `param`, with redis-server's error texts.
pub fn normalize(param: &Param, value: &str) -> Result<String, String> {
    match param.kind {
        Bool => match value.to_ascii_lowercase().as_str() {
            "yes" => Ok("yes".into()),
            "no" => Ok("no".into()),
            _ => Err("argument must be 'yes' or 'no'".into()),
        },
        Int { min, max } => {
            let parsed = value
                .parse::<i64>()
                .ok()
                .or_else(|| parse_memory(value).and_then(|m| i64::try_from(m).ok()));
            match parsed {
                Some(n) if n < min || n > max => Err(format!(
                    "argument must be between {min} and {max} inclusive"
                )),
                Some(n) => Ok(n.to_string()),
                None => Err("argument couldn't be parsed into an integer".into()),
            }
        }
        Memory { max } => {
            let negative = value.starts_with('-');
            match parse_memory(value.trim_start_matches('-')) {
                Some(_) if negative => Err("argument must be a memory value".into()),
                Some(n) if n > max => {
                    Err(format!("argument must be between 0 and {max} inclusive"))
                }
                Some(n) => Ok(n.to_string()),
                None => Err("argument must be a memory value".into()),
            }
        }
        Enum(options) => {
            let lower = value.to_ascii_lowercase();
            if options.contains(&lower.as_str()) {
                Ok(lower)
            } else {
                Err(format!(
                    "argument(s) must be one of the following: {}",
                    options.join(", ")
                ))
            }
        }
        Str => Ok(value.to_string()),
        Special(check) => check(value),
    }
}

/// One published configuration. Hot values are pre-parsed fields; every value also
/// stays in `values` as CONFIG GET shows it.
#[derive(Clone, Debug)]
pub struct Settings {
    pub values: BTreeMap<&'static str, String>,
    pub port: u16,
    pub databases: usize,
    pub requirepass: Option<Vec<u8>>,
    pub protected_mode: bool,
    pub maxmemory: u64,
    pub policy: EvictionPolicy,
    pub maxmemory_samples: usize,
    pub maxclients: usize,
    pub timeout_secs: u64,
    pub proto_max_bulk_len: i64,
    pub query_buffer_limit: u64,
    pub output_limits: [OutputLimit; 3],
    pub notify_flags: u32,
    pub slowlog_slower_than: i64,
    pub slowlog_max_len: usize,
    pub latency_threshold_ms: i64,
    pub hz: u64,
    pub active_expire_effort: u64,
    /// `hash-max-listpack-entries` / `-value`: how big a hash stays packed.
    pub hash_pack: PackLimits,
    /// `zset-max-listpack-entries` / `-value`: how big a sorted set stays packed.
    pub zset_pack: PackLimits,
    /// `set-max-intset-entries`: how many integers a set keeps packed.
    pub intset_entries: usize,
    /// `hll-sparse-max-bytes`: the longest a sparse HyperLogLog grows.
    pub hll_sparse_max_bytes: usize,
    /// `tracking-table-max-keys`: keys the client-side caching table holds (0: no
    /// limit).
    pub tracking_table_max_keys: usize,
}

impl Default for Settings {
    fn default() -> Self {
        let mut values = BTreeMap::new();
        for param in PARAMS {
            let value = match param.kind {
                Special(check) => {
                    check(param.default).unwrap_or_else(|_| param.default.to_string())
                }
                _ => param.default.to_string(),
            };
            values.insert(param.name, value);
        }
        let mut settings = Settings {
            values,
            port: 6379,
            databases: 16,
            requirepass: None,
            protected_mode: true,
            maxmemory: 0,
            policy: EvictionPolicy::NoEviction,
            maxmemory_samples: 5,
            maxclients: 10000,
            timeout_secs: 0,
            proto_max_bulk_len: 512 << 20,
            query_buffer_limit: 1 << 30,
            output_limits: parse_obuf(PARAMS_OBUF_DEFAULT).unwrap_or_default(),
            notify_flags: 0,
            slowlog_slower_than: 10000,
            slowlog_max_len: 128,
            latency_threshold_ms: 0,
            hz: 10,
            active_expire_effort: 1,
            hash_pack: PackLimits::default(),
            zset_pack: PackLimits::default(),
            intset_entries: 512,
            hll_sparse_max_bytes: 3000,
            tracking_table_max_keys: 1_000_000,
        };
        settings.refresh();
        settings
    }
}

const PARAMS_OBUF_DEFAULT: &str =
    "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60";

impl Settings {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(|s| s.as_str())
    }

    fn num<T: std::str::FromStr>(&self, name: &str, fallback: T) -> T {
        self.get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(fallback)
    }

    /// A packing limit: values past u32 are as good as unlimited.
    fn limit(&self, name: &str, fallback: u64) -> u32 {
        self.num(name, fallback).min(u32::MAX as u64) as u32
    }

    /// Recomputes the typed fields from `values`.
    fn refresh(&mut self) {
        self.port = self.num("port", 6379);
        self.databases = self.num("databases", 16);
        self.requirepass = self
            .get("requirepass")
            .filter(|p| !p.is_empty())
            .map(|p| p.as_bytes().to_vec());
        self.protected_mode = self.get("protected-mode") == Some("yes");
        self.maxmemory = self.num("maxmemory", 0);
        self.policy = self
            .get("maxmemory-policy")
            .and_then(EvictionPolicy::parse)
            .unwrap_or(EvictionPolicy::NoEviction);
        self.maxmemory_samples = self.num("maxmemory-samples", 5);
        self.maxclients = self.num("maxclients", 10000);
        self.timeout_secs = self.num("timeout", 0);
        self.proto_max_bulk_len = self.num("proto-max-bulk-len", 512 << 20);
        self.query_buffer_limit = self.num("client-query-buffer-limit", 1 << 30);
        self.output_limits = parse_obuf(
            self.get("client-output-buffer-limit")
                .unwrap_or(PARAMS_OBUF_DEFAULT),
        )
        .unwrap_or_default();
        self.notify_flags =
            notify::parse(self.get("notify-keyspace-events").unwrap_or("")).unwrap_or(0);
        self.slowlog_slower_than = self.num("slowlog-log-slower-than", 10000);
        self.slowlog_max_len = self.num("slowlog-max-len", 128);
        self.latency_threshold_ms = self.num("latency-monitor-threshold", 0);
        self.hz = self.num("hz", 10);
        self.active_expire_effort = self.num("active-expire-effort", 1);
        self.hash_pack = PackLimits {
            max_entries: self.limit("hash-max-listpack-entries", 128),
            max_value: self.limit("hash-max-listpack-value", 64),
        };
        self.zset_pack = PackLimits {
            max_entries: self.limit("zset-max-listpack-entries", 128),
            max_value: self.limit("zset-max-listpack-value", 64),
        };
        self.intset_entries = self.num("set-max-intset-entries", 512);
        self.hll_sparse_max_bytes = self.num("hll-sparse-max-bytes", 3000);
        self.tracking_table_max_keys = self.num("tracking-table-max-keys", 1_000_000);
    }

    /// Applies `(name, value)` pairs atomically: all are valid and applied, or none.
    /// `startup` allows immutable parameters (config file and command line).
    pub fn apply(
        &self,
        pairs: &[(String, String)],
        startup: bool,
    ) -> Result<Settings, ConfigError> {
        let mut next = self.clone();
        let mut seen = std::collections::HashSet::new();
        for (name, value) in pairs {
            let Some(param) = param(name) else {
                return Err(ConfigError::Unknown(name.clone()));
            };
            if !seen.insert(param.name) {
                return Err(ConfigError::Duplicate(name.clone()));
            }
            if param.immutable && !startup {
                return Err(ConfigError::Invalid(
                    name.clone(),
                    "can't set immutable config".into(),
                ));
            }
            let value =
                normalize(param, value).map_err(|e| ConfigError::Invalid(name.clone(), e))?;
            next.values.insert(param.name, value);
        }
        next.refresh();
        Ok(next)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    Unknown(String),
    Duplicate(String),
    Invalid(String, String),
}

impl ConfigError {
    /// The CONFIG SET error text.
    pub fn message(&self) -> String {
        match self {
            ConfigError::Unknown(name) => {
                format!("ERR Unknown option or number of arguments for CONFIG SET - '{name}'")
            }
            ConfigError::Duplicate(name) => format!("ERR Duplicate parameter - {name}"),
            ConfigError::Invalid(name, why) => {
                format!("ERR CONFIG SET failed (possibly related to argument '{name}') - {why}")
            }
        }
    }
}

/// Parses a redis.conf-style text into `(name, value)` pairs (multi-word values joined
/// by spaces, `""` for empty).
pub fn parse_config_text(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words = ferrocache_protocol::split::split_args(line.as_bytes())
            .ok_or_else(|| format!("line {}: unbalanced quotes", n + 1))?;
        let Some((name, rest)) = words.split_first() else {
            continue;
        };
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        let value = rest
            .iter()
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        // `save` and similar may appear many times; later lines append.
        if name == "save" {
            if let Some(existing) = pairs
                .iter_mut()
                .find(|(k, _): &&mut (String, String)| k == "save")
            {
                if !value.is_empty() && !existing.1.is_empty() {
                    existing.1 = format!("{} {}", existing.1, value);
                } else {
                    existing.1 = value;
                }
                continue;
            }
        }
        pairs.push((name, value));
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_units() {
        assert_eq!(parse_memory("1gb"), Some(1 << 30));
        assert_eq!(parse_memory("100MB"), Some(100 << 20));
        assert_eq!(parse_memory("10k"), Some(10_000));
        assert_eq!(parse_memory("12"), Some(12));
        assert_eq!(parse_memory("x"), None);
        assert_eq!(parse_memory("-1"), None);
    }

    #[test]
    fn set_validates_all_or_nothing() {
        let s = Settings::default();
        let ok = s
            .apply(
                &[
                    ("maxmemory".into(), "1gb".into()),
                    ("maxmemory-policy".into(), "allkeys-lru".into()),
                ],
                false,
            )
            .unwrap();
        assert_eq!(ok.maxmemory, 1 << 30);
        assert_eq!(ok.get("maxmemory"), Some("1073741824"));
        assert_eq!(ok.policy, EvictionPolicy::AllKeysLru);
        let err = s
            .apply(
                &[
                    ("maxmemory".into(), "1gb".into()),
                    ("maxmemory-policy".into(), "bogus".into()),
                ],
                false,
            )
            .unwrap_err();
        assert!(err.message().starts_with(
            "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy')"
        ));
        assert_eq!(
            s.apply(&[("databases".into(), "1".into())], false).unwrap_err().message(),
            "ERR CONFIG SET failed (possibly related to argument 'databases') - can't set immutable config"
        );
    }

    #[test]
    fn notify_flags_roundtrip() {
        assert_eq!(notify::format(notify::parse("KEA").unwrap()), "AKE");
        assert_eq!(notify::format(notify::parse("Kx").unwrap()), "xK");
        assert!(notify::parse("Q").is_none());
    }

    #[test]
    fn config_text() {
        let pairs =
            parse_config_text("# c\nport 7000\nsave 900 1\nsave 300 10\nrequirepass \"a b\"\n")
                .unwrap();
        assert_eq!(
            pairs,
            vec![
                ("port".into(), "7000".into()),
                ("save".into(), "900 1 300 10".into()),
                ("requirepass".into(), "a b".into())
            ]
        );
    }
}
