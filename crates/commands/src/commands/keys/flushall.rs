//! FLUSHALL [ASYNC | SYNC]

use super::flushdb::mode_ok;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if !mode_ok(args) {
        return ctx.err(errors::SYNTAX);
    }
    let mut removed = 0;
    for db in 0..ctx.node.keyspace.databases() {
        removed += ctx.keys.flush_db(db) as u64;
    }
    // Propagated even when every database was already empty.
    ctx.dirty += removed.max(1);
    ctx.out.ok();
}
