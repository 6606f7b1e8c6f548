//! COMMAND COUNT

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    ctx.out.int(ctx.node.table.len() as i64);
}
