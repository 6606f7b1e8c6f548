//! HMGET key field [field ...]

use super::read_hash;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    // A missing key is an empty hash: one nil per field.
    let Ok(fields) = read_hash(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) else {
        return;
    };
    ctx.out.array(args.len() - 2);
    for field in &args[2..] {
        match fields.and_then(|f| f.get(field)) {
            Some(value) => ctx.out.bulk(value),
            None => ctx.out.null(),
        }
    }
}
