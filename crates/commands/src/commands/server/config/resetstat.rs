//! CONFIG RESETSTAT
//!
//! Zeroes the INFO counters: command, error and network totals (of departed clients,
//! of every live client and of the caller's unflushed ones), connection counts, the
//! instantaneous rates, and the keyspace hit/miss/expiry/eviction counters. The slow log is kept, as in
//! redis-server. Inside EXEC the keyspace counters are left alone: resetting them
//! locks every stripe, and the transaction already holds some.

use crate::ctx::Ctx;
use crate::node::MetricsSample;
use crate::stats::ClientStats;
use std::sync::atomic::Ordering;
use std::time::Instant;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let node = ctx.node;
    *node.retired_stats.lock() = ClientStats::default();
    let clients: Vec<_> = node.clients.lock().values().cloned().collect();
    for client in clients {
        *client.stats.lock() = ClientStats::default();
    }
    ctx.client.stats = ClientStats::default();
    node.connections_received.store(0, Ordering::Relaxed);
    node.rejected_connections.store(0, Ordering::Relaxed);
    node.rdb_saves.store(0, Ordering::Relaxed);
    node.stat_expired_stale_perc.store(0, Ordering::Relaxed);
    *node.metrics_sample.lock() = MetricsSample {
        at: Instant::now(),
        totals: [0; 3],
        rates: [0.0; 3],
    };
    if !ctx.in_exec {
        node.keyspace.reset_stats();
    }
    ctx.out.ok();
}
