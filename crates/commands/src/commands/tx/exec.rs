//! EXEC
//!
//! Every stripe any queued command touches, and those of the watched keys, are locked
//! together before the first command runs, and held until the last one finished: the
//! transaction is atomic and isolated, and a WATCHed key cannot change between the
//! check and the execution.

use super::release_watches;
use crate::ctx::Ctx;
use crate::dispatch::{call, collect_locks, finish_expired, resolve, Resolved};
use ferrocache_keyspace::LockSet;
use ferrocache_protocol::number::parse_i64;
use std::sync::atomic::Ordering;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let Some(multi) = ctx.client.multi.take() else {
        return ctx.err("ERR EXEC without MULTI");
    };
    ctx.client.shared.info.lock().multi = None;
    if multi.aborted {
        super::unwatch_all(ctx);
        return ctx.err("EXECABORT Transaction discarded because of previous errors.");
    }

    // Resolve every queued command and collect the stripes they need, following
    // SELECTs inside the transaction.
    let node = ctx.node;
    let mut set = LockSet::new();
    for (db, key) in &ctx.client.watched {
        node.keyspace.add_key(&mut set, *db, key);
    }
    let mut db = ctx.client.db;
    let mut plan = Vec::with_capacity(multi.queued.len());
    for queued in &multi.queued {
        let args: Vec<&[u8]> = queued.iter().map(|a| a.as_slice()).collect();
        let Resolved::Found(spec) = resolve(node, &args) else {
            // Rejected commands never reach the queue.
            continue;
        };
        collect_locks(&node.keyspace, spec, &args, db, &mut set);
        if spec.name == "select" {
            if let Some(n) =
                parse_i64(args[1]).filter(|&n| n >= 0 && (n as usize) < node.keyspace.databases())
            {
                db = n as usize;
            }
        }
        plan.push((queued, spec));
    }
    let mut locked = node.keyspace.lock(set);
    let dirty = ctx.client.shared.watch_dirty.load(Ordering::Relaxed);
    release_watches(ctx.client, &mut locked);
    if dirty {
        return ctx.out.null_array();
    }

    ctx.out.array(plan.len());
    let mut inner = Ctx {
        node,
        settings: ctx.settings,
        client: &mut *ctx.client,
        out: &mut *ctx.out,
        keys: locked,
        db: ctx.db,
        spec: ctx.spec,
        dirty: 0,
        rewrite: None,
        in_exec: true,
        block: None,
        ready: Vec::new(),
    };
    let mut clock = quanta::Instant::now();
    for (queued, spec) in plan {
        let args: Vec<&[u8]> = queued.iter().map(|a| a.as_slice()).collect();
        inner.db = inner.client.db;
        clock = call(&mut inner, spec, &args, clock);
    }
    finish_expired(&mut inner.keys, node);
    drop(inner);
    // Each command propagated itself while the stripes were held; EXEC adds nothing.
    ctx.db = ctx.client.db;
}
