//! STRLEN key

use super::{read_string, Replied};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    match read_string(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(item)) => ctx.out.int(item.value().len() as i64),
        Ok(None) => ctx.out.int(0),
        Err(Replied) => {}
    }
}
