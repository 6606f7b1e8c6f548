//! FLUSHDB [ASYNC | SYNC]

use crate::args::is;
use crate::ctx::Ctx;
use crate::errors;

/// Checks FLUSHDB's and FLUSHALL's optional mode. Both modes free the keys before
/// replying: a key is one allocation, so there is nothing worth deferring.
pub fn mode_ok(args: &[&[u8]]) -> bool {
    match args.len() {
        1 => true,
        2 => is(args[1], "sync") || is(args[1], "async"),
        _ => false,
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if !mode_ok(args) {
        return ctx.err(errors::SYNTAX);
    }
    let removed = ctx.keys.flush_db(ctx.db) as u64;
    // Propagated even when the database was already empty.
    ctx.dirty += removed.max(1);
    ctx.out.ok();
}
