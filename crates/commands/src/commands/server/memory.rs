//! MEMORY USAGE key [SAMPLES count] | STATS | DOCTOR | MALLOC-STATS | PURGE | HELP
//!
//! Memory figures come from the counting allocator (`used_memory`), the process RSS
//! and the per-stripe item bytes. Item data is the dataset; everything else the
//! process allocated (tables, clients, buffers, startup) is overhead. There is no
//! separate allocator arena accounting: allocator-level ratios are reported as 1.

use super::reply_help;
use crate::args::is;
use crate::ctx::Ctx;
use crate::errors;
use crate::table::flags::*;
use crate::table::CommandSpec;
use ferrocache_keyspace::{memory, Item, KeyspaceStats};
use ferrocache_protocol::number::parse_i64;

pub static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec::new("memory|doctor", 2, 0, doctor)
        .acl("slow")
        .doc("server", "4.0.0", "Outputs memory problems report"),
    CommandSpec::new("memory|help", 2, LOADING | STALE, help)
        .acl("slow")
        .doc(
            "server",
            "4.0.0",
            "Show helpful text about the different subcommands",
        ),
    CommandSpec::new("memory|malloc-stats", 2, 0, malloc_stats)
        .acl("slow")
        .doc("server", "4.0.0", "Show allocator internal stats"),
    CommandSpec::new("memory|purge", 2, 0, purge)
        .acl("slow")
        .doc("server", "4.0.0", "Ask the allocator to release memory"),
    CommandSpec::new("memory|stats", 2, 0, stats)
        .acl("slow")
        .doc("server", "4.0.0", "Show memory usage details"),
    CommandSpec::new("memory|usage", -3, READONLY, usage)
        .keys(2, 2, 1)
        .acl("read slow")
        .doc("server", "4.0.0", "Estimate the memory usage of a key"),
];

/// Bytes a key costs in its stripe's table besides its item: the slot pointer and
/// the table's control byte.
const SLOT_BYTES: usize = std::mem::size_of::<Item>() + 1;

pub fn help(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    reply_help(
        ctx,
        args,
        &[
            "DOCTOR",
            "    Return memory problems reports.",
            "MALLOC-STATS",
            "    Return internal statistics report from the memory allocator.",
            "PURGE",
            "    Attempt to purge dirty pages for reclamation by the allocator.",
            "STATS",
            "    Return information about the memory usage of the server.",
            "USAGE <key> [SAMPLES <count>]",
            "    Return memory in bytes used by <key> and its value. Nested values are",
            "    sampled up to <count> times (default: 5, 0 means sample all).",
        ],
    );
}

fn usage(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let mut i = 3;
    while i < args.len() {
        if is(args[i], "samples") && i + 1 < args.len() {
            let Some(samples) = parse_i64(args[i + 1]) else {
                return ctx.err(errors::NOT_INTEGER);
            };
            if samples < 0 {
                return ctx.err(errors::SYNTAX);
            }
            i += 2;
        } else {
            return ctx.err(errors::SYNTAX);
        }
    }
    match ctx.keys.get(ctx.db, args[2]) {
        Some(item) => {
            let bytes = item.alloc_size() + SLOT_BYTES;
            ctx.out.int(bytes as i64);
        }
        None => ctx.out.null(),
    }
}

/// Keys and table overhead of one non-empty database.
pub struct DbMemory {
    pub db: usize,
    pub keys: usize,
    pub overhead: u64,
}

/// The figures shared by MEMORY STATS, MEMORY DOCTOR and INFO memory.
pub struct MemoryOverview {
    pub used: u64,
    pub peak: u64,
    pub rss: u64,
    pub startup: u64,
    pub clients_normal: u64,
    pub clients: usize,
    pub dbs: Vec<DbMemory>,
    pub keys: usize,
    pub overhead: u64,
    pub dataset: u64,
}

impl MemoryOverview {
    /// Reads the counters. Per-database figures need every stripe locked one at a
    /// time, so they are left out inside EXEC (the transaction holds stripes).
    pub fn collect(ctx: &Ctx<'_>) -> MemoryOverview {
        let stats = (!ctx.in_exec).then(|| ctx.node.keyspace.stats());
        MemoryOverview::from_stats(ctx, stats.as_deref())
    }

    /// Like [`MemoryOverview::collect`] with the keyspace counters already read.
    pub fn from_stats(ctx: &Ctx<'_>, stats: Option<&[KeyspaceStats]>) -> MemoryOverview {
        let node = ctx.node;
        let (used, peak) = node.note_memory();
        let rss = memory::resident_memory() as u64;
        let clients: Vec<_> = node.clients.lock().values().cloned().collect();
        let clients_normal: u64 = clients
            .iter()
            .map(|c| {
                let info = c.info.lock();
                (info.query_buffer + info.output_buffer) as u64
                    + c.pending_push.load(std::sync::atomic::Ordering::Relaxed) as u64
            })
            .sum();
        let startup = node.startup_memory.min(used);
        let mut dbs = Vec::new();
        let item_bytes = stats.map(|stats| {
            let mut bytes = 0u64;
            for (db, s) in stats.iter().enumerate() {
                bytes += s.bytes as u64;
                if s.keys > 0 {
                    dbs.push(DbMemory {
                        db,
                        keys: s.keys,
                        overhead: (s.keys * SLOT_BYTES) as u64,
                    });
                }
            }
            bytes
        });
        let keys = dbs.iter().map(|d| d.keys).sum();
        let dataset = match item_bytes {
            Some(bytes) => bytes.min(used),
            None => used.saturating_sub(startup + clients_normal),
        };
        MemoryOverview {
            used,
            peak,
            rss,
            startup,
            clients_normal,
            clients: clients.len(),
            dbs,
            keys,
            overhead: used - dataset,
            dataset,
        }
    }

    /// Memory used beyond what the node took to start.
    pub fn net_usage(&self) -> u64 {
        self.used.saturating_sub(self.startup).max(1)
    }

    pub fn dataset_perc(&self) -> f64 {
        self.dataset as f64 * 100.0 / self.net_usage() as f64
    }

    pub fn peak_perc(&self) -> f64 {
        self.used as f64 * 100.0 / self.peak.max(1) as f64
    }

    /// RSS over allocated memory (`mem_fragmentation_ratio`).
    pub fn fragmentation(&self) -> f64 {
        self.rss as f64 / self.used.max(1) as f64
    }

    pub fn fragmentation_bytes(&self) -> i64 {
        self.rss as i64 - self.used as i64
    }
}

fn stats(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let m = MemoryOverview::collect(ctx);
    let out = &mut *ctx.out;
    out.map(27 + m.dbs.len());
    let int = |out: &mut ferrocache_protocol::Reply, name: &str, value: i64| {
        out.bulk(name.as_bytes());
        out.int(value);
    };
    int(out, "peak.allocated", m.peak as i64);
    int(out, "total.allocated", m.used as i64);
    int(out, "startup.allocated", m.startup as i64);
    int(out, "replication.backlog", 0);
    int(out, "clients.slaves", 0);
    int(out, "clients.normal", m.clients_normal as i64);
    int(out, "cluster.links", 0);
    int(out, "aof.buffer", 0);
    int(out, "lua.caches", 0);
    int(out, "functions.caches", 0);
    for db in &m.dbs {
        out.bulk(format!("db.{}", db.db).as_bytes());
        out.map(3);
        int(out, "overhead.hashtable.main", db.overhead as i64);
        int(out, "overhead.hashtable.expires", 0);
        int(out, "overhead.hashtable.slot-to-keys", 0);
    }
    int(out, "overhead.total", m.overhead as i64);
    int(out, "keys.count", m.keys as i64);
    let per_key = if m.keys > 0 {
        m.net_usage() / m.keys as u64
    } else {
        0
    };
    int(out, "keys.bytes-per-key", per_key as i64);
    int(out, "dataset.bytes", m.dataset as i64);
    out.bulk(b"dataset.percentage");
    out.double(m.dataset_perc());
    out.bulk(b"peak.percentage");
    out.double(m.peak_perc());
    int(out, "allocator.allocated", m.used as i64);
    int(out, "allocator.active", m.used as i64);
    int(out, "allocator.resident", m.rss as i64);
    out.bulk(b"allocator-fragmentation.ratio");
    out.double(1.0);
    int(out, "allocator-fragmentation.bytes", 0);
    out.bulk(b"allocator-rss.ratio");
    out.double(m.fragmentation());
    int(out, "allocator-rss.bytes", m.fragmentation_bytes());
    out.bulk(b"rss-overhead.ratio");
    out.double(1.0);
    int(out, "rss-overhead.bytes", 0);
    out.bulk(b"fragmentation");
    out.double(m.fragmentation());
    int(out, "fragmentation.bytes", m.fragmentation_bytes());
}

fn doctor(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let m = MemoryOverview::collect(ctx);
    let report = doctor_report(&m);
    ctx.out.verbatim(report.as_bytes());
}

fn doctor_report(m: &MemoryOverview) -> String {
    let empty = m.used < 5 << 20;
    let mut big_peak = false;
    let mut high_frag = false;
    let mut big_client_buf = false;
    if !empty {
        big_peak = m.peak as f64 / m.used.max(1) as f64 > 1.5;
        high_frag = m.fragmentation() > 1.4 && m.fragmentation_bytes() > 10 << 20;
        big_client_buf = m.clients_normal / m.clients.max(1) as u64 > 200 * 1024;
    }
    if empty {
        return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n".into();
    }
    if !(big_peak || high_frag || big_client_buf) {
        return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n".into();
    }
    let mut s =
        String::from("Sam, I detected a few issues in this Redis instance memory implants:\n\n");
    if big_peak {
        s.push_str(" * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n");
    }
    if high_frag {
        s.push_str(" * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. Note: The currently used allocator is \"mimalloc\".\n\n");
    }
    if big_client_buf {
        s.push_str(" * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n");
    }
    s.push_str("I'm here to keep you safe, Sam. I want to help you.\n");
    s
}

fn malloc_stats(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    ctx.out
        .bulk(b"Stats not supported for the current allocator");
}

fn purge(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    ctx.out.ok();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overview(used: u64, peak: u64, rss: u64) -> MemoryOverview {
        MemoryOverview {
            used,
            peak,
            rss,
            startup: 1 << 20,
            clients_normal: 0,
            clients: 1,
            dbs: Vec::new(),
            keys: 0,
            overhead: 0,
            dataset: 0,
        }
    }

    #[test]
    fn doctor_cases() {
        assert!(doctor_report(&overview(1 << 20, 1 << 20, 2 << 20))
            .starts_with("Hi Sam, this instance is empty"));
        assert!(doctor_report(&overview(64 << 20, 64 << 20, 70 << 20))
            .starts_with("Hi Sam, I can't find any memory issue"));
        let report = doctor_report(&overview(64 << 20, 200 << 20, 200 << 20));
        assert!(report.contains("Peak memory"));
        assert!(report.contains("High total RSS"));
        assert!(report.ends_with("I want to help you.\n"));
    }
}
