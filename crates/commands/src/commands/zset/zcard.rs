//! ZCARD key

use super::read_zset;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    match read_zset(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Err(Replied) => {}
        Ok(z) => ctx.out.int(z.map_or(0, |z| z.len()) as i64),
    }
}
