//! SUNION key [key ...]

use super::{ops, read_sets, reply_members};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    let Ok(sets) = read_sets(&mut ctx.keys, ctx.out, ctx.db, &args[1..], lfu) else {
        return;
    };
    let all = ops::union(&sets);
    reply_members(ctx.out, all.into_iter().collect());
}
