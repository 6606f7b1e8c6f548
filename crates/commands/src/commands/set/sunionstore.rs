//! SUNIONSTORE destination key [key ...]

use super::{ops, owned, read_sets, store};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    let max_ints = ctx.settings.intset_entries;
    let Ok(sets) = read_sets(&mut ctx.keys, ctx.out, ctx.db, &args[2..], lfu) else {
        return;
    };
    let all = ops::union(&sets);
    let result = owned(max_ints, all.into_iter());
    store(ctx, args[1], result, "sunionstore");
}
