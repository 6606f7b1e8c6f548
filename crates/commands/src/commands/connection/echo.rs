//! ECHO message

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    ctx.out.bulk(args[1]);
}
