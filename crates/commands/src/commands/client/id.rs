//! CLIENT ID

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    ctx.out.int(ctx.client.id() as i64);
}
