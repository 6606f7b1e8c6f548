//! SAVE
//!
//! Persistence does not exist yet: SAVE writes nothing, but behaves as a successful
//! save for everything that observes one (LASTSAVE, `rdb_changes_since_last_save`,
//! `rdb_saves`).

use crate::ctx::Ctx;
use crate::node::{unix_now, Node};
use std::sync::atomic::Ordering;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    ctx.client.flush_stats(ctx.node);
    record_save(ctx.node);
    ctx.out.ok();
}

/// Marks a completed save: no changes pending, a new LASTSAVE time.
pub fn record_save(node: &Node) {
    node.dirty.store(0, Ordering::Relaxed);
    node.last_save_unix.store(unix_now(), Ordering::Relaxed);
    node.rdb_saves.fetch_add(1, Ordering::Relaxed);
}
