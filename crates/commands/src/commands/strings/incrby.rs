//! INCRBY key increment

use super::incr::incr_by;
use crate::args;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(delta) = args::int(ctx, argv[2]) else {
        return;
    };
    incr_by(ctx, argv[1], delta);
}
