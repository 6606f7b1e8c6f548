//! SMEMBERS key

use super::{read_set, reply_set};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    match read_set(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(set)) => reply_set(ctx.out, set),
        Ok(None) => ctx.out.set(0),
        Err(Replied) => {}
    }
}
