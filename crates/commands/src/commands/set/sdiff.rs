//! SDIFF key [key ...]

use super::{ops, read_sets, reply_members};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    let names = &args[1..];
    let Ok(sets) = read_sets(&mut ctx.keys, ctx.out, ctx.db, names, lfu) else {
        return;
    };
    let left = ops::diff(&sets, names);
    reply_members(ctx.out, left);
}
