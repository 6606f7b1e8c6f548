//! HVALS key

use super::read_hash;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    match read_hash(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(fields)) => {
            ctx.out.array(fields.len());
            for value in fields.values() {
                ctx.out.bulk(value);
            }
        }
        Ok(None) => ctx.out.array(0),
        Err(Replied) => {}
    }
}
