//! SCARD key

use super::read_set;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    match read_set(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(set)) => ctx.out.int(set.len() as i64),
        Ok(None) => ctx.out.int(0),
        Err(Replied) => {}
    }
}
