//! UNWATCH

use super::unwatch_all;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    unwatch_all(ctx);
    ctx.out.ok();
}
