//! ZRANK key member
//!
//! The member's 0-based rank by ascending score, or nil. Also ZREVRANK's engine.

use super::read_zset;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    rank(ctx, args, false);
}

/// The rank of `args[2]` in `args[1]`, from the highest score when `reverse`.
pub fn rank(ctx: &mut Ctx<'_>, args: &[&[u8]], reverse: bool) {
    let lfu = ctx.lfu();
    match read_zset(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Err(Replied) => {}
        Ok(None) => ctx.out.null(),
        Ok(Some(z)) => match z.rank(args[2]) {
            Some(r) if reverse => ctx.out.int((z.len() - 1 - r) as i64),
            Some(r) => ctx.out.int(r as i64),
            None => ctx.out.null(),
        },
    }
}
