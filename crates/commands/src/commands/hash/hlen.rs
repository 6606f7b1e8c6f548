//! HLEN key

use super::read_hash;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    if let Ok(fields) = read_hash(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        let len = fields.map_or(0, |f| f.len());
        ctx.out.int(len as i64);
    }
}
