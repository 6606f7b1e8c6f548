//! HEXISTS key field

use super::read_hash;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    if let Ok(fields) = read_hash(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        let found = fields.is_some_and(|f| f.contains_key(args[2]));
        ctx.out.int(found as i64);
    }
}
