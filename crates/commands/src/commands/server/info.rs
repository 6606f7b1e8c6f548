//! INFO [section [section ...]]
//!
//! Sections, in redis-server 7.0's order and with its field names: server, clients,
//! memory, persistence, stats, replication, cpu, modules, commandstats, errorstats,
//! latencystats, cluster, keyspace. `default` (also what no argument means) is all of
//! them but commandstats and latencystats; `all` and `everything` are all of them.
//! Section names are case-insensitive; unknown ones add nothing.
//!
//! Counters are the node's totals (departed clients plus every live client's flushed
//! counters) plus the caller's own not yet flushed ones. Keyspace figures (keys,
//! hits, misses, expired keys) need every stripe locked one at a time: inside EXEC,
//! where the transaction already holds stripes, the keyspace section is left empty
//! and those stats lines are left out. Persistence and replication do not exist yet:
//! their sections show an idle master that never saved to disk. Per-command latency
//! histograms are not kept, so latencystats is empty.

use super::super::connection::REDIS_VERSION;
use super::bytes_to_human;
use super::memory::MemoryOverview;
use crate::client::ClientKind;
use crate::ctx::Ctx;
use crate::pubsub::Table;
use crate::stats::{ClientStats, CommandKey};
use crate::table::CommandSpec;
use ferrocache_keyspace::{lru_clock, KeyspaceStats};
use std::fmt::Write;
use std::sync::atomic::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

const SECTIONS: &[&str] = &[
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "modules",
    "commandstats",
    "errorstats",
    "latencystats",
    "cluster",
    "keyspace",
];

const DEFAULT: &[&str] = &[
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "module_list",
    "errorstats",
    "cluster",
    "keyspace",
];

/// Which sections were asked for.
struct Wanted {
    all: bool,
    names: Vec<String>,
}

impl Wanted {
    fn parse(args: &[&[u8]]) -> Wanted {
        let mut wanted = Wanted {
            all: false,
            names: Vec::new(),
        };
        if args.is_empty() {
            wanted.names = DEFAULT.iter().map(|s| s.to_string()).collect();
            return wanted;
        }
        for arg in args {
            let name = String::from_utf8_lossy(arg).to_ascii_lowercase();
            match name.as_str() {
                "default" => wanted.names.extend(DEFAULT.iter().map(|s| s.to_string())),
                "all" | "everything" => wanted.all = true,
                _ => wanted.names.push(name),
            }
        }
        wanted
    }

    fn has(&self, section: &str) -> bool {
        self.all
            || self.names.iter().any(|n| n == section)
            || (section == "modules" && self.names.iter().any(|n| n == "module_list"))
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    // This client's own commands of the current batch count too.
    ctx.client.flush_stats(ctx.node);
    let wanted = Wanted::parse(&args[1..]);
    let text = generate(ctx, &wanted);
    ctx.out.verbatim(text.as_bytes());
}

/// Everything INFO needs from the node, read once.
struct Snapshot {
    totals: ClientStats,
    /// Per-database keyspace counters; None inside EXEC.
    keyspace: Option<Vec<KeyspaceStats>>,
}

fn generate(ctx: &Ctx<'_>, wanted: &Wanted) -> String {
    let needs_keyspace = ["memory", "stats", "keyspace"]
        .iter()
        .any(|s| wanted.has(s));
    let mut totals = ctx.node.total_stats();
    totals.merge(&ctx.client.stats);
    let snapshot = Snapshot {
        totals,
        keyspace: (needs_keyspace && !ctx.in_exec).then(|| ctx.node.keyspace.stats()),
    };
    let mut out = String::new();
    for section in SECTIONS {
        if !wanted.has(section) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        match *section {
            "server" => server(ctx, &mut out),
            "clients" => clients(ctx, &mut out),
            "memory" => memory(ctx, &snapshot, &mut out),
            "persistence" => persistence(ctx, &mut out),
            "stats" => stats(ctx, &snapshot, &mut out),
            "replication" => replication(ctx, &mut out),
            "cpu" => cpu(&mut out),
            "modules" => out.push_str("# Modules\r\n"),
            "commandstats" => commandstats(ctx, &snapshot.totals, &mut out),
            "errorstats" => errorstats(&snapshot.totals, &mut out),
            "latencystats" => out.push_str("# Latencystats\r\n"),
            "cluster" => out.push_str("# Cluster\r\ncluster_enabled:0\r\n"),
            "keyspace" => keyspace(&snapshot, &mut out),
            _ => {}
        }
    }
    out
}

/// Appends `name:value\r\n` lines.
macro_rules! fields {
    ($out:expr, $($name:literal => $value:expr),* $(,)?) => {
        $( let _ = write!($out, concat!($name, ":{}\r\n"), $value); )*
    };
}

/// `sysname release machine`, as `uname -srm` prints them.
fn os_name() -> String {
    // SAFETY: utsname is plain old data; uname fills it with NUL-terminated strings.
    let mut name: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: `name` is a valid, writable utsname.
    if unsafe { libc::uname(&mut name) } != 0 {
        return std::env::consts::OS.to_string();
    }
    let field = |raw: &[libc::c_char]| {
        let bytes: Vec<u8> = raw
            .iter()
            .take_while(|&&c| c != 0)
            .map(|&c| c as u8)
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    format!(
        "{} {} {}",
        field(&name.sysname),
        field(&name.release),
        field(&name.machine)
    )
}

fn server(ctx: &Ctx<'_>, out: &mut String) {
    let node = ctx.node;
    let settings = node.settings();
    let uptime = node.uptime_secs();
    let now_usec = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_micros();
    let config_file = node
        .config_file
        .lock()
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    out.push_str("# Server\r\n");
    fields!(out,
        "redis_version" => REDIS_VERSION,
        "redis_git_sha1" => "00000000",
        "redis_git_dirty" => 0,
        "redis_build_id" => "0",
        "redis_mode" => "standalone",
        "os" => os_name(),
        "arch_bits" => usize::BITS,
        "monotonic_clock" => "POSIX clock_gettime",
        "multiplexing_api" => "epoll",
        "atomicvar_api" => "c11-builtin",
        "gcc_version" => "0.0.0",
        "process_id" => std::process::id(),
        "process_supervised" => "no",
        "run_id" => node.run_id,
        "tcp_port" => node.tcp_port.load(Ordering::Relaxed),
        "server_time_usec" => now_usec,
        "uptime_in_seconds" => uptime,
        "uptime_in_days" => uptime / 86400,
        "hz" => settings.hz,
        "configured_hz" => settings.hz,
        "lru_clock" => lru_clock(),
        "executable" => node.executable,
        "config_file" => config_file,
        "io_threads_active" => 0,
    );
}

fn clients(ctx: &Ctx<'_>, out: &mut String) {
    let clients: Vec<_> = ctx.node.clients.lock().values().cloned().collect();
    let mut connected = 0;
    let (mut max_in, mut max_out) = (0, 0);
    for client in &clients {
        if client.kind() != ClientKind::Replica {
            connected += 1;
        }
        let info = client.info.lock();
        max_in = max_in.max(info.query_buffer);
        max_out = max_out.max(info.output_buffer + client.pending_push.load(Ordering::Relaxed));
    }
    out.push_str("# Clients\r\n");
    fields!(out,
        "connected_clients" => connected,
        "cluster_connections" => 0,
        "maxclients" => ctx.node.settings().maxclients,
        "client_recent_max_input_buffer" => max_in,
        "client_recent_max_output_buffer" => max_out,
        "blocked_clients" => ctx.node.blocking.blocked_clients(),
        "tracking_clients" => ctx.node.tracking.stats().clients,
        "clients_in_timeout_table" => 0,
    );
}

/// Physical memory of the machine, from /proc/meminfo.
fn total_system_memory() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

fn memory(ctx: &Ctx<'_>, snapshot: &Snapshot, out: &mut String) {
    let m = MemoryOverview::from_stats(ctx, snapshot.keyspace.as_deref());
    let settings = ctx.node.settings();
    let system = total_system_memory();
    out.push_str("# Memory\r\n");
    fields!(out,
        "used_memory" => m.used,
        "used_memory_human" => bytes_to_human(m.used),
        "used_memory_rss" => m.rss,
        "used_memory_rss_human" => bytes_to_human(m.rss),
        "used_memory_peak" => m.peak,
        "used_memory_peak_human" => bytes_to_human(m.peak),
        "used_memory_peak_perc" => format!("{:.2}%", m.peak_perc()),
        "used_memory_overhead" => m.overhead,
        "used_memory_startup" => m.startup,
        "used_memory_dataset" => m.dataset,
        "used_memory_dataset_perc" => format!("{:.2}%", m.dataset_perc()),
        "allocator_allocated" => m.used,
        "allocator_active" => m.used,
        "allocator_resident" => m.rss,
        "total_system_memory" => system,
        "total_system_memory_human" => bytes_to_human(system),
        "used_memory_lua" => 0,
        "used_memory_vm_eval" => 0,
        "used_memory_lua_human" => "0B",
        "used_memory_scripts_eval" => 0,
        "number_of_cached_scripts" => 0,
        "number_of_functions" => 0,
        "number_of_libraries" => 0,
        "used_memory_vm_functions" => 0,
        "used_memory_vm_total" => 0,
        "used_memory_vm_total_human" => "0B",
        "used_memory_functions" => 0,
        "used_memory_scripts" => 0,
        "used_memory_scripts_human" => "0B",
        "maxmemory" => settings.maxmemory,
        "maxmemory_human" => bytes_to_human(settings.maxmemory),
        "maxmemory_policy" => settings.policy.name(),
        "allocator_frag_ratio" => "1.00",
        "allocator_frag_bytes" => 0,
        "allocator_rss_ratio" => format!("{:.2}", m.fragmentation()),
        "allocator_rss_bytes" => m.fragmentation_bytes(),
        "rss_overhead_ratio" => "1.00",
        "rss_overhead_bytes" => 0,
        "mem_fragmentation_ratio" => format!("{:.2}", m.fragmentation()),
        "mem_fragmentation_bytes" => m.fragmentation_bytes(),
        "mem_not_counted_for_evict" => 0,
        "mem_replication_backlog" => 0,
        "mem_total_replication_buffers" => 0,
        "mem_clients_slaves" => 0,
        "mem_clients_normal" => m.clients_normal,
        "mem_cluster_links" => 0,
        "mem_aof_buffer" => 0,
        "mem_allocator" => "mimalloc",
        "active_defrag_running" => 0,
        "lazyfree_pending_objects" => 0,
        "lazyfreed_objects" => 0,
    );
}

fn persistence(ctx: &Ctx<'_>, out: &mut String) {
    let node = ctx.node;
    out.push_str("# Persistence\r\n");
    fields!(out,
        "loading" => 0,
        "async_loading" => 0,
        "current_cow_peak" => 0,
        "current_cow_size" => 0,
        "current_cow_size_age" => 0,
        "current_fork_perc" => "0.00",
        "current_save_keys_processed" => 0,
        "current_save_keys_total" => 0,
        "rdb_changes_since_last_save" => node.dirty.load(Ordering::Relaxed),
        "rdb_bgsave_in_progress" => 0,
        "rdb_last_save_time" => node.last_save_unix.load(Ordering::Relaxed),
        "rdb_last_bgsave_status" => "ok",
        "rdb_last_bgsave_time_sec" => -1,
        "rdb_current_bgsave_time_sec" => -1,
        "rdb_saves" => node.rdb_saves.load(Ordering::Relaxed),
        "rdb_last_cow_size" => 0,
        "rdb_last_load_keys_expired" => 0,
        "rdb_last_load_keys_loaded" => 0,
        "aof_enabled" => 0,
        "aof_rewrite_in_progress" => 0,
        "aof_rewrite_scheduled" => 0,
        "aof_last_rewrite_time_sec" => -1,
        "aof_current_rewrite_time_sec" => -1,
        "aof_last_bgrewrite_status" => "ok",
        "aof_rewrites" => 0,
        "aof_rewrites_consecutive_failures" => 0,
        "aof_last_write_status" => "ok",
        "aof_last_cow_size" => 0,
        "module_fork_in_progress" => 0,
        "module_fork_last_cow_size" => 0,
    );
}

fn stats(ctx: &Ctx<'_>, snapshot: &Snapshot, out: &mut String) {
    let node = ctx.node;
    let t = &snapshot.totals;
    let rates = node.instantaneous([t.total_commands, t.net_input_bytes, t.net_output_bytes]);
    let tracking = node.tracking.stats();
    let keyspace = snapshot.keyspace.as_ref().map(|dbs| {
        dbs.iter().fold((0u64, 0u64, 0u64), |acc, s| {
            (acc.0 + s.expired, acc.1 + s.hits, acc.2 + s.misses)
        })
    });
    out.push_str("# Stats\r\n");
    fields!(out,
        "total_connections_received" => node.connections_received.load(Ordering::Relaxed),
        "total_commands_processed" => t.total_commands,
        "instantaneous_ops_per_sec" => rates[0].round() as u64,
        "total_net_input_bytes" => t.net_input_bytes,
        "total_net_output_bytes" => t.net_output_bytes,
        "total_net_repl_input_bytes" => 0,
        "total_net_repl_output_bytes" => 0,
        "instantaneous_input_kbps" => format!("{:.2}", rates[1] / 1024.0),
        "instantaneous_output_kbps" => format!("{:.2}", rates[2] / 1024.0),
        "instantaneous_input_repl_kbps" => "0.00",
        "instantaneous_output_repl_kbps" => "0.00",
        "rejected_connections" => node.rejected_connections.load(Ordering::Relaxed),
        "sync_full" => 0,
        "sync_partial_ok" => 0,
        "sync_partial_err" => 0,
    );
    if let Some((expired, _, _)) = keyspace {
        fields!(out, "expired_keys" => expired);
    }
    fields!(out,
        "expired_stale_perc" => "0.00",
        "expired_time_cap_reached_count" => 0,
        "expire_cycle_cpu_milliseconds" => 0,
        "evicted_keys" => node.keyspace.evicted_keys(),
        "evicted_clients" => 0,
        "total_eviction_exceeded_time" => 0,
        "current_eviction_exceeded_time" => 0,
    );
    if let Some((_, hits, misses)) = keyspace {
        fields!(out, "keyspace_hits" => hits, "keyspace_misses" => misses);
    }
    fields!(out,
        "pubsub_channels" => node.pubsub.channel_count(Table::Channels),
        "pubsub_patterns" => node.pubsub.pattern_count(),
        "pubsubshard_channels" => node.pubsub.channel_count(Table::Shard),
        "latest_fork_usec" => 0,
        "total_forks" => 0,
        "migrate_cached_sockets" => 0,
        "slave_expires_tracked_keys" => 0,
        "active_defrag_hits" => 0,
        "active_defrag_misses" => 0,
        "active_defrag_key_hits" => 0,
        "active_defrag_key_misses" => 0,
        "total_active_defrag_time" => 0,
        "current_active_defrag_time" => 0,
        "tracking_total_keys" => tracking.keys,
        "tracking_total_items" => tracking.items,
        "tracking_total_prefixes" => tracking.prefixes,
        "unexpected_error_replies" => 0,
        "total_error_replies" => t.error_replies,
        "dump_payload_sanitizations" => 0,
        "total_reads_processed" => t.reads,
        "total_writes_processed" => t.writes,
        "io_threaded_reads_processed" => 0,
        "io_threaded_writes_processed" => 0,
        "reply_buffer_shrinks" => 0,
        "reply_buffer_expands" => 0,
    );
}

fn replication(ctx: &Ctx<'_>, out: &mut String) {
    let node = ctx.node;
    let replid = node.replid.lock().clone();
    let backlog = node
        .settings()
        .get("repl-backlog-size")
        .unwrap_or("1048576")
        .to_string();
    out.push_str("# Replication\r\n");
    fields!(out,
        "role" => "master",
        "connected_slaves" => 0,
        "master_failover_state" => "no-failover",
        "master_replid" => replid,
        "master_replid2" => "0".repeat(40),
        "master_repl_offset" => node.stream.offset(),
        "second_repl_offset" => -1,
        "repl_backlog_active" => 0,
        "repl_backlog_size" => backlog,
        "repl_backlog_first_byte_offset" => 0,
        "repl_backlog_histlen" => 0,
    );
}

/// `seconds.micros` of one getrusage time.
fn timeval(tv: libc::timeval) -> String {
    format!("{}.{:06}", tv.tv_sec, tv.tv_usec)
}

fn rusage(who: libc::c_int) -> libc::rusage {
    // SAFETY: rusage is plain old data; getrusage fills it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable rusage.
    unsafe { libc::getrusage(who, &mut usage) };
    usage
}

fn cpu(out: &mut String) {
    let me = rusage(libc::RUSAGE_SELF);
    let children = rusage(libc::RUSAGE_CHILDREN);
    let thread = rusage(libc::RUSAGE_THREAD);
    out.push_str("# CPU\r\n");
    fields!(out,
        "used_cpu_sys" => timeval(me.ru_stime),
        "used_cpu_user" => timeval(me.ru_utime),
        "used_cpu_sys_children" => timeval(children.ru_stime),
        "used_cpu_user_children" => timeval(children.ru_utime),
        "used_cpu_sys_main_thread" => timeval(thread.ru_stime),
        "used_cpu_user_main_thread" => timeval(thread.ru_utime),
    );
}

/// INFO shows `#`, `:` and line breaks in names as `_`.
fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if matches!(c, '#' | ':' | '\n' | '\r') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

fn commandstats(ctx: &Ctx<'_>, totals: &ClientStats, out: &mut String) {
    out.push_str("# Commandstats\r\n");
    let mut specs: Vec<&'static CommandSpec> = Vec::new();
    for spec in ctx.node.table.all() {
        specs.push(spec);
        specs.extend(spec.subcommands.iter());
    }
    specs.sort_by_key(|s| s.name);
    for spec in specs {
        let Some(s) = totals.commands.get(&CommandKey(spec)) else {
            continue;
        };
        if s.calls == 0 && s.failed_calls == 0 && s.rejected_calls == 0 {
            continue;
        }
        let per_call = if s.calls == 0 {
            0.0
        } else {
            s.usec as f64 / s.calls as f64
        };
        let _ = write!(
            out,
            "cmdstat_{}:calls={},usec={},usec_per_call={:.2},rejected_calls={},failed_calls={}\r\n",
            safe_name(spec.name),
            s.calls,
            s.usec,
            per_call,
            s.rejected_calls,
            s.failed_calls
        );
    }
}

fn errorstats(totals: &ClientStats, out: &mut String) {
    out.push_str("# Errorstats\r\n");
    let mut codes: Vec<(&String, &u64)> = totals.errors.iter().collect();
    codes.sort();
    for (code, count) in codes {
        let _ = write!(out, "errorstat_{}:count={}\r\n", safe_name(code), count);
    }
}

fn keyspace(snapshot: &Snapshot, out: &mut String) {
    out.push_str("# Keyspace\r\n");
    let Some(dbs) = &snapshot.keyspace else {
        return;
    };
    for (db, s) in dbs.iter().enumerate() {
        if s.keys > 0 || s.volatile > 0 {
            let _ = write!(
                out,
                "db{db}:keys={},expires={},avg_ttl=0\r\n",
                s.keys, s.volatile
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_selection() {
        let none = Wanted::parse(&[]);
        assert!(none.has("server") && none.has("keyspace") && none.has("modules"));
        assert!(!none.has("commandstats") && !none.has("latencystats"));
        let all = Wanted::parse(&[b"ALL"]);
        assert!(all.has("commandstats"));
        let some = Wanted::parse(&[b"Server", b"CommandStats"]);
        assert!(some.has("server") && some.has("commandstats") && !some.has("memory"));
        let default_plus = Wanted::parse(&[b"default", b"latencystats"]);
        assert!(default_plus.has("cpu") && default_plus.has("latencystats"));
    }

    #[test]
    fn names_are_sanitized() {
        assert_eq!(safe_name("config|get"), "config|get");
        assert_eq!(safe_name("a:b#c"), "a_b_c");
    }
}
