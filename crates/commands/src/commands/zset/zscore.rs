//! ZSCORE key member

use super::read_zset;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    match read_zset(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Err(Replied) => {}
        Ok(z) => match z.and_then(|z| z.score(args[2])) {
            Some(score) => ctx.out.double(score),
            None => ctx.out.null(),
        },
    }
}
