//! HGETALL key

use super::read_hash;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    match read_hash(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(fields)) => {
            ctx.out.map(fields.len());
            for (field, value) in fields {
                ctx.out.bulk(field);
                ctx.out.bulk(value);
            }
        }
        Ok(None) => ctx.out.map(0),
        Err(Replied) => {}
    }
}
