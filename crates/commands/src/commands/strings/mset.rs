//! MSET key value [key value ...]

use super::store;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len().is_multiple_of(2) {
        return ctx.err(&errors::wrong_arity("mset"));
    }
    set_pairs(ctx, args);
    ctx.out.ok();
}

/// Stores every key/value pair of `args[1..]` (MSET, MSETNX).
pub fn set_pairs(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    for pair in args[1..].chunks_exact(2) {
        store(ctx, pair[0], &[pair[1]], None);
        ctx.notify(notify::STRING, "set", pair[0]);
    }
}
