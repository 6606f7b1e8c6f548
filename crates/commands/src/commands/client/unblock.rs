//! CLIENT UNBLOCK client-id [TIMEOUT|ERROR]
//!
//! No command blocks a connection yet, so no client is ever unblocked: the reply is
//! always 0 once the arguments are valid.

use crate::args::{self, is};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() > 4 {
        return super::subcommand_syntax(ctx, args);
    }
    if args.len() == 4 && !is(args[3], "timeout") && !is(args[3], "error") {
        return ctx.err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    }
    if args::int(ctx, args[2]).is_none() {
        return;
    }
    ctx.out.int(0);
}
