//! ZLEXCOUNT key min max
//!
//! The number of members in the lex range (`[a`, `(a`, `-`, `+`).

use super::range::{LexRange, NOT_LEX_RANGE};
use super::read_zset;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(range) = LexRange::parse(args[2], args[3]) else {
        return ctx.err(NOT_LEX_RANGE);
    };
    let lfu = ctx.lfu();
    match read_zset(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Err(Replied) => {}
        Ok(None) => ctx.out.int(0),
        Ok(Some(z)) => {
            let (start, end) = range.ranks(z);
            ctx.out.int((end - start) as i64);
        }
    }
}
