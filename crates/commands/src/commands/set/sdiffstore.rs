//! SDIFFSTORE destination key [key ...]

use super::{ops, owned, read_sets, store};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    let names = &args[2..];
    let max_ints = ctx.settings.intset_entries;
    let Ok(sets) = read_sets(&mut ctx.keys, ctx.out, ctx.db, names, lfu) else {
        return;
    };
    let left = ops::diff(&sets, names);
    let result = owned(max_ints, left.into_iter());
    store(ctx, args[1], result, "sdiffstore");
}
