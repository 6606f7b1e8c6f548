//! GET key

use super::{read_string, Replied};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    match read_string(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(item)) => ctx.out.bulk(item.value()),
        Ok(None) => ctx.out.null(),
        Err(Replied) => {}
    }
}
