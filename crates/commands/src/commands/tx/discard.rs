//! DISCARD

use super::{discard_transaction, unwatch_all};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    if ctx.client.multi.is_none() {
        return ctx.err("ERR DISCARD without MULTI");
    }
    discard_transaction(ctx);
    unwatch_all(ctx);
    ctx.out.ok();
}
