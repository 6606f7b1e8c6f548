//! BGSAVE [SCHEDULE]
//!
//! Persistence does not exist yet: the "background save" completes at once without
//! writing anything (see SAVE). Inside a transaction it is reported as scheduled, as
//! redis-server does.

use super::save::record_save;
use crate::args::is;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() > 2 || (args.len() == 2 && !is(args[1], "schedule")) {
        return ctx.err(errors::SYNTAX);
    }
    ctx.client.flush_stats(ctx.node);
    record_save(ctx.node);
    if ctx.in_exec {
        ctx.out.simple("Background saving scheduled");
    } else {
        ctx.out.simple("Background saving started");
    }
}
