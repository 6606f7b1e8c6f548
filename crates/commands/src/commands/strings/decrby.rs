//! DECRBY key decrement

use super::incr::incr_by;
use crate::args;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(delta) = args::int(ctx, argv[2]) else {
        return;
    };
    let Some(negated) = delta.checked_neg() else {
        return ctx.err("ERR decrement would overflow");
    };
    incr_by(ctx, argv[1], negated);
}
