//! CLIENT UNBLOCK client-id [TIMEOUT|ERROR]
//!
//! Wakes a client blocked in BLPOP and friends: with TIMEOUT (the default) it gets the
//! command's timeout reply, with ERROR an `-UNBLOCKED` error. Replies 1 when such a
//! client was blocked, 0 otherwise.

use crate::args::{self, is};
use crate::ctx::Ctx;
use std::sync::atomic::Ordering;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() > 4 {
        return super::subcommand_syntax(ctx, args);
    }
    if args.len() == 4 && !is(args[3], "timeout") && !is(args[3], "error") {
        return ctx.err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    }
    let Some(id) = args::int(ctx, args[2]) else {
        return;
    };
    let with_error = args.len() == 4 && is(args[3], "error");
    let target = ctx.node.clients.lock().get(&(id as u64)).cloned();
    match target {
        Some(client) if client.blocked.load(Ordering::Acquire) => {
            client
                .unblock
                .store(if with_error { 2 } else { 1 }, Ordering::Release);
            client.wake.notify();
            ctx.out.int(1);
        }
        _ => ctx.out.int(0),
    }
}
