//! HGET key field

use super::read_hash;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    match read_hash(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(fields)) => match fields.get(args[2]) {
            Some(value) => ctx.out.bulk(value),
            None => ctx.out.null(),
        },
        Ok(None) => ctx.out.null(),
        Err(Replied) => {}
    }
}
