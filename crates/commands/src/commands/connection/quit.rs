//! QUIT

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    ctx.out.ok();
    ctx.client.close_after_reply = true;
}
