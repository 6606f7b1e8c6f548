//! COMMAND INFO [command-name ...]

use super::{lookup, reply_all_info, reply_info};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() == 2 {
        return reply_all_info(ctx);
    }
    ctx.out.array(args.len() - 2);
    for name in &args[2..] {
        match lookup(ctx.node, name) {
            Some(spec) => reply_info(ctx.out, spec),
            None => ctx.out.null(),
        }
    }
}
