//! BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
//!
//! LMOVE (and propagated as LMOVE) when the source list exists; otherwise it would
//! wait up to `timeout` seconds (0: forever). Blocking is not implemented yet: with
//! nothing to pop, it replies at once what redis-server replies when the timeout
//! expires (see [`super::time_out`]).

use super::{move_element, time_out, timeout, write_list, End, Nothing};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;

/// BLMOVE and BRPOPLPUSH once their arguments are parsed; `propagated` is the
/// non-blocking command they are propagated as when they move an element.
pub fn blocking_move(
    ctx: &mut Ctx<'_>,
    args: &[&[u8]],
    from: End,
    to: End,
    timeout_ms: u64,
    propagated: Vec<Vec<u8>>,
) {
    let (source, destination) = (args[1], args[2]);
    let db = ctx.db;
    match write_list(&mut ctx.keys, ctx.out, db, source) {
        Ok(Some(list)) if !list.is_empty() => {}
        Ok(_) => return time_out(ctx, timeout_ms, Nothing::Move, &[source]),
        Err(Replied) => return,
    }
    if move_element(ctx, source, destination, from, to) {
        ctx.propagate_as(propagated);
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(from) = End::parse(args[3]) else {
        return ctx.err(errors::SYNTAX);
    };
    let Some(to) = End::parse(args[4]) else {
        return ctx.err(errors::SYNTAX);
    };
    let Some(timeout) = timeout(ctx, args[5]) else {
        return;
    };
    let propagated = [&b"LMOVE"[..], args[1], args[2], args[3], args[4]]
        .iter()
        .map(|a| a.to_vec())
        .collect();
    blocking_move(ctx, args, from, to, timeout, propagated);
}
