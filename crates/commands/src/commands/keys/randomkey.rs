//! RANDOMKEY

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    match ctx.keys.random_key(ctx.db) {
        Some(key) => ctx.out.bulk(&key),
        None => ctx.out.null(),
    }
}
