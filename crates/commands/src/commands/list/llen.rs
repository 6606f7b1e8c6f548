//! LLEN key

use super::read_list;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    match read_list(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(list)) => ctx.out.int(list.len() as i64),
        Ok(None) => ctx.out.int(0),
        Err(Replied) => {}
    }
}
